// Shared machinery for the browser tests: one Varde (with the demo sample on a
// fresh SQLite database) and one headless chromium per test file, plus helpers
// for logging in, running axe and taking screenshots.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const E2E = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.join(E2E, 'screenshots');

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The demo's test persons. */
export const ALLE_TRE = '31129956715';
export const BARE_FJORDBRIS = '16120101181';
export const ORGANISASJONER = ['Fjordbris Barnehage AS', 'Nordlys Bygg og Anlegg AS', 'Havblikk Sykehjem'];

/** What an external link (https://example.org/...) shows: we fulfil it ourselves. */
export const EKSTERN_SIDE = '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Ekstern side</title></head><body><h1>Ekstern side</h1></body></html>';

const OPPSTART_MS = 30_000;

/** A free TCP port on 127.0.0.1. */
async function ledigPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const vent = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `$VARDE_BIN serve --demo` on a fresh database and a free port, and
 * waits until /internal/ready answers 200. Returns { url, stopp, logg }.
 */
export async function startVarde() {
  const bin = process.env.VARDE_BIN;
  assert.ok(bin, 'VARDE_BIN is not set: run the tests with e2e/run');
  const mappe = await mkdtemp(path.join(os.tmpdir(), 'varde-e2e-'));
  const port = await ledigPort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    'serve', '--demo', '--env', 'dev',
    '--database', `sqlite://${mappe}/e2e.db`,
    '--listen', `127.0.0.1:${port}`,
  ];
  // No inherited VARDE_* settings: the flags above are the whole configuration.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VARDE_')));
  const prosess = spawn(bin, args, { cwd: mappe, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let logg = '';
  prosess.stdout.on('data', (d) => { logg += d; });
  prosess.stderr.on('data', (d) => { logg += d; });
  let avsluttet = null;
  const ferdig = new Promise((resolve) => {
    prosess.on('exit', (code, signal) => { avsluttet = { code, signal }; resolve(avsluttet); });
    prosess.on('error', (feil) => { avsluttet = { feil }; resolve(avsluttet); });
  });

  const stopp = async () => {
    if (!avsluttet) {
      prosess.kill('SIGTERM');
      let tidtaker;
      const tidsfrist = new Promise((resolve) => { tidtaker = setTimeout(() => resolve('tidsfrist'), 10_000); });
      const utfall = await Promise.race([ferdig, tidsfrist]);
      clearTimeout(tidtaker);
      if (utfall === 'tidsfrist') {
        process.stderr.write('varde did not stop within 10 s of SIGTERM; killing it\n');
        prosess.kill('SIGKILL');
        await ferdig;
      }
    }
    await rm(mappe, { recursive: true, force: true });
    return avsluttet;
  };

  const frist = Date.now() + OPPSTART_MS;
  for (;;) {
    if (avsluttet) {
      await rm(mappe, { recursive: true, force: true });
      throw new Error(`varde stopped before it was ready (${JSON.stringify(avsluttet)}):\n${logg}`);
    }
    try {
      const svar = await fetch(`${url}/internal/ready`, { signal: AbortSignal.timeout(2_000) });
      if (svar.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > frist) {
      await stopp();
      throw new Error(`varde was not ready on ${url}/internal/ready within ${OPPSTART_MS / 1000} s:\n${logg}`);
    }
    await vent(100);
  }
  return { url, stopp, logg: () => logg };
}

/** Headless Debian chromium, driven by playwright-core. */
export async function startChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * For a test file: a Varde and a chromium, started before its tests and
 * stopped after them. The returned object is filled in by `before`.
 */
export function oppsett() {
  const miljoe = { url: '', varde: null, nettleser: null };
  before(async () => {
    miljoe.varde = await startVarde();
    miljoe.url = miljoe.varde.url;
    miljoe.nettleser = await startChromium();
  });
  after(async () => {
    await miljoe.nettleser?.close();
    if (!miljoe.varde) return;
    const slutt = await miljoe.varde.stopp();
    assert.deepEqual(slutt, { code: 0, signal: null },
      `varde should stop cleanly on SIGTERM; its output:\n${miljoe.varde.logg().slice(-4000)}`);
  });
  return miljoe;
}

/**
 * A fresh browser context (no cookies) and page on Varde. Only requests to
 * 127.0.0.1 go out; example.org is answered with EKSTERN_SIDE; everything
 * else is aborted and listed in `blokkert`.
 */
export async function nySide(miljoe) {
  const kontekst = await miljoe.nettleser.newContext({ baseURL: miljoe.url, locale: 'nb-NO' });
  kontekst.setDefaultTimeout(10_000);
  const blokkert = [];
  await kontekst.route('**/*', async (route) => {
    const adresse = new URL(route.request().url());
    if (adresse.hostname === '127.0.0.1') return route.continue();
    if (adresse.hostname === 'example.org') {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: EKSTERN_SIDE });
    }
    blokkert.push(adresse.href);
    return route.abort('blockedbyclient');
  });
  const side = await kontekst.newPage();
  return { kontekst, side, blokkert };
}

