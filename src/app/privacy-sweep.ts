import type { Agreement } from '../domain/agreement.js';
import { nextActivityId } from '../domain/coordinator-commands.js';
import { passesGuard, safeText } from '../domain/outbound-guard.js';
import { GUARD_VERSION } from '../domain/privacy.js';
import type { ReportChange, WeeklyReport } from '../domain/report.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

/** Who the audit trail and the report history name for what the sweep does. */
export const SWEEP_ACTOR = 'system:privacy-sweep';
export const GUARD_MARKER_KEY = 'privacyGuardVersion';

/** What the sweep redacted, by kind of stored text. Counts only, never the text. */
export interface SweepResult {
  ran: boolean;
  reports: number;
  meetings: number;
  overrides: number;
  agreements: number;
  activityIds: number;
  names: number;
  /** Audit lines whose values (an id built from a wording by an earlier version) failed the guard. */
  auditLines: number;
  total: number;
}

/**
 * Text stored by earlier versions is checked again with the current privacy guard, once per guard
 * version (a marker in the store says which version last checked it). What fails is replaced by a
 * fixed marker (`redacted`, from texts/); names Teams supplied are dropped; an activity id that
 * carries an identifier (earlier versions built ids from the wording) gets a numbered id, and the
 * reports and overrides that point to it follow. The audit records how many, never what.
 */
