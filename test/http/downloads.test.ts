import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { contentDisposition, downloadSecret } from '../../src/http/downloads.js';
import { en, sv } from '../../src/texts/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Signed download links on the bot's own HTTP server: a link names what to make (kind and params),
 * an expiry and an HMAC; the file is made when the link is opened.
 */
describe('signed download links', () => {
  let h: Harness;
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  const made: Record<string, string>[] = [];

  before(async () => {
    h = await startHarness({ clock });
    h.bot.downloads.register('test-note', async (p) => {
      made.push({ ...p });
      if (p.id === 'gone') return undefined;
      if (p.id === 'boom') throw new Error('the store is down');
      return {
        fileName: `Uppföljning ${p.id}.txt`,
        contentType: 'text/plain; charset=utf-8',
        body: `anteckning ${p.id}`,
      };
    });
  });
  after(async () => {
    await h.stop();
  });

  const get = (url: string) => fetch(url, { redirect: 'manual' });

  it('serves the file a fresh link names, as an attachment with its Swedish name', async () => {
    const url = h.bot.downloads.link('test-note', { id: 'T2' });
    assert.match(
      url,
      new RegExp(`^http://127\\.0\\.0\\.1:${h.bot.port}/api/downloads/[A-Za-z0-9_-]+/[A-Za-z0-9_-]{43}$`),
    );
    const res = await get(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'anteckning T2');
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), contentDisposition('Uppföljning T2.txt'));
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    assert.deepEqual(made.at(-1), { id: 'T2' });
  });

  it('refuses a link whose params or signature were changed, making nothing', async () => {
    const url = h.bot.downloads.link('test-note', { id: 'T2' });
    const [body, mac] = url.split('/').slice(-2) as [string, string];
    const base = `http://127.0.0.1:${h.bot.port}/api/downloads/`;
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), p: { id: 'T3' } }),
    ).toString('base64url');
    const count = made.length;
    for (const t of [`${forged}/${mac}`, `${body}/${mac.slice(0, -2)}xx`, `${body}/`, `x/y`, `${mac}/${body}`]) {
      const res = await get(base + t);
      assert.ok([403, 404].includes(res.status), `${t}: ${res.status}`);
      if (res.status === 403) assert.equal(await res.text(), sv.downloads.invalid);
    }
    assert.equal(made.length, count);
  });

  it('answers 410 with a Swedish message once the link has expired', async () => {
    const url = h.bot.downloads.link('test-note', { id: 'T1' }, { ttlMinutes: 5 });
    clock.advance(4 * 60_000);
    assert.equal((await get(url)).status, 200);
    clock.advance(60_000);
    const res = await get(url);
    assert.equal(res.status, 410);
    assert.equal(await res.text(), sv.downloads.expired);
  });

  it('answers 404 when what the link names is gone and 500 when making it fails, and keeps serving', async () => {
    const gone = await get(h.bot.downloads.link('test-note', { id: 'gone' }, { locale: 'en' }));
    assert.equal(gone.status, 404);
    assert.equal(await gone.text(), en.downloads.gone);
    const boom = await get(h.bot.downloads.link('test-note', { id: 'boom' }));
    assert.equal(boom.status, 500);
    assert.equal(await boom.text(), sv.downloads.failed);
    assert.equal((await get(h.bot.downloads.link('test-note', { id: 'T3' }))).status, 200);
  });

  it('makes no link for a kind nobody registered', () => {
    assert.throws(() => h.bot.downloads.link('nothing', {}), /no download kind/);
  });

  it('derives the same key on every instance from the bot secret, and a random one without it', () => {
    assert.deepEqual(downloadSecret(undefined, 'pw').secret, downloadSecret(undefined, 'pw').secret);
    assert.notDeepEqual(downloadSecret(undefined, 'pw').secret, downloadSecret(undefined, 'pw2').secret);
    assert.equal(downloadSecret('k'.repeat(32), 'pw').source, 'configured');
    assert.notDeepEqual(downloadSecret(undefined, undefined).secret, downloadSecret(undefined, undefined).secret);
  });
});
