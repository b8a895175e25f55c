import { randomUUID } from 'node:crypto';
import {
  addLocalDays,
  isValidLocalDate,
  localDateOf,
  localDateTimeToInstant,
  localTimeOf,
} from '../domain/calendar.js';
import { passesGuard } from '../domain/outbound-guard.js';
import { personalDataKinds, type PrivacyFindingKind } from '../domain/privacy.js';
import type { Actor } from './actor.js';
import type { AgreementService } from './agreements.js';
import { recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { MEETING_KINDS, type Meeting, type MeetingKind } from '../domain/meeting.js';
import type { Store } from './ports.js';

export const MEETING_RULES = {
  maxPlaceLength: 200,
  maxAgendaLength: 1000,
  maxYearsAhead: 3,
  /** Each of "beslut" and "att göra till nästa gång". */
  maxMinutesLength: 2000,
  /** The calendar invitation's length: a meeting has a start, not an end. */
  inviteMinutes: 60,
} as const;

export type MinutesField = 'decisions' | 'followUps';
export type MinutesError =
  | { field: MinutesField; code: 'required' | 'tooLong' }
  | { field: MinutesField; code: 'personalData'; kinds: PrivacyFindingKind[] };

/** What a coordinator typed on the minutes card: trimmed text, privacy guard on each and on both together. */
export function validateMinutes(
  raw: RawMeetingInput,
): { ok: true; value: { decisions?: string; followUps?: string } } | { ok: false; errors: MinutesError[] } {
  const errors: MinutesError[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : '');
  const decisions = text(raw.decisions);
  const followUps = text(raw.followUps);
  if (decisions === '' && followUps === '') errors.push({ field: 'decisions', code: 'required' });
  for (const [field, value] of [
    ['decisions', decisions],
    ['followUps', followUps],
  ] as const) {
    if (value.length > MEETING_RULES.maxMinutesLength) errors.push({ field, code: 'tooLong' });
    const kinds = personalDataKinds([value]);
    if (kinds.length > 0) errors.push({ field, code: 'personalData', kinds });
  }
  const together = personalDataKinds([decisions, followUps]);
  if (together.length > 0 && !errors.some((e) => e.code === 'personalData'))
    errors.push({ field: 'followUps', code: 'personalData', kinds: together });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { ...(decisions ? { decisions } : {}), ...(followUps ? { followUps } : {}) },
  };
}

export type MinutesResult =
  | { kind: 'saved'; meeting: Meeting; duplicate: boolean }
  | { kind: 'invalid'; meeting: Meeting; errors: MinutesError[] }
  | { kind: 'notYet'; meeting: Meeting }
  | { kind: 'forbidden' }
  | { kind: 'notFound' }
  | { kind: 'cancelled'; meeting: Meeting };

/** What a calendar invitation needs: the meeting and its medborgarlöfte (municipality and period). */
export interface MeetingInvitation {
  meeting: Meeting;
  municipality: string;
  policeArea: string;
  periodStart: string;
  periodEnd: string;
}

export type MeetingField = 'kind' | 'date' | 'time' | 'place' | 'agenda';
export type MeetingError =
  | { field: MeetingField; code: 'required' | 'invalid' | 'past' | 'tooFar' | 'nonexistent' | 'tooLong' }
  | { field: 'place' | 'agenda'; code: 'personalData'; kinds: PrivacyFindingKind[] };

export interface MeetingContent {
  kind: MeetingKind;
  date: string;
  time: string;
  place?: string;
  agenda?: string;
}

export type RawMeetingInput = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '').trim();

