// Maintenance: an operator announces a window through the operator API (too
// soon is refused with the earliest start allowed); the recipients' pages show
// an accessible banner with the times in Oslo time, the public feed lists it,
// and calling it off takes the banner away.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oppsett, nySide, loggInn, sjekkUu, skjermbilde } from './helpers.js';

const miljoe = oppsett();

const TIME = 3600 * 1000;
const TEKST = 'Oppgradering av databasen. Varsler kan komme noe forsinket.';

test('an announced maintenance window is a banner on the pages until it is called off', async () => {
  const { kontekst, side } = await nySide(miljoe);
  try {
    const tokensvar = await kontekst.request.get('/dev/token/operatoer/e2e');
    assert.equal(tokensvar.status(), 200);
    const headers = { Authorization: `Bearer ${await tokensvar.text()}` };
    const kunngjoer = (data) => kontekst.request.post('/admin/api/vedlikehold', { headers, data });

    // Tomorrow is too soon: five working days' notice, and the answer says when is allowed.
    const iMorgen = Date.now() + 24 * TIME;
    let svar = await kunngjoer({
      fra: new Date(iMorgen).toISOString(), til: new Date(iMorgen + TIME).toISOString(), tekst: TEKST,
    });
    assert.equal(svar.status(), 400);
    const avvist = await svar.json();
    assert.match(avvist.feilmelding, /minst 5 virkedager/);
    const tidligste = Date.parse(avvist.tidligsteStart);
    assert.ok(tidligste > iMorgen, `earliest start ${avvist.tidligsteStart} is after tomorrow`);

    // From 01:00 to 03:00 Oslo time on the earliest day allowed (which starts at Oslo midnight).
    svar = await kunngjoer({
      fra: new Date(tidligste + TIME).toISOString(), til: new Date(tidligste + 3 * TIME).toISOString(), tekst: TEKST,
    });
    assert.equal(svar.status(), 201, await svar.text());
    const vindu = await svar.json();
    assert.equal(vindu.status, 'kommende');

    // The banner on the notification page: a status region with a heading, times in Oslo time.
    await loggInn(side, 'Havblikk Sykehjem');
    await side.goto('/varsler');
    const banner = side.getByRole('status').filter({ hasText: 'Planlagt vedlikehold' });
    assert.equal(await banner.count(), 1);
    assert.equal(await banner.getByRole('heading', { name: 'Planlagt vedlikehold' }).count(), 1);
    const tekst = (await banner.textContent()).replace(/\s+/g, ' ');
    assert.match(tekst, /Varde kan være utilgjengelig fra (mandag|tirsdag|onsdag|torsdag|fredag) \d{1,2}\. \S+ \d{4} kl\. 01\.00 til 03\.00\./);
    assert.ok(tekst.includes(TEKST), tekst);
    await sjekkUu(side, 'the notification list with a maintenance banner');
    await skjermbilde(side, 'vedlikehold-banner');
    // Every page has it, the case overview too.
    await side.goto('/saker');
    assert.equal(await side.getByRole('status').filter({ hasText: 'Planlagt vedlikehold' }).count(), 1);

    // The public feed, without a token.
    const feed = await kontekst.request.get('/status/vedlikehold');
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()['cache-control'] ?? '', /max-age=/);
    const { vedlikehold } = await feed.json();
    assert.deepEqual(vedlikehold.map((v) => [v.id, v.status]), [[vindu.id, 'kommende']]);

    // Called off: gone from the pages and the feed.
    svar = await kontekst.request.post(`/admin/api/vedlikehold/${vindu.id}/avlys`, { headers });
    assert.equal(svar.status(), 200);
    assert.equal((await svar.json()).status, 'avlyst');
    await side.goto('/varsler');
    assert.equal(await side.getByRole('status').filter({ hasText: 'Planlagt vedlikehold' }).count(), 0);
    assert.deepEqual((await (await kontekst.request.get('/status/vedlikehold')).json()).vedlikehold, []);
  } finally {
    await kontekst.close();
  }
});
