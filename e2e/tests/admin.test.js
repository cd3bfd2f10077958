// The operator console at /admin in a browser: the dev login, every page
// through axe-core (WCAG 2.0/2.1 A and AA, zero violations), and the work of
// an operator's day done through the forms: publish terms, delegate, accept,
// disconnect and reconnect a producer, add a contact point, announce
// maintenance, then find it all in the audit log and export it.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, sjekkUu, skjermbilde, tekster } from './helpers.js';

const miljoe = oppsett();

const SIDER = [
  ['/admin', 'Oversikt'],
  ['/admin/produsenter', 'Produsenter'],
  ['/admin/vilkaar', 'Bruksvilkår'],
  ['/admin/delegeringer', 'Delegeringer'],
  ['/admin/frakoblinger', 'Frakoblinger og oppsigelser'],
  ['/admin/vedlikehold', 'Vedlikehold'],
  ['/admin/kontaktpunkter', 'Kontaktpunkter'],
  ['/admin/revisjon', 'Revisjonslogg'],
];

/** Demo organisations (see the demo configuration). */
const KUNDE = '910825496';
const LEVERANDOER = '972674818';

/** Logs in to the console with the dev form as `navn`. */
async function loggInn(side, navn = 'kari') {
  await side.goto('/admin/logg-inn');
  await side.getByLabel('Navn', { exact: true }).fill(navn);
  await Promise.all([
    side.waitForURL((u) => new URL(u).pathname === '/admin'),
    side.getByRole('button', { name: 'Logg inn' }).click(),
  ]);
}

/** One logged-in console page for the tests below, in order. */
let innlogget;
async function konsoll() {
  if (!innlogget) {
    innlogget = await nySide(miljoe);
    await loggInn(innlogget.side);
  }
  return innlogget.side;
}
after(async () => {
  await innlogget?.kontekst.close();
});

/** Submits the form `knapp` is in and waits for the page the redirect leads to. */
async function send(side, knapp, sti) {
  await Promise.all([side.waitForURL((u) => new URL(u).pathname === sti), knapp.click()]);
}

/** The confirmation the page shows after a change. */
async function melding(side) {
  return (await side.locator('main .melding-suksess').textContent()).trim();
}

test('without a login every console page goes to the login page, which passes axe', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    for (const [sti] of SIDER) {
      await side.goto(sti);
      assert.equal(new URL(side.url()).pathname, '/admin/logg-inn', `${sti} without login`);
    }
    assert.equal(await side.locator('h1').textContent(), 'Logg inn i operatørkonsollet');
    assert.equal(await side.getByRole('navigation', { name: 'Konsollmeny' }).count(), 0, 'no menu before login');
    await skjermbilde(side, 'admin-logg-inn');
    await sjekkUu(side, 'admin-logg-inn');
    // A blank name is refused with a summary that links to the field.
    await side.getByRole('button', { name: 'Logg inn' }).click();
    await side.locator('.feilsammendrag').waitFor();
    assert.equal(await side.locator('.feilsammendrag a[href="#navn"]').count(), 1);
    await sjekkUu(side, 'admin-logg-inn-feil');
  } finally {
    await kontekst.close();
  }
});

test('logged in (dev), every console page passes axe and marks itself in the menu', async () => {
  const side = await konsoll();
  assert.equal(await melding(side), 'Du er logget inn som kari.');
  const kapsel = (await innlogget.kontekst.cookies()).find((c) => c.name === 'varde_operatoer');
  assert.ok(kapsel?.httpOnly, 'the login cookie is HttpOnly');
  assert.equal(kapsel.sameSite, 'Strict');
  assert.equal(kapsel.path, '/admin');
  for (const [sti, tittel] of SIDER) {
    const svar = await side.goto(sti);
    assert.equal(svar.status(), 200, sti);
    assert.equal(await side.locator('h1').textContent(), tittel, sti);
    assert.equal(
      await side.getByRole('navigation', { name: 'Konsollmeny' }).locator('[aria-current="page"]').count(), 1, sti);
    const navn = `admin${sti.replace('/admin', '').replace(/\//g, '-') || '-oversikt'}`;
    await skjermbilde(side, navn);
    await sjekkUu(side, navn);
  }
  // The message of the login is shown once.
  await side.goto('/admin');
  assert.equal(await side.locator('main .melding-suksess').count(), 0);
});

