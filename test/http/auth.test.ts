import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'mocha';
import { ConfigError, loadConfig } from '../../src/config.js';
import { message } from '../helpers/activities.js';
import { sv } from '../../src/texts/index.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { assertDoesNotShow, assertShows } from '../helpers/texts.js';
import { JwtIssuer, newSigningKey, type MintOptions } from '../helpers/jwt-issuer.js';

const BOT_ID = '0b0b0b0b-1111-4222-8333-444444444444';
const BOT_PASSWORD = 'test-client-secret';
const BOT_TENANT_ID = '7e7e7e7e-5555-4666-8777-888888888888';
const OTHER_APP_ID = 'dddddddd-9999-4aaa-8bbb-cccccccccccc';
const credentials = { BOT_ID, BOT_PASSWORD, BOT_TENANT_ID, HOST: '127.0.0.1' };

interface Answer {
  status: number;
  body: unknown;
}

async function postTo(port: number, activity: unknown, authorization?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

/** Runs `fn` with console.error captured: botbuilder prints rejected tokens (and the public key) there. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const original = console.error;
  console.error = () => undefined;
  try {
    return await fn();
  } finally {
    console.error = original;
  }
}

describe('Bot Framework authentication with credentials configured', () => {
  let issuer: JwtIssuer;
  let h: Harness;
  let removeOutgoingToken: () => void;
  const where = () => ({ serviceUrl: h.connector.url });
  const token = (opts: MintOptions = {}, audience = BOT_ID, serviceUrl = h.connector.url) =>
    issuer.mint(audience, serviceUrl, opts);
  const post = (activity: unknown, authorization?: string) => postTo(h.bot.port, activity, authorization);
  const reachedConnector = (conversationId: string) =>
    h.connector.received.filter((r) => r.conversationId === conversationId).length;
  /**
   * Instead of waiting a while to see that a refused request sent nothing: a valid turn in another
   * conversation, answered at the connector. Anything the refused request had set going (the adapter
   * answers only after its turn) would have reached the connector before this answer.
   */
  const barrier = async () => {
    const before = h.connector.posted.length;
    const res = await post(message('hjälp', { ...where(), conversationId: 'a:barrier' }), `Bearer ${token()}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await h.connector.waitFor(before + 1);
  };

  before(async () => {
    issuer = await new JwtIssuer().start();
    // A second published key that endorses another channel only: a token it signs is not valid for msteams.
    issuer.publish(newSigningKey('skype-only-key'), ['skype']);
    // A key that endorses Direct Line: its tokens are valid, for a channel the bot does not serve.
    issuer.publish(newSigningKey('directline-key'), ['directline']);
    h = await startHarness({ env: credentials, authOverrides: issuer.authOverrides(BOT_TENANT_ID) });
    ({ remove: removeOutgoingToken } = await issuer.seedOutgoingToken(BOT_ID, BOT_PASSWORD, BOT_TENANT_ID));
  });
  after(async () => {
    removeOutgoingToken?.();
    await h?.stop();
    await issuer?.stop();
  });

  it('runs in authenticated mode, bound to the HOST given', async () => {
    assert.equal(h.config.devMode, false);
    assert.equal(h.config.host, '127.0.0.1');
    // /healthz is not authenticated: with authentication on it shows status and version only.
    const health = (await (await fetch(`http://127.0.0.1:${h.bot.port}/healthz`)).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(health).sort(), ['status', 'version']);
    assert.equal(health.status, 'ok');
  });

  it('accepts a valid channel token: 200, the reply reaches the connector, the conversation is stored', async () => {
    const before = h.connector.posted.length;
    const res = await post(message('hjälp', { ...where(), conversationId: 'a:valid-token' }), `Bearer ${token()}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await h.connector.waitFor(before + 1);
    const [reply] = h.connector.posted.slice(before);
    assert.equal(reply!.conversationId, 'a:valid-token');
    const db = JSON.parse(readFileSync(h.dbPath, 'utf8')) as { conversations: { id: string }[] };
    assert.ok(db.conversations.some((c) => c.id === 'a:valid-token'));
    // The issuer was asked for its metadata and keys, so the token was really checked against it.
    assert.ok(issuer.requests.includes('GET /keys'), issuer.requests.join(', '));
  });

  it('accepts RS512 as well as RS256', async () => {
    const before = h.connector.posted.length;
    const res = await post(
      message('hjälp', { ...where(), conversationId: 'a:rs512' }),
      `Bearer ${token({ alg: 'RS512' })}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await h.connector.waitFor(before + 1);
  });

  const refused: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty Authorization header', () => ''],
    ['a Basic scheme', () => `Basic ${Buffer.from(`${BOT_ID}:${BOT_PASSWORD}`).toString('base64')}`],
    ['a token that is not a JWT', () => 'Bearer not.a.jwt'],
    [
      'a forged signature (another key, the published kid)',
      () => `Bearer ${token({ key: newSigningKey(), kid: issuer.key.kid })}`,
    ],
    ['a key the issuer does not publish', () => `Bearer ${token({ key: newSigningKey('unknown-kid') })}`],
    ['a key that does not endorse msteams', () => `Bearer ${token({ key: issuer.published[1]!.key })}`],
    ['an expired token (beyond the 5 minute tolerance)', () => `Bearer ${token({ expiresIn: -600 })}`],
    ['a token for another bot (wrong audience)', () => `Bearer ${token({}, OTHER_APP_ID)}`],
    ['a token without audience', () => `Bearer ${token({ claims: { aud: undefined } })}`],
    ['a wrong issuer', () => `Bearer ${token({ claims: { iss: 'https://evil.example.com' } })}`],
    ['an HS256 token (answered 401, not 500)', () => `Bearer ${token({ alg: 'HS256' })}`],
    ['an unsigned token (alg none)', () => `Bearer ${token({ alg: 'none' })}`],
    [
      'a serviceurl claim for another service URL',
      () => `Bearer ${token({}, BOT_ID, 'https://smba.trafficmanager.net/emea/')}`,
    ],
    ['a token without serviceurl claim', () => `Bearer ${token({ claims: { serviceurl: undefined } })}`],
  ];

  for (const [name, authorization] of refused) {
    it(`refuses ${name} with 401 and writes nothing`, async () => {
      const dbBefore = readFileSync(h.dbPath, 'utf8');
      const conversationId = `a:refused-${name.replace(/\W+/g, '-')}`;
      const res = await quietly(() => post(message('hjälp', { ...where(), conversationId }), authorization()));
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.deepEqual(res.body, { error: 'unauthorized' });
      assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore, 'the data file changed');
      await barrier();
      assert.equal(reachedConnector(conversationId), 0, 'something reached the connector');
    });
  }

  it('refuses an activity whose serviceUrl points elsewhere than the token says (reply redirection)', async () => {
    const dbBefore = readFileSync(h.dbPath, 'utf8');
    // Token issued for the real connector, activity asking the bot to reply to another host.
    const res = await quietly(() =>
      post(message('hjälp', { serviceUrl: 'http://127.0.0.1:9/', conversationId: 'a:redirect' }), `Bearer ${token()}`),
    );
    assert.equal(res.status, 401);
    assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore);
    await barrier();
    assert.equal(reachedConnector('a:redirect'), 0);
  });

  const auditText = () => readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8');

  it('refuses a valid token from another channel (Direct Line) with 403 and an audit line, and stores nothing else', async () => {
    const dbBefore = readFileSync(h.dbPath, 'utf8');
    const activity = { ...message('status', { ...where(), conversationId: 'a:directline' }), channelId: 'directline' };
    const res = await quietly(() => post(activity, `Bearer ${token({ key: issuer.published[2]!.key })}`));
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore, 'the data file changed');
    await barrier();
    assert.equal(reachedConnector('a:directline'), 0, 'something reached the connector');
    const line = auditText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.detail === 'channel:directline');
    assert.equal(line.length, 1);
    assert.equal(line[0].action, 'access.refused');
  });

  it('a Teams turn without aadObjectId gets the help and nothing else; from.id is never a person', async () => {
    const noAad = { id: '29:no-aad', name: 'Okänd' };
    // from.id set to a would-be person id: it must not act as that person.
    const forged = { id: 'cccccccc-0000-4000-8000-000000000003', name: 'Förfalskad' };
    for (const [text, from] of [
      ['rapportera', noAad],
      ['status', forged],
      ['anmäl mig', noAad],
    ] as const) {
      const dbBefore = readFileSync(h.dbPath, 'utf8');
      const before = h.connector.posted.length;
      const res = await post(message(text, { ...where(), conversationId: 'a:no-aad', from }), `Bearer ${token()}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await h.connector.waitFor(before + 1);
      const [reply] = h.connector.posted.slice(before);
      assertShows(cardText(reply!.body), sv.errors.noIdentity, text);
      assertDoesNotShow(cardText(reply!.body), sv.report.title, text);
      assertDoesNotShow(cardText(reply!.body), sv.status.title, text);
      assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore, `${text}: the data file changed`);
    }
    assert.ok(auditText().includes('"detail":"identity:message"'));
    const before = h.connector.posted.length;
    await post(message('hjälp', { ...where(), conversationId: 'a:no-aad', from: noAad }), `Bearer ${token()}`);
    await h.connector.waitFor(before + 1);
    assertDoesNotShow(cardText(h.connector.posted[before]!.body), sv.errors.noIdentity);
    const invoke = await post(
      {
        ...message('', { ...where(), conversationId: 'a:no-aad', from: noAad }),
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'report.open', data: {} } },
      },
      `Bearer ${token()}`,
    );
    assert.equal(invoke.status, 200);
    assertShows(cardText((invoke.body as { value: Record<string, unknown> }).value), sv.errors.noIdentity);
  });

  it('still answers valid requests after the refusals', async () => {
    const before = h.connector.posted.length;
    const res = await post(message('status', { ...where(), conversationId: 'a:valid-after' }), `Bearer ${token()}`);
    assert.equal(res.status, 200);
    await h.connector.waitFor(before + 1);
  });
});

describe('Bot Framework authentication when the signing keys cannot be fetched', () => {
  let issuer: JwtIssuer;
  let h: Harness;

  before(async () => {
    issuer = await new JwtIssuer().start();
    issuer.failMetadataWith = 500;
    h = await startHarness({ env: credentials, authOverrides: issuer.authOverrides(BOT_TENANT_ID) });
  });
  after(async () => {
    await h?.stop();
    await issuer?.stop();
  });

  it('answers 503 (the channel retries), not 401 or 500, and writes nothing', async () => {
    const dbBefore = readFileSync(h.dbPath, 'utf8');
    // The adapter answers only after the turn (if any) has run: the answer is the event to await.
    const res = await quietly(() =>
      postTo(
        h.bot.port,
        message('hjälp', { serviceUrl: h.connector.url }),
        `Bearer ${issuer.mint(BOT_ID, h.connector.url)}`,
      ),
    );
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore);
    assert.equal(h.connector.received.length, 0);
  });
});

describe('start-up modes', () => {
  it('refuses to start with NODE_ENV=production and no BOT_ID, naming BOT_ID', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', PORT: '0' }, '/nonexistent-env-dir'),
      (err: unknown) =>
        err instanceof ConfigError && /BOT_ID/.test(err.message) && err.problems.some((p) => p.startsWith('BOT_ID')),
    );
  });

  it('refuses a non-loopback HOST in development mode', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' }, '/nonexistent-env-dir'),
      (err: unknown) => err instanceof ConfigError && /HOST/.test(err.message),
    );
  });

  it('binds 127.0.0.1 only in development mode (no BOT_ID)', async function () {
    const h = await startHarness();
    try {
      assert.equal(h.config.devMode, true);
      assert.equal(h.config.host, '127.0.0.1');
      const ok = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as Record<string, unknown>).mode, 'local-development');
      const external = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal);
      if (!external) return; // no non-loopback interface to try on this machine
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: external.address, port: h.bot.port, timeout: 2000 });
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
        socket.once('timeout', () => (socket.destroy(), resolve(false)));
      });
      assert.equal(reached, false, `the dev-mode bot answered on ${external.address}`);
    } finally {
      await h.stop();
    }
  });
});
