// Logging in and out with the dev login page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn, ALLE_TRE, BARE_FJORDBRIS, ORGANISASJONER } from './helpers.js';

const miljoe = oppsett();

test('/ sends a logged-out visitor to the login page', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    const svar = await side.goto('/');
    assert.equal(new URL(side.url()).pathname, '/logg-inn');
    assert.equal(svar.status(), 200);
    assert.equal(await side.locator('h1').textContent(), 'Logg inn');
    // Every page behind the login does the same.
    for (const sti of ['/varsler', '/saker', '/kalenderavtaler']) {
      await side.goto(sti);
      assert.equal(new URL(side.url()).pathname, '/logg-inn', `${sti} without login`);
    }
    // No menu for a visitor.
    assert.equal(await side.getByRole('navigation', { name: 'Hovedmeny' }).count(), 0);
  } finally {
    await kontekst.close();
  }
});

test('the login page lists the test persons with their organisations', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await side.goto('/logg-inn');
    const rader = side.locator('.personer li');
    assert.equal(await rader.count(), 2);
    const alle = rader.filter({ has: side.locator(`button[value="${ALLE_TRE}"]`) });
    assert.equal(await alle.getByRole('button').textContent(), 'Logg inn som 311299 *****');
    for (const org of ORGANISASJONER) assert.match(await alle.textContent(), new RegExp(org));
    const en = rader.filter({ has: side.locator(`button[value="${BARE_FJORDBRIS}"]`) });
    assert.equal((await en.locator('.detalj').textContent()).trim(), 'Fjordbris Barnehage AS');
  } finally {
    await kontekst.close();
  }
});

test('logging in lands on the case overview; logging out returns to the login page', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await loggInn(side, 'Havblikk Sykehjem');
    assert.equal(new URL(side.url()).pathname, '/saker');
    assert.equal(await side.locator('h1').textContent(), 'Saker');
    assert.match(await side.locator('header .person').textContent(), /Innlogget: 311299 \*{5}/);
    assert.ok((await kontekst.cookies()).some((c) => c.name === 'varde_bruker' && c.httpOnly));

    // Logged in, / goes to the overview, where the bell shows what is new.
    await side.goto('/');
    assert.equal(new URL(side.url()).pathname, '/saker');

    await Promise.all([side.waitForURL('**/logg-inn'), side.getByRole('button', { name: 'Logg ut' }).click()]);
    assert.equal(await side.locator('h1').textContent(), 'Logg inn');
    assert.equal((await kontekst.cookies()).some((c) => c.name === 'varde_bruker'), false, 'the cookie is gone');

    await side.goto('/varsler');
    assert.equal(new URL(side.url()).pathname, '/logg-inn', '/varsler after logout');
  } finally {
    await kontekst.close();
  }
});