test('publish a terms version and see it listed as varslet', async () => {
  const side = await konsoll();
  await side.goto('/admin/vilkaar');
  await side.getByLabel('Dokument', { exact: true }).fill('plattform');
  await side.getByLabel('Versjon', { exact: true }).fill('2');
  await side.getByLabel('Tittel', { exact: true }).fill('Bruksvilkår, andre utgave');
  await side.getByLabel('Vilkårstekst').fill('Den nye teksten.');
  await send(side, side.getByRole('button', { name: 'Publiser versjonen' }), '/admin/vilkaar');
  assert.match(await melding(side), /^Versjon 2 av plattform er publisert og varslet, gjelder fra /);
  const rad = side.locator('table tbody tr', { hasText: 'Bruksvilkår, andre utgave' });
  assert.equal(await rad.count(), 1);
  assert.equal((await rad.locator('.merke').textContent()).trim(), 'varslet');
  assert.equal(await rad.locator('th').textContent(), 'plattform');

  // The same version again is refused, and the summary's link takes the focus to the field.
  await side.getByLabel('Dokument', { exact: true }).fill('plattform');
  await side.getByLabel('Versjon', { exact: true }).fill('2');
  await side.getByLabel('Tittel', { exact: true }).fill('Igjen');
  await side.getByLabel('Vilkårstekst').fill('Igjen.');
  await side.getByRole('button', { name: 'Publiser versjonen' }).click();
  await side.locator('.feilsammendrag').waitFor();
  assert.equal(await side.getByLabel('Tittel', { exact: true }).inputValue(), 'Igjen', 'the input is kept');
  await side.locator('.feilsammendrag a').first().click();
  assert.equal(await side.evaluate(() => document.querySelector(':target')?.id), 'publiser-versjon',
    'the link leads to the field in error');
  await skjermbilde(side, 'admin-vilkaar-feil');
  await sjekkUu(side, 'admin-vilkaar-feil');
});

test('delegate, then accept the terms for an organisation', async () => {
  const side = await konsoll();
  await side.goto('/admin/delegeringer');
  await side.getByLabel('Kunde (virksomhetsnummer)').fill(KUNDE);
  await side.getByLabel('Leverandør (virksomhetsnummer)').fill(LEVERANDOER);
  await send(side, side.getByRole('button', { name: 'Registrer delegeringen' }), '/admin/delegeringer');
  assert.match(await melding(side), new RegExp(`Leverandør ${LEVERANDOER} kan nå handle for kunde ${KUNDE}`));
  assert.deepEqual(await tekster(side, 'table tbody th'), [KUNDE]);

  // Both are known now and have accepted nothing.
  await side.goto('/admin/vilkaar');
  const mangler = side.locator('#mangler table tbody th');
  assert.ok((await tekster(side, '#mangler table tbody th')).includes(KUNDE), 'the customer misses its acceptance');

  await side.getByLabel('Virksomhetsnummer', { exact: true }).fill(KUNDE);
  await side.getByLabel('Person som godtok').fill('Kari Nordmann, daglig leder');
  await side.getByLabel('Rolle', { exact: true }).selectOption('kunde');
  await send(side, side.getByRole('button', { name: 'Registrer godkjenningen' }), '/admin/vilkaar');
  assert.match(await melding(side), new RegExp(`Registrert at ${KUNDE} har godtatt .*plattform 2`));
  assert.ok(!(await tekster(side, '#mangler table tbody th')).includes(KUNDE), 'nothing missing for the customer');
  assert.ok((await mangler.count()) >= 1, 'the supplier still misses the supplier terms');
  const godkjent = side.locator('section', { hasText: 'Siste godkjenninger' }).locator('tbody tr', { hasText: 'Kari Nordmann' });
  assert.ok(await godkjent.count() >= 2, 'the terms in force and those notified');
});

test('disconnect a producer and see it active; reconnect it with a remedy', async () => {
  const side = await konsoll();
  await side.goto('/admin/frakoblinger');
  await side.getByLabel('Hva skal kobles fra').selectOption('produsent');
  await side.getByLabel('Produsent-id, merkelapp eller virksomhetsnummer').fill('demo');
  await side.getByLabel('Grunn', { exact: true }).fill('Tokenet er kommet på avveier.');
  await send(side, side.getByRole('button', { name: 'Koble fra nå' }), '/admin/frakoblinger');
  assert.equal(await melding(side), 'Produsent demo er frakoblet fra nå til den kobles til igjen.');
  const aktiv = side.locator('#aktive tbody tr', { hasText: 'produsent demo' });
  assert.equal(await aktiv.count(), 1);
  assert.match(await aktiv.textContent(), /Tokenet er kommet på avveier\./);
  await skjermbilde(side, 'admin-frakoblinger-aktiv');
  await sjekkUu(side, 'admin-frakoblinger-aktiv');

  await side.goto('/admin/produsenter');
  assert.match(await side.locator('tbody tr', { hasText: 'demo' }).textContent(), /Frakoblet\s+produsent demo/);

  await side.goto('/admin/frakoblinger');
  await aktiv.getByLabel('Tiltak før produsent demo kobles til igjen').fill('Tokenet er trukket tilbake.');
  await send(side, aktiv.getByRole('button', { name: /Koble til igjen/ }), '/admin/frakoblinger');
  assert.equal(await melding(side), 'Produsent demo er koblet til igjen.');
  assert.equal(await side.locator('#aktive tbody tr').count(), 0);
  const tidligere = side.locator('section', { hasText: 'Tidligere frakoblinger' }).locator('tbody tr', { hasText: 'produsent demo' });
  assert.match(await tidligere.textContent(), /tilkoblet[\s\S]*Tokenet er trukket tilbake\.[\s\S]*kari/);
});

