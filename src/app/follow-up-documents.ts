import type { Actor } from './actor.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { FollowUpDocuments, Store } from './ports.js';
import type { FollowUpDocument } from '../domain/follow-up-document.js';
import { scopeOf } from '../domain/scope.js';

/**
 * Hands out a follow-up document (or KF report) for the Word, PDF and text files: only to a
 * coordinator (or the operator at the server), only for an agreement of the actor's municipality,
 * audited as data.exported with the period and the format (never the content) once the file is made.
 */

/** "2024-T2", "2024-Q3", "2024-H1", "2024", "2023-2024". */
export const FOLLOW_UP_PERIOD_KEY = /^\d{4}(?:-(?:T[1-3]|Q[1-4]|H[12]|\d{4}))?$/;

/**
 * Until the follow-up store of the chat flow is wired in (src/app/follow-up-report.ts, issue #15
 * items 1–3), a deployment has no follow-up documents: every request finds none.
 */
export const NO_FOLLOW_UP_DOCUMENTS: FollowUpDocuments = { get: () => Promise.resolve(undefined) };

export type FollowUpDocumentResult =
  | { kind: 'ok'; document: FollowUpDocument }
  | { kind: 'badPeriod' }
  | { kind: 'notFound'; known: string[] }
  | { kind: 'noDocument' }
  | { kind: 'forbidden' };

export class FollowUpDocumentService {
  constructor(
    private readonly store: Pick<Store, 'agreements'>,
    private readonly documents: FollowUpDocuments,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async get(
    actor: Actor,
    agreementId: string,
    periodKey: string,
    correlationId?: string,
  ): Promise<FollowUpDocumentResult> {
    if (!actor.isCoordinator) {
      await this.audit.record({
        at: this.clock.now().toISOString(),
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'access.refused',
        outcome: 'refused',
        correlationId,
        detail: 'follow-up.export',
      });
      return { kind: 'forbidden' };
    }
    if (!FOLLOW_UP_PERIOD_KEY.test(periodKey)) return { kind: 'badPeriod' };
    // The operator at the server (no scope) may name any agreement; a coordinator their municipality's.
    const agreements = await this.store.agreements.list();
    const ofScope = actor.scope === undefined ? agreements : agreements.filter((a) => scopeOf(a) === actor.scope);
    if (!ofScope.some((a) => a.id === agreementId)) return { kind: 'notFound', known: ofScope.map((a) => a.id) };
    const document = await this.documents.get(agreementId, periodKey);
    if (!document) return { kind: 'noDocument' };
    return { kind: 'ok', document };
  }

  /** Audits a file made from `document` and handed out (after it was made: a refused one is not). */
  async recordExport(actor: Actor, document: FollowUpDocument, format: string, correlationId?: string): Promise<void> {
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'data.exported',
      objectId: document.agreementId,
      outcome: 'ok',
      correlationId,
      detail: `follow-up=${document.period.key};kind=${document.kind};revision=${document.revision};format=${format}`,
    });
  }
}
