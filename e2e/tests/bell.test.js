// The bell in the header: the unread count before the list has been seen,
// and none after.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInnUtenSide, bjelle, ALLE_TRE, BARE_FJORDBRIS } from './helpers.js';

const miljoe = oppsett();

/**
 * Logs in without opening the list (the login itself lands on /varsler, which
 * marks everything read), reads the bell on /saker, then opens the list and
 * compares. Returns [bell, unread cards, all cards].
 */
async function bjelleOgListe(kontekst, side, fnr) {
  await loggInnUtenSide(kontekst, fnr);
  await side.goto('/saker');
  const lenke = side.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: /^Varsler/ });
  assert.equal(await lenke.count(), 1, 'the menu has the Varsler link');
  const tall = await bjelle(side);
  assert.notEqual(tall, null, 'a fresh login shows the unread badge');
  assert.match(await lenke.textContent(), /uleste/, 'the badge says what it counts to screen readers');

  await side.getByRole('link', { name: /^Varsler/ }).click();
  await side.waitForURL('**/varsler');
  const uleste = await side.locator('.kortliste > li.ulest').count();
  const alle = await side.locator('.kortliste > li').count();
  return [tall, uleste, alle];
}

test('the bell counts the unread notifications until the list is seen (all three organisations)', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    const [tall, uleste, alle] = await bjelleOgListe(kontekst, side, ALLE_TRE);
    assert.equal(alle, 25, 'the demo has 25 notifications for this person');
    assert.ok(tall === '9+' || Number(tall) === uleste, `bell ${tall} vs ${uleste} unread cards`);
    assert.equal(tall, '9+', `the demo's many unread notifications show as 9+ (unread cards: ${uleste})`);
    assert.ok(uleste > 9, `more than nine cards are unread (${uleste})`);
    assert.match(await side.locator('main .ingress').textContent(), new RegExp(`${uleste} nye siden sist`));

    // The list has been seen: no badge anywhere, and no unread cards any more.
    await side.goto('/saker');
    assert.equal(await bjelle(side), null, 'no badge on /saker after the list was seen');
    await side.goto('/kalenderavtaler');
    assert.equal(await bjelle(side), null, 'no badge on /kalenderavtaler after the list was seen');
    await side.goto('/varsler');
    assert.equal(await side.locator('.kortliste > li.ulest').count(), 0, 'a second look finds nothing new');
  } finally {
    await kontekst.close();
  }
});

test('the bell shows the exact count when it is nine or less (Fjordbris only)', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    const [tall, uleste] = await bjelleOgListe(kontekst, side, BARE_FJORDBRIS);
    assert.match(tall, /^[1-9]$/, `a small count is shown as a number, got ${tall}`);
    assert.equal(Number(tall), uleste, 'the bell matches the unread cards');
    await side.goto('/saker');
    assert.equal(await bjelle(side), null);
  } finally {
    await kontekst.close();
  }
});