/** Logs in from the login page with the button in the row that mentions `tekst`. */
export async function loggInn(side, tekst) {
  await side.goto('/logg-inn');
  const rad = side.locator('.personer li', { hasText: tekst });
  assert.equal(await rad.count(), 1, `exactly one test person's row should mention ${tekst}`);
  await Promise.all([side.waitForURL('**/saker'), rad.getByRole('button').click()]);
}

/** Logs in without opening any page: the bell has not been seen. */
export async function loggInnUtenSide(kontekst, fnr) {
  const svar = await kontekst.request.post('/logg-inn', { form: { fnr }, maxRedirects: 0 });
  assert.equal(svar.status(), 303, `login as ${fnr} should redirect`);
  assert.ok((await kontekst.cookies()).some((c) => c.name === 'varde_bruker'), 'login sets the cookie');
}

/** The bearer token of the logged-in person (the login cookie). */
export async function token(kontekst) {
  const kapsel = (await kontekst.cookies()).find((c) => c.name === 'varde_bruker');
  assert.ok(kapsel, 'not logged in');
  return kapsel.value;
}

/** A query to the recipient GraphQL API as the logged-in person. */
export async function brukerApi(kontekst, query, variables = {}) {
  const svar = await kontekst.request.post('/bruker/api/graphql', {
    headers: { Authorization: `Bearer ${await token(kontekst)}` },
    data: { query, variables },
  });
  assert.equal(svar.status(), 200, `recipient API: ${await svar.text()}`);
  const json = await svar.json();
  assert.equal(json.errors, undefined, `recipient API errors: ${JSON.stringify(json.errors)}`);
  return json.data;
}

/** The unread count of the bell without the hidden " uleste", or null without a badge. */
export async function bjelle(side) {
  const teller = side.locator('header a.bjelle .teller');
  if ((await teller.count()) === 0) return null;
  return teller.evaluate((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim());
}

let axeKilde;

/** Runs axe-core (WCAG 2.0/2.1 A and AA) in the page and asserts zero violations. */
export async function sjekkUu(side, navn) {
  axeKilde ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await side.addScriptTag({ content: axeKilde });
  const brudd = await side.evaluate(async () => {
    const resultat = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return resultat.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  });
  const tekst = brudd
    .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${v.nodes
      .map((n) => `    at ${n.target}\n      ${n.html}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`)
      .join('\n')}`)
    .join('\n');
  assert.equal(brudd.length, 0, `axe found ${brudd.length} WCAG 2.1 A/AA violation(s) on ${navn} (${side.url()}):\n${tekst}`);
}

/** A full-page screenshot in e2e/screenshots/<navn>.png. */
export async function skjermbilde(side, navn) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const fil = path.join(SCREENSHOTS, `${navn}.png`);
  await side.screenshot({ path: fil, fullPage: true });
  return fil;
}

/** The text of every element matching `selektor`, trimmed. */
export async function tekster(side, selektor) {
  return (await side.locator(selektor).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}
