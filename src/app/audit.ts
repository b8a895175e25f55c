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
  | 'reporter.registered'
  | 'reporter.unregistered'
  | 'reporter.absence'
  | 'data.purged'
  | 'data.redacted'
  | 'data.exported'
  | 'audit.exported'
  | 'backup.created';

export interface AuditEntry {
  at: string;
  actor: { id: string; tenantId?: string };
  action: AuditAction;
  objectId?: string;
  outcome: 'ok' | 'refused' | 'failed';
  correlationId?: string;
  /** Field names or codes only: never free text, never a detected identifier. */
  detail?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

export const noAudit: AuditLog = { record: async () => {} };

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }
}
