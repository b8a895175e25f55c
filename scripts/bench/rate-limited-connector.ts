// The Bot Connector stub with Teams' rate limits (test/helpers/connector-stub.ts, option
// rateLimit), for the reminder fan-out benchmark, and a check of the stub itself.
// Limits (Microsoft's published per-bot figures): per conversation 7 in 1 s, 8 in 2 s, 60 in 30 s;
// per tenant TENANT_PER_SECOND (default 30) in 1 s. A request over a limit is answered 429 with
// Retry-After: 1 and is not delivered; a small share of requests within the limits is answered 429
// anyway (`random429`; half of those without Retry-After). Every accepted send is recorded, so the
// benchmark can check that nothing was lost and nothing was delivered twice.
import http from 'node:http';
import { ConnectorStub, prng } from '../lib/bot-process.js';

export function startRateLimitedConnector({
  tenantPerSecond = 30,
  random429 = 0.02,
  seed = 7,
}: { tenantPerSecond?: number; random429?: number; seed?: number } = {}): Promise<ConnectorStub> {
  return ConnectorStub.start({ rateLimit: { tenantPerSecond, random429, random: prng(seed) } });
}

/**
 * A check of the stub itself (no bot): a naive sender that fires `n` one-to-one sends at once
 * (concurrency `concurrency`, no retries) gets most of them refused; one that paces itself at the
 * tenant limit and retries each 429 after its Retry-After (or 1 s) gets all through in about
 * n / tenantPerSecond seconds. Returns both outcomes.
 */
export async function selfCheck({
  n = 200,
  concurrency = 20,
  tenantPerSecond = 30,
}: { n?: number; concurrency?: number; tenantPerSecond?: number } = {}) {
  const send = (url: string, i: number) =>
    new Promise<{ status: number; retryAfter?: string | string[] }>((resolveP) => {
      const payload = JSON.stringify({
        type: 'message',
        text: `påminnelse ${i}`,
        conversation: { id: `a:self-${i}`, tenantId: 'T' },
      });
      const req = http.request(
        `${url}v3/conversations/${encodeURIComponent(`a:self-${i}`)}/activities`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 5000 },
        (res) => {
          res.resume();
          res.on('end', () => resolveP({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
        },
      );
      req.on('error', () => resolveP({ status: 0 }));
      req.end(payload);
    });
  const out: { naive?: Record<string, number>; paced?: Record<string, unknown> } = {};
  {
    const stub = await startRateLimitedConnector({ tenantPerSecond, random429: 0 });
    let next = 0;
    let ok = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) if ((await send(stub.url, next++)).status === 200) ok++;
      }),
    );
    out.naive = { sent: n, accepted: ok, refused: n - ok };
    await stub.close();
  }
  {
    const stub = await startRateLimitedConnector({ tenantPerSecond, random429: 0.02 });
    const t0 = Date.now();
    const queue = Array.from({ length: n }, (_, i) => i);
    let attempts = 0;
    const interval = 1000 / tenantPerSecond;
    let slot = Date.now();
    const workers = Array.from({ length: 5 }, async () => {
      while (queue.length > 0) {
        const i = queue.shift()!;
        slot = Math.max(slot + interval, Date.now());
        await new Promise((r) => setTimeout(r, slot - Date.now()));
        attempts++;
        const r = await send(stub.url, i);
        if (r.status !== 200) {
          await new Promise((res) => setTimeout(res, 1000 * Number(r.retryAfter ?? 1)));
          queue.push(i);
        }
      }
    });
    await Promise.all(workers);
    out.paced = {
      sent: n,
      attempts,
      delivered: stub.delivered.length,
      duplicates: stub.duplicates().length,
      seconds: (Date.now() - t0) / 1000,
      minimumSeconds: n / tenantPerSecond,
      peakPerSecond: stub.peakPerSecond(),
      stats: { ...stub.stats },
    };
    await stub.close();
  }
  return out;
}
