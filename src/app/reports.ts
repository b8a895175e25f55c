import { randomUUID } from 'node:crypto';
import type { Agreement } from '../domain/agreement.js';
import {
  addLocalDays,
  addWeeks,
  compareWeeks,
  isoWeekOf,
  isoWeekOfLocalDate,
  isValidIsoWeek,
  localDateOf,
  mondayOfWeek,
} from '../domain/calendar.js';
import type { ReportingParty } from '../domain/party.js';
import {
  changedFields,
  isNothingToReport,
  NOTHING_TO_REPORT_ACTIVITY,
  rowSubmissionId,
  selectableWeeks,
  validateReport,
  validateWeekCard,
  type RawReportInput,
  type ReportError,
  type ReportRules,
  type WeeklyReport,
} from '../domain/report.js';
import type { Actor } from './actor.js';
import type { AgreementService } from './agreements.js';
import { recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

export interface ReportPolicy extends ReportRules {
  /** How many weeks back a reporter may still edit their own report. */
  editWeeks: number;
  /** The party of a reporter by their tenant (Polisen's tenant, the municipality's tenant). */
  partyByTenant: Record<string, ReportingParty>;
  /** The party of a reporter by AAD object id; wins over the tenant. */
  partyByPerson: Record<string, ReportingParty>;
}

export interface ReportForm {
  agreement: Agreement;
  weeks: string[];
  today: string;
  defaultParty?: ReportingParty;
  rules: ReportRules;
  existing?: Readonly<WeeklyReport>;
}

/** The rows a week card starts from ("Samma som förra veckan"): values by the single-report field names. */
export type RowValues = Record<string, string>;

export type WeekSubmitResult =
  | { kind: 'saved'; reports: Readonly<WeeklyReport>[]; duplicate: boolean; agreement: Agreement }
  | {
      kind: 'invalid';
      cardErrors: ReportError[];
      rowErrors: Map<number, ReportError[]>;
      form: ReportForm;
    }
  /** No row filled in, and not "inget att rapportera". */
  | { kind: 'empty'; form: ReportForm }
  | { kind: 'noAgreement'; periodEnd?: string };

export type NothingResult =
  | { kind: 'saved'; report: Readonly<WeeklyReport>; duplicate: boolean; agreement: Agreement }
  | { kind: 'invalid'; errors: ReportError[]; form: ReportForm }
  | { kind: 'noAgreement'; periodEnd?: string };

export type SubmitResult =
  | { kind: 'saved'; report: Readonly<WeeklyReport>; duplicate: boolean; agreement: Agreement }
  | { kind: 'invalid'; errors: ReportError[]; form: ReportForm }
  | { kind: 'noAgreement'; periodEnd?: string }
  | { kind: 'forbidden' }
  | { kind: 'notFound' };

/** The card's submission id when it is a sane one, else a fresh one. */
const submissionIdOf = (raw: RawReportInput): string =>
  typeof raw.submissionId === 'string' && /^[\w-]{8,64}$/.test(raw.submissionId) ? raw.submissionId : randomUUID();

/** What every new report holds besides its content: its ids, its reporter, its times and its first history step. */
function newReportRecord(actor: Actor, agreementId: string, submissionId: string, now: string) {
  return {
    id: randomUUID(),
    submissionId,
    agreementId,
    reporterId: actor.id,
    reporterTenantId: actor.tenantId,
    createdAt: now,
    updatedAt: now,
    history: [{ at: now, by: actor.id, action: 'created' as const }],
  };
}

/** Use cases for weekly reports: open a form, submit, edit, withdraw, list one's own. */
export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly clock: Clock,
    private readonly policy: ReportPolicy,
    private readonly audit: AuditLog,
  ) {}

  /** The calendar facts of the current minute: every zone's offset is whole minutes, so the date holds within one. */
  private day: { minute: number; today: string; weeks: string[]; editFrom: string } | undefined;

  private calendar(): { today: string; weeks: string[]; editFrom: string } {
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    if (this.day?.minute !== minute) {
      const today = localDateOf(this.clock.now());
      const thisWeek = isoWeekOfLocalDate(today);
      if (this.day?.today !== today)
        this.day = {
          minute,
          today,
          weeks: selectableWeeks(today, this.policy),
          editFrom: addWeeks(thisWeek, -this.policy.editWeeks),
        };
      else this.day.minute = minute;
    }
    return this.day;
  }

  private today(): string {
    return this.calendar().today;
  }

  async form(actor: Actor): Promise<ReportForm | { kind: 'noAgreement'; periodEnd?: string }> {
    const current = await this.agreements.current(actor.scope);
    if (!current || !current.inForce) return { kind: 'noAgreement', periodEnd: current?.agreement.periodEnd };
    const { today, weeks } = this.calendar();
    return {
      agreement: current.agreement,
      weeks: [...weeks],
      today,
      defaultParty: await this.defaultPartyOf(actor, current.agreement),
      rules: this.rulesOf(current.agreement),
    };
  }

  /**
   * The party pre-selected on a new card: PARTY_BY_PERSON, else the party of the person's latest
   * report (remembered on their reporter record), else the party they registered for, else by tenant.
   */
  async defaultPartyOf(actor: Actor, agreement?: Agreement): Promise<ReportingParty | undefined> {
    const byPerson = this.policy.partyByPerson[actor.id.toLowerCase()];
    if (byPerson) return byPerson;
    const record = await this.store.reporters.get(actor.id);
    return record?.lastParty ?? (record?.active ? record.party : undefined) ?? this.partyOf(actor, agreement);
  }

  /** The audit line of a stored new report ("inget att rapportera" says so in its detail). */
  private auditCreated(actor: Actor, report: Readonly<WeeklyReport>, now: string, correlationId?: string) {
    return recordStored(this.audit, {
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'report.created',
      objectId: report.id,
      outcome: 'ok',
      correlationId,
      ...(isNothingToReport(report) ? { detail: 'nothingToReport' } : {}),
    });
  }

  /** Keeps the party of a stored report on the person's reporter record (an inactive one if they never registered). */
  private async rememberParty(actor: Actor, party: ReportingParty): Promise<void> {
    const existing = await this.store.reporters.get(actor.id);
    if (existing?.lastParty === party) return;
    await this.store.reporters.put(
      existing
        ? { ...existing, lastParty: party }
        : {
            aadObjectId: actor.id,
            party,
            lastParty: party,
            tenantId: actor.tenantId,
            registeredAt: this.clock.now().toISOString(),
            active: false,
            partyOnly: true,
            ...(actor.scope ? { scope: actor.scope } : {}),
          },
    );
  }

  /**
   * A week card: every filled row a report of its own, stored together (all rows or none) after
   * every row passed today's validation and privacy guard. A double submit stores nothing new.
   */
  async submitWeek(actor: Actor, raw: RawReportInput, correlationId?: string): Promise<WeekSubmitResult> {
    const form = await this.form(actor);
    if ('kind' in form) return form;
    const checked = validateWeekCard(raw, {
      agreement: form.agreement,
      today: form.today,
      rules: form.rules,
      weeks: form.weeks,
    });
    if (!checked.ok) {
      if (checked.empty) return { kind: 'empty', form };
      const codes = [
        ...checked.cardErrors.map((e) => `${e.field}:${e.code}`),
        ...[...checked.rowErrors].flatMap(([row, errors]) => errors.map((e) => `r${row}.${e.field}:${e.code}`)),
      ];
      await this.audit.record({
        at: this.clock.now().toISOString(),
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'report.refused',
        outcome: 'refused',
        correlationId,
        detail: codes.join(','),
      });
      return { kind: 'invalid', cardErrors: checked.cardErrors, rowErrors: checked.rowErrors, form };
    }
    const submissionId = submissionIdOf(raw);
    const now = this.clock.now().toISOString();
    const reports: WeeklyReport[] = checked.rows.map(({ row, value }) => ({
      ...value,
      ...newReportRecord(actor, form.agreement.id, rowSubmissionId(submissionId, row), now),
    }));
    const { reports: stored, created } = await this.store.reports.addAll(reports);
    const fresh = new Set(reports.map((r) => r.id));
    for (const r of stored.filter((r) => fresh.has(r.id))) await this.auditCreated(actor, r, now, correlationId);
    if (created > 0) await this.rememberParty(actor, stored[0]!.party);
    return { kind: 'saved', reports: stored, duplicate: created === 0, agreement: form.agreement };
  }

  /**
   * "Inget att rapportera den här veckan": stored as a report of its own kind (counts as reported
   * for reminders and the reporting rate, adds to no activity). The week is the card's (else this
   * week), the party the card's, else the person's default.
   */
  async nothingToReport(actor: Actor, raw: RawReportInput, correlationId?: string): Promise<NothingResult> {
    const form = await this.form(actor);
    if ('kind' in form) return form;
    const week = typeof raw.week === 'string' && raw.week !== '' ? raw.week : form.weeks[0]!;
    const party = typeof raw.party === 'string' && raw.party !== '' ? raw.party : (form.defaultParty ?? '');
    // The date: the week's last day up to today (validated like any report's).
    const sunday = addLocalDays(mondayOfWeek(isValidIsoWeek(week) ? week : form.weeks[0]!), 6);
    const date = sunday < form.today ? sunday : form.today;
    const checked = validateReport(
      { week, date, party, activityId: '', count: '0', area: form.rules.areas[0] ?? '' },
      { agreement: form.agreement, today: form.today, rules: form.rules, weeks: form.weeks },
    );
    // Only the week and the party matter here: the activity is none.
    const errors = checked.ok ? [] : checked.errors.filter((e) => ['week', 'party', 'date'].includes(e.field));
    if (errors.length > 0) return { kind: 'invalid', errors, form };
    const now = this.clock.now().toISOString();
    const report: WeeklyReport = {
      kind: 'nothingToReport',
      week,
      activityId: NOTHING_TO_REPORT_ACTIVITY,
      pledgeNumber: Math.min(...form.agreement.pledges.map((p) => p.number)),
      count: 0,
      date,
      area: '-',
      description: '',
      raiseAtNextMeeting: false,
      party: party as ReportingParty,
      ...newReportRecord(actor, form.agreement.id, `${submissionIdOf(raw)}-nothing`, now),
    };
    const { report: stored, created } = await this.store.reports.add(report);
    if (created) {
      await this.auditCreated(actor, stored, now, correlationId);
      await this.rememberParty(actor, stored.party);
    }
    return { kind: 'saved', report: stored, duplicate: !created, agreement: form.agreement };
  }

  /**
   * "Samma som förra veckan": the person's own rows of the week before `week` (activity, count,
   * area, note, age bands), to start the card from; none when they reported nothing countable then.
   */
  async rowsOfWeekBefore(actor: Actor, week: string): Promise<RowValues[]> {
    if (!isValidIsoWeek(week)) return [];
    const previous = addWeeks(week, -1);
    const list = await this.store.reports.list({ reporterId: actor.id, fromWeek: previous, toWeek: previous });
    const ids = await this.scopeIds(actor);
    return [...list]
      .filter((r) => !isNothingToReport(r) && ids.has(r.agreementId))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.submissionId.localeCompare(b.submissionId))
      .map((r) => ({
        activityId: r.activityId,
        count: String(r.count),
        area: r.area,
        description: r.description,
        ageUnder18: r.ageBands ? String(r.ageBands.under18) : '',
        age18to21: r.ageBands ? String(r.ageBands.from18to21) : '',
        ageOver21: r.ageBands ? String(r.ageBands.over21) : '',
        raiseAtNextMeeting: 'false',
      }));
  }

  /** Reports by id that the actor may see (their own, or any of their municipality as coordinator). */
  async visible(
    actor: Actor,
    ids: readonly string[],
  ): Promise<{ reports: Readonly<WeeklyReport>[]; agreement?: Agreement }> {
    const scope = await this.scopeIds(actor);
    const reports: Readonly<WeeklyReport>[] = [];
    for (const id of ids.slice(0, 16)) {
      const r = await this.store.reports.get(id);
      if (r && (r.reporterId === actor.id || (actor.isCoordinator && scope.has(r.agreementId)))) reports.push(r);
    }
    const agreement = reports[0] ? await this.store.agreements.get(reports[0].agreementId) : undefined;
    return { reports, agreement };
  }

  async editForm(actor: Actor, reportId: string): Promise<ReportForm | { kind: 'forbidden' } | { kind: 'notFound' }> {
    const report = await this.store.reports.get(reportId);
    if (!report || report.withdrawn) return { kind: 'notFound' };
    if (!this.mayEdit(actor, report, await this.scopeIds(actor))) return { kind: 'forbidden' };
    const agreement = await this.store.agreements.get(report.agreementId);
    if (!agreement) return { kind: 'notFound' };
    const { today } = this.calendar();
    const weeks = [...this.calendar().weeks];
    if (!weeks.includes(report.week)) weeks.push(report.week);
    return { agreement, weeks, today, defaultParty: report.party, rules: this.rulesOf(agreement), existing: report };
  }

  async edit(actor: Actor, reportId: string, raw: RawReportInput, correlationId?: string): Promise<SubmitResult> {
    const form = await this.editForm(actor, reportId);
    if ('kind' in form) {
      if (form.kind === 'forbidden') await this.refused(actor, reportId, 'report.edit', correlationId);
      return form;
    }
    const current = form.existing!;
    const checked = validateReport(raw, {
      agreement: form.agreement,
      today: form.today,
      rules: form.rules,
      editingWeek: current.week,
    });
    if (!checked.ok) return { kind: 'invalid', errors: checked.errors, form };
    const previous = changedFields(current, checked.value);
    if (Object.keys(previous).length === 0)
      return { kind: 'saved', report: current, duplicate: true, agreement: form.agreement };
    const now = this.clock.now().toISOString();
    const next: WeeklyReport = {
      ...structuredClone(current as WeeklyReport),
      ...checked.value,
      updatedAt: now,
      history: [...current.history, { at: now, by: actor.id, action: 'edited', previous }],
    };
    await this.store.reports.update(next);
    await recordStored(this.audit, {
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'report.edited',
      objectId: reportId,
      outcome: 'ok',
      correlationId,
      detail: Object.keys(previous).join(','),
    });
    return { kind: 'saved', report: next, duplicate: false, agreement: form.agreement };
  }

  /** A soft delete: the report stays, marked withdrawn, with who and when. */
  async withdraw(
    actor: Actor,
    reportId: string,
    correlationId?: string,
  ): Promise<{ kind: 'withdrawn'; report: Readonly<WeeklyReport> } | { kind: 'forbidden' } | { kind: 'notFound' }> {
    const current = await this.store.reports.get(reportId);
    if (!current || current.withdrawn) return { kind: 'notFound' };
    if (!this.mayEdit(actor, current, await this.scopeIds(actor))) {
      await this.refused(actor, reportId, 'report.withdraw', correlationId);
      return { kind: 'forbidden' };
    }
    const now = this.clock.now().toISOString();
    const next: WeeklyReport = {
      ...structuredClone(current as WeeklyReport),
      updatedAt: now,
      withdrawn: { at: now, by: actor.id },
      history: [...current.history, { at: now, by: actor.id, action: 'withdrawn' }],
    };
    await this.store.reports.update(next);
    await recordStored(this.audit, {
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'report.withdrawn',
      objectId: reportId,
      outcome: 'ok',
      correlationId,
    });
    return { kind: 'withdrawn', report: next };
  }

  /** The actor's own reports of this and recent weeks, newest first. */
  async mine(actor: Actor, weeksBack = 8): Promise<{ reports: Readonly<WeeklyReport>[]; editable: Set<string> }> {
    const thisWeek = isoWeekOf(this.clock.now());
    const list = await this.store.reports.list({ reporterId: actor.id, fromWeek: addWeeks(thisWeek, -weeksBack) });
    const reports = [...list].sort(
      (a, b) => compareWeeks(b.week, a.week) || b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt),
    );
    const ids = await this.scopeIds(actor);
    return { reports, editable: new Set(reports.filter((r) => this.mayEdit(actor, r, ids)).map((r) => r.id)) };
  }

  /** Everyone's reports of this and last week, for coordinators to correct or withdraw. */
  async everyone(
    actor: Actor,
    weeksBack = 1,
  ): Promise<{ kind: 'forbidden' } | { kind: 'list'; reports: Readonly<WeeklyReport>[] }> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'reports', 'report.list-all');
      return { kind: 'forbidden' };
    }
    const thisWeek = isoWeekOf(this.clock.now());
    // A coordinator sees the reports of their municipality only.
    const ids = await this.scopeIds(actor);
    const list = (await this.store.reports.list({ fromWeek: addWeeks(thisWeek, -weeksBack) })).filter((r) =>
      ids.has(r.agreementId),
    );
    return {
      kind: 'list',
      reports: [...list].sort(
        (a, b) =>
          compareWeeks(b.week, a.week) || b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt),
      ),
    };
  }

  /**
   * Whether the actor may change the report: a coordinator any report of their municipality
   * (`scopeIds`: its agreements' ids, from scopeIds()), anyone their own of recent weeks.
   */
  mayEdit(actor: Actor, report: Readonly<WeeklyReport>, scopeIds: ReadonlySet<string>): boolean {
    if (actor.isCoordinator && scopeIds.has(report.agreementId)) return true;
    if (report.reporterId !== actor.id) return false;
    return compareWeeks(report.week, this.calendar().editFrom) >= 0;
  }

  /** The agreement ids of the actor's municipality (the turn's scope; absent: the only one). */
  async scopeIds(actor: Actor): Promise<Set<string>> {
    return new Set((await this.agreements.ofScope(actor.scope)).map((a) => a.id));
  }

  /** The agreement a report card in `scope` is for (in force or not). */
  async agreementOf(scope: string | undefined): Promise<Agreement | undefined> {
    return (await this.agreements.current(scope))?.agreement;
  }

  /** The rules of a report card: an agreement's own areas win over REPORT_AREAS. */
  private rulesOf(agreement: Agreement): ReportPolicy {
    return agreement.areas ? { ...this.policy, areas: agreement.areas } : this.policy;
  }

  /** PARTY_BY_PERSON, else the agreement's own party by tenant, else PARTY_BY_TENANT. */
  partyOf(actor: Actor, agreement?: Agreement): ReportingParty | undefined {
    const tenant = actor.tenantId?.toLowerCase();
    const own =
      agreement?.partyByTenant && tenant
        ? Object.entries(agreement.partyByTenant).find(([t]) => t.toLowerCase() === tenant)?.[1]
        : undefined;
    return (
      this.policy.partyByPerson[actor.id.toLowerCase()] ??
      own ??
      (tenant ? this.policy.partyByTenant[tenant] : undefined)
    );
  }

  private async refused(actor: Actor, objectId: string, what: string, correlationId?: string): Promise<void> {
    await recordRefusal(this.audit, this.clock.now(), actor, what, objectId, correlationId);
  }
}
