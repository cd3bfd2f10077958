// Upcoming appointments: only those ahead, none cancelled, soonest first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn } from './helpers.js';

const miljoe = oppsett();

const MAANEDER = ['jan.', 'feb.', 'mars', 'apr.', 'mai', 'juni', 'juli', 'aug.', 'sep.', 'okt.', 'nov.', 'des.'];

/** "søndag 22. nov. 2026 kl. 09.00–09.45" as minutes of Oslo wall-clock time (comparable, not a real instant). */
function veggur(tekst) {
  const m = tekst.match(/^\S+ (\d{1,2})\. (\S+) (\d{4}) kl\. (\d{2})\.(\d{2})/);
  assert.ok(m, `an appointment time: ${tekst}`);
  const maaned = MAANEDER.indexOf(m[2]);
  assert.ok(maaned >= 0, `a month: ${m[2]}`);
  return Date.UTC(Number(m[3]), maaned, Number(m[1]), Number(m[4]), Number(m[5])) / 60_000;
}

/** Now, as minutes of Oslo wall-clock time. */
function naaIOslo() {
  const deler = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return Date.UTC(Number(deler.year), Number(deler.month) - 1, Number(deler.day), Number(deler.hour), Number(deler.minute)) / 60_000;
}

/** The appointment cards of the page: id, start and state tag. */
async function avtaler(side) {
  return side.locator('main .kortliste > li.kort-kalenderavtale').evaluateAll((li) => li.map((el) => ({
    id: el.dataset.id,
    tid: el.querySelector('.detalj')?.textContent.trim() ?? '',
    merke: el.querySelector('.merke')?.textContent.trim() ?? null,
  })));
}

test('/kalenderavtaler lists only upcoming appointments that are not cancelled', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await loggInn(side, 'Havblikk Sykehjem');
    await side.goto('/varsler');
    const naa = naaIOslo();
    const alle = await avtaler(side);
    assert.ok(alle.length >= 3, `the list has appointments: ${alle.length}`);
    assert.ok(alle.some((a) => veggur(a.tid) < naa), 'the demo has a past appointment');
    assert.ok(alle.some((a) => a.merke === 'Avlyst' && veggur(a.tid) > naa), 'the demo has a cancelled appointment ahead');
    const forventet = alle.filter((a) => veggur(a.tid) > naa && a.merke !== 'Avlyst');
    assert.ok(forventet.length > 0);

    await side.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Kalenderavtaler' }).click();
    await side.waitForURL('**/kalenderavtaler');
    assert.equal(await side.locator('h1').textContent(), 'Kommende kalenderavtaler');
    assert.equal(await side.locator('main .kortliste > li:not(.kort-kalenderavtale)').count(), 0, 'nothing but appointments');
    const kommende = await avtaler(side);
    assert.deepEqual(new Set(kommende.map((a) => a.id)), new Set(forventet.map((a) => a.id)));
    for (const a of kommende) {
      assert.ok(veggur(a.tid) > naa, `${a.tid} is ahead`);
      assert.notEqual(a.merke, 'Avlyst');
      assert.notEqual(a.merke, 'Avholdt');
    }
    const tider = kommende.map((a) => veggur(a.tid));
    assert.deepEqual(tider, [...tider].sort((x, y) => x - y), 'soonest first');
    // Each still links through the click record.
    for (const a of kommende) {
      assert.equal(await side.locator(`li[data-id="${a.id}"] .tekst a`).getAttribute('href'), `/varsler/${a.id}/aapne`);
    }
  } finally {
    await kontekst.close();
  }
});
