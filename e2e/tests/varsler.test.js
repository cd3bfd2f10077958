// The notification list: the three kinds of cards, the state tags of
// oppgaver, appointments' time and place, and following a notification.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn, brukerApi, tekster } from './helpers.js';

const miljoe = oppsett();

const TILSTANDSMERKE = /^(Frist |Påminnelse|Utført|Fristen gikk ut|Utgått|Ikke utført)/;
const AVTALETID = /^(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag) \d{1,2}\. \S+ \d{4} kl\. \d{2}\.\d{2}(–\d{2}\.\d{2}| – .+)?$/;
const ADRESSE = /^.+, \d{4} .+$/;

test('the list shows beskjeder, oppgaver with their state and appointments with time and place', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await loggInn(side, 'Havblikk Sykehjem');
    await side.goto('/varsler');
    const kort = side.locator('main .kortliste > li.kort');
    assert.equal(await kort.count(), 25);
    assert.match(await side.locator('main .ingress').textContent(), /^25 varsler/);

    const beskjeder = side.locator('main .kortliste > li.kort-beskjed');
    const oppgaver = side.locator('main .kortliste > li.kort-oppgave');
    const avtaler = side.locator('main .kortliste > li.kort-kalenderavtale');
    const [b, o, a] = [await beskjeder.count(), await oppgaver.count(), await avtaler.count()];
    assert.ok(b > 0 && o > 0 && a > 0, `all three kinds: ${b} beskjeder, ${o} oppgaver, ${a} kalenderavtaler`);
    assert.equal(b + o + a, 25, 'every card is of one of the three kinds');
    assert.deepEqual(new Set(await tekster(side, 'main .kortliste > li.kort-oppgave .slag')), new Set(['Oppgave']));

    // Every oppgave has a state tag, and the demo has each kind of state.
    const merker = [];
    for (let i = 0; i < o; i++) {
      const merke = await oppgaver.nth(i).locator('.kort-bunn .merke').allTextContents();
      assert.equal(merke.length, 1, `oppgave ${i} has one state tag`);
      assert.match(merke[0], TILSTANDSMERKE);
      merker.push(merke[0]);
    }
    for (const start of ['Frist ', 'Påminnelse', 'Utført', 'Fristen gikk ut']) {
      assert.ok(merker.some((m) => m.startsWith(start)), `some oppgave is tagged "${start}…": ${merker.join(' | ')}`);
    }
    // A beskjed has no state tag.
    assert.equal(await beskjeder.locator('.merke').count(), 0);
    // Open oppgaver are marked as asking something; done ones are not.
    for (let i = 0; i < o; i++) {
      const klasser = await oppgaver.nth(i).getAttribute('class');
      const merke = merker[i];
      assert.equal(/\bgjoeremaal\b/.test(klasser), /^(Frist |Påminnelse|Ikke utført)/.test(merke), `${merke}: ${klasser}`);
    }

    // Every appointment shows when, and where or that it is digital.
    const steder = [];
    for (let i = 0; i < a; i++) {
      const detaljer = await avtaler.nth(i).locator('.detalj').allTextContents();
      assert.equal(detaljer.length, 2, `appointment ${i} shows time and place: ${detaljer}`);
      assert.match(detaljer[0], AVTALETID);
      assert.ok(detaljer[1] === 'Digitalt møte' || ADRESSE.test(detaljer[1]), `place: ${detaljer[1]}`);
      steder.push(detaljer[1]);
    }
    assert.ok(steder.includes('Digitalt møte'), 'a digital appointment');
    assert.ok(steder.some((s) => ADRESSE.test(s)), 'an appointment at an address');
  } finally {
    await kontekst.close();
  }
});

const KLIKK = `{ notifikasjoner { notifikasjoner {
  ... on Beskjed { id brukerKlikk { klikketPaa } }
  ... on Oppgave { id brukerKlikk { klikketPaa } }
  ... on Kalenderavtale { id brukerKlikk { klikketPaa } } } } }`;

async function klikket(kontekst) {
  const data = await brukerApi(kontekst, KLIKK);
  return new Map(data.notifikasjoner.notifikasjoner.map((n) => [n.id, n.brukerKlikk.klikketPaa]));
}

test('following a notification records the click and goes on to the external page', async () => {
  const { kontekst, side, blokkert } = await nySide(miljoe);
  try {
    await loggInn(side, 'Havblikk Sykehjem');
    await side.goto('/varsler');
    const kort = side.locator('main .kortliste > li.kort-oppgave').first();
    const id = await kort.getAttribute('data-id');
    const lenke = kort.locator('.tekst a');
    assert.equal(await lenke.getAttribute('href'), `/varsler/${id}/aapne`);
    const foer = await klikket(kontekst);
    assert.equal(foer.size, 25);
    assert.equal(foer.get(id), false, 'not clicked before');

    const klikkforespoersel = side.waitForRequest((r) => new URL(r.url()).pathname === `/varsler/${id}/aapne`);
    await lenke.click();
    const forespoersel = await klikkforespoersel;
    assert.equal(forespoersel.method(), 'GET');
    await side.waitForURL(/^https:\/\/example\.org\//);
    const videre = forespoersel.redirectedTo();
    assert.ok(videre, 'the click page redirects');
    assert.equal(videre.url(), side.url());
    const svar = await forespoersel.response();
    assert.equal(svar.status(), 303);
    assert.equal(await side.title(), 'Ekstern side');
    assert.equal(await side.locator('h1').textContent(), 'Ekstern side');

    const etter = await klikket(kontekst);
    assert.equal(etter.get(id), true, 'the click is recorded');
    assert.equal([...etter.values()].filter(Boolean).length, 1, 'and only that one');

    assert.deepEqual(blokkert, [], 'no request left for the network');
  } finally {
    await kontekst.close();
  }
});

test('a click on an unknown notification is a 404, and records nothing', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await loggInn(side, 'Havblikk Sykehjem');
    const foer = await klikket(kontekst);
    const svar = await side.goto('/varsler/00000000-0000-0000-0000-000000000000/aapne');
    assert.equal(svar.status(), 404);
    assert.equal(await side.locator('h1').textContent(), 'Fant ikke siden');
    assert.deepEqual(await klikket(kontekst), foer);
  } finally {
    await kontekst.close();
  }
});
