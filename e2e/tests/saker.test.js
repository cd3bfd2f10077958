// The case overview: total, search, filters with counts, sorting, and one sak.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn, tekster } from './helpers.js';

const miljoe = oppsett();

const SAKER = 'main .resultat .kortliste > li.sak';

/** The overview as it stands: total, cards' ids, titles and organisations. */
async function oversikt(side) {
  const antall = (await side.locator('#antall').textContent()).trim();
  const m = antall.match(/^(\d+) (sak|saker)\b/);
  assert.ok(m, `the total reads "N saker": ${antall}`);
  return {
    totalt: Number(m[1]),
    ider: await side.locator(SAKER).evaluateAll((li) => li.map((el) => el.dataset.id)),
    titler: await tekster(side, `${SAKER} .sak-tittel a`),
    virksomheter: await tekster(side, `${SAKER} .virksomhet`),
  };
}

/** The counts beside the sakstype checkboxes: { Sykepenger: 4, … }. */
async function sakstypetall(side) {
  const etiketter = await tekster(side, 'fieldset:has(legend:text-is("Sakstyper")) label');
  return Object.fromEntries(etiketter.map((e) => {
    const m = e.match(/^(.+) \((\d+)\)$/);
    assert.ok(m, `a sakstype label with a count: ${e}`);
    return [m[1], Number(m[2])];
  }));
}

async function visSaker(side) {
  await Promise.all([side.waitForURL(/\/saker\?/), side.getByRole('button', { name: 'Vis saker' }).click()]);
}

async function innlogget() {
  const s = await nySide(miljoe);
  await loggInn(s.side, 'Havblikk Sykehjem');
  await s.side.goto('/saker');
  return s;
}

test('the overview lists all 13 saker with a total', async () => {
  const { kontekst, side } = await innlogget();
  try {
    assert.equal(await side.locator('h1').textContent(), 'Saker');
    assert.equal((await side.locator('#antall').textContent()).trim(), '13 saker');
    const alle = await oversikt(side);
    assert.equal(alle.ider.length, 13, 'all on the first page');
    assert.equal(new Set(alle.ider).size, 13);
    assert.deepEqual(new Set(alle.virksomheter), new Set(['Fjordbris Barnehage AS', 'Nordlys Bygg og Anlegg AS', 'Havblikk Sykehjem']));
    const tall = await sakstypetall(side);
    assert.equal(Object.values(tall).reduce((a, b) => a + b, 0), 13, `sakstype counts add up: ${JSON.stringify(tall)}`);
    assert.equal(await side.locator('nav.sider').count(), 0, 'one page: no paging');
  } finally {
    await kontekst.close();
  }
});

test('searching for a word of one title narrows the list', async () => {
  const { kontekst, side } = await innlogget();
  try {
    const alle = await oversikt(side);
    // A word found in exactly one title on the page.
    const ord = alle.titler.flatMap((t) => t.split(/\s+/))
      .filter((w) => w.length >= 6)
      .find((w) => alle.titler.filter((t) => t.toLowerCase().includes(w.toLowerCase())).length === 1);
    assert.ok(ord, `some title has a word of its own: ${alle.titler}`);
    const tittel = alle.titler.find((t) => t.includes(ord));

    const soek = side.getByLabel('Søk i saker');
    await soek.fill(ord);
    await Promise.all([side.waitForURL(/\/saker\?/), soek.press('Enter')]);
    assert.equal(new URL(side.url()).searchParams.get('q'), ord);
    assert.equal(await soek.inputValue(), ord, 'the search box keeps the word');
    const funnet = await oversikt(side);
    assert.ok(funnet.totalt >= 1 && funnet.totalt < alle.totalt, `"${ord}" narrows ${alle.totalt} to ${funnet.totalt}`);
    assert.equal(funnet.ider.length, funnet.totalt);
    assert.ok(funnet.titler.includes(tittel), `"${tittel}" is found by "${ord}"`);

    // A word in no sak gives none.
    await soek.fill('finnesikkeiennesak');
    await Promise.all([side.waitForURL(/q=finnesikkeiennesak/), soek.press('Enter')]);
    assert.equal((await side.locator('#antall').textContent()).trim(), '0 saker');
    assert.equal(await side.locator(SAKER).count(), 0);
    assert.equal(await side.getByText('Ingen saker passer med søket.').count(), 1);
  } finally {
    await kontekst.close();
  }
});

