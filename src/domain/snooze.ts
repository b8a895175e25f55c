import {
  addLocalDays,
  DEFAULT_ZONE,
  localDateOf,
  localDateTimeToInstant,
  localTimeOf,
  type LocalDate,
} from './calendar.js';

/**
 * "Påminn mig i morgon" / "Påminn mig kl. 15" on the weekly reminder: when the one extra reminder
 * is due. Pure: "now" and the zone (Europe/Stockholm) are parameters.
 *
 * - `tomorrow`: the next calendar day at SNOOZE_TOMORROW_TIME (09:00 local).
 * - `at15`: today at 15:00 local; when it is already 15:00 or later, tomorrow at 15:00 (`late`), and
 *   the answer says so. Never an instant in the past, never "now".
 */
export const SNOOZE_OPTIONS = ['tomorrow', 'at15'] as const;
export type SnoozeOption = (typeof SNOOZE_OPTIONS)[number];
export const isSnoozeOption = (v: unknown): v is SnoozeOption => SNOOZE_OPTIONS.includes(v as SnoozeOption);

export const SNOOZE_TOMORROW_TIME = '09:00';
export const SNOOZE_AFTERNOON_TIME = '15:00';

export interface SnoozeTime {
  at: Date;
  date: LocalDate;
  time: string;
  /** `at15` asked at or after 15:00: moved to tomorrow. */
  late: boolean;
}

export function snoozeTime(now: Date, option: SnoozeOption, zone: string = DEFAULT_ZONE): SnoozeTime {
  const today = localDateOf(now, zone);
  if (option === 'tomorrow') {
    const date = addLocalDays(today, 1);
    return {
      at: localDateTimeToInstant(date, SNOOZE_TOMORROW_TIME, zone),
      date,
      time: SNOOZE_TOMORROW_TIME,
      late: false,
    };
  }
  const late = localTimeOf(now, zone) >= SNOOZE_AFTERNOON_TIME;
  const date = late ? addLocalDays(today, 1) : today;
  return { at: localDateTimeToInstant(date, SNOOZE_AFTERNOON_TIME, zone), date, time: SNOOZE_AFTERNOON_TIME, late };
}

/** The delivery ledger key of one snoozed reminder: one occurrence per reporter, week and time. */
export const snoozeKey = (agreementId: string, week: string, reporterId: string, at: string): string =>
  `snooze:${agreementId}:${week}:${reporterId}:${at}`;
