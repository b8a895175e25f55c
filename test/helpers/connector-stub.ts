import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  method: string;
  path: string;
  conversationId: string;
  /** The activity id in a reply path (/v3/conversations/{id}/activities/{replyToId}). */
  replyToId?: string;
  body: Record<string, any>;
  /** Date.now() when the request body had fully arrived. */
  at: number;
}

type Responder = (
  req: ReceivedActivity,
) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/** Answers after a random delay of min–max ms (so that a fan-out takes seconds and can be interrupted). */
export interface DelayOptions {
  minMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Teams' rate limits (Microsoft's published per-bot figures): per conversation 7 in 1 s, 8 in 2 s,
 * 60 in 30 s; per tenant `tenantPerSecond` in 1 s. A request over a limit is answered 429 with
 * Retry-After: 1 and is not delivered. On top of that a share `random429` of requests within the
 * limits is answered 429 anyway (half of those without Retry-After, which botbuilder does not
 * retry by itself), as Teams does under load. Only accepted requests count against the windows.
 */
export interface RateLimitOptions {
  tenantPerSecond?: number;
  random429?: number;
  /** Draws for random429 (a seeded PRNG makes a run repeatable). */
  random?: () => number;
}

export interface ConnectorStubOptions {
  delay?: DelayOptions;
  rateLimit?: RateLimitOptions;
}

export interface RateLimitStats {
  requests: number;
  accepted: number;
  rejectedConversation: number;
  rejectedTenant: number;
  random429WithRetryAfter: number;
  random429WithoutRetryAfter: number;
  conversationsCreated: number;
}

export interface Delivered {
  at: number;
  conversationId: string;
  tenant: string;
  key: string;
}

const CONVERSATION_WINDOWS = [
  { ms: 1000, max: 7 },
  { ms: 2000, max: 8 },
  { ms: 30000, max: 60 },
];

/** Timestamps in a sliding window; `fits(now)` drops the old ones and says whether one more fits. */
class SlidingWindows {
  private readonly times: number[] = [];
  constructor(private readonly windows: { ms: number; max: number }[]) {}
  fits(now: number): boolean {
    const longest = this.windows[this.windows.length - 1]!.ms;
    while (this.times.length > 0 && this.times[0]! <= now - longest) this.times.shift();
    return this.windows.every(({ ms, max }) => {
      let n = 0;
      for (let i = this.times.length - 1; i >= 0 && this.times[i]! > now - ms; i--) n++;
      return n < max;
    });
  }
  add(now: number): void {
    this.times.push(now);
  }
}

/**
 * A stand-in for the Bot Connector service on 127.0.0.1: receives what the bot sends to
 * `serviceUrl` (/v3/conversations/...), records it and answers like the real service.
 * The one stub of the project: unit tests, the crash/load/reminder-crash scripts and the
 * benchmark use it, optionally with a delay or with Teams' rate limits (see the options).
 */
export class ConnectorStub {
  readonly received: ReceivedActivity[] = [];
  private readonly postedList: ReceivedActivity[] = [];
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly listeners = new Set<(record: ReceivedActivity, count: number) => void>();
  private nextId = 1;
  responder?: Responder;
  /** Conversation members by Teams user id (29:...), answered at GET /v3/conversations/{id}/members/{memberId}. */
  readonly members = new Map<string, Record<string, unknown>>();
  url = '';

  // Rate-limit mode (options.rateLimit).
  readonly stats: RateLimitStats = {
    requests: 0,
    accepted: 0,
    rejectedConversation: 0,
    rejectedTenant: 0,
    random429WithRetryAfter: 0,
    random429WithoutRetryAfter: 0,
    conversationsCreated: 0,
  };
  /** Every accepted send in rate-limit mode, so a benchmark can check nothing was lost or sent twice. */
  readonly delivered: Delivered[] = [];
  private readonly deliveredKeys = new Map<string, number>();
  private readonly perConversation = new Map<string, SlidingWindows>();
  private readonly perTenant = new Map<string, SlidingWindows>();
  private readonly tenantOfConversation = new Map<string, string>();

  constructor(private readonly options: ConnectorStubOptions = {}) {}

  /** A started stub. */
  static async start(options: ConnectorStubOptions = {}): Promise<ConnectorStub> {
    return new ConnectorStub(options).start();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Stops listening and drops open connections (answers still delayed are never sent). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  }

  close(): Promise<void> {
    return this.stop();
  }

  /** Activities posted (not updates or deletes). */
  get posted(): readonly ReceivedActivity[] {
    return this.postedList;
  }

  /** Forgets what was recorded (between rounds), and the onPost listeners. */
  clear(): void {
    this.received.length = 0;
    this.postedList.length = 0;
    this.listeners.clear();
  }

