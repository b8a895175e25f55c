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
async function storedChanges(store: Store, since: string | undefined): Promise<Expected[]> {
  const out: Expected[] = [];
  const reports = await store.reports.list({
    includeWithdrawn: true,
    ...(since !== undefined ? { changedSince: since } : {}),
  });
  for (const r of reports) {
    for (const step of r.history) {
      const action = REPORT_ACTIONS[step.action];
      if (action) out.push({ action, objectId: r.id, at: step.at, by: step.by });
    }
  }
  for (const m of await store.meetings.list()) {
    out.push({ action: 'meeting.created', objectId: m.id, at: m.createdAt, by: m.createdBy });
    if (m.cancelled) out.push({ action: 'meeting.cancelled', objectId: m.id, at: m.cancelled.at, by: m.cancelled.by });
    if (m.minutes)
      out.push({ action: 'meeting.minutes', objectId: m.id, at: m.minutes.recordedAt, by: m.minutes.recordedBy });
  }
  // A record kept only for the party of someone's latest report was never a registration.
  for (const p of (await store.reporters.list()).filter((r) => !r.partyOnly))
    out.push({ action: 'reporter.registered', objectId: p.aadObjectId, at: p.registeredAt, by: p.aadObjectId });
  for (const o of await store.overrides.list()) {
    out.push({ action: 'status.override', objectId: o.id, at: o.at, by: o.by });
    if (o.clearedAt)
      out.push({ action: 'status.override.cleared', objectId: o.id, at: o.clearedAt, by: o.clearedBy ?? o.by });
  }
  for (const l of await store.channelLinks.list()) {
    out.push({ action: 'channel.linked', objectId: l.agreementId, at: l.linkedAt, by: l.linkedBy });
    if (l.weeklySummaryOff)
      out.push({
        action: 'channel.weeklySummary',
        objectId: l.agreementId,
        at: l.weeklySummaryOff.at,
        by: l.weeklySummaryOff.by,
      });
  }
  for (const c of await store.coordinators.list()) {
    out.push({ action: 'role.changed', objectId: c.aadObjectId, at: c.addedAt, by: c.addedBy });
    if (c.removedAt)
      out.push({ action: 'role.changed', objectId: c.aadObjectId, at: c.removedAt, by: c.removedBy ?? c.addedBy });
  }
  return out;
}

/**
 * Which changes to check. Whole history by default (lowdb: the files are read at start anyway).
 * With several instances on one database, each start checks only the changes since the previous
 * check (`since`: no history read at start) and leaves the last minutes alone (`until`): another
 * live instance may be between storing a change and writing its line.
 */
export interface ReconcileWindow {
  since?: string;
  until?: string;
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
  window: ReconcileWindow = {},
): Promise<{ added: number; byAction: Partial<Record<AuditAction, number>> }> {
  const { since, until } = window;
  const { entries } = await trail.read(since !== undefined ? { since } : {});
  const seen = new Map<string, number>();
  const keyOf = (action: string, objectId: string) => `${action}\u0000${objectId}`;
  for (const e of entries)
    if (e.outcome === 'ok' && e.objectId)
      seen.set(keyOf(e.action, e.objectId), (seen.get(keyOf(e.action, e.objectId)) ?? 0) + 1);
  const byAction: Partial<Record<AuditAction, number>> = {};
  let added = 0;
  for (const change of await storedChanges(store, since)) {
    // A change's line is written after it: within the window both are seen, or the line is missing.
    if ((since !== undefined && change.at < since) || (until !== undefined && change.at >= until)) continue;
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

/** The marker holding the instant (epoch ms) up to which the stored changes have been checked. */
export const RECONCILED_MARKER = 'audit.reconciledThrough';
/** Changes younger than this are left to the next start: a live instance may still write their line. */
export const LIVE_MARGIN_MS = 5 * 60_000;

/**
 * Reconciliation at start. One process (lowdb): the whole history, as it is in memory anyway.
 * Several instances on one database (`shared`): only what changed since the previous start's
 * check, up to a few minutes ago, so a start reads no history however many reports there are.
 */
export async function reconcileAtStart(
  store: Store,
  trail: AuditTrail,
  audit: AuditLog,
  now: Date,
  shared: boolean,
): ReturnType<typeof reconcileAudit> {
  if (!shared) return reconcileAudit(store, trail, audit);
  const marker = await store.markers.get(RECONCILED_MARKER);
  const through = now.getTime() - LIVE_MARGIN_MS;
  const result = await reconcileAudit(store, trail, audit, {
    ...(marker ? { since: new Date(marker.value).toISOString() } : {}),
    until: new Date(through).toISOString(),
  });
  if (!marker || marker.value < through)
    await store.markers.put({ key: RECONCILED_MARKER, value: through, at: now.toISOString() });
  return result;
}