/** "13:00", "9.30", "13:00:00" → "13:00"; anything else undefined. */
export function normaliseTime(text: string): string | undefined {
  const m = /^(\d{1,2})[:.](\d{2})(?::\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [hh, mm] = [Number(m[1]), Number(m[2])];
  if (hh > 23 || mm > 59) return undefined;
  return `${String(hh).padStart(2, '0')}:${m[2]}`;
}

/**
 * Validates a meeting as submitted (client-side card validation is not trusted). A meeting may
 * not lie in the past by the bot's clock, and its time must exist that day in Europe/Stockholm
 * (02.00–02.59 does not on the last Sunday of March). `existing` skips the past check when
 * neither date nor time changed, so the agenda of a meeting under way can still be corrected.
 */
export function validateMeeting(
  raw: RawMeetingInput,
  ctx: { now: Date; existing?: Meeting },
): { ok: true; value: MeetingContent } | { ok: false; errors: MeetingError[] } {
  const errors: MeetingError[] = [];
  const today = localDateOf(ctx.now);

  const kind = str(raw.kind);
  if (kind === '') errors.push({ field: 'kind', code: 'required' });
  else if (!(MEETING_KINDS as readonly string[]).includes(kind)) errors.push({ field: 'kind', code: 'invalid' });

  const date = str(raw.date);
  const dateOk = date !== '' && /^\d{4}-\d{2}-\d{2}$/.test(date) && isValidLocalDate(date);
  if (date === '') errors.push({ field: 'date', code: 'required' });
  else if (!dateOk) errors.push({ field: 'date', code: 'invalid' });

  const timeText = str(raw.time);
  const time = normaliseTime(timeText);
  if (timeText === '') errors.push({ field: 'time', code: 'required' });
  else if (!time) errors.push({ field: 'time', code: 'invalid' });

  if (dateOk) {
    const unchanged = ctx.existing && ctx.existing.date === date && (time === undefined || ctx.existing.time === time);
    if (date < today && !unchanged) errors.push({ field: 'date', code: 'past' });
    else if (date > addLocalDays(today, 366 * MEETING_RULES.maxYearsAhead))
      errors.push({ field: 'date', code: 'tooFar' });
    else if (time) {
      const instant = localDateTimeToInstant(date, time);
      if (localTimeOf(instant) !== time) errors.push({ field: 'time', code: 'nonexistent' });
      else if (instant.getTime() < ctx.now.getTime() && !unchanged) errors.push({ field: 'time', code: 'past' });
    }
  }

  const place = str(raw.place);
  const agenda = typeof raw.agenda === 'string' ? raw.agenda.trim() : '';
  for (const [field, text, max] of [
    ['place', place, MEETING_RULES.maxPlaceLength],
    ['agenda', agenda, MEETING_RULES.maxAgendaLength],
  ] as const) {
    if (text.length > max) errors.push({ field, code: 'tooLong' });
    const kinds = personalDataKinds([text]);
    if (kinds.length > 0) errors.push({ field, code: 'personalData', kinds });
  }
  // Place and agenda together: an identifier split between them is refused on the agenda.
  const together = personalDataKinds([place, agenda]);
  if (together.length > 0 && !errors.some((e) => e.code === 'personalData'))
    errors.push({ field: 'agenda', code: 'personalData', kinds: together });

  if (errors.length > 0) return { ok: false, errors };
  const value: MeetingContent = { kind: kind as MeetingKind, date, time: time! };
  if (place) value.place = place;
  if (agenda) value.agenda = agenda;
  return { ok: true, value };
}

/** When a meeting starts, as an instant. */
export const meetingStart = (m: Pick<Meeting, 'date' | 'time'>): Date => localDateTimeToInstant(m.date, m.time);

/** The next meeting of an agreement that has not started and is not cancelled. */
export function nextMeetingOf(meetings: readonly Meeting[], agreementId: string, now: Date): Meeting | undefined {
  return upcomingOf(meetings, agreementId, now).find((m) => meetingStart(m).getTime() >= now.getTime());
}

/** Meetings of today and later, not cancelled, in date order. */
export function upcomingOf(meetings: readonly Meeting[], agreementId: string, now: Date): Meeting[] {
  const today = localDateOf(now);
  return meetings
    .filter((m) => m.agreementId === agreementId && !m.cancelled && m.date >= today)
    .sort(
      (a, b) => a.date.localeCompare(b.date) || a.time.localeCompare(b.time) || a.createdAt.localeCompare(b.createdAt),
    );
}

export type MeetingSaveResult =
  | { kind: 'saved'; meeting: Meeting; duplicate: boolean; rescheduled: boolean }
  | { kind: 'invalid'; errors: MeetingError[] }
  | { kind: 'forbidden' }
  | { kind: 'notFound' }
  | { kind: 'cancelled'; meeting: Meeting }
  | { kind: 'noAgreement' };

export type MeetingLookup =
  | { kind: 'found'; meeting: Meeting }
  | { kind: 'forbidden' }
  | { kind: 'notFound' }
  | { kind: 'cancelled'; meeting: Meeting };

/** Follow-up meetings (uppföljningsmöten): coordinators add, change and cancel; everyone sees them. */
export class MeetingService {
  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** What a new-meeting card needs: today's date; refused for non-coordinators. */
  async form(
    actor: Actor,
    correlationId?: string,
  ): Promise<{ kind: 'form'; today: string } | { kind: 'forbidden' } | { kind: 'noAgreement' }> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'meeting.create', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    if (!(await this.agreements.current(actor.scope))) return { kind: 'noAgreement' };
    return { kind: 'form', today: localDateOf(this.clock.now()) };
  }

  /**
   * `meetingId` travels in the card data: a double click or a retried invoke of the same card
   * never creates two meetings.
   */
  async create(actor: Actor, raw: RawMeetingInput, correlationId?: string): Promise<MeetingSaveResult> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'meeting.create', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    // The card's id (the bot's own UUID) unless it was crafted to carry an identifier: ids reach the audit.
    const id =
      typeof raw.meetingId === 'string' && /^[\w-]{8,64}$/.test(raw.meetingId) && passesGuard([raw.meetingId])
        ? raw.meetingId
        : randomUUID();
    const existing = await this.store.meetings.get(id);
    if (existing) return { kind: 'saved', meeting: existing, duplicate: true, rescheduled: false };
    const now = this.clock.now();
    const checked = validateMeeting(raw, { now });
    const at = now.toISOString();
    if (!checked.ok) {
      await this.audit.record({
        at,
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'meeting.created',
        outcome: 'refused',
        correlationId,
        detail: codes(checked.errors),
      });
      return { kind: 'invalid', errors: checked.errors };
    }
    const meeting: Meeting = {
      id,
      agreementId: current.agreement.id,
      ...checked.value,
      createdBy: actor.id,
      createdAt: at,
      updatedAt: at,
      revision: 1,
    };
    await this.store.meetings.put(meeting);
    await recordStored(this.audit, {
      at,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'meeting.created',
      objectId: id,
      outcome: 'ok',
      correlationId,
      detail: meeting.kind,
    });
    return { kind: 'saved', meeting, duplicate: false, rescheduled: false };
  }

  async get(id: string): Promise<Meeting | undefined> {
    return this.store.meetings.get(id);
  }

  /** A meeting to change or cancel: coordinators only, not cancelled. */
  async forChange(
    actor: Actor,
    id: string,
    what: 'meeting.change' | 'meeting.cancel' | 'meeting.minutes',
    correlationId?: string,
  ): Promise<MeetingLookup> {
    if (!actor.isCoordinator) {
      await this.refused(actor, what, id, correlationId);
      return { kind: 'forbidden' };
    }
    const meeting = await this.store.meetings.get(id);
    // Another municipality's meeting is not this coordinator's to change: as if it did not exist.
    const ofScope = new Set((await this.agreements.ofScope(actor.scope)).map((a) => a.id));
    if (!meeting || !ofScope.has(meeting.agreementId)) return { kind: 'notFound' };
    if (meeting.cancelled) return { kind: 'cancelled', meeting };
    return { kind: 'found', meeting };
  }

  /** Saves a change; the revision goes up only when the date or time moves (reminders key on it). */
  async update(actor: Actor, id: string, raw: RawMeetingInput, correlationId?: string): Promise<MeetingSaveResult> {
    const found = await this.forChange(actor, id, 'meeting.change', correlationId);
    if (found.kind !== 'found') return found;
    const current = found.meeting;
    const now = this.clock.now();
    const checked = validateMeeting(raw, { now, existing: current });
    if (!checked.ok) return { kind: 'invalid', errors: checked.errors };
    const v = checked.value;
    const changed = (['kind', 'date', 'time', 'place', 'agenda'] as const).filter(
      (f) => (current[f] ?? '') !== (v[f] ?? ''),
    );
    if (changed.length === 0) return { kind: 'saved', meeting: current, duplicate: true, rescheduled: false };
    const rescheduled = changed.includes('date') || changed.includes('time');
    const at = now.toISOString();
    const next: Meeting = {
      ...current,
      kind: v.kind,
      date: v.date,
      time: v.time,
      updatedAt: at,
      revision: current.revision + (rescheduled ? 1 : 0),
      sequence: (current.sequence ?? 0) + 1,
    };
    if (v.place) next.place = v.place;
    else delete next.place;
    if (v.agenda) next.agenda = v.agenda;
    else delete next.agenda;
    await this.store.meetings.put(next);
    await recordStored(this.audit, {
      at,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'meeting.changed',
      objectId: id,
      outcome: 'ok',
      correlationId,
      detail: changed.join(','),
    });
    return { kind: 'saved', meeting: next, duplicate: false, rescheduled };
  }

  /** Cancelling keeps the meeting, marked with who and when. */
  async cancel(actor: Actor, id: string, correlationId?: string): Promise<MeetingLookup> {
    const found = await this.forChange(actor, id, 'meeting.cancel', correlationId);
    if (found.kind !== 'found') return found;
    const at = this.clock.now().toISOString();
    const meeting: Meeting = {
      ...found.meeting,
      cancelled: { at, by: actor.id },
      updatedAt: at,
      sequence: (found.meeting.sequence ?? 0) + 1,
    };
    await this.store.meetings.put(meeting);
    await recordStored(this.audit, {
      at,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'meeting.cancelled',
      objectId: id,
      outcome: 'ok',
      correlationId,
    });
    return { kind: 'found', meeting };
  }

  /**
   * Records what a meeting decided and what is to be done before the next one (coordinators, from
   * the meeting's day on). Saving again replaces the record; every save is audited, a refusal too.
   */
  async recordMinutes(actor: Actor, id: string, raw: RawMeetingInput, correlationId?: string): Promise<MinutesResult> {
    const found = await this.forChange(actor, id, 'meeting.minutes', correlationId);
    if (found.kind !== 'found') return found;
    const meeting = found.meeting;
    const now = this.clock.now();
    const at = now.toISOString();
    if (meeting.date > localDateOf(now)) return { kind: 'notYet', meeting };
    const checked = validateMinutes(raw);
    if (!checked.ok) {
      await this.audit.record({
        at,
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'meeting.minutes',
        objectId: id,
        outcome: 'refused',
        correlationId,
        detail: checked.errors.map((e) => `${e.field}:${e.code}`).join(','),
      });
      return { kind: 'invalid', meeting, errors: checked.errors };
    }
    const v = checked.value;
    if (meeting.minutes && meeting.minutes.decisions === v.decisions && meeting.minutes.followUps === v.followUps)
      return { kind: 'saved', meeting, duplicate: true };
    const next: Meeting = { ...meeting, minutes: { ...v, recordedBy: actor.id, recordedAt: at }, updatedAt: at };
    // One write of the whole meeting: the record is there entirely or not at all.
    await this.store.meetings.put(next);
    await recordStored(this.audit, {
      at,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'meeting.minutes',
      objectId: id,
      outcome: 'ok',
      correlationId,
      detail: Object.keys(v).join(','),
    });
    return { kind: 'saved', meeting: next, duplicate: false };
  }

  /**
   * The meeting `protokoll` opens: the latest of the municipality's current agreement that has
   * begun (today or earlier) and is not cancelled.
   */
  async latestHeld(actor: Actor, correlationId?: string): Promise<MeetingLookup | { kind: 'none' }> {
    if (!actor.isCoordinator) {
      await this.refused(actor, 'meeting.minutes', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'none' };
    const now = this.clock.now();
    const today = localDateOf(now);
    const held = (await this.store.meetings.listOf(current.agreement.id))
      .filter((m) => !m.cancelled && m.date <= today)
      .sort((a, b) => `${b.date}T${b.time}`.localeCompare(`${a.date}T${a.time}`));
    // Today's meeting counts once it has started; before that the previous one is meant.
    const meeting = held.find((m) => meetingStart(m).getTime() <= now.getTime()) ?? held.find((m) => m.date === today);
    return meeting ? { kind: 'found', meeting } : { kind: 'none' };
  }

  /** What the calendar file of a meeting needs (the download maker re-reads it: a change shows). */
  async invitation(id: string): Promise<MeetingInvitation | undefined> {
    const meeting = await this.store.meetings.get(id);
    if (!meeting) return undefined;
    const agreement = await this.store.agreements.get(meeting.agreementId);
    if (!agreement) return undefined;
    return {
      meeting,
      municipality: agreement.municipality,
      policeArea: agreement.policeArea,
      periodStart: agreement.periodStart,
      periodEnd: agreement.periodEnd,
    };
  }

  /** Coming meetings of the current agreement (today and later, not cancelled), in date order. */
  async upcoming(scope?: string): Promise<Meeting[]> {
    const current = await this.agreements.current(scope);
    if (!current) return [];
    return upcomingOf(await this.store.meetings.listOf(current.agreement.id), current.agreement.id, this.clock.now());
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

const codes = (errors: MeetingError[]) => errors.map((e) => `${e.field}:${e.code}`).join(',');
