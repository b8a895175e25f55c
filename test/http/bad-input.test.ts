import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'mocha';
import { message } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/harness.js';

interface Answer {
  status: number;
  body: unknown;
}

/** A raw POST (node:http, so the body, its framing and headers are exactly what the test says). */
function rawPost(
  port: number,
  body: Buffer | string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  chunked = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/messages',
        headers: chunked ? headers : { ...headers, 'content-length': String(data.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
    );
    if (chunked) {
      for (let i = 0; i < data.length; i += 16 * 1024) req.write(data.subarray(i, i + 16 * 1024));
      req.end();
    } else {
      req.end(data);
    }
  });
}

describe('bad input at /api/messages', () => {
  let h: Harness;
  const where = () => ({ serviceUrl: h.connector.url });
  const post = (body: Buffer | string, headers?: Record<string, string>, chunked?: boolean) =>
    rawPost(h.bot.port, body, headers, chunked);
  const postJson = (value: unknown) => post(JSON.stringify(value));

  async function assertStillHealthy(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Record<string, unknown>).status, 'ok');
  }

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('uses a 256 KB body limit by default', () => {
    assert.equal(h.config.maxBodyBytes, 256 * 1024);
  });

  it('answers 413 to a body over the limit (declared length), and writes nothing', async () => {
    const dbBefore = readFileSync(h.dbPath, 'utf8');
    const big = JSON.stringify(message('x'.repeat(300 * 1024), where()));
    const res = await post(big);
    assert.equal(res.status, 413);
    assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore);
    assert.equal(h.connector.received.length, 0);
    await assertStillHealthy();
  });

  it('answers 413 to a chunked body over the limit (no declared length)', async () => {
    const big = JSON.stringify(message('y'.repeat(300 * 1024), where()));
    const res = await post(big, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, true);
    assert.equal(res.status, 413);
    assert.equal(h.connector.received.length, 0);
    await assertStillHealthy();
  });

  it('accepts a body just under the limit', async () => {
    const activity = message(`hjälp ${'z'.repeat(200 * 1024)}`, where());
    const before = h.connector.posted.length;
    const res = await post(JSON.stringify(activity));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await h.connector.waitFor(before + 1);
  });

  it('answers 415 to a gzip body (inflation would bypass the limit)', async () => {
    const res = await post(gzipSync(JSON.stringify(message('hjälp', where()))), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    assert.equal(res.status, 415);
  });

  it('answers 415 to bodies that are not JSON (form, multipart, text, none)', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const res = await post('type=message', { 'content-type': type });
      assert.equal(res.status, 415, type);
    }
    const res = await post(JSON.stringify(message('hjälp', where())), {});
    assert.equal(res.status, 415, 'no content-type');
    await assertStillHealthy();
  });

  it('accepts application/json with a charset', async () => {
    const before = h.connector.posted.length;
    const res = await post(JSON.stringify(message('hjälp', where())), {
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(res.status, 200);
    await h.connector.waitFor(before + 1);
  });

  it('answers 400 to malformed JSON', async () => {
    for (const body of ['{', '{"type": "message",}', 'not json', '{"type": "message"}}', '\u0000']) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    await assertStillHealthy();
  });

  it('answers 400 to a body that is not valid UTF-8, and stores nothing', async () => {
    const before = h.connector.received.length;
    const json = Buffer.from(
      JSON.stringify(message('rapportera XX', { ...where(), conversationId: 'a:bad-utf8' })),
      'utf8',
    );
    const at = json.indexOf('XX');
    for (const bad of [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80])]) {
      const body = Buffer.concat([json.subarray(0, at), bad, json.subarray(at + 2)]);
      for (const type of ['application/json', 'application/vnd.api+json']) {
        const res = await post(body, { 'content-type': type });
        assert.equal(res.status, 400, `${bad.toString('hex')} as ${type}`);
        assert.match(JSON.stringify(res.body), /UTF-8/);
      }
    }
    assert.equal(h.connector.received.length, before);
    // Well-formed UTF-8 (å, ä, ö, an emoji, a real U+FFFD) is accepted as before.
    const ok = await post(
      JSON.stringify(message('hjälp åäö 🚓 \uFFFD', { ...where(), conversationId: 'a:good-utf8' })),
    );
    assert.equal(ok.status, 200);
    await assertStillHealthy();
  });

  it('answers 400 to JSON that is not an object (array, string, number, null, true) and to an empty body', async () => {
    for (const value of [[], [message('hjälp', { serviceUrl: 'http://127.0.0.1:1/' })], 'hjälp', 42, null, true]) {
      const res = await postJson(value);
      assert.equal(res.status, 400, JSON.stringify(value));
      assert.ok(res.body && typeof res.body === 'object', 'a JSON error body');
    }
    const empty = await post('');
    assert.equal(empty.status, 400);
    await assertStillHealthy();
  });

  it('answers 400 to activities missing what every channel activity has, and writes nothing', async () => {
    const dbBefore = readFileSync(h.dbPath, 'utf8');
    const receivedBefore = h.connector.received.length;
    const full = () => message('hjälp', { ...where(), conversationId: 'a:missing-fields' }) as Record<string, unknown>;
    const without = (key: string) => {
      const a = full();
      delete a[key];
      return a;
    };
    const cases: [string, unknown][] = [
      ['no type', without('type')],
      ['empty type', { ...full(), type: '' }],
      ['numeric type', { ...full(), type: 7 }],
      ['no conversation', without('conversation')],
      ['conversation without id', { ...full(), conversation: { conversationType: 'personal' } }],
      ['conversation as a string', { ...full(), conversation: 'a:personal-1' }],
      ['no serviceUrl', without('serviceUrl')],
      ['serviceUrl not a string', { ...full(), serviceUrl: { href: h.connector.url } }],
      ['an empty object', {}],
    ];
    for (const [name, activity] of cases) {
      const res = await postJson(activity);
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(readFileSync(h.dbPath, 'utf8'), dbBefore);
    assert.equal(h.connector.received.length, receivedBefore);
    await assertStillHealthy();
  });

  it('answers odd but well-framed activities with a 2xx or 4xx, never a crash', async () => {
    const base = () => message('hjälp', { ...where(), conversationId: 'a:odd' }) as Record<string, unknown>;
    const cases: [string, unknown][] = [
      ['unknown type "foo"', { ...base(), type: 'foo' }],
      ['no from', { ...base(), from: undefined }],
      ['no recipient', { ...base(), recipient: undefined }],
      ['no channelId', { ...base(), channelId: undefined }],
      ['text as an object', { ...base(), text: { evil: true } }],
      ['text as a number', { ...base(), text: 12 }],
      ['garbage timestamp', { ...base(), timestamp: 'not a date' }],
      ['channelData as a string', { ...base(), channelData: 'x' }],
      ['membersAdded not an array', { ...base(), type: 'conversationUpdate', membersAdded: 'bot' }],
      ['invoke without name or value', { ...base(), type: 'invoke' }],
      ['card action with no data', { ...base(), type: 'invoke', name: 'adaptiveCard/action', value: null }],
      ['__proto__ keys', JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(base()).slice(1)}`)],
    ];
    for (const [name, activity] of cases) {
      const res = await postJson(activity);
      // Never 501: an invoke no route matches gets an error card from the catch-all route.
      assert.ok(res.status >= 200 && res.status < 500, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'prototype pollution');
    await assertStillHealthy();
    // And it still does its job.
    const before = h.connector.posted.length;
    const res = await postJson(message('status', where()));
    assert.equal(res.status, 200);
    await h.connector.waitFor(before + 1);
  });

  it('answers 404/405 to other methods and paths, and keeps serving /healthz', async () => {
    const get = await fetch(`http://127.0.0.1:${h.bot.port}/api/messages`);
    assert.ok([404, 405].includes(get.status), String(get.status));
    const other = await fetch(`http://127.0.0.1:${h.bot.port}/api/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(other.status, 404);
    await assertStillHealthy();
  });
});