export class PrivacySweep {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly redacted: string,
    private readonly logger?: Logger,
  ) {}

  async runOnce(): Promise<SweepResult> {
    const result: SweepResult = {
      ran: false,
      reports: 0,
      meetings: 0,
      overrides: 0,
      agreements: 0,
      activityIds: 0,
      names: 0,
      auditLines: 0,
      total: 0,
    };
    const marker = await this.store.markers.get(GUARD_MARKER_KEY);
    if (marker && marker.value >= GUARD_VERSION) return result;
    result.ran = true;
    const at = this.clock.now().toISOString();
    const text = (s: string | undefined) =>
      s === undefined || s === '' || safeText(s) !== undefined ? s : this.redacted;

    // Agreements: texts, and activity ids that carry an identifier.
    const renamed = new Map<string, string>();
    for (const agreement of await this.store.agreements.list()) {
      const next = structuredClone(agreement) as Agreement;
      let changed = 0;
      const fix = (s: string) => {
        const t = text(s)!;
        if (t !== s) changed++;
        return t;
      };
      next.municipality = fix(next.municipality);
      next.policeArea = fix(next.policeArea);
      if (next.source !== undefined) next.source = fix(next.source);
      for (const p of next.pledges) {
        p.wording = fix(p.wording);
        const keywords = p.keywords.filter((k) => safeText(k) !== undefined);
        changed += p.keywords.length - keywords.length;
        p.keywords = keywords;
      }
      for (const a of next.activities) {
        a.wording = fix(a.wording);
        a.unit = fix(a.unit);
        if (a.unitSingular !== undefined) a.unitSingular = fix(a.unitSingular);
        if (!passesGuard([a.id])) {
          const id = nextActivityId(next.activities.map((x) => x.id));
          renamed.set(`${agreement.id}\u0000${a.id}`, id);
          a.id = id;
          result.activityIds++;
        }
      }
      if (changed > 0 || next.activities.some((a, i) => a.id !== agreement.activities[i]!.id)) {
        await this.store.agreements.save(next);
        result.agreements += changed;
      }
    }
    const activityId = (agreementId: string, id: string | undefined) =>
      id === undefined ? id : (renamed.get(`${agreementId}\u0000${id}`) ?? id);

    // Reports: the description and every earlier version of it, with the numbers as at submission.
    for (const week of await this.store.reports.weeks()) {
      for (const r of await this.store.reports.list({ fromWeek: week, toWeek: week, includeWithdrawn: true })) {
        const swept = this.sweptReport(r, activityId, at);
        if (swept) {
          await this.store.reports.update(swept.report);
          if (swept.redacted) result.reports++;
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }

    for (const m of await this.store.meetings.list()) {
      const place = text(m.place);
      const agenda = passesGuard([place, m.agenda]) ? text(m.agenda) : this.redacted;
      if (place !== m.place || agenda !== m.agenda) {
        await this.store.meetings.put({
          ...m,
          ...(place !== undefined ? { place } : {}),
          ...(agenda !== undefined ? { agenda } : {}),
          updatedAt: at,
        });
        result.meetings++;
      }
    }

    for (const o of await this.store.overrides.list()) {
      const reason = text(o.reason)!;
      const byNameOk = o.byName === undefined || safeText(o.byName) !== undefined;
      const id = activityId(o.agreementId, o.activityId);
      if (reason !== o.reason || !byNameOk || id !== o.activityId) {
        const next = { ...o, reason, ...(id !== undefined ? { activityId: id } : {}) };
        if (!byNameOk) {
          delete next.byName;
          result.names++;
        }
        await this.store.overrides.put(next);
        if (reason !== o.reason) result.overrides++;
      }
    }

    for (const r of await this.store.reporters.list()) {
      if (r.name !== undefined && safeText(r.name) === undefined) {
        const { name: _dropped, ...rest } = r;
        await this.store.reporters.put(rest);
        result.names++;
      }
    }
    for (const l of await this.store.channelLinks.list()) {
      if (l.channelName !== undefined && safeText(l.channelName) === undefined) {
        const { channelName: _dropped, ...rest } = l;
        await this.store.channelLinks.put(rest);
        result.names++;
      }
    }

    // Conversation references keep the display names Teams sent with them (not needed to send).
    for (const c of await this.store.conversations.list()) {
      let changed = false;
      const reference = structuredClone(c.reference) as Record<string, Record<string, unknown> | unknown>;
      for (const k of ['user', 'conversation']) {
        const o = reference[k] as Record<string, unknown> | undefined;
        if (o && typeof o === 'object' && typeof o.name === 'string' && safeText(o.name) === undefined) {
          delete o.name;
          changed = true;
        }
      }
      if (changed) {
        await this.store.conversations.upsert({ ...c, reference: reference as Record<string, unknown> });
        result.names++;
      }
    }

    // The audit trail itself: an activity id built from a wording by an earlier version carried the
    // wording (and any identifier in it) into `activity.added:<id>` style values.
    if (this.audit.redact) result.auditLines = await this.audit.redact((v) => safeText(v) !== undefined, this.redacted);
    result.total =
      result.reports +
      result.meetings +
      result.overrides +
      result.agreements +
      result.activityIds +
      result.names +
      result.auditLines;
    if (result.total > 0) {
      await this.audit.record({
        at,
        actor: { id: SWEEP_ACTOR },
        action: 'data.redacted',
        outcome: 'ok',
        detail: `guard=${GUARD_VERSION};reports=${result.reports};meetings=${result.meetings};overrides=${result.overrides};agreementTexts=${result.agreements};activityIds=${result.activityIds};names=${result.names};auditLines=${result.auditLines}`,
      });
    }
    await this.store.markers.put({ key: GUARD_MARKER_KEY, value: GUARD_VERSION, at });
    this.logger?.info({ guard: GUARD_VERSION, ...result }, 'privacy sweep: stored text checked with the current guard');
    return result;
  }

  /** The report with failing free text redacted and renamed activity ids followed; undefined when nothing changes. */
  private sweptReport(
    r: Readonly<WeeklyReport>,
    activityId: (agreementId: string, id: string | undefined) => string | undefined,
    at: string,
  ): { report: WeeklyReport; redacted: boolean } | undefined {
    const failing = (description: string | undefined, count: number | undefined) =>
      description !== undefined &&
      description !== '' &&
      !passesGuard([description, count, r.ageBands?.under18, r.ageBands?.from18to21, r.ageBands?.over21]);
    const redact =
      failing(r.description, r.count) ||
      r.history.some((h) => failing(h.previous?.description, h.previous?.count ?? r.count)) ||
      (r.withdrawn?.reason !== undefined && safeText(r.withdrawn.reason) === undefined);
    const id = activityId(r.agreementId, r.activityId)!;
    const historyIds = r.history.some(
      (h) =>
        h.previous?.activityId !== undefined &&
        activityId(r.agreementId, h.previous.activityId) !== h.previous.activityId,
    );
    if (!redact && id === r.activityId && !historyIds) return undefined;
    const next = structuredClone(r as WeeklyReport);
    next.activityId = id;
    next.history = next.history.map((h): ReportChange => {
      if (!h.previous) return h;
      const previous = { ...h.previous };
      if (previous.activityId !== undefined) previous.activityId = activityId(r.agreementId, previous.activityId);
      if (redact && previous.description) previous.description = this.redacted;
      return { ...h, previous };
    });
    if (redact) {
      if (next.description) next.description = this.redacted;
      if (next.withdrawn?.reason !== undefined) next.withdrawn.reason = this.redacted;
      next.history.push({ at, by: SWEEP_ACTOR, action: 'purged', reason: 'privacy' });
      next.updatedAt = at;
    }
    return { report: next, redacted: redact };
  }
}
