import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logs (JSON on stdout). Never log report free text or detected identifiers. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'medborgarlofte-bot' }, timestamp: pino.stdTimeFunctions.isoTime });
}
