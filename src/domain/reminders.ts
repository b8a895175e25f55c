/**
 * Reminder policy: what is sent when. Pure functions without I/O and without a clock: "now" and
 * the previous check are parameters. Delivery (ledger, retries, proactive messages) lives in the
 * scheduler; this module only decides which occurrences are due.
 *
 * Four kinds of occurrence, each with a stable key for exactly-once delivery:
 *
 * - `weekly`, key `weekly:2024-W11:<aadObjectId>`: on the weekday at the time (a holiday → the previous
 *   working day of the week); valid until the end of the week (Monday 00:00).
 * - `meetingDigest`, key `meeting-digest:<id>:r<revision>:3wd` / `:morning`: n working days before the
 *   meeting at digestTime, and the meeting day's morning; valid until the meeting's start.
 * - `tertialSummary`, key `tertial-summary:<agreementId>:2024-T1`: the tertial's last working day at
 *   tertialSummaryTime; valid for 7 days.
 * - `periodWarning`, key `period-warning:<agreementId>:90`: 90/30 days before periodEnd at 09:00 (→ the
 *   previous working day); valid until the end of periodEnd (00:00 the day after).
 * - `weeklySummary`, key `weekly-summary:<agreementId>:2024-W10`: the summary of a week, in the linked
 *   channel, on the next week's `weeklySummaryWeekday` at `weeklySummaryTime` (Monday 08:00; a holiday
 *   moves it within the week); only when the input says it is on; valid until the end of that day.
 *
 * A meeting saved after one of its digest times (its `knownSince` after the previous check) gets
 * the latest passed digest at the next check, if the meeting has not started: with the same key, so
 * the ledger still sends it once.
 *
 * `dueReminders` returns the reminders with `lastCheck < dueAt <= now`: those still useful
 * (`now < expiresAt`) in `due`, the rest in `expired` (logged as skipped).
 * The scheduler checks its own ledger for keys already sent.
 */
import { z } from 'zod';
import { REPORTING_PARTIES } from './party.js';
import {
  addLocalDays,
  DEFAULT_ZONE,
  isoWeekOfLocalDate,
  isWorkingDay,
  localDateOf,
  localDateTimeToInstant,
  mondayOfWeek,
  parseLocalDate,
  subtractWorkingDays,
  tertialLocalDates,
  tertialOfLocalDate,
  addTertials,
  addWeeks,
  compareWeeks,
  weekEnd,
  workingDayOnOrBefore,
  type IsoWeek,
  type LocalDate,
  type Tertial,
} from './calendar.js';

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'ska vara ett klockslag på formen HH:mm, t.ex. 13:00');

export const ReminderSettingsSchema = z.object({
  /** ISO weekday of the weekly reminder: Monday = 1 … Sunday = 7 (4 = Thursday). */
  weeklyWeekday: z.number().int().min(1, 'ska vara 1–7 (måndag–söndag)').max(7, 'ska vara 1–7 (måndag–söndag)'),
  weeklyTime: hhmm,
  /** Digest before a meeting: this many working days before the meeting day (0 = the same day). */
  digestWorkingDaysBefore: z.array(z.number().int().min(0, 'ska vara 0 eller fler arbetsdagar').max(60)).max(10),
  digestTime: hhmm,
  /** Digest on the morning of the meeting day (skipped if the meeting starts at or before then). */
  morningDigest: z.boolean(),
  morningTime: hhmm,
  tertialSummaryTime: hhmm,
  /** Warnings this many calendar days before periodEnd. */
  periodWarningDays: z.array(z.number().int().min(1, 'ska vara minst 1 dag').max(730)).max(10),
  periodWarningTime: hhmm,
  /** The weekly summary of last week in the linked channel: ISO weekday and local time. */
  weeklySummaryWeekday: z.number().int().min(1, 'ska vara 1–7 (måndag–söndag)').max(7, 'ska vara 1–7 (måndag–söndag)'),
  weeklySummaryTime: hhmm,
  zone: z.string().min(1),
});
export type ReminderSettings = z.infer<typeof ReminderSettingsSchema>;

export const DEFAULT_REMINDER_SETTINGS: Readonly<ReminderSettings> = Object.freeze({
  weeklyWeekday: 4,
  weeklyTime: '13:00',
  digestWorkingDaysBefore: [3],
  digestTime: '08:00',
  morningDigest: true,
  morningTime: '07:30',
  tertialSummaryTime: '14:00',
  periodWarningDays: [90, 30],
  periodWarningTime: '09:00',
  weeklySummaryWeekday: 1,
  weeklySummaryTime: '08:00',
  zone: DEFAULT_ZONE,
});

