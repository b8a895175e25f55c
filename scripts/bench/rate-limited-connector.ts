// A stub Bot Connector (127.0.0.1) that enforces Teams' rate limits, for the reminder fan-out
// benchmark. Limits (Microsoft's published per-bot figures):
//   per conversation: 7 in 1 s, 8 in 2 s, 60 in 30 s
//   per tenant:       TENANT_PER_SECOND (default 30) in 1 s
// A request over a limit is answered 429 with Retry-After: 1 and is not delivered. On top of that a
// small share of requests within the limits is answered 429 anyway (`random429`; half of those
// without Retry-After, which botbuilder does not retry by itself), as Teams does under load.
// Only accepted requests count against the windows. Every accepted send is recorded, so the
// benchmark can check that nothing was lost and nothing was delivered twice.
//
// The tenant of a request: the tenantId of a conversation created with POST /v3/conversations,
// else the activity's conversation.tenantId or channelData.tenant.id, else 'unknown'.
import http from 'node:http';
import { prng } from '../lib/bot-process.mjs';

const CONVERSATION_WINDOWS = [
  { ms: 1000, max: 7 },
  { ms: 2000, max: 8 },
  { ms: 30000, max: 60 },
];

/** Timestamps in a sliding window; `fits(now)` drops the old ones and says whether one more fits. */
class SlidingWindows {
  constructor(windows) {
    this.windows = windows;
    this.times = [];
  }
  fits(now) {
    const longest = this.windows[this.windows.length - 1].ms;
    while (this.times.length > 0 && this.times[0] <= now - longest) this.times.shift();
    return this.windows.every(({ ms, max }) => {
      let n = 0;
      for (let i = this.times.length - 1; i >= 0 && this.times[i] > now - ms; i--) n++;
      return n < max;
    });
  }
  add(now) {
    this.times.push(now);
  }
}

export async function startRateLimitedConnector({ tenantPerSecond = 30, random429 = 0.02, seed = 7 } = {}) {
  const rand = prng(seed);
  const perConversation = new Map();
  const perTenant = new Map();
  const tenantOfConversation = new Map();
  const delivered = []; // { at, conversationId, tenant, key }
  const deliveredKeys = new Map(); // key → times delivered
  const stats = { requests: 0, accepted: 0, rejectedConversation: 0, rejectedTenant: 0, random429WithRetryAfter: 0, random429WithoutRetryAfter: 0, conversationsCreated: 0 };
  let nextId = 1;
  const window = (map, key, windows) => {
    let w = map.get(key);
    if (!w) map.set(key, (w = new SlidingWindows(windows)));
    return w;
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const path = req.url ?? '';
      let body = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text ? JSON.parse(text) : {};
      } catch {
        body = {};
      }
      const now = Date.now();
      const reply = (status, payload, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const throttled = (reason) => reply(429, { error: { code: 'TooManyRequests', message: reason } }, { 'retry-after': '1' });

      if (req.method === 'POST' && /^\/v3\/conversations\/?(\?.*)?$/.test(path)) {
        // Create (or get) a 1:1 conversation: counts against the tenant only.
        const tenant = body.tenantId ?? body.channelData?.tenant?.id ?? 'unknown';
        const t = window(perTenant, tenant, [{ ms: 1000, max: tenantPerSecond }]);
        if (!t.fits(now)) return stats.rejectedTenant++, throttled('tenant rate limit');
        t.add(now);
        stats.conversationsCreated++;
        const member = body.members?.[0]?.id ?? `m${nextId}`;
        const id = `a:conv-${member}`;
        tenantOfConversation.set(id, tenant);
        return reply(200, { id });
      }

      const m = /^\/v3\/conversations\/([^/?]+)\/activities/.exec(path);
      if (req.method === 'POST' && m) {
        const conversationId = decodeURIComponent(m[1]);
        const tenant = tenantOfConversation.get(conversationId) ?? body.conversation?.tenantId ?? body.channelData?.tenant?.id ?? 'unknown';
        const c = window(perConversation, conversationId, CONVERSATION_WINDOWS);
        const t = window(perTenant, tenant, [{ ms: 1000, max: tenantPerSecond }]);
        if (!c.fits(now)) return stats.rejectedConversation++, throttled('conversation rate limit');
        if (!t.fits(now)) return stats.rejectedTenant++, throttled('tenant rate limit');
        const roll = rand();
        if (roll < random429 / 2) return stats.random429WithRetryAfter++, throttled('throttled');
        if (roll < random429) {
          stats.random429WithoutRetryAfter++;
          return reply(429, { error: { code: 'TooManyRequests', message: 'throttled' } });
        }
        c.add(now);
        t.add(now);
        stats.accepted++;
        const key = `${conversationId}\u0000${JSON.stringify(body.text ?? '')}\u0000${JSON.stringify(body.attachments ?? [])}`;
        deliveredKeys.set(key, (deliveredKeys.get(key) ?? 0) + 1);
        delivered.push({ at: now, conversationId, tenant, key });
        return reply(200, { id: `act-${nextId++}` });
      }
      reply(200, {});
    });
  });
  await new Promise((resolveP, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolveP);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    stats,
    delivered,
    /** Conversations that received the same activity (text and attachments) more than once. */
    duplicates: () => [...deliveredKeys].filter(([, n]) => n > 1).map(([key, n]) => ({ conversationId: key.split('\u0000')[0], times: n })),
    /** The most accepted sends in any 1 s window, overall (a check of the stub itself). */
    peakPerSecond() {
      let peak = 0;
      let lo = 0;
      for (let hi = 0; hi < delivered.length; hi++) {
        while (delivered[hi].at - delivered[lo].at >= 1000) lo++;
        peak = Math.max(peak, hi - lo + 1);
      }
      return peak;
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * A check of the stub itself (no bot): a naive sender that fires `n` one-to-one sends at once
 * (concurrency `concurrency`, no retries) gets most of them refused; one that paces itself at the
 * tenant limit and retries each 429 after its Retry-After (or 1 s) gets all through in about
 * n / tenantPerSecond seconds. Returns both outcomes.
 */
export async function selfCheck({ n = 200, concurrency = 20, tenantPerSecond = 30 } = {}) {
  const send = (url, i) =>
    new Promise((resolveP) => {
      const payload = JSON.stringify({ type: 'message', text: `påminnelse ${i}`, conversation: { id: `a:self-${i}`, tenantId: 'T' } });
      const req = http.request(`${url}v3/conversations/${encodeURIComponent(`a:self-${i}`)}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolveP({ status: res.statusCode, retryAfter: res.headers['retry-after'] }));
      });
      req.on('error', () => resolveP({ status: 0 }));
      req.end(payload);
    });
  const out = {};
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
        const i = queue.shift();
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
    out.paced = { sent: n, attempts, delivered: stub.delivered.length, duplicates: stub.duplicates().length, seconds: (Date.now() - t0) / 1000, minimumSeconds: n / tenantPerSecond, peakPerSecond: stub.peakPerSecond(), stats: { ...stub.stats } };
    await stub.close();
  }
  return out;
}
