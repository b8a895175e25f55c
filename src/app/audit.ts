/** The audit trail port: append-only, separate from the data, never holding report free text. */
export type AuditAction =
  | 'report.created'
  | 'report.edited'
  | 'report.withdrawn'
  | 'report.refused'
  | 'access.refused'
  | 'status.override'
  | 'status.override.cleared'
  | 'agreement.changed'
  | 'role.changed'
  | 'channel.linked'
  | 'meeting.created'
  | 'meeting.changed'
  | 'meeting.cancelled'
  | 'meeting.minutes'
  | 'channel.weeklySummary'
  | 'reporter.registered'
  | 'reporter.unregistered'
  | 'reporter.absence'
  | 'reporter.snoozed'
  | 'data.purged'
  | 'data.redacted'
  | 'data.exported'
  | 'audit.exported'
  | 'backup.created'
  | 'conversation.bound'
  // The follow-up both parties sign (src/app/follow-up-report.ts).
  | 'followup.drafted'
  | 'followup.revised'
  | 'followup.approved'
  | 'followup.communicated';

export interface AuditEntry {
  at: string;
  actor: { id: string; tenantId?: string };
  action: AuditAction;
  objectId?: string;
  outcome: 'ok' | 'refused' | 'failed';
  correlationId?: string;
  /** Field names or codes only: never free text, never a detected identifier. */
  detail?: string;
  /** Added at start-up for a stored change whose line a crash (or a full disk) left out. */
  reconciled?: true;
}

export interface AuditLog {
  /** Resolves when the line is written; rejects when it cannot be (fail closed: nothing was changed yet). */
  record(entry: AuditEntry): Promise<void>;
  /**
   * The line of a change that is already stored: never rejects, since the change happened and the
   * user must hear so. A line that cannot be written now is kept and written before the next one or
   * at close; start-up reconciliation adds it if the process ends first.
   */
  recordStored?(entry: AuditEntry): Promise<void>;
  /**
   * Rewrites stored lines whose objectId or detail fails `passes` (earlier versions could write an
   * identifier into an id built from a wording): each failing value becomes `marker`. Returns how many lines changed. The only
   * rewrite an audit trail ever gets; run by the privacy sweep once per guard version.
   */
  redact?(passes: (value: string) => boolean, marker: string): Promise<number>;
}

/** Records the audit line of a change already stored (see AuditLog.recordStored). */
export function recordStored(audit: AuditLog, entry: AuditEntry): Promise<void> {
  return audit.recordStored ? audit.recordStored(entry) : audit.record(entry).catch(() => undefined);
}

/**
 * Records a refused request: the actor's id and tenant (never a name), what was refused (a code)
 * and on what. The one shape every use case writes for `access.refused`.
 */
export function recordRefusal(
  audit: AuditLog,
  at: Date,
  actor: { id: string; tenantId?: string },
  what: string,
  objectId?: string,
  correlationId?: string,
): Promise<void> {
  return audit.record({
    at: at.toISOString(),
    actor: { id: actor.id, tenantId: actor.tenantId },
    action: 'access.refused',
    objectId,
    outcome: 'refused',
    correlationId,
    detail: what,
  });
}

export const noAudit: AuditLog = { record: async () => {} };

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }
}