test('an organisation filter narrows to its saker and changes the sakstype counts', async () => {
  const { kontekst, side } = await innlogget();
  try {
    const alle = await oversikt(side);
    const tallFoer = await sakstypetall(side);
    const org = 'Havblikk Sykehjem';
    const boks = side.getByRole('checkbox', { name: org });
    await boks.check();
    await visSaker(side);
    assert.equal(await side.getByRole('checkbox', { name: org }).isChecked(), true, 'the choice is kept');
    const filtrert = await oversikt(side);
    const forventet = alle.virksomheter.filter((v) => v === org).length;
    assert.equal(filtrert.totalt, forventet, `${org} has ${forventet} saker`);
    assert.ok(filtrert.totalt > 0 && filtrert.totalt < alle.totalt);
    assert.deepEqual(new Set(filtrert.virksomheter), new Set([org]), 'only the chosen organisation');

    const tallEtter = await sakstypetall(side);
    assert.notDeepEqual(tallEtter, tallFoer, 'the sakstype counts follow the filter');
    assert.equal(Object.values(tallEtter).reduce((a, b) => a + b, 0), filtrert.totalt, JSON.stringify(tallEtter));
    for (const [type, n] of Object.entries(tallEtter)) {
      assert.ok(n <= tallFoer[type], `${type}: ${n} of ${tallFoer[type]}`);
    }

    // Two organisations: both, and nothing of the third.
    await side.getByRole('checkbox', { name: 'Fjordbris Barnehage AS' }).check();
    await visSaker(side);
    const to = await oversikt(side);
    assert.deepEqual(new Set(to.virksomheter), new Set([org, 'Fjordbris Barnehage AS']));
    assert.equal(to.totalt, alle.virksomheter.filter((v) => v !== 'Nordlys Bygg og Anlegg AS').length);

    // "Tøm filtre" brings all back.
    await side.getByRole('link', { name: 'Tøm filtre' }).click();
    await side.waitForURL((u) => u.pathname === '/saker' && u.search === '');
    assert.equal((await oversikt(side)).totalt, alle.totalt);
  } finally {
    await kontekst.close();
  }
});

test('the filter "Uløste oppgaver" shows only saker with a task waiting', async () => {
  const { kontekst, side } = await innlogget();
  try {
    const alle = await oversikt(side);
    const etikett = side.locator('label', { hasText: /^Uløste oppgaver \(\d+\)$/ });
    const antall = Number((await etikett.textContent()).match(/\((\d+)\)/)[1]);
    const medOppgave = await side.locator(`${SAKER}.gjoeremaal`).count();
    assert.equal(antall, medOppgave, 'the label counts the saker with a waiting task');

    await side.getByRole('checkbox', { name: /^Uløste oppgaver/ }).check();
    await visSaker(side);
    assert.deepEqual(new URL(side.url()).searchParams.getAll('oppgave'), ['ny']);
    const filtrert = await oversikt(side);
    assert.equal(filtrert.totalt, antall);
    assert.ok(filtrert.totalt > 0 && filtrert.totalt < alle.totalt);
    const kort = side.locator(SAKER);
    for (let i = 0; i < filtrert.ider.length; i++) {
      assert.match(await kort.nth(i).getAttribute('class'), /\bgjoeremaal\b/);
      assert.match(await kort.nth(i).locator('.merke').first().textContent(), /^\d+ oppgaver? venter$/);
    }
  } finally {
    await kontekst.close();
  }
});

test('"Eldste først" reverses the order', async () => {
  const { kontekst, side } = await innlogget();
  try {
    const nyeste = await oversikt(side);
    await side.getByLabel('Sortering').selectOption({ label: 'Eldste først' });
    await visSaker(side);
    assert.equal(new URL(side.url()).searchParams.get('sortering'), 'eldste');
    assert.equal(await side.getByLabel('Sortering').inputValue(), 'eldste', 'the choice is kept');
    const eldste = await oversikt(side);
    assert.equal(eldste.totalt, nyeste.totalt);
    assert.deepEqual(eldste.ider, [...nyeste.ider].reverse());
  } finally {
    await kontekst.close();
  }
});

test('a sak opens on its own page with its timeline and status history', async () => {
  const { kontekst, side } = await innlogget();
  try {
    const kort = side.locator(SAKER).filter({ has: side.locator('.merke') }).first();
    const id = await kort.getAttribute('data-id');
    const tittel = (await kort.locator('.sak-tittel a').textContent()).trim();
    const org = (await kort.locator('.virksomhet').textContent()).trim();
    await Promise.all([side.waitForURL(`**/saker/${id}`), kort.getByRole('link', { name: tittel }).click()]);
    assert.equal(await side.locator('h1').textContent(), tittel);
    assert.equal(await side.title(), `${tittel} – Varde`);
    assert.equal((await side.locator('main .virksomhet').first().textContent()).trim(), org);
    assert.equal(await side.getByRole('heading', { level: 2, name: 'Hva har skjedd i saken' }).count(), 1);
    assert.equal(await side.getByRole('heading', { level: 2, name: 'Statushistorikk' }).count(), 1);
    assert.ok(await side.locator('ol.statuser > li').count() >= 1, 'at least one status');
    assert.ok(await side.locator('ol.tidslinje > li.kort').count() >= 1, 'a sak with a waiting task has a timeline');
    // The menu marks Saker as the current page; the way back works.
    assert.equal(await side.getByRole('link', { name: 'Saker', exact: true }).getAttribute('aria-current'), 'page');
    await Promise.all([side.waitForURL('**/saker'), side.getByRole('link', { name: 'Tilbake til sakene' }).click()]);
  } finally {
    await kontekst.close();
  }
});

test('a sak that does not exist is a 404 page', async () => {
  const { kontekst, side } = await innlogget();
  try {
    const svar = await side.goto('/saker/00000000-0000-0000-0000-000000000000');
    assert.equal(svar.status(), 404);
    assert.equal(await side.locator('h1').textContent(), 'Fant ikke siden');
    const ugyldig = await side.goto('/saker/ikke-en-id');
    assert.equal(ugyldig.status(), 404);
  } finally {
    await kontekst.close();
  }
});
