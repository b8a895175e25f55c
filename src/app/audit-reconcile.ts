import type { AuditAction, AuditEntry, AuditLog } from './audit.js';
import type { AuditTrail } from './export.js';
import type { Store } from './ports.js';

/** One stored change the trail must show: its action, object, when and by whom. */
interface Expected {
  action: AuditAction;
  objectId: string;
  at: string;
  by: string;
}

const REPORT_ACTIONS: Record<string, AuditAction | undefined> = {
  created: 'report.created',
  edited: 'report.edited',
  withdrawn: 'report.withdrawn',
};

/** Every change the store holds that has an audit action of its own, oldest first per object. */
async function storedChanges(store: Store): Promise<Expected[]> {
  const out: Expected[] = [];
  for (const r of await store.reports.list({ includeWithdrawn: true })) {
    for (const step of r.history) {
      const action = REPORT_ACTIONS[step.action];
      if (action) out.push({ action, objectId: r.id, at: step.at, by: step.by });
    }
  }
  for (const m of await store.meetings.list()) {
    out.push({ action: 'meeting.created', objectId: m.id, at: m.createdAt, by: m.createdBy });
    if (m.cancelled) out.push({ action: 'meeting.cancelled', objectId: m.id, at: m.cancelled.at, by: m.cancelled.by });
  }
  for (const p of await store.reporters.list())
    out.push({ action: 'reporter.registered', objectId: p.aadObjectId, at: p.registeredAt, by: p.aadObjectId });
  for (const o of await store.overrides.list()) {
    out.push({ action: 'status.override', objectId: o.id, at: o.at, by: o.by });
    if (o.clearedAt)
      out.push({ action: 'status.override.cleared', objectId: o.id, at: o.clearedAt, by: o.clearedBy ?? o.by });
  }
  for (const l of await store.channelLinks.list())
    out.push({ action: 'channel.linked', objectId: l.agreementId, at: l.linkedAt, by: l.linkedBy });
  for (const c of await store.coordinators.list()) {
    out.push({ action: 'role.changed', objectId: c.aadObjectId, at: c.addedAt, by: c.addedBy });
    if (c.removedAt)
      out.push({ action: 'role.changed', objectId: c.aadObjectId, at: c.removedAt, by: c.removedBy ?? c.addedBy });
  }
  return out;
}

/**
 * Start-up reconciliation: a change is stored before its audit line is appended, so a process
 * killed in between (or a disk that filled up and a stop before the kept line could be written)
 * leaves a stored change without its line. Each such change gets its line now, marked
 * `reconciled` (with the change's own time and author), so the trail holds every stored change.
 * Counts per (action, object): a trail that has as many lines as the store has changes is complete.
 */
export async function reconcileAudit(
  store: Store,
  trail: AuditTrail,
  audit: AuditLog,
): Promise<{ added: number; byAction: Partial<Record<AuditAction, number>> }> {
  const { entries } = await trail.read();
  const seen = new Map<string, number>();
  const keyOf = (action: string, objectId: string) => `${action}\u0000${objectId}`;
  for (const e of entries)
    if (e.outcome === 'ok' && e.objectId)
      seen.set(keyOf(e.action, e.objectId), (seen.get(keyOf(e.action, e.objectId)) ?? 0) + 1);
  const byAction: Partial<Record<AuditAction, number>> = {};
  let added = 0;
  for (const change of await storedChanges(store)) {
    const key = keyOf(change.action, change.objectId);
    const left = seen.get(key) ?? 0;
    if (left > 0) {
      seen.set(key, left - 1);
      continue;
    }
    const entry: AuditEntry = {
      at: change.at,
      actor: { id: change.by },
      action: change.action,
      objectId: change.objectId,
      outcome: 'ok',
      detail: 'reconciled',
      reconciled: true,
    };
    await audit.record(entry);
    byAction[change.action] = (byAction[change.action] ?? 0) + 1;
    added++;
  }
  return { added, byAction };
}