/** How long a missed tertial summary is still sent (days after dueAt). */
export const TERTIAL_SUMMARY_GRACE_DAYS = 7;

/**
 * Merges partial settings with the defaults and validates them. Errors are given per field
 * (the same shape as `parseAgreement`).
 */
export function parseReminderSettings(
  input: Partial<ReminderSettings> | undefined,
): { ok: true; value: ReminderSettings } | { ok: false; errors: { path: string; message: string }[] } {
  const merged = { ...DEFAULT_REMINDER_SETTINGS, ...(input ?? {}) };
  const result = ReminderSettingsSchema.safeParse(merged);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({ path: i.path.join('.') || '(roten)', message: i.message })),
  };
}

// ---------------------------------------------------------------------------
// Inputs and occurrences
// ---------------------------------------------------------------------------

/** What the policy needs of a citizen promise (a whole `Agreement` will do). */
export interface AgreementPeriod {
  id: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
}

/** What the policy needs of a reporter (a `Reporter` from ports.ts will do). */
export interface ReporterLike {
  aadObjectId: string;
  active: boolean;
  /** Absent up to and including this local date. */
  absentUntil?: string;
}

/** What the policy needs of a meeting (a `Meeting` from ports.ts will do). */
export interface MeetingLike {
  id: string;
  /** If set and different from the agreement's id, the meeting is ignored. */
  agreementId?: string;
  /** Local date 'YYYY-MM-DD' (in the settings' zone). */
  date: string;
  /** Local time 'HH:mm'. */
  time: string;
  revision: number;
  /** A cancelled meeting (truthy) yields no occurrences. */
  cancelled?: unknown;
  /**
   * When this revision of the meeting was saved (ISO instant). A meeting saved after one of its
   * digest times (and after the previous check) still gets that digest at the next check.
   */
  knownSince?: string;
}

export type DueReminderKind = 'weekly' | 'meetingDigest' | 'tertialSummary' | 'periodWarning' | 'weeklySummary';

/** When a meeting digest is sent: `<n>wd` (n working days before) or `morning`. */
export type MeetingDigestSlot = `${number}wd` | 'morning';

export interface DueReminder {
  /** Stable key for exactly-once delivery (see the module comment). */
  key: string;
  kind: DueReminderKind;
  /** When the reminder is to be sent (an instant). */
  dueAt: Date;
  /** From this instant on it is no longer sent (it is logged as skipped). */
  expiresAt: Date;
  agreementId: string;
  /** The local date of dueAt (after a move away from a holiday). */
  localDate: LocalDate;
  /** weekly: the week the reminder is about; weeklySummary: the week summarised (the previous one). */
  week?: IsoWeek;
  /** weekly: the reporter to remind (one occurrence per reporter). */
  reporterId?: string;
  /** weekly: the same as [reporterId], for deliveries that send to a list. */
  recipients?: string[];
  /** meetingDigest */
  meetingId?: string;
  meetingRevision?: number;
  meetingSlot?: MeetingDigestSlot;
  /** meetingDigest: the meeting's start (= expiresAt). */
  meetingStart?: Date;
  /** meetingDigest with slot `<n>wd`: n. */
  workingDaysBefore?: number;
  /** tertialSummary */
  tertial?: Tertial;
  /** periodWarning: calendar days before periodEnd (before any move to a working day). */
  daysBefore?: number;
  /** periodWarning: the agreement's periodEnd. */
  periodEnd?: LocalDate;
}

export interface DueInput {
  now: Date;
  /**
   * Exclusive lower bound: the instant of the previous check. On first start: `now` minus a
   * look-back (e.g. 7 days, see `DEFAULT_LOOKBACK_MS`).
   */
  lastCheck: Date;
  agreement: AgreementPeriod;
  reporters: readonly ReporterLike[];
  /** AAD ids of those who have reported that week. Called only for weeks with an occurrence in the window. */
  reportedThisWeek: (week: IsoWeek) => ReadonlySet<string>;
  meetings: readonly MeetingLike[];
  settings?: ReminderSettings;
  /** The weekly summary in the linked channel is on (a linked channel that has not turned it off). */
  weeklySummary?: boolean;
}

