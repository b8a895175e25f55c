import {
  addLocalDays,
  isoWeekOf,
  isValidIsoWeek,
  isValidLocalDate,
  localDateOf,
  MONTH_WORDS,
} from '../domain/calendar.js';
import { snoozeTime, type SnoozeOption, type SnoozeTime } from '../domain/snooze.js';
import { safeText } from '../domain/outbound-guard.js';
import type { ReportingParty } from '../domain/party.js';
import { fold } from '../domain/text-match.js';
import { belongsTo, scopesOf } from '../domain/scope.js';
import type { Actor } from './actor.js';
import { recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { ConversationKind } from '../domain/conversation.js';
import type { Reporter } from '../domain/reporter.js';
import type { Store } from './ports.js';
import { reportersOfScope } from './scopes.js';
import type { ReportService } from './reports.js';

/** How far ahead an absence may be set: a year covers parental leave planning without typos like 2204. */
export const MAX_ABSENCE_DAYS = 366;

/** Where someone registers: a personal chat keeps its id for 1:1 reminders later. */
export interface RegisterWhere {
  kind: ConversationKind;
  conversationId: string;
  /** The display name Teams gave (for @mentions in the shared channel); never the AAD id. */
  name?: string;
}

export type RegisterResult =
  { kind: 'registered'; reporter: Reporter; already: boolean } | { kind: 'needParty' } | { kind: 'unknownParty' };
export type SnoozeResult =
  | ({ kind: 'snoozed'; week: string; today: string } & SnoozeTime)
  | { kind: 'notRegistered' }
  | { kind: 'alreadyReported'; week: string };
export type AbsenceResult =
  { kind: 'saved'; until: string } | { kind: 'notRegistered' } | { kind: 'invalid'; code: UntilError };
export type UntilError = 'empty' | 'format' | 'past' | 'tooFar';

export interface ReporterRow {
  reporter: Reporter;
  reportedThisWeek: boolean;
  /** The last day of a current or coming absence. */
  absentUntil?: string;
}

/** Someone a coordinator names (an @mention looked up at Teams): never the coordinator's free text. */
export interface OtherPerson {
  aadObjectId: string;
  /** The display name Teams gave. */
  name?: string;
  tenantId?: string;
}

export type RegisterOtherOutcome =
  | { kind: 'registered'; person: OtherPerson; reporter: Reporter; already: boolean }
  | { kind: 'needParty'; person: OtherPerson };
/** `unknownParty`: the coordinator named a party that is neither; everyone then waits for a choice. */
export type RegisterOtherResult =
  { kind: 'forbidden' } | { kind: 'done'; outcomes: RegisterOtherOutcome[]; unknownParty: boolean };

/** "som rapportör för Kommunen", "och som rapportörer för Polisen", "as reporters for the police" → the party words. */
export function parseOtherPartyText(text: string): ReportingParty | undefined | 'unknown' {
  const words = fold(text)
    .split(' ')
    .filter((w) => w !== '' && !['och', 'and', 'samt', '-'].includes(w))
    .join(' ')
    .replace(/^(som rapportorer|som rapportor|as reporters|as reporter|as a reporter)( |$)/, '')
    .trim();
  return parsePartyWord(words);
}

export type ReporterList =
  | { kind: 'list'; week: string; today: string; rows: ReporterRow[] }
  | { kind: 'forbidden' }
  | { kind: 'personalChatOnly' };

const PARTY_WORDS: [ReportingParty, string[]][] = [
  ['Polisen', ['polisen', 'polis', 'police', 'the police', 'lpo', 'lokalpolisomradet']],
  ['Kommunen', ['kommunen', 'kommun', 'municipality', 'the municipality']],
];

/** "för Kommunen", "Polisen", "for the police" → the party; '' → undefined; anything else 'unknown'. */
export function parsePartyWord(rest: string): ReportingParty | undefined | 'unknown' {
  const words = fold(rest)
    .replace(/^(som rapportor |as reporter )?(for |pa |at )?/, '')
    .trim();
  if (words === '') return undefined;
  for (const [party, names] of PARTY_WORDS) if (names.includes(words)) return party;
  return 'unknown';
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The last day of an absence from what followed `borta till`: "2024-07-31", "31 juli",
 * "31 juli 2025", "31/7". Without a year the next such day from today is meant.
 */
export function parseUntilDate(
  rest: string,
  today: string,
): { ok: true; date: string } | { ok: false; code: UntilError } {
  const text = fold(rest)
    .replace(/^(till|until|to)(\s+|$)/, '')
    .replace(/^(den|the)\s+/, '')
    .trim();
  if (text === '') return { ok: false, code: 'empty' };
  let date: string | undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const named = /^(\d{1,2})(?:e|a|st|nd|rd|th)? ([a-z]+)(?: (\d{4}))?$/.exec(text);
  const numeric = /^(\d{1,2}) (\d{1,2})(?: (\d{4}))?$/.exec(text);
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (named) {
    const m = MONTH_WORDS.findIndex((names) => names.includes(named[2]!));
    if (m < 0) return { ok: false, code: 'format' };
    [day, month, year] = [Number(named[1]), m + 1, named[3] ? Number(named[3]) : undefined];
  } else if (numeric)
    [day, month, year] = [Number(numeric[1]), Number(numeric[2]), numeric[3] ? Number(numeric[3]) : undefined];
  else return { ok: false, code: 'format' };

  const thisYear = Number(today.slice(0, 4));
  const candidate = (y: number) => `${y}-${pad(month!)}-${pad(day!)}`;
  if (year === undefined) {
    date = candidate(thisYear);
    if (isValidLocalDate(date) && date < today) date = candidate(thisYear + 1);
  } else date = candidate(year);
  // 29 februari without a year: the next year that has one is too far away to matter; refuse as a format error.
  if (!isValidLocalDate(date)) return { ok: false, code: 'format' };
  if (date < today) return { ok: false, code: 'past' };
  if (date > addLocalDays(today, MAX_ABSENCE_DAYS)) return { ok: false, code: 'tooFar' };
  return { ok: true, date };
}

/**
 * Rapportörer: the people who are reminded to report. A person registers and unregisters
 * themselves and can say they are away; coordinators see the list and can take people off it.
 */
export class ReporterService {
  constructor(
    private readonly store: Store,
    private readonly reports: ReportService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  private today(): string {
    return localDateOf(this.clock.now());
  }

  /**
   * The party is what the person said, else the configured party by person, else (in a personal
   * chat only) by tenant: in a shared channel the tenant is the host's for everyone.
   */
  async register(actor: Actor, where: RegisterWhere, partyText = '', correlationId?: string): Promise<RegisterResult> {
    const said = parsePartyWord(partyText);
    if (said === 'unknown') return { kind: 'unknownParty' };
    const existing = await this.store.reporters.get(actor.id);
    const personal = where.kind === 'personal';
    const agreement = await this.reports.agreementOf(actor.scope);
    const party =
      said ??
      this.reports.partyOf(personal ? actor : { ...actor, tenantId: undefined }, agreement) ??
      (existing?.active ? existing.party : undefined);
    if (!party) return { kind: 'needParty' };
    const today = this.today();
    const reporter: Reporter = {
      ...existing,
      aadObjectId: actor.id,
      party,
      // Display names from Teams are kept only when they pass the privacy guard (never refused for it).
      name: safeText(where.name?.trim() || undefined) ?? safeText(existing?.name),
      tenantId: personal ? (actor.tenantId ?? existing?.tenantId) : (existing?.tenantId ?? actor.tenantId),
      personalConversationId: personal ? where.conversationId : existing?.personalConversationId,
      registeredAt: existing?.active ? existing.registeredAt : this.clock.now().toISOString(),
      absentUntil: existing?.absentUntil && existing.absentUntil >= today ? existing.absentUntil : undefined,
      active: true,
      // The municipality the person reports for: the one the registration was said in.
      scope: actor.scope ?? existing?.scope,
    };
    if (reporter.absentUntil === undefined) delete reporter.absentUntil;
    delete reporter.partyOnly; // registered now: an ordinary record
    if (reporter.scope === undefined) delete reporter.scope;
    const already = Boolean(existing?.active && existing.party === party && existing.scope === reporter.scope);
    if (!already || JSON.stringify(existing) !== JSON.stringify(reporter)) await this.store.reporters.put(reporter);
    if (!already)
      await recordStored(this.audit, {
        at: this.clock.now().toISOString(),
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'reporter.registered',
        objectId: actor.id,
        outcome: 'ok',
        correlationId,
        detail: party,
      });
    return { kind: 'registered', reporter, already };
  }

  /**
   * A coordinator registers others (`anmäl @Anna som rapportör för Kommunen`). The party is what
   * the coordinator said, else PARTY_BY_PERSON for that person, else the party they are already
   * registered for; otherwise the person waits for a choice. The tenant in a shared channel is the
   * host's for everyone, so PARTY_BY_TENANT is not used here. A personal chat the person already
   * has with the bot is kept for 1:1 reminders.
   */
  async registerOther(
    actor: Actor,
    people: OtherPerson[],
    partyText = '',
    correlationId?: string,
  ): Promise<RegisterOtherResult> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'reporter.registerOther', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    const said = parseOtherPartyText(partyText);
    const outcomes: RegisterOtherOutcome[] = [];
    const seen = new Set<string>();
    for (const person of people) {
      const key = person.aadObjectId.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const existing = await this.store.reporters.get(person.aadObjectId);
      const party =
        said === 'unknown'
          ? undefined
          : (said ??
            this.reports.partyOf({ id: person.aadObjectId, isCoordinator: false }) ??
            (existing?.active ? existing.party : undefined));
      if (!party) {
        outcomes.push({ kind: 'needParty', person });
        continue;
      }
      const today = this.today();
      const reporter: Reporter = {
        ...existing,
        aadObjectId: existing?.aadObjectId ?? person.aadObjectId,
        party,
        name: safeText(person.name?.trim() || undefined) ?? safeText(existing?.name),
        tenantId: person.tenantId ?? existing?.tenantId,
        personalConversationId:
          existing?.personalConversationId ?? (await this.personalConversationOf(person.aadObjectId)),
        registeredAt: existing?.active ? existing.registeredAt : this.clock.now().toISOString(),
        absentUntil: existing?.absentUntil && existing.absentUntil >= today ? existing.absentUntil : undefined,
        active: true,
        scope: actor.scope ?? existing?.scope,
      };
      for (const k of ['name', 'tenantId', 'personalConversationId', 'absentUntil', 'scope'] as const)
        if (reporter[k] === undefined) delete reporter[k];
      delete reporter.partyOnly; // registered now: an ordinary record
      const already = Boolean(existing?.active && existing.party === party && existing.scope === reporter.scope);
      if (!already || JSON.stringify(existing) !== JSON.stringify(reporter)) await this.store.reporters.put(reporter);
      if (!already) {
        await recordStored(this.audit, {
          at: this.clock.now().toISOString(),
          actor: { id: actor.id, tenantId: actor.tenantId },
          action: 'reporter.registered',
          objectId: reporter.aadObjectId,
          outcome: 'ok',
          correlationId,
          detail: 'by-coordinator',
        });
      }
      outcomes.push({ kind: 'registered', person, reporter, already });
    }
    return { kind: 'done', outcomes, unknownParty: said === 'unknown' };
  }

  /** The person's own chat with the bot, if they have one (the newest when several). */
  private async personalConversationOf(aadObjectId: string): Promise<string | undefined> {
    const id = aadObjectId.toLowerCase();
    const mine = (await this.store.conversations.list({ active: true, kind: 'personal' })).filter(
      (c) => c.userAadObjectId?.toLowerCase() === id,
    );
    return mine.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]?.id;
  }

  async unregister(
    actor: Actor,
    correlationId?: string,
  ): Promise<{ kind: 'unregistered' } | { kind: 'notRegistered' }> {
    return this.deactivate(actor, actor.id, 'self', correlationId);
  }

  /**
   * "Påminn mig i morgon / kl. 15" on the weekly reminder for `week`: keeps one extra reminder on the
   * person's record; ReminderService.runDue sends it once at its time through the delivery ledger,
   * and drops it then if the week is reported by that time. A later snooze replaces an earlier one.
   */
  async snooze(
    actor: Actor,
    option: SnoozeOption,
    week: string | undefined,
    correlationId?: string,
  ): Promise<SnoozeResult> {
    const existing = await this.store.reporters.get(actor.id);
    if (!existing?.active) return { kind: 'notRegistered' };
    const agreement = await this.reports.agreementOf(actor.scope);
    if (!agreement) return { kind: 'notRegistered' };
    const now = this.clock.now();
    const forWeek = week && isValidIsoWeek(week) ? week : isoWeekOf(now);
    const reported = await this.store.reports.list({ reporterId: actor.id, fromWeek: forWeek, toWeek: forWeek });
    if (reported.some((r) => r.agreementId === agreement.id)) return { kind: 'alreadyReported', week: forWeek };
    const when = snoozeTime(now, option);
    await this.store.reporters.put({
      ...existing,
      snooze: { at: when.at.toISOString(), week: forWeek, agreementId: agreement.id },
    });
    await recordStored(this.audit, {
      at: now.toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'reporter.snoozed',
      objectId: actor.id,
      outcome: 'ok',
      correlationId,
      detail: `${forWeek}@${when.at.toISOString()}`,
    });
    return { kind: 'snoozed', week: forWeek, today: localDateOf(now), ...when };
  }

  async absence(actor: Actor, rest: string, correlationId?: string): Promise<AbsenceResult> {
    const parsed = parseUntilDate(rest, this.today());
    if (!parsed.ok) return { kind: 'invalid', code: parsed.code };
    const existing = await this.store.reporters.get(actor.id);
    if (!existing?.active) return { kind: 'notRegistered' };
    await this.store.reporters.put({ ...existing, absentUntil: parsed.date });
    await recordStored(this.audit, {
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'reporter.absence',
      objectId: actor.id,
      outcome: 'ok',
      correlationId,
    });
    return { kind: 'saved', until: parsed.date };
  }

  /**
   * Coordinators only: the active reporters, whether they reported this ISO week, and absences.
   * Who has not reported is not for a channel's eyes: the list is shown in personal chats only.
   */
  async list(actor: Actor, where: ConversationKind, correlationId?: string): Promise<ReporterList> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'reporter.list', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    if (where !== 'personal') return { kind: 'personalChatOnly' };
    const now = this.clock.now();
    const today = localDateOf(now);
    const week = isoWeekOf(now);
    const reported = new Set(
      (await this.store.reports.list({ fromWeek: week, toWeek: week })).map((r) => r.reporterId.toLowerCase()),
    );
    const rows = (await reportersOfScope(this.store, actor.scope))
      .filter((r) => r.active)
      .map((reporter) => ({
        reporter,
        reportedThisWeek: reported.has(reporter.aadObjectId.toLowerCase()),
        absentUntil: reporter.absentUntil && reporter.absentUntil >= today ? reporter.absentUntil : undefined,
      }))
      .sort(
        (a, b) =>
          a.reporter.party.localeCompare(b.reporter.party) ||
          (a.reporter.name ?? '\uffff').localeCompare(b.reporter.name ?? '\uffff', 'sv') ||
          a.reporter.registeredAt.localeCompare(b.reporter.registeredAt),
      );
    return { kind: 'list', week, today, rows };
  }

  /** A coordinator takes someone off the list (kept, marked inactive). */
  async remove(
    actor: Actor,
    reporterId: string,
    correlationId?: string,
  ): Promise<{ kind: 'unregistered'; name?: string } | { kind: 'notRegistered' } | { kind: 'forbidden' }> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'reporter.remove', reporterId, correlationId);
      return { kind: 'forbidden' };
    }
    const existing = await this.store.reporters.get(reporterId);
    // A coordinator of one municipality cannot take another's rapportör off its list.
    if (existing && !(await this.inScopeOf(actor))(existing)) return { kind: 'notRegistered' };
    const result = await this.deactivate(actor, reporterId, 'coordinator', correlationId);
    return result.kind === 'unregistered' ? { kind: 'unregistered', name: existing?.name } : result;
  }

  /** Whether a rapportör belongs to the actor's municipality (the turn's scope; absent: the only one). */
  private async inScopeOf(actor: Actor): Promise<(r: Reporter) => boolean> {
    const count = scopesOf(await this.store.agreements.list()).length;
    const scope = actor.scope;
    return (r) => (scope === undefined ? count <= 1 : belongsTo(r.scope, scope, count));
  }

  private async deactivate(
    actor: Actor,
    reporterId: string,
    by: 'self' | 'coordinator',
    correlationId?: string,
  ): Promise<{ kind: 'unregistered' } | { kind: 'notRegistered' }> {
    const existing = await this.store.reporters.get(reporterId);
    if (!existing?.active) return { kind: 'notRegistered' };
    await this.store.reporters.put({ ...existing, active: false });
    await recordStored(this.audit, {
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'reporter.unregistered',
      objectId: reporterId,
      outcome: 'ok',
      correlationId,
      detail: by,
    });
    return { kind: 'unregistered' };
  }

  private async refused(
    actor: Actor,
    what: string,
    objectId: string | undefined,
    correlationId?: string,
  ): Promise<void> {
    await recordRefusal(this.audit, this.clock.now(), actor, what, objectId, correlationId);
  }
}
