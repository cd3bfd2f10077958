// Accessibility: every page passes axe-core's WCAG 2.0/2.1 A and AA rules
// with zero violations, and gets a screenshot in e2e/screenshots/.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn, loggInnUtenSide, sjekkUu, skjermbilde, BARE_FJORDBRIS } from './helpers.js';

const miljoe = oppsett();

/** One logged-in page (the all-organisations person) for most tests below, made on first use. */
let innlogget;
async function innloggetSide() {
  if (!innlogget) {
    innlogget = await nySide(miljoe);
    await loggInn(innlogget.side, 'Havblikk Sykehjem');
  }
  return innlogget.side;
}
after(async () => {
  await innlogget?.kontekst.close();
});

/** Opens `sti`, checks its status, takes the screenshot, then runs axe. */
async function sjekkSide(side, sti, navn, status = 200) {
  const svar = await side.goto(sti);
  assert.equal(svar.status(), status, `${sti} answers ${status}`);
  await skjermbilde(side, navn);
  await sjekkUu(side, navn);
}

test('the login page', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await sjekkSide(side, '/logg-inn', 'logg-inn');
  } finally {
    await kontekst.close();
  }
});

test('the notification list (fresh, with unread cards)', async () => {
  // The first look at the list: the screenshot and axe see the unread marks.
  const side = await innloggetSide();
  await side.goto('/varsler');
  assert.equal(new URL(side.url()).pathname, '/varsler');
  assert.ok(await side.locator('li.ulest').count() > 0);
  await skjermbilde(side, 'varsler');
  await sjekkUu(side, 'varsler');
});

test('the case overview with the bell badge', async () => {
  // Another person, logged in without seeing the list, so the badge is there.
  const { kontekst, side } = await nySide(miljoe);
  try {
    await loggInnUtenSide(kontekst, BARE_FJORDBRIS);
    await side.goto('/saker');
    assert.equal(await side.locator('header .teller').count(), 1, 'the badge is shown');
    await skjermbilde(side, 'saker-med-bjelle');
    await sjekkUu(side, 'saker-med-bjelle');
  } finally {
    await kontekst.close();
  }
});

test('the case overview', async () => {
  await sjekkSide(await innloggetSide(), '/saker', 'saker');
});

test('the case overview with filters, search and sorting', async () => {
  const side = await innloggetSide();
  await sjekkSide(side, '/saker?q=sykepenger&virksomhet=889640782&virksomhet=910825496&sakstype=Sykepenger&oppgave=ny&sortering=eldste', 'saker-filtrert');
  assert.ok(await side.locator('main .kortliste > li.sak').count() > 0, 'the filters leave some saker');
  assert.ok(await side.locator('main input[type=checkbox]:checked').count() >= 4, 'the filters are shown as chosen');
});

test('the case overview with no result', async () => {
  const side = await innloggetSide();
  await sjekkSide(side, '/saker?q=finnesikkeiennesak', 'saker-ingen-treff');
  assert.equal(await side.getByText('Ingen saker passer med søket.').count(), 1);
});

test('a sak with its timeline and status history', async () => {
  const side = await innloggetSide();
  await side.goto('/saker');
  const id = await side.locator('main .kortliste > li.sak.gjoeremaal').first().getAttribute('data-id');
  await sjekkSide(side, `/saker/${id}`, 'sak');
  assert.ok(await side.locator('ol.tidslinje > li').count() > 0, 'the sak has a timeline');
});

test('a finished sak', async () => {
  const side = await innloggetSide();
  await side.goto('/saker');
  const id = await side.locator('main .kortliste > li.sak.ferdig').first().getAttribute('data-id');
  await sjekkSide(side, `/saker/${id}`, 'sak-ferdig');
});

test('upcoming appointments', async () => {
  const side = await innloggetSide();
  await sjekkSide(side, '/kalenderavtaler', 'kalenderavtaler');
  assert.ok(await side.locator('main .kortliste > li').count() > 0);
});

test('the 404 page of a sak that does not exist', async () => {
  const side = await innloggetSide();
  await sjekkSide(side, '/saker/00000000-0000-0000-0000-000000000000', 'ikke-funnet', 404);
  assert.equal(await side.locator('h1').textContent(), 'Fant ikke siden');
});

test('the case overview on a narrow screen (320 px)', async () => {
  const side = await innloggetSide();
  await side.setViewportSize({ width: 320, height: 640 });
  try {
    await sjekkSide(side, '/saker', 'saker-smal');
    const bredde = await side.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(bredde <= 320, `no horizontal scrolling at 320 px (content is ${bredde} px wide)`);
  } finally {
    await side.setViewportSize({ width: 1280, height: 720 });
  }
});

test('the axe check itself fails on a page with violations', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    await side.goto('/logg-inn');
    await side.evaluate(() => {
      document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="/static/finnes-ikke.png"><p style="color:#bbb;background:#fff">lite kontrast</p><input type="text">');
    });
    await assert.rejects(sjekkUu(side, 'selvtest'), (feil) => {
      assert.match(feil.message, /image-alt/);
      assert.match(feil.message, /color-contrast/);
      assert.match(feil.message, /label/);
      return true;
    });
  } finally {
    await kontekst.close();
  }
});
