// Everything with the keyboard: the skip link, the menu, the filter form,
// logging in and out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, ALLE_TRE } from './helpers.js';

const miljoe = oppsett();

/** What has focus: a short description, and whether the focus is drawn. */
async function fokus(side) {
  return side.evaluate(() => {
    const el = document.activeElement;
    const stil = getComputedStyle(el);
    const boks = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      tekst: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      navn: el.getAttribute('name'),
      verdi: el.value ?? null,
      href: el.getAttribute('href'),
      synlig: boks.width > 0 && boks.height > 0 && boks.right > 0 && boks.bottom > 0 && boks.left < innerWidth,
      ring: stil.outlineStyle !== 'none' && parseFloat(stil.outlineWidth) >= 2,
    };
  });
}

/** Presses Tab until `treff(focus)` holds, at most `maks` times; returns the focus. */
async function tabTil(side, treff, maks = 30) {
  const sett = [];
  for (let i = 0; i < maks; i++) {
    await side.keyboard.press('Tab');
    const f = await fokus(side);
    sett.push(f.tekst || f.id || f.tag);
    if (treff(f)) return f;
  }
  assert.fail(`Tab never reached the element; focus went: ${sett.join(' → ')}`);
}

test('log in, use the menu and log out with the keyboard only', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await side.goto('/logg-inn');
    await side.keyboard.press('Tab');
    assert.equal((await fokus(side)).tekst, 'Hopp til innholdet', 'the first Tab on the login page');
    const knapp = await tabTil(side, (f) => f.tag === 'button' && f.verdi === ALLE_TRE);
    assert.ok(knapp.ring, 'the focused button shows a focus ring');
    await Promise.all([side.waitForURL('**/saker'), side.keyboard.press('Enter')]);

    // The menu, in reading order.
    await side.keyboard.press('Tab');
    const rekkefoelge = [(await fokus(side)).tekst];
    for (let i = 0; i < 5; i++) {
      await side.keyboard.press('Tab');
      rekkefoelge.push((await fokus(side)).tekst);
    }
    // The overview is where a login lands, so the bell still shows its count.
    assert.deepEqual(rekkefoelge, ['Hopp til innholdet', 'Varde', 'Varsler 9+ uleste', 'Saker', 'Kalenderavtaler', 'Logg ut']);

    await side.keyboard.press('Shift+Tab');
    const avtaler = await fokus(side);
    assert.equal(avtaler.href, '/kalenderavtaler');
    assert.ok(avtaler.synlig && avtaler.ring, 'the menu link is visible with a focus ring');
    await Promise.all([side.waitForURL('**/kalenderavtaler'), side.keyboard.press('Enter')]);
    assert.equal(await side.locator('h1').textContent(), 'Kommende kalenderavtaler');

    await tabTil(side, (f) => f.tekst === 'Saker' && f.href === '/saker');
    await Promise.all([side.waitForURL('**/saker'), side.keyboard.press('Enter')]);

    await tabTil(side, (f) => f.tag === 'button' && f.tekst === 'Logg ut');
    await Promise.all([side.waitForURL('**/logg-inn'), side.keyboard.press('Enter')]);
    assert.equal(await side.locator('h1').textContent(), 'Logg inn');
  } finally {
    await kontekst.close();
  }
});

test('the skip link is the first Tab stop and leads into the content', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await kontekst.request.post('/logg-inn', { form: { fnr: ALLE_TRE } });
    for (const sti of ['/varsler', '/kalenderavtaler', '/saker']) {
      await side.goto(sti);
      await side.keyboard.press('Tab');
      const hopp = await fokus(side);
      assert.equal(hopp.tekst, 'Hopp til innholdet', `the first Tab on ${sti}`);
      assert.equal(hopp.href, '#innhold');
      assert.ok(hopp.synlig, `the skip link shows when focused on ${sti}`);
      assert.ok(hopp.ring, `the skip link has a focus ring on ${sti}`);
      await side.keyboard.press('Enter');
      // Following an in-page link is asynchronous; on a busy machine the check could come first.
      await side.waitForFunction(() => location.hash === '#innhold', null, { timeout: 5000 });
      assert.equal(new URL(side.url()).hash, '#innhold');
      assert.equal((await fokus(side)).id, 'innhold', `Enter moves the focus to the content on ${sti}`);
    }
    // On the overview (the last page above) the next stop after the skip is the search box.
    await side.keyboard.press('Tab');
    assert.equal((await fokus(side)).id, 'q', 'after the skip link: the search box');
  } finally {
    await kontekst.close();
  }
});

test('the filter form works with the keyboard', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await kontekst.request.post('/logg-inn', { form: { fnr: ALLE_TRE } });
    await side.goto('/saker');
    const foer = Number((await side.locator('#antall').textContent()).match(/^\d+/)[0]);

    // Search: Tab to the box, type, Enter submits.
    const soek = await tabTil(side, (f) => f.id === 'q');
    assert.ok(soek.ring, 'the search box shows focus');
    await side.keyboard.type('permittering');
    await Promise.all([side.waitForURL(/q=permittering/), side.keyboard.press('Enter')]);
    const etter = Number((await side.locator('#antall').textContent()).match(/^\d+/)[0]);
    assert.ok(etter > 0 && etter < foer, `the search narrowed ${foer} to ${etter}`);

    // A checkbox with Space, the sorting with the arrow keys, then the button with Enter.
    await side.goto('/saker');
    await tabTil(side, (f) => f.tag === 'input' && f.navn === 'virksomhet' && f.verdi === '889640782');
    await side.keyboard.press('Space');
    assert.equal(await side.getByRole('checkbox', { name: 'Havblikk Sykehjem' }).isChecked(), true);
    await tabTil(side, (f) => f.id === 'sortering');
    await side.keyboard.press('ArrowDown');
    assert.equal(await side.locator('#sortering').inputValue(), 'eldste');
    await tabTil(side, (f) => f.tag === 'button' && f.tekst === 'Vis saker');
    await Promise.all([side.waitForURL(/\/saker\?/), side.keyboard.press('Enter')]);
    const sok = new URL(side.url()).searchParams;
    assert.deepEqual(sok.getAll('virksomhet'), ['889640782']);
    assert.equal(sok.get('sortering'), 'eldste');
    const orgs = await side.locator('main .kortliste > li.sak .virksomhet').allTextContents();
    assert.ok(orgs.length > 0);
    assert.deepEqual(new Set(orgs), new Set(['Havblikk Sykehjem']));

    // From the results, a sak opens with Enter.
    const lenke = await tabTil(side, (f) => f.tag === 'a' && /^\/saker\/[0-9a-f-]{36}$/.test(f.href ?? ''));
    await Promise.all([side.waitForURL(`**${lenke.href}`), side.keyboard.press('Enter')]);
    assert.equal(await side.locator('h1').textContent(), lenke.tekst);
  } finally {
    await kontekst.close();
  }
});
