import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  method: string;
  path: string;
  conversationId: string;
  body: Record<string, any>;
}

type Responder = (req: ReceivedActivity) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A stand-in for the Bot Connector service on 127.0.0.1: receives what the bot sends to
 * `serviceUrl` (/v3/conversations/...), records it and answers like the real service.
 */
export class ConnectorStub {
  readonly received: ReceivedActivity[] = [];
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];
  private nextId = 1;
  responder?: Responder;
  /** Conversation members by Teams user id (29:...), answered at GET /v3/conversations/{id}/members/{memberId}. */
  readonly members = new Map<string, Record<string, unknown>>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** Activities posted (not updates or deletes). */
  get posted(): ReceivedActivity[] {
    return this.received.filter((r) => r.method === 'POST' && /\/activities/.test(r.path));
  }

  clear(): void {
    this.received.length = 0;
  }

  /** Waits until at least `count` activities have been posted in all. */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.posted.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connector stub: expected ${count} activities, got ${this.posted.length}`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const m = /\/v3\/conversations\/([^/]+)/.exec(path);
    const entry: ReceivedActivity = {
      method: req.method ?? 'GET',
      path,
      conversationId: m ? decodeURIComponent(m[1]!) : '',
      body: text ? (JSON.parse(text) as Record<string, any>) : {},
    };
    const custom = this.responder?.(entry);
    if (custom) {
      res.writeHead(custom.status, { 'content-type': 'application/json', ...(custom.headers ?? {}) });
      res.end(JSON.stringify(custom.body ?? {}));
      return;
    }
    this.received.push(entry);
    const member = req.method === 'GET' ? /\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(path) : null;
    if (member) {
      const found = this.members.get(decodeURIComponent(member[1]!));
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(path)) {
      res.end(JSON.stringify({ id: `conv-${this.nextId++}` }));
    } else {
      res.end(JSON.stringify({ id: `act-${this.nextId++}` }));
    }
    const n = this.posted.length;
    this.waiters = this.waiters.filter((w) => (n >= w.count ? (w.resolve(), false) : true));
  }
}