export interface DueResult {
  /** To be sent now (sorted by dueAt, then key). */
  due: DueReminder[];
  /** Expired while the bot was down: logged as skipped, not sent. */
  expired: DueReminder[];
  /** Meetings with an invalid date/time; they yield no occurrences. */
  invalidMeetings: string[];
}

/** Suggested look-back for `lastCheck` on first start. */
export const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

export function weeklyKey(week: IsoWeek, aadObjectId: string): string {
  return `weekly:${week}:${aadObjectId}`;
}

export function meetingDigestKey(meetingId: string, revision: number, slot: MeetingDigestSlot): string {
  return `meeting-digest:${meetingId}:r${revision}:${slot}`;
}

export function tertialSummaryKey(agreementId: string, tertial: Tertial): string {
  return `tertial-summary:${agreementId}:${tertial}`;
}

export function periodWarningKey(agreementId: string, daysBefore: number): string {
  return `period-warning:${agreementId}:${daysBefore}`;
}

/** One summary per summarised week and agreement (an agreement has one linked channel). */
export function weeklySummaryKey(agreementId: string, week: IsoWeek): string {
  return `weekly-summary:${agreementId}:${week}`;
}

// ---------------------------------------------------------------------------
// Instants
// ---------------------------------------------------------------------------

/**
 * The local date of the weekly reminder: the week's `weeklyWeekday`. If that day is not a
 * working day (weekend, public holiday, Midsummer Eve, Christmas Eve, New Year's Eve) the reminder
 * moves to the nearest earlier working day in the same ISO week; if there is none (e.g. Easter
 * Monday on a Monday) to the nearest later working day in the week; if the week has no working
 * days at all, the configured day applies. So the reminder never leaves its week.
 */
export function weeklyReminderDate(week: IsoWeek, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): LocalDate {
  const monday = mondayOfWeek(week);
  const target = addLocalDays(monday, settings.weeklyWeekday - 1);
  for (let i = settings.weeklyWeekday - 1; i >= 0; i--) {
    const d = addLocalDays(monday, i);
    if (isWorkingDay(d)) return d;
  }
  for (let i = settings.weeklyWeekday; i <= 6; i++) {
    const d = addLocalDays(monday, i);
    if (isWorkingDay(d)) return d;
  }
  return target;
}

/** The weekly reminder's instant (see `weeklyReminderDate`), at `weeklyTime` in the zone. */
export function weeklyReminderInstant(week: IsoWeek, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): Date {
  return localDateTimeToInstant(weeklyReminderDate(week, settings), settings.weeklyTime, settings.zone);
}

/**
 * The weekly summary sent in `week` (about the week before): `weeklySummaryWeekday` at
 * `weeklySummaryTime`, moved off holidays within the week like the weekly reminder.
 */
export function weeklySummaryInstant(week: IsoWeek, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): Date {
  const date = weeklyReminderDate(week, { ...settings, weeklyWeekday: settings.weeklySummaryWeekday });
  return localDateTimeToInstant(date, settings.weeklySummaryTime, settings.zone);
}

export interface MeetingDigestInstant {
  slot: MeetingDigestSlot;
  /** For `<n>wd`: n; for `morning`: undefined. */
  workingDaysBefore?: number;
  dueAt: Date;
  /** The meeting's start: the occurrence expires then. */
  meetingStart: Date;
  /** Due although before the window: the meeting was saved after this time (see `dueReminders`). */
  late?: boolean;
}

/**
 * The digests before a meeting, sorted by time. A cancelled meeting yields []. For each n in
 * `digestWorkingDaysBefore`: n working days before the meeting day at `digestTime`; with
 * `morningDigest` the meeting day at `morningTime`. A slot not before the meeting's start is
 * dropped (e.g. the morning digest for a meeting at 07:00). Duplicates (the same instant) are
 * merged into the first slot. An invalid date/time throws RangeError.
 */
