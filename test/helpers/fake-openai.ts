import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply of the fake chat-completions endpoint. */
export type FakeReply =
  /** The model calls tools; arguments are JSON-encoded unless given as a string. */
  | { toolCalls: { name: string; arguments: unknown }[] }
  /** The model answers with text and no tool call. */
  | { text: string }
  /** An HTTP error status with an OpenAI-style error body. */
  | { status: number }
  /** 200 with a body that is not a chat completion. */
  | { raw: string }
  /** Never answers (until the server stops, or after `ms`). */
  | { hang: true; ms?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** The raw body text: assert that something was never sent by searching this. */
  text: string;
}

/**
 * A stand-in for an OpenAI-compatible chat-completions server on 127.0.0.1. Answers POST
 * /v1/chat/completions from a script (one reply per request, in order; when the script is empty it
 * answers "UNKNOWN" without a tool call) and records every request it receives.
 */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private script: FakeReply[] = [];
  private server?: Server;
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** Replaces the script and forgets earlier requests. */
  reply(...replies: FakeReply[]): this {
    this.script = [...replies];
    this.requests.length = 0;
    return this;
  }

  /** Every request body as one string. */
  get sentText(): string {
    return this.requests.map((r) => r.text).join('\n');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, text });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method !== 'POST' || !/\/chat\/completions(\?|$)/.test(req.url ?? ''))
      return json(404, { error: { message: 'not found', type: 'invalid_request_error' } });

    const next = this.script.shift() ?? { text: 'UNKNOWN' };
    if ('hang' in next) {
      // Bounded: answers 504 after `ms` unless the client gave up or the server stopped first.
      const timer = setTimeout(() => json(504, { error: { message: 'timeout' } }), next.ms ?? 30_000);
      timer.unref();
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if ('status' in next) return json(next.status, { error: { message: 'scripted failure', type: 'server_error' } });
    if ('raw' in next) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(next.raw);
      return;
    }
    const id = this.nextId++;
    const message =
      'toolCalls' in next
        ? {
            role: 'assistant',
            content: null,
            tool_calls: next.toolCalls.map((c, i) => ({
              id: `call_${id}_${i}`,
              type: 'function',
              function: {
                name: c.name,
                arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
              },
            })),
          }
        : { role: 'assistant', content: next.text };
    json(200, {
      id: `chatcmpl-${id}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: (body as { model?: string } | undefined)?.model ?? 'fake',
      choices: [{ index: 0, message, finish_reason: 'toolCalls' in next ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  }
}
