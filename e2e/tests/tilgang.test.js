// Person 16120101181 holds rights in Fjordbris Barnehage AS only, and sees
// nothing of the other two organisations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn, tekster, BARE_FJORDBRIS } from './helpers.js';

const miljoe = oppsett();
const FJORDBRIS = 'Fjordbris Barnehage AS';

/** Ids of the saker and notifications the all-organisations person sees outside Fjordbris. */
async function andresIder() {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await loggInn(side, 'Havblikk Sykehjem');
    await side.goto('/varsler');
    const utenfor = (sel) => side.locator(sel).evaluateAll((li, org) => li
      .filter((el) => el.querySelector('.virksomhet').textContent.trim() !== org)
      .map((el) => el.dataset.id), FJORDBRIS);
    const varsler = await utenfor('main .kortliste > li.kort');
    await side.goto('/saker');
    const saker = await utenfor('main .kortliste > li.sak');
    return { varsler, saker };
  } finally {
    await kontekst.close();
  }
}

test('person 16120101181 sees only Fjordbris notifications, saker and appointments', async () => {
  const andre = await andresIder();
  assert.ok(andre.varsler.length > 0 && andre.saker.length > 0, 'the other organisations have something');

  const { kontekst, side } = await nySide(miljoe);
  try {
    const rad = side.locator('.personer li').filter({ has: side.locator(`button[value="${BARE_FJORDBRIS}"]`) });
    await side.goto('/logg-inn');
    await Promise.all([side.waitForURL('**/saker'), rad.getByRole('button').click()]);
    assert.match(await side.locator('header .person').textContent(), /161201/);
    await side.goto('/varsler');

    const varsler = await tekster(side, 'main .kortliste > li.kort .virksomhet');
    assert.ok(varsler.length > 0, 'some notifications');
    assert.deepEqual(new Set(varsler), new Set([FJORDBRIS]));
    assert.match(await side.locator('main .ingress').textContent(), new RegExp(`^${varsler.length} varsler`));

    await side.goto('/saker');
    const saker = await tekster(side, 'main .kortliste > li.sak .virksomhet');
    assert.ok(saker.length > 0, 'some saker');
    assert.deepEqual(new Set(saker), new Set([FJORDBRIS]));
    assert.equal((await side.locator('#antall').textContent()).trim(), `${saker.length} saker`);
    assert.deepEqual(await tekster(side, 'fieldset:has(legend:text-is("Virksomheter")) label'), [FJORDBRIS],
      'only Fjordbris to filter by');

    await side.goto('/kalenderavtaler');
    const avtaler = await tekster(side, 'main .kortliste > li .virksomhet');
    assert.ok(avtaler.length > 0, 'an upcoming Fjordbris appointment');
    assert.deepEqual(new Set(avtaler), new Set([FJORDBRIS]));

    // Not even by address.
    const sak = await side.goto(`/saker/${andre.saker[0]}`);
    assert.equal(sak.status(), 404, 'another organisation\'s sak is not found');
    const varsel = await side.goto(`/varsler/${andre.varsler[0]}/aapne`);
    assert.equal(varsel.status(), 404, 'another organisation\'s notification cannot be opened');
    assert.equal(new URL(side.url()).hostname, '127.0.0.1', 'and does not lead on');
  } finally {
    await kontekst.close();
  }
});