  /** Calls fn(record, countSoFar) for every recorded POST of an activity; returns an unsubscribe function. */
  onPost(fn: (record: ReceivedActivity, count: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Date.now() of the last recorded POST of an activity, 0 when none. */
  lastPostAt(): number {
    return this.postedList.at(-1)?.at ?? 0;
  }

  /** Waits until at least `count` activities have been posted in all. */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.posted.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`connector stub: expected ${count} activities, got ${this.posted.length}`)),
        timeoutMs,
      );
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Rate-limit mode: conversations that received the same activity (text and attachments) more than once. */
  duplicates(): { conversationId: string; times: number }[] {
    return [...this.deliveredKeys]
      .filter(([, n]) => n > 1)
      .map(([key, n]) => ({ conversationId: key.split('\u0000')[0]!, times: n }));
  }

  /** Rate-limit mode: the most accepted sends in any 1 s window (a check of the stub itself). */
  peakPerSecond(): number {
    let peak = 0;
    let lo = 0;
    for (let hi = 0; hi < this.delivered.length; hi++) {
      while (this.delivered[hi]!.at - this.delivered[lo]!.at >= 1000) lo++;
      peak = Math.max(peak, hi - lo + 1);
    }
    return peak;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client went away
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const m = /\/v3\/conversations\/([^/?]+)/.exec(path);
    let body: Record<string, any>;
    try {
      body = text ? (JSON.parse(text) as Record<string, any>) : {};
    } catch {
      body = { unparsable: true };
    }
    const entry: ReceivedActivity = {
      method: req.method ?? 'GET',
      path,
      conversationId: m ? decodeURIComponent(m[1]!) : '',
      replyToId: /\/activities\/([^/?]+)/.exec(path)?.[1],
      body,
      at: Date.now(),
    };
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const delay = this.options.delay;
      if (!delay) return send();
      setTimeout(send, delay.minMs + Math.floor((delay.random ?? Math.random)() * (delay.maxMs - delay.minMs + 1)));
    };
    const custom = this.responder?.(entry);
    if (custom) {
      reply(custom.status, custom.body ?? {}, custom.headers);
      return;
    }
    if (this.options.rateLimit && this.rateLimited(entry, reply)) return;
    this.received.push(entry);
    const isPost = req.method === 'POST' && /\/activities/.test(path);
    if (isPost) {
      this.postedList.push(entry);
      for (const l of this.listeners) l(entry, this.postedList.length);
    }
    const member = req.method === 'GET' ? /\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(path) : null;
    if (member) {
      const found = this.members.get(decodeURIComponent(member[1]!));
      reply(
        found ? 200 : 404,
        found ?? {
          error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation' },
        },
      );
      return;
    }
    if (req.method === 'POST' && /\/v3\/conversations\/?(\?.*)?$/.test(path)) {
      reply(200, { id: `conv-${this.nextId++}` });
    } else {
      reply(200, { id: `act-${this.nextId++}` });
    }
    const n = this.posted.length;
    this.waiters = this.waiters.filter((w) => (n >= w.count ? (w.resolve(), false) : true));
  }

  /**
   * Rate-limit mode: answers a conversation create or an activity post itself (refused with 429,
   * or accepted and counted) and returns true; false for anything else (handled as usual).
   * The tenant of a request: the tenantId of a conversation created with POST /v3/conversations,
   * else the activity's conversation.tenantId or channelData.tenant.id, else 'unknown'.
   */
  private rateLimited(
    entry: ReceivedActivity,
    reply: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): boolean {
    const { tenantPerSecond = 30, random429 = 0.02, random = Math.random } = this.options.rateLimit!;
    const { body, path, method, at: now } = entry;
    const stats = this.stats;
    stats.requests++;
    const window = (
      map: Map<string, SlidingWindows>,
      key: string,
      windows: { ms: number; max: number }[],
    ): SlidingWindows => {
      let w = map.get(key);
      if (!w) map.set(key, (w = new SlidingWindows(windows)));
      return w;
    };
    const tenantWindows = [{ ms: 1000, max: tenantPerSecond }];
    const throttled = (reason: string): true => (
      reply(429, { error: { code: 'TooManyRequests', message: reason } }, { 'retry-after': '1' }),
      true
    );

    if (method === 'POST' && /^\/v3\/conversations\/?(\?.*)?$/.test(path)) {
      // Create (or get) a 1:1 conversation: counts against the tenant only.
      const tenant: string = body.tenantId ?? body.channelData?.tenant?.id ?? 'unknown';
      const t = window(this.perTenant, tenant, tenantWindows);
      if (!t.fits(now)) return (stats.rejectedTenant++, throttled('tenant rate limit'));
      t.add(now);
      stats.conversationsCreated++;
      const id = `a:conv-${body.members?.[0]?.id ?? `m${this.nextId}`}`;
      this.tenantOfConversation.set(id, tenant);
      reply(200, { id });
      return true;
    }
    const m = /^\/v3\/conversations\/([^/?]+)\/activities/.exec(path);
    if (method !== 'POST' || !m) return false;
    const conversationId = decodeURIComponent(m[1]!);
    const tenant: string =
      this.tenantOfConversation.get(conversationId) ??
      body.conversation?.tenantId ??
      body.channelData?.tenant?.id ??
      'unknown';
    const c = window(this.perConversation, conversationId, CONVERSATION_WINDOWS);
    const t = window(this.perTenant, tenant, tenantWindows);
    if (!c.fits(now)) return (stats.rejectedConversation++, throttled('conversation rate limit'));
    if (!t.fits(now)) return (stats.rejectedTenant++, throttled('tenant rate limit'));
    const roll = random();
    if (roll < random429 / 2) return (stats.random429WithRetryAfter++, throttled('throttled'));
    if (roll < random429) {
      stats.random429WithoutRetryAfter++;
      reply(429, { error: { code: 'TooManyRequests', message: 'throttled' } });
      return true;
    }
    c.add(now);
    t.add(now);
    stats.accepted++;
    const key = `${conversationId}\u0000${JSON.stringify(body.text ?? '')}\u0000${JSON.stringify(body.attachments ?? [])}`;
    this.deliveredKeys.set(key, (this.deliveredKeys.get(key) ?? 0) + 1);
    this.delivered.push({ at: now, conversationId, tenant, key });
    reply(200, { id: `act-${this.nextId++}` });
    return true;
  }
}
