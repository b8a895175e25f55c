import { randomUUID } from 'node:crypto';
import { parseAgreement, type Activity, type Agreement, type FieldError } from '../domain/agreement.js';
import {
  addLocalDays,
  addWeeks,
  compareWeeks,
  isoWeekOf,
  localDateOf,
  mondayOfWeek,
  type IsoWeek,
} from '../domain/calendar.js';
import {
  activityCommandOf,
  applyActivityDraft,
  levelFromWord,
  overrideProblems,
  parseActivityCommand,
  parseOverrideCommand,
  resolveSubject,
  subjectFromKey,
  subjectKey,
  type ActivityCommandKind,
  type ActivityDraft,
  type ActivityProblem,
  type OverrideDraft,
  type OverrideProblem,
  type StatusSubject,
} from '../domain/coordinator-commands.js';
import { safeText } from '../domain/outbound-guard.js';
import { containsPersonalData, type PrivacyFindingKind } from '../domain/privacy.js';
import { REPORTING_PARTIES, type ReportingParty } from '../domain/party.js';
import type { WeeklyReport } from '../domain/report.js';
import type { Actor } from './actor.js';
import type { AgreementService } from './agreements.js';
import { recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { StoredOverride } from '../domain/override.js';
import type { Reporter } from '../domain/reporter.js';
import type { Store } from './ports.js';
import { reportersOfScope } from './scopes.js';
import type { StatusService, StatusView } from './status.js';

/**
 * What coordinators (kommunpolis, säkerhetssamordnare) do beyond reporting: set a status by hand
 * with a reason, lift it, change the agreement's activities and targets, and see how many report.
 * Every change and every refusal is audited; the audit holds ids and codes, never the reason text.
 */

export interface RequestMeta {
  correlationId?: string;
  /** The acting person's display name as Teams gives it: shown with their overrides. */
  byName?: string;
}

export type Forbidden = { kind: 'forbidden' };
export type NoAgreement = { kind: 'noAgreement' };

export type OverrideResult =
  | Forbidden
  | NoAgreement
  | {
      kind: 'invalid';
      agreement: Agreement;
      draft: OverrideDraft;
      problems: OverrideProblem[];
      personalData: PrivacyFindingKind[];
      typed: string;
    }
  | { kind: 'saved'; override: StoredOverride; subject: StatusSubject; view: StatusView };

export type ClearResult =
  | Forbidden
  | NoAgreement
  | { kind: 'invalid'; agreement: Agreement; typed: string }
  | { kind: 'none'; agreement: Agreement; subject: StatusSubject }
  | { kind: 'cleared'; subject: StatusSubject; cleared: StoredOverride[]; view: StatusView };

export type ActivitiesResult =
  | Forbidden
  | NoAgreement
  | { kind: 'list'; agreement: Agreement; mayChange: boolean }
  | {
      kind: 'invalid';
      command: Exclude<ActivityCommandKind, 'list'>;
      agreement: Agreement;
      draft?: ActivityDraft;
      problems: ActivityProblem[];
      errors: FieldError[];
      typed: string;
    }
  | {
      kind: 'saved';
      command: Exclude<ActivityCommandKind, 'list'>;
      agreement: Agreement;
      activity: Activity;
      previous?: Activity;
    };

export interface PartyWeekRate {
  /** Distinct people who filed at least one report for this party this week. */
  reporters: number;
  /** Reports filed (not the summed counts). */
  reports: number;
  /** Registered, active rapportörer of this party expected to report this week. */
  registered: number;
  /** Of those, how many filed at least one report this week. */
  registeredReported: number;
}

export interface WeekRate {
  week: IsoWeek;
  /** The week is still going on. */
  current: boolean;
  parties: Record<ReportingParty, PartyWeekRate>;
}

export type ReportingRateResult =
  Forbidden | NoAgreement | { kind: 'rate'; agreement: Agreement; weeks: WeekRate[]; anyRegistered: boolean };

/** The weeks a reporting rate covers: this ISO week and the `count - 1` before it, oldest first. */
export function lastWeeks(thisWeek: IsoWeek, count: number): IsoWeek[] {
  return Array.from({ length: count }, (_, i) => addWeeks(thisWeek, i - count + 1));
}

/**
 * Per ISO week and party: who reported and how many reports, and the share of the registered
 * rapportörer who did. A registered person counts for a week when registered by its Sunday and not
 * away through its Friday.
 */
export function computeReportingRate(
  reports: readonly Readonly<WeeklyReport>[],
  reporters: readonly Reporter[],
  weeks: readonly IsoWeek[],
  thisWeek: IsoWeek,
): WeekRate[] {
  return weeks.map((week) => {
    const monday = mondayOfWeek(week);
    const friday = addLocalDays(monday, 4);
    const sunday = addLocalDays(monday, 6);
    const ofWeek = reports.filter((r) => r.week === week && !r.withdrawn);
    const reportedIds = new Set(ofWeek.map((r) => r.reporterId.toLowerCase()));
    const parties = {} as Record<ReportingParty, PartyWeekRate>;
    for (const party of REPORTING_PARTIES) {
      const own = ofWeek.filter((r) => r.party === party);
      const registered = reporters.filter(
        (p) =>
          p.active &&
          p.party === party &&
          localDateOf(new Date(p.registeredAt)) <= sunday &&
          !(p.absentUntil && p.absentUntil.slice(0, 10) >= friday),
      );
      parties[party] = {
        reporters: new Set(own.map((r) => r.reporterId.toLowerCase())).size,
        // "Inget att rapportera" counts the person as reported, not as a report of work.
        reports: own.filter((r) => r.kind !== 'nothingToReport').length,
        registered: registered.length,
        registeredReported: registered.filter((p) => reportedIds.has(p.aadObjectId.toLowerCase())).length,
      };
    }
    return { week, current: week === thisWeek, parties };
  });
}

function matchesSubject(o: StoredOverride, s: StatusSubject): boolean {
  return s.kind === 'activity'
    ? o.activityId === s.activityId
    : o.activityId === undefined && o.pledgeNumber === s.pledgeNumber;
}

export class CoordinationService {
  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly status: StatusService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  private today(): string {
    return localDateOf(this.clock.now());
  }

  private async refuse(actor: Actor, what: string, meta: RequestMeta): Promise<Forbidden> {
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'access.refused',
      outcome: 'refused',
      correlationId: meta.correlationId,
      detail: what,
    });
    return { kind: 'forbidden' };
  }

  // -------------------------------------------------------------------------
  // Status overrides
  // -------------------------------------------------------------------------

  /** "sätt status löfte 2 risk: …" — `text` is what follows the command words. */
  async override(actor: Actor, text: string, meta: RequestMeta = {}): Promise<OverrideResult> {
    if (!actor.isCoordinator) return this.refuse(actor, 'status.override', meta);
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    return this.saveOverride(
      actor,
      current.agreement,
      parseOverrideCommand(text, current.agreement, this.today()),
      text,
      meta,
    );
  }

  /** The override form card: subject key ('p:2', 'a:<id>'), level, reason. */
  async overrideFromForm(
    actor: Actor,
    values: { subject?: unknown; level?: unknown; reason?: unknown },
    meta: RequestMeta = {},
  ): Promise<OverrideResult> {
    if (!actor.isCoordinator) return this.refuse(actor, 'status.override', meta);
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const subject = subjectFromKey(str(values.subject), current.agreement);
    const level = levelFromWord(str(values.level));
    const draft: OverrideDraft = {
      ...(subject ? { subject } : {}),
      subjectText: '',
      ...(level ? { level } : {}),
      reason: str(values.reason),
    };
    return this.saveOverride(actor, current.agreement, draft, '', meta);
  }

  private async saveOverride(
    actor: Actor,
    agreement: Agreement,
    draft: OverrideDraft,
    typed: string,
    meta: RequestMeta,
  ): Promise<OverrideResult> {
    const { problems, personalData } = overrideProblems(draft, typed);
    if (personalData.length > 0)
      return {
        kind: 'invalid',
        agreement,
        draft: { ...draft, subjectText: '', reason: '' },
        problems,
        personalData,
        typed: '',
      };
    if (problems.length > 0 || !draft.subject || !draft.level)
      return { kind: 'invalid', agreement, draft, problems, personalData, typed };
    const subject = draft.subject;
    const now = this.clock.now().toISOString();
    const override: StoredOverride = {
      id: randomUUID(),
      agreementId: agreement.id,
      pledgeNumber: subject.pledgeNumber,
      ...(subject.kind === 'activity' ? { activityId: subject.activityId } : {}),
      level: draft.level,
      reason: draft.reason.trim(),
      by: actor.id,
      // The display name Teams gave, kept only when it passes the privacy guard.
      ...(safeText(meta.byName?.slice(0, 100)) ? { byName: meta.byName!.slice(0, 100) } : {}),
      at: now,
    };
    await this.store.overrides.put(override);
    await recordStored(this.audit, {
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'status.override',
      objectId: override.id,
      outcome: 'ok',
      correlationId: meta.correlationId,
      detail: `${subjectKey(subject)}:${draft.level}`,
    });
    const view = await this.status.current(actor.scope);
    return { kind: 'saved', override, subject, view: view! };
  }

  /** "ta bort status löfte 2": lifts the overrides in force for the subject; they are kept, marked cleared. */
  async clearOverride(actor: Actor, text: string, meta: RequestMeta = {}): Promise<ClearResult> {
    if (!actor.isCoordinator) return this.refuse(actor, 'status.override.clear', meta);
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const subject = resolveSubject(text.replace(/:.*$/s, ''), current.agreement, this.today());
    // What was typed is shown back only when it passes the privacy guard.
    if (!subject)
      return { kind: 'invalid', agreement: current.agreement, typed: containsPersonalData(text) ? '' : text };
    return this.clear(actor, current.agreement, subject, meta);
  }

  /** The "Ta bort" button: the subject comes as a key. */
  async clearOverrideByKey(actor: Actor, key: string, meta: RequestMeta = {}): Promise<ClearResult> {
    if (!actor.isCoordinator) return this.refuse(actor, 'status.override.clear', meta);
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const subject = subjectFromKey(key, current.agreement);
    if (!subject) return { kind: 'invalid', agreement: current.agreement, typed: '' };
    return this.clear(actor, current.agreement, subject, meta);
  }

  /**
   * Clears every override in force for the subject, the newest included: an older one left active
   * would otherwise come back into force, and "ta bort status" means back to the computed status.
   */
  private async clear(
    actor: Actor,
    agreement: Agreement,
    subject: StatusSubject,
    meta: RequestMeta,
  ): Promise<ClearResult> {
    const active = (await this.store.overrides.listOf(agreement.id))
      .filter((o) => !o.clearedAt && matchesSubject(o, subject))
      .sort((a, b) => b.at.localeCompare(a.at));
    if (active.length === 0) return { kind: 'none', agreement, subject };
    const now = this.clock.now().toISOString();
    const cleared: StoredOverride[] = [];
    for (const o of active) {
      const next = { ...o, clearedAt: now, clearedBy: actor.id };
      await this.store.overrides.put(next);
      await recordStored(this.audit, {
        at: now,
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'status.override.cleared',
        objectId: o.id,
        outcome: 'ok',
        correlationId: meta.correlationId,
        detail: subjectKey(subject),
      });
      cleared.push(next);
    }
    const view = await this.status.current(actor.scope);
    return { kind: 'cleared', subject, cleared, view: view! };
  }

  // -------------------------------------------------------------------------
  // Activities and targets
  // -------------------------------------------------------------------------

  /**
   * "aktiviteter" (anyone may list), "sätt mål …", "ny aktivitet …", "ändra aktivitet …"
   * (coordinators). `text` is the whole message: the command words tell which change it is.
   */
  async activities(actor: Actor, text: string, meta: RequestMeta = {}): Promise<ActivitiesResult> {
    const command = activityCommandOf(text);
    if (command.kind !== 'list' && !actor.isCoordinator) return this.refuse(actor, `agreement.${command.kind}`, meta);
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const agreement = current.agreement;
    if (command.kind === 'list') return { kind: 'list', agreement, mayChange: actor.isCoordinator };
    if (command.rest === '')
      return { kind: 'invalid', command: command.kind, agreement, problems: [], errors: [], typed: '' };

    const draft = parseActivityCommand(command.kind, command.rest, agreement, this.today());
    if (draft.problems.length > 0)
      return {
        kind: 'invalid',
        command: command.kind,
        agreement,
        draft,
        problems: draft.problems,
        errors: [],
        typed: draft.personalData.length > 0 ? '' : command.rest,
      };
    const checked = parseAgreement(applyActivityDraft(agreement, draft));
    if (!checked.ok)
      return {
        kind: 'invalid',
        command: command.kind,
        agreement,
        draft,
        problems: [],
        errors: checked.errors,
        typed: command.rest,
      };

    const next = checked.value;
    const previous = draft.activityId ? agreement.activities.find((a) => a.id === draft.activityId) : undefined;
    const activity = previous
      ? next.activities.find((a) => a.id === previous.id)!
      : next.activities[next.activities.length - 1]!;
    const changed = previous
      ? (['wording', 'unit', 'unitSingular', 'owner', 'target', 'youthFocus'] as const).filter(
          (k) => JSON.stringify(previous[k]) !== JSON.stringify(activity[k]),
        )
      : [];
    await this.store.agreements.save(next);
    await recordStored(this.audit, {
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'agreement.changed',
      objectId: agreement.id,
      outcome: 'ok',
      correlationId: meta.correlationId,
      detail: previous ? `activity.changed:${activity.id}:${changed.join(',')}` : `activity.added:${activity.id}`,
    });
    return { kind: 'saved', command: command.kind, agreement: next, activity, ...(previous ? { previous } : {}) };
  }

  // -------------------------------------------------------------------------
  // Reporting rate
  // -------------------------------------------------------------------------

  /** "rapporteringsgrad": the last `weeks` ISO weeks (this one included), per party. */
  async reportingRate(actor: Actor, meta: RequestMeta = {}, weeks = 4): Promise<ReportingRateResult> {
    if (!actor.isCoordinator) return this.refuse(actor, 'reportingRate', meta);
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const thisWeek = isoWeekOf(this.clock.now());
    const span = lastWeeks(thisWeek, weeks);
    const reports = await this.store.reports.list({
      agreementId: current.agreement.id,
      fromWeek: span[0],
      toWeek: thisWeek,
    });
    const reporters = await reportersOfScope(this.store, actor.scope);
    const rates = computeReportingRate(reports, reporters, span, thisWeek);
    const anyRegistered = rates.some((w) => REPORTING_PARTIES.some((p) => w.parties[p].registered > 0));
    return {
      kind: 'rate',
      agreement: current.agreement,
      weeks: rates.sort((a, b) => compareWeeks(b.week, a.week)),
      anyRegistered,
    };
  }
}