test('add a contact point', async () => {
  const side = await konsoll();
  await side.goto('/admin/kontaktpunkter');
  await side.getByLabel('Virksomhet (virksomhetsnummer)').fill(KUNDE);
  await send(side, side.getByRole('button', { name: 'Vis kontaktpunkter' }), '/admin/kontaktpunkter');
  assert.equal(await side.getByRole('heading', { name: `Kontaktpunkter for ${KUNDE}` }).count(), 1);
  await side.getByLabel('Rolle', { exact: true }).fill('teknisk');
  await side.getByLabel('Navn', { exact: true }).fill('Driftsvakta');
  await side.getByLabel('E-post', { exact: true }).fill('drift@fjordbris.example');
  await send(side, side.getByRole('button', { name: 'Legg til' }), '/admin/kontaktpunkter');
  assert.equal(await melding(side), 'Kontaktpunktet Driftsvakta (teknisk) er lagt til.');
  const rad = side.locator('table tbody tr', { hasText: 'Driftsvakta' });
  assert.match(await rad.textContent(), /teknisk[\s\S]*drift@fjordbris\.example/);
  await skjermbilde(side, 'admin-kontaktpunkter-virksomhet');
  await sjekkUu(side, 'admin-kontaktpunkter-virksomhet');
});

test('announce maintenance on the default night; the contact point is told', async () => {
  const side = await konsoll();
  await side.goto('/admin/vedlikehold');
  const standard = (await side.locator('section', { hasText: 'Kunngjør vedlikehold' }).locator('strong').textContent()).trim();
  await side.getByLabel('Tekst til brukerne').fill('Vi oppgraderer databasen.');
  await send(side, side.getByRole('button', { name: 'Kunngjør' }), '/admin/vedlikehold');
  assert.equal(await melding(side), `Vedlikehold er kunngjort fra ${standard}. Kontaktpunktene får melding.`);
  const rad = side.locator('table tbody tr', { hasText: 'Vi oppgraderer databasen.' });
  assert.equal((await rad.locator('.merke').textContent()).trim(), 'kommende');
  assert.match(standard, /^mandag .* kl\. 23\.00 til tirsdag .* kl\. 05\.00$/);

  await side.goto(`/admin/kontaktpunkter?virksomhetsnummer=${KUNDE}`);
  const meldinger = side.locator('section', { hasText: 'Meldinger til kontaktpunktene' }).locator('tbody tr');
  assert.match(await meldinger.first().textContent(), /Planlagt vedlikehold i Varde/);
});

test('search the audit log and find the actions just done; export one organisation', async () => {
  const side = await konsoll();
  await side.goto('/admin/revisjon');
  await side.getByLabel('Aktør', { exact: true }).fill('operatør:kari');
  await send(side, side.getByRole('button', { name: 'Søk', exact: true }), '/admin/revisjon');
  const hendelser = await tekster(side, 'table tbody tr td:nth-child(4)');
  for (const hendelse of ['VilkaarPublisert', 'DelegeringRegistrert', 'VilkaarGodtatt', 'Frakoblet', 'Tilkoblet',
    'KontaktpunktLagret', 'VedlikeholdKunngjort']) {
    assert.ok(hendelser.includes(hendelse), `${hendelse} among ${hendelser.join(', ')}`);
  }
  await skjermbilde(side, 'admin-revisjon-treff');
  await sjekkUu(side, 'admin-revisjon-treff');

  // The customer's records today, and the export of them.
  const idag = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
  await side.goto('/admin/revisjon');
  await side.getByLabel('Virksomhetsnummer', { exact: true }).fill(KUNDE);
  await side.getByLabel('Fra og med dato').fill(idag);
  await side.getByLabel('Til og med dato').fill(idag);
  await send(side, side.getByRole('button', { name: 'Søk', exact: true }), '/admin/revisjon');
  const lenke = side.getByRole('link', { name: /Last ned postene om/ });
  const href = await lenke.getAttribute('href');
  assert.equal(href, `/admin/revisjon/eksport?virksomhetsnummer=${KUNDE}&fra=${idag}&til=${idag}`);
  const svar = await innlogget.kontekst.request.get(href);
  assert.equal(svar.status(), 200);
  assert.match(svar.headers()['content-type'], /application\/x-ndjson/);
  const linjer = (await svar.text()).trim().split('\n').map((l) => JSON.parse(l));
  for (const hendelse of ['DelegeringRegistrert', 'VilkaarGodtatt', 'KontaktpunktLagret']) {
    assert.ok(linjer.some((l) => l.hendelse === hendelse), `${hendelse} in the export`);
  }
  assert.ok(linjer.every((l) => l.tidspunkt && l.aktoer), 'every line is a whole record');
});

test('logging out ends the session', async () => {
  const side = await konsoll();
  await side.goto('/admin');
  await send(side, side.getByRole('button', { name: 'Logg ut' }), '/admin/logg-inn');
  assert.equal(await melding(side), 'Du er logget ut.');
  assert.equal((await innlogget.kontekst.cookies()).some((c) => c.name === 'varde_operatoer'), false);
  await side.goto('/admin/vilkaar');
  assert.equal(new URL(side.url()).pathname, '/admin/logg-inn');
});
