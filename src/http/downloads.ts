import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'restify';
import type { Clock } from '../app/clock.js';
import type { Logger } from '../logger.js';
import { textsFor } from '../texts/index.js';

/**
 * Short-lived signed download links served by the bot itself (a calendar invitation, a follow-up
 * document). Bots cannot attach files in channels without SharePoint, so a card carries a link.
 *
 * The link holds what to make, not the file: `kind` and `params`, an expiry and an HMAC over them.
 * Any instance with the same secret can serve it (no session affinity, nothing stored), and the file
 * is made fresh from the store when the link is opened. A link names an object, never a person.
 */

export interface DownloadFile {
  fileName: string;
  contentType: string;
  body: Uint8Array | string;
}

/**
 * Makes the file a link names, or undefined when what it names no longer exists. Called only for a
 * link whose signature and expiry were checked.
 */
export type DownloadMaker = (params: Readonly<Record<string, string>>) => Promise<DownloadFile | undefined>;

/** What the Teams layer needs: an absolute URL for a file, valid for `ttlMinutes` (the default otherwise). */
export interface DownloadLinks {
  /** How long a link works by default (minutes). */
  readonly ttlMinutes: number;
  link(kind: string, params: Record<string, string>, options?: { ttlMinutes?: number; locale?: 'sv' | 'en' }): string;
}

export interface DownloadsOptions {
  /** HMAC key; the same on every instance. */
  secret: Buffer;
  /** Where people reach this bot ("https://bot.example.se"); may be set after listening (port 0). */
  baseUrl?: string;
  ttlMinutes: number;
  clock: Clock;
  logger: Logger;
}

interface Payload {
  k: string;
  p: Record<string, string>;
  /** Expiry, seconds since the epoch. */
  e: number;
  l?: 'sv' | 'en';
}

export const DOWNLOAD_PATH = '/api/downloads';

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * The signing key: DOWNLOAD_LINK_SECRET when set; else derived from the bot's client secret (shared
 * by every instance of one bot); else random for this process (local development: links die with it).
 */
export function downloadSecret(
  configured: string | undefined,
  botPassword: string | undefined,
): {
  secret: Buffer;
  source: 'configured' | 'bot-password' | 'random';
} {
  if (configured) return { secret: Buffer.from(configured, 'utf8'), source: 'configured' };
  if (botPassword)
    return {
      secret: Buffer.from(hkdfSync('sha256', botPassword, 'medborgarlofte-bot', 'download-links', 32)),
      source: 'bot-password',
    };
  return { secret: randomBytes(32), source: 'random' };
}

export class Downloads implements DownloadLinks {
  private readonly makers = new Map<string, DownloadMaker>();
  private baseUrl: string | undefined;

  constructor(private readonly options: DownloadsOptions) {
    this.baseUrl = options.baseUrl?.replace(/\/+$/, '');
  }

  /** Registers what a kind of link serves (at composition time). */
  register(kind: string, maker: DownloadMaker): void {
    if (!/^[a-z][a-z0-9-]*$/.test(kind))
      throw new Error(`download kind "${kind}": lowercase letters, digits and dashes`);
    if (this.makers.has(kind)) throw new Error(`download kind "${kind}" is already registered`);
    this.makers.set(kind, maker);
  }

  get ttlMinutes(): number {
    return this.options.ttlMinutes;
  }

  /** Sets the public base URL once the server listens, unless one was configured. */
  setDefaultBaseUrl(url: string): void {
    this.baseUrl ??= url.replace(/\/+$/, '');
  }

  token(kind: string, params: Record<string, string>, options?: { ttlMinutes?: number; locale?: 'sv' | 'en' }): string {
    if (!this.makers.has(kind)) throw new Error(`no download kind "${kind}"`);
    const ttl = options?.ttlMinutes ?? this.options.ttlMinutes;
    const payload: Payload = {
      k: kind,
      p: params,
      e: Math.floor(this.options.clock.now().getTime() / 1000) + Math.round(ttl * 60),
      ...(options?.locale === 'en' ? { l: 'en' as const } : {}),
    };
    const body = b64(JSON.stringify(payload));
    return `${body}/${this.sign(body)}`;
  }

  link(kind: string, params: Record<string, string>, options?: { ttlMinutes?: number; locale?: 'sv' | 'en' }): string {
    if (!this.baseUrl) throw new Error('download links: no base URL yet');
    return `${this.baseUrl}${DOWNLOAD_PATH}/${this.token(kind, params, options)}`;
  }

  /** Checks a token: its payload, or why it is refused. */
  verify(token: string): { ok: true; payload: Payload } | { ok: false; reason: 'invalid' | 'expired' } {
    const parts = token.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'invalid' };
    const [body, mac] = parts as [string, string];
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof payload?.k !== 'string' || typeof payload.e !== 'number' || !payload.p || typeof payload.p !== 'object')
      return { ok: false, reason: 'invalid' };
    if (payload.e * 1000 <= this.options.clock.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, payload };
  }

  /** GET /api/downloads/:body/:mac on the bot's own server. */
  route(server: Server): void {
    server.get(`${DOWNLOAD_PATH}/:body/:mac`, async (req, res) => {
      const params = req.params as Record<string, unknown>;
      const token = `${String(params.body ?? '')}/${String(params.mac ?? '')}`;
      const checked = this.verify(token);
      const plain = (status: number, text: string) => {
        res.writeHead(status, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        res.end(text);
      };
      if (!checked.ok) return plain(checked.reason === 'expired' ? 410 : 403, textsFor('sv').downloads[checked.reason]);
      const texts = textsFor(checked.payload.l ?? 'sv').downloads;
      const maker = this.makers.get(checked.payload.k);
      if (!maker) return plain(403, texts.invalid);
      let file: DownloadFile | undefined;
      try {
        file = await maker(checked.payload.p);
      } catch (err) {
        this.options.logger.error(
          { err: { message: (err as Error).message }, kind: checked.payload.k },
          'download failed',
        );
        return plain(500, texts.failed);
      }
      if (!file) return plain(404, texts.gone);
      const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body);
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(body.length),
        'content-disposition': contentDisposition(file.fileName),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    });
  }

  private sign(body: string): string {
    return createHmac('sha256', this.options.secret).update(body).digest('base64url');
  }
}

/** RFC 6266: an ASCII fallback and the UTF-8 name ("Uppföljning T2.docx"). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
