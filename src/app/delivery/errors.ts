// What an error from the Bot Connector means for a row: retry it, give it up, or the conversation is gone.

export interface DeliveryErrorDetails {
  /** HTTP status from the Bot Connector service, when there was a response. */
  status?: number;
  /** From a Retry-After header (seconds or HTTP-date), in milliseconds. */
  retryAfterMs?: number;
  /** A Teams error code ("ConversationNotFound") or a network error code ("ECONNRESET"). */
  code?: string;
}

export class DeliveryError extends Error implements DeliveryErrorDetails {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly code?: string;
  constructor(message: string, details: DeliveryErrorDetails = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
  }
}

export type Verdict =
  | { kind: 'gone' }
  | { kind: 'retry'; maxAttempts: number; throttle: boolean; notDelivered: boolean }
  | { kind: 'fail'; reason: string };

export const TIMEOUT = 'SEND_TIMEOUT';
/** Network errors worth a retry; the first two mean the request never reached the service. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const NETWORK = new Set([
  ...NOT_CONNECTED,
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

export function classify(e: DeliveryError, o: { maxAttempts: number; maxAttemptsServerError: number }): Verdict {
  const s = e.status;
  if (s === 403 || s === 404) return { kind: 'gone' };
  if (s === 429) return { kind: 'retry', maxAttempts: o.maxAttempts, throttle: true, notDelivered: true };
  if (s === 412) return { kind: 'retry', maxAttempts: o.maxAttempts, throttle: false, notDelivered: true };
  if (s === 502 || s === 503 || s === 504)
    return { kind: 'retry', maxAttempts: o.maxAttempts, throttle: false, notDelivered: false };
  if (s === 500) return { kind: 'retry', maxAttempts: o.maxAttemptsServerError, throttle: false, notDelivered: false };
  if (s !== undefined) return { kind: 'fail', reason: `http-${s}` };
  if (e.code && NETWORK.has(e.code))
    return { kind: 'retry', maxAttempts: o.maxAttempts, throttle: false, notDelivered: NOT_CONNECTED.has(e.code) };
  return { kind: 'fail', reason: e.code ? e.code.toLowerCase().replace(/_/g, '-') : 'error' };
}

export const label = (e: DeliveryError) => (e.status !== undefined ? `http-${e.status}` : (e.code ?? 'error'));

export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { message?: unknown; code?: unknown } | null;
  return new DeliveryError(String(e?.message ?? err), { code: typeof e?.code === 'string' ? e.code : undefined });
}
