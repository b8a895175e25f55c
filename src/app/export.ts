import type { Agreement } from '../domain/agreement.js';
import { localDateOf, tertialOfLocalDate } from '../domain/calendar.js';
import type { WeeklyReport } from '../domain/report.js';
import type { Actor } from './actor.js';
import type { AgreementService } from './agreements.js';
import type { AuditEntry, AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

/**
 * Exports for public-records requests (allmänna handlingar) and archiving: an agreement's reports
 * as CSV (one row per report, for Excel) or JSON (the stored records with their history), and the
 * audit trail as CSV or JSON lines. Only coordinators (or the operator at the server) export, and
 * every export is audited.
 */

export type ExportFormat = 'csv' | 'json';
export type AuditExportFormat = 'csv' | 'jsonl';

/** Reads the audit trail back (the AuditLog port only appends). */
export interface AuditTrail {
  /**
   * Every entry, oldest first (with `since`, those at or after that ISO instant); lines that do not
   * parse (a torn last line after a crash) are counted.
   */
  read(options?: { since?: string }): Promise<{ entries: AuditEntry[]; unreadable: number }>;
  /** The newest `n` entries, newest first. */
  tail(n: number): Promise<AuditEntry[]>;
}

export const REPORT_COLUMNS = [
  'reportId',
  'date',
  'week',
  'tertial',
  'pledge',
  'activityId',
  'activity',
  'count',
  'area',
  'ageUnder18',
  'age18to21',
  'ageOver21',
  'party',
  'raiseAtNextMeeting',
  'withdrawn',
  'withdrawnAt',
  'createdAt',
  'updatedAt',
  'description',
  'freeTextPurged',
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

export const AUDIT_COLUMNS = [
  'at',
  'action',
  'outcome',
  'actorId',
  'tenantId',
  'objectId',
  'correlationId',
  'detail',
] as const;
export type AuditColumn = (typeof AUDIT_COLUMNS)[number];

/** Column headers and cell words, from texts/ (Swedish in files for the registry). */
export interface CsvLabels {
  reportColumns: Record<ReportColumn, string>;
  auditColumns: Record<AuditColumn, string>;
  yes: string;
  no: string;
  otherActivity: string;
  /** The activity cell of an "inget att rapportera" record. */
  nothingToReport: string;
}

export interface ExportSummary {
  agreement: Agreement;
  reports: number;
  withdrawn: number;
  withFreeText: number;
  purged: number;
  firstDate?: string;
  lastDate?: string;
}

const BOM = '\uFEFF';

/** One RFC 4180 field: quoted when it holds the delimiter, a quote or a line break; quotes doubled. */
export function csvField(value: string, delimiter = ','): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 text (CRLF line ends) with a UTF-8 byte order mark, so Excel reads å, ä and ö. */
export function toCsv(rows: string[][], delimiter = ','): string {
  return BOM + rows.map((row) => row.map((f) => csvField(f, delimiter)).join(delimiter)).join('\r\n') + '\r\n';
}

/** Free text a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe in CSV. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export const isPurged = (r: Readonly<WeeklyReport>): boolean => r.history.some((h) => h.action === 'purged');

const byDate = (a: Readonly<WeeklyReport>, b: Readonly<WeeklyReport>) =>
  a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export function summarise(agreement: Agreement, reports: ReadonlyArray<Readonly<WeeklyReport>>): ExportSummary {
  const sorted = [...reports].sort(byDate);
  return {
    agreement,
    reports: reports.length,
    withdrawn: reports.filter((r) => r.withdrawn).length,
    withFreeText: reports.filter((r) => r.description !== '').length,
    purged: reports.filter(isPurged).length,
    firstDate: sorted[0]?.date,
    lastDate: sorted[sorted.length - 1]?.date,
  };
}

export function reportsCsv(
  agreement: Agreement,
  reports: ReadonlyArray<Readonly<WeeklyReport>>,
  labels: CsvLabels,
  delimiter = ',',
): string {
  const wording = new Map(agreement.activities.map((a) => [a.id, a.wording]));
  const yesNo = (b: boolean) => (b ? labels.yes : labels.no);
  const band = (n: number | undefined) => (n === undefined ? '' : String(n));
  const rows = [...reports].sort(byDate).map((r) => {
    const purged = isPurged(r);
    const cells: Record<ReportColumn, string> = {
      reportId: r.id,
      date: r.date,
      week: r.week,
      tertial: tertialOfLocalDate(r.date),
      pledge: String(r.pledgeNumber),
      activityId: r.activityId,
      activity:
        r.kind === 'nothingToReport' ? labels.nothingToReport : (wording.get(r.activityId) ?? labels.otherActivity),
      count: String(r.count),
      area: r.area,
      ageUnder18: band(r.ageBands?.under18),
      age18to21: band(r.ageBands?.from18to21),
      ageOver21: band(r.ageBands?.over21),
      party: r.party,
      raiseAtNextMeeting: yesNo(r.raiseAtNextMeeting),
      withdrawn: yesNo(Boolean(r.withdrawn)),
      withdrawnAt: r.withdrawn?.at ?? '',
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      description: purged ? '' : neutraliseFormula(r.description),
      freeTextPurged: yesNo(purged),
    };
    return REPORT_COLUMNS.map((c) => cells[c]);
  });
  return toCsv([REPORT_COLUMNS.map((c) => labels.reportColumns[c]), ...rows], delimiter);
}

/** The stored records as they are (with history and the AAD object ids of who filed and changed them). */
export function reportsJson(
  agreement: Agreement,
  reports: ReadonlyArray<Readonly<WeeklyReport>>,
  exportedAt: string,
): string {
  const { agreement: _, ...summary } = summarise(agreement, reports);
  return `${JSON.stringify({ format: 'medborgarlofte-export', version: 1, exportedAt, agreement, summary, reports: [...reports].sort(byDate) }, null, 2)}\n`;
}

export function auditCsv(entries: AuditEntry[], labels: CsvLabels, delimiter = ','): string {
  const rows = entries.map((e) => {
    const cells: Record<AuditColumn, string> = {
      at: e.at,
      action: e.action,
      outcome: e.outcome,
      actorId: e.actor?.id ?? '',
      tenantId: e.actor?.tenantId ?? '',
      objectId: e.objectId ?? '',
      correlationId: e.correlationId ?? '',
      detail: neutraliseFormula(e.detail ?? ''),
    };
    return AUDIT_COLUMNS.map((c) => cells[c]);
  });
  return toCsv([AUDIT_COLUMNS.map((c) => labels.auditColumns[c]), ...rows], delimiter);
}

export const auditJsonLines = (entries: AuditEntry[]): string => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

/** Entries whose time falls on the local dates from..to (inclusive, Europe/Stockholm). */
export function filterAudit(entries: AuditEntry[], range: { from?: string; to?: string }): AuditEntry[] {
  return entries.filter((e) => {
    const t = Date.parse(e.at);
    if (Number.isNaN(t)) return false;
    const day = localDateOf(new Date(t));
    return (!range.from || day >= range.from) && (!range.to || day <= range.to);
  });
}

export type Forbidden = { kind: 'forbidden' };

async function refuse(
  audit: AuditLog,
  clock: Clock,
  actor: Actor,
  what: string,
  correlationId?: string,
): Promise<Forbidden> {
  await audit.record({
    at: clock.now().toISOString(),
    actor: { id: actor.id, tenantId: actor.tenantId },
    action: 'access.refused',
    outcome: 'refused',
    correlationId,
    detail: what,
  });
  return { kind: 'forbidden' };
}

export class ExportService {
  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly retention: { freeTextDays: number },
  ) {}

  /** What an export of the agreement (the current one if no id is given) would contain. */
  async summary(
    actor: Actor,
    agreementId?: string,
    correlationId?: string,
  ): Promise<
    | { kind: 'ok'; summary: ExportSummary; freeTextDays: number }
    | { kind: 'notFound'; known: string[] }
    | { kind: 'noAgreement' }
    | Forbidden
  > {
    if (!actor.isCoordinator) return this.refused(actor, 'data.export', correlationId);
    const ofScope = await this.agreements.ofScope(actor.scope);
    const agreement = agreementId
      ? ofScope.find((a) => a.id === agreementId)
      : (await this.agreements.current(actor.scope))?.agreement;
    if (!agreement)
      return agreementId ? { kind: 'notFound', known: ofScope.map((a) => a.id) } : { kind: 'noAgreement' };
    const reports = await this.store.reports.list({ agreementId: agreement.id, includeWithdrawn: true });
    return { kind: 'ok', summary: summarise(agreement, reports), freeTextDays: this.retention.freeTextDays };
  }

  /** The export file's content; audited as data.exported with the format and the number of reports. */
  async exportAgreement(
    actor: Actor,
    agreementId: string,
    format: ExportFormat,
    labels: CsvLabels,
    options: { delimiter?: string; correlationId?: string } = {},
  ): Promise<
    { kind: 'ok'; content: string; summary: ExportSummary } | { kind: 'notFound'; known: string[] } | Forbidden
  > {
    if (!actor.isCoordinator) return this.refused(actor, 'data.export', options.correlationId);
    // A coordinator exports their own municipality's agreements only (the CLI: the only one, or any by id).
    const ofScope =
      actor.scope === undefined ? await this.store.agreements.list() : await this.agreements.ofScope(actor.scope);
    const agreement = ofScope.find((a) => a.id === agreementId);
    if (!agreement) return { kind: 'notFound', known: ofScope.map((a) => a.id) };
    const reports = await this.store.reports.list({ agreementId, includeWithdrawn: true });
    const now = this.clock.now().toISOString();
    const content =
      format === 'csv'
        ? reportsCsv(agreement, reports, labels, options.delimiter)
        : reportsJson(agreement, reports, now);
    await this.audit.record({
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'data.exported',
      objectId: agreementId,
      outcome: 'ok',
      correlationId: options.correlationId,
      detail: `format=${format};reports=${reports.length}`,
    });
    return { kind: 'ok', content, summary: summarise(agreement, reports) };
  }

  private refused(actor: Actor, what: string, correlationId?: string): Promise<Forbidden> {
    return refuse(this.audit, this.clock, actor, what, correlationId);
  }
}

/** The audit trail read back for coordinators: a file for the operator, the newest entries in chat. */
export class AuditExportService {
  constructor(
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly trail: AuditTrail,
  ) {}

  /** The audit trail between two local dates; audited as audit.exported (after the read, so not in it). */
  async exportAudit(
    actor: Actor,
    range: { from?: string; to?: string },
    format: AuditExportFormat,
    labels: CsvLabels,
    options: { delimiter?: string; correlationId?: string } = {},
  ): Promise<{ kind: 'ok'; content: string; entries: number; unreadable: number } | Forbidden> {
    if (!actor.isCoordinator) return this.refused(actor, 'audit.export', options.correlationId);
    const { entries, unreadable } = await this.trail.read();
    const chosen = filterAudit(entries, range);
    const content = format === 'csv' ? auditCsv(chosen, labels, options.delimiter) : auditJsonLines(chosen);
    const detail = [
      `format=${format}`,
      `entries=${chosen.length}`,
      range.from && `from=${range.from}`,
      range.to && `to=${range.to}`,
    ]
      .filter(Boolean)
      .join(';');
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'audit.exported',
      outcome: 'ok',
      correlationId: options.correlationId,
      detail,
    });
    return { kind: 'ok', content, entries: chosen.length, unreadable };
  }

  /** The newest entries for the chat card, newest first; audited as audit.exported. */
  async recentAudit(
    actor: Actor,
    n = 20,
    correlationId?: string,
  ): Promise<{ kind: 'ok'; entries: AuditEntry[] } | Forbidden> {
    if (!actor.isCoordinator) return this.refused(actor, 'audit.read', correlationId);
    const entries = await this.trail.tail(n);
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'audit.exported',
      outcome: 'ok',
      correlationId,
      detail: `chat;entries=${entries.length}`,
    });
    return { kind: 'ok', entries };
  }

  private refused(actor: Actor, what: string, correlationId?: string): Promise<Forbidden> {
    return refuse(this.audit, this.clock, actor, what, correlationId);
  }
}