export function meetingDigestInstants(
  meeting: MeetingLike,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): MeetingDigestInstant[] {
  if (meeting.cancelled) return [];
  const meetingStart = localDateTimeToInstant(meeting.date, meeting.time, settings.zone);
  const out: MeetingDigestInstant[] = [];
  const seen = new Set<number>();
  for (const n of [...new Set(settings.digestWorkingDaysBefore)].sort((a, b) => b - a)) {
    const dueAt = localDateTimeToInstant(subtractWorkingDays(meeting.date, n), settings.digestTime, settings.zone);
    if (dueAt.getTime() >= meetingStart.getTime() || seen.has(dueAt.getTime())) continue;
    seen.add(dueAt.getTime());
    out.push({ slot: `${n}wd`, workingDaysBefore: n, dueAt, meetingStart });
  }
  if (settings.morningDigest) {
    const dueAt = localDateTimeToInstant(meeting.date, settings.morningTime, settings.zone);
    if (dueAt.getTime() < meetingStart.getTime() && !seen.has(dueAt.getTime())) {
      out.push({ slot: 'morning', dueAt, meetingStart });
    }
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The tertial summary's local date: the tertial's last working day (30 Apr, 31 Aug, 31 Dec or before). */
export function tertialSummaryDate(tertial: Tertial): LocalDate {
  return workingDayOnOrBefore(tertialLocalDates(tertial).last);
}

/** The tertial summary's instant: the last working day at `tertialSummaryTime`. */
export function tertialSummaryInstant(tertial: Tertial, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): Date {
  return localDateTimeToInstant(tertialSummaryDate(tertial), settings.tertialSummaryTime, settings.zone);
}

/** Tertials whose last day lies within the agreement's period, in time order. */
export function tertialsEndingInPeriod(agreement: AgreementPeriod): Tertial[] {
  const out: Tertial[] = [];
  for (let t = tertialOfLocalDate(agreement.periodStart); ; t = addTertials(t, 1)) {
    const { last } = tertialLocalDates(t);
    if (last > agreement.periodEnd) break;
    if (last >= agreement.periodStart) out.push(t);
  }
  return out;
}

export interface PeriodWarningInstant {
  daysBefore: number;
  /** Local date after the move to a working day. */
  localDate: LocalDate;
  dueAt: Date;
}

/**
 * The warnings before the period's end, largest number of days first: periodEnd minus n calendar
 * days, moved to the nearest earlier working day, at `periodWarningTime`. A warning that would
 * fall before periodStart (a short period) is left out.
 */
export function periodWarningInstants(
  agreement: AgreementPeriod,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): PeriodWarningInstant[] {
  const out: PeriodWarningInstant[] = [];
  for (const n of [...new Set(settings.periodWarningDays)].sort((a, b) => b - a)) {
    const localDate = workingDayOnOrBefore(addLocalDays(agreement.periodEnd, -n));
    if (localDate < agreement.periodStart) continue;
    out.push({
      daysBefore: n,
      localDate,
      dueAt: localDateTimeToInstant(localDate, settings.periodWarningTime, settings.zone),
    });
  }
  return out;
}

/** The end of a local date: midnight the day after, as an instant. */
function endOfLocalDate(date: LocalDate, zone: string): Date {
  return localDateTimeToInstant(addLocalDays(date, 1), '00:00', zone);
}

// ---------------------------------------------------------------------------
// What is due now?
// ---------------------------------------------------------------------------

function requireInstant(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`Ogiltig tidpunkt för ${name}`);
  return t;
}

/**
 * Occurrences with `lastCheck < dueAt <= now`, split into `due` (now < expiresAt) and `expired`.
 *
 * - weekly: one occurrence per active reporter who has not reported for the week and is not
 *   absent (absentUntil >= the reminder's local date). Only if the reminder's local date lies
 *   within the agreement's period. No occurrence if nobody is missing.
 * - meetingDigest: see `meetingDigestInstants`; cancelled meetings and meetings of other agreements yield none.
 *   The key holds the meeting's revision, so a moved meeting gets new occurrences.
 * - tertialSummary: tertials ending within the period; valid for 7 days.
 * - periodWarning: see `periodWarningInstants`; valid up to and including periodEnd.
 */
export function dueReminders(input: DueInput): DueResult {
  const settings = input.settings ?? DEFAULT_REMINDER_SETTINGS;
  const now = requireInstant(input.now, 'now');
  const lastCheck = requireInstant(input.lastCheck, 'lastCheck');
  const result: DueResult = { due: [], expired: [], invalidMeetings: [] };
  if (!parseLocalDate(input.agreement.periodStart) || !parseLocalDate(input.agreement.periodEnd)) {
    throw new RangeError(`Ogiltig period för löftet ${input.agreement.id}`);
  }
  if (lastCheck >= now) return result;

  const agreementId = input.agreement.id;
  const { zone } = settings;
  const inWindow = (dueAt: Date): boolean => dueAt.getTime() > lastCheck && dueAt.getTime() <= now;
  const place = (o: DueReminder): void => {
    (now < o.expiresAt.getTime() ? result.due : result.expired).push(o);
  };

  // Weekly reminders. A reminder always lies in its own week, so walking the weeks from
  // lastCheck to now, limited to the period, is enough (at most the period's length in weeks).
  const { periodStart, periodEnd } = input.agreement;
  const fromDate = maxDate(localDateOf(input.lastCheck, zone), periodStart);
  const toDate = minDate(localDateOf(input.now, zone), periodEnd);
  if (fromDate <= toDate) {
    const lastWeek = isoWeekOfLocalDate(toDate);
    for (let week = isoWeekOfLocalDate(fromDate); compareWeeks(week, lastWeek) <= 0; week = addWeeks(week, 1)) {
      const localDate = weeklyReminderDate(week, settings);
      if (localDate < periodStart || localDate > periodEnd) continue;
      const dueAt = localDateTimeToInstant(localDate, settings.weeklyTime, zone);
      if (!inWindow(dueAt)) continue;
      const reported = input.reportedThisWeek(week);
      const expiresAt = weekEnd(week, zone);
      const seen = new Set<string>();
      for (const r of input.reporters) {
        if (!r.active || seen.has(r.aadObjectId)) continue;
        seen.add(r.aadObjectId);
        if (reported.has(r.aadObjectId)) continue;
        if (r.absentUntil !== undefined && r.absentUntil >= localDate) continue;
        place({
          key: weeklyKey(week, r.aadObjectId),
          kind: 'weekly',
          dueAt,
          expiresAt,
          agreementId,
          localDate,
          week,
          reporterId: r.aadObjectId,
          recipients: [r.aadObjectId],
        });
      }
    }
  }

  // Meeting digests.
  for (const m of input.meetings) {
    if (m.agreementId !== undefined && m.agreementId !== agreementId) continue;
    let instants: MeetingDigestInstant[];
    try {
      instants = meetingDigestInstants(m, settings);
    } catch (e) {
      if (e instanceof RangeError) {
        result.invalidMeetings.push(m.id);
        continue;
      }
      throw e;
    }
    // A meeting saved after the previous check whose digest time had already passed: the latest
    // passed digest is due now (once; the ledger key is the same as on time), unless a digest of it
    // falls in this window anyway or the meeting has started.
    const known = m.knownSince !== undefined ? Date.parse(m.knownSince) : NaN;
    // Saved at the very instant of the previous check counts as after it (that pass may have read
    // the meetings just before); the ledger keeps a digest from going out twice either way.
    if (known >= lastCheck && !instants.some((d) => inWindow(d.dueAt))) {
      const late = instants.filter((d) => d.dueAt.getTime() <= lastCheck).at(-1);
      if (late && now < late.meetingStart.getTime()) instants = [{ ...late, late: true }];
    }
    for (const d of instants) {
      if (!inWindow(d.dueAt) && !d.late) continue;
      place({
        key: meetingDigestKey(m.id, m.revision, d.slot),
        kind: 'meetingDigest',
        dueAt: d.dueAt,
        expiresAt: d.meetingStart,
        agreementId,
        localDate: localDateOf(d.dueAt, zone),
        meetingId: m.id,
        meetingRevision: m.revision,
        meetingSlot: d.slot,
        meetingStart: d.meetingStart,
        ...(d.workingDaysBefore !== undefined ? { workingDaysBefore: d.workingDaysBefore } : {}),
      });
    }
  }

  // Tertial summaries.
  for (const tertial of tertialsEndingInPeriod(input.agreement)) {
    const localDate = tertialSummaryDate(tertial);
    const dueAt = localDateTimeToInstant(localDate, settings.tertialSummaryTime, zone);
    if (!inWindow(dueAt)) continue;
    place({
      key: tertialSummaryKey(agreementId, tertial),
      kind: 'tertialSummary',
      dueAt,
      expiresAt: localDateTimeToInstant(
        addLocalDays(localDate, TERTIAL_SUMMARY_GRACE_DAYS),
        settings.tertialSummaryTime,
        zone,
      ),
      agreementId,
      localDate,
      tertial,
    });
  }

  // Warnings before the period's end.
  const periodEndsAt = endOfLocalDate(periodEnd, zone);
  for (const w of periodWarningInstants(input.agreement, settings)) {
    if (!inWindow(w.dueAt)) continue;
    place({
      key: periodWarningKey(agreementId, w.daysBefore),
      kind: 'periodWarning',
      dueAt: w.dueAt,
      expiresAt: periodEndsAt,
      agreementId,
      localDate: w.localDate,
      daysBefore: w.daysBefore,
      periodEnd,
    });
  }

  // The weekly summary of the week before, in the linked channel. Sent in the weeks from lastCheck
  // to now, for a summarised week that overlaps the period.
  if (input.weeklySummary) {
    const lastWeek = isoWeekOfLocalDate(localDateOf(input.now, zone));
    for (
      let week = isoWeekOfLocalDate(localDateOf(input.lastCheck, zone));
      compareWeeks(week, lastWeek) <= 0;
      week = addWeeks(week, 1)
    ) {
      const summarised = addWeeks(week, -1);
      const monday = mondayOfWeek(summarised);
      if (monday > periodEnd || addLocalDays(monday, 6) < periodStart) continue;
      const dueAt = weeklySummaryInstant(week, settings);
      if (!inWindow(dueAt)) continue;
      place({
        key: weeklySummaryKey(agreementId, summarised),
        kind: 'weeklySummary',
        dueAt,
        // A summary of last week is news on its day only: missed (the bot was down), it is skipped.
        expiresAt: endOfLocalDate(localDateOf(dueAt, zone), zone),
        agreementId,
        localDate: localDateOf(dueAt, zone),
        week: summarised,
      });
    }
  }

  const order = (a: DueReminder, b: DueReminder): number =>
    a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  result.due.sort(order);
  result.expired.sort(order);
  return result;
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

// ---------------------------------------------------------------------------
// What a digest before a meeting holds
// ---------------------------------------------------------------------------

/** What the selection needs of a report (a `WeeklyReport` will do). */
export interface FlaggableReport {
  date: LocalDate;
  createdAt: string;
  raiseAtNextMeeting?: boolean;
  withdrawn?: unknown;
}

/** At most this many marked reports in the digest; the rest become "and N more". */
export const MAX_DIGEST_ITEMS = 8;

/**
 * The reports marked "bring up at the next meeting", newest first (the report's date, then when
 * it was written), at most `limit`; `more` is how many did not fit. Withdrawn ones are never included.
 * The only place where the digest's entries are chosen: a filter (e.g. privacy) can be put around it.
 */
export function flaggedForMeeting<T extends FlaggableReport>(
  reports: readonly T[],
  limit: number = MAX_DIGEST_ITEMS,
): { items: T[]; more: number } {
  const flagged = reports
    .filter((r) => r.raiseAtNextMeeting && !r.withdrawn)
    .sort((a, b) =>
      a.date !== b.date
        ? a.date < b.date
          ? 1
          : -1
        : a.createdAt < b.createdAt
          ? 1
          : a.createdAt > b.createdAt
            ? -1
            : 0,
    );
  const n = Math.max(0, Math.floor(limit));
  return { items: flagged.slice(0, n), more: Math.max(0, flagged.length - n) };
}

/**
 * How many active reporters per party have not reported (and are not away `today`):
 * counts only — names are never shown in a channel.
 */
export function notReportedByParty<R extends ReporterLike & { party: string }>(
  reporters: readonly R[],
  reported: ReadonlySet<string>,
  today: LocalDate,
): { party: string; count: number }[] {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of reporters) {
    if (!r.active || seen.has(r.aadObjectId)) continue;
    seen.add(r.aadObjectId);
    if (reported.has(r.aadObjectId) || (r.absentUntil !== undefined && r.absentUntil >= today)) continue;
    counts.set(r.party, (counts.get(r.party) ?? 0) + 1);
  }
  // In the order of REPORTING_PARTIES (Polisen, then Kommunen), then anything else in the order met.
  const rank = (p: string) => {
    const i = (REPORTING_PARTIES as readonly string[]).indexOf(p);
    return i < 0 ? REPORTING_PARTIES.length : i;
  };
  return [...counts].map(([party, count]) => ({ party, count })).sort((a, b) => rank(a.party) - rank(b.party));
}
