/**
 * A calendar invitation (iCalendar, RFC 5545) for one meeting: pure text, no I/O.
 *
 * - METHOD:PUBLISH: Outlook (desktop, web) and other calendars import the file as an appointment in
 *   the opener's own calendar; REQUEST would need an ORGANIZER and attendees (people), which the
 *   bot never names.
 * - Times are local Europe/Stockholm with TZID and a VTIMEZONE (the EU rule: CEST from the last
 *   Sunday of March 02:00, CET from the last Sunday of October 03:00), so a meeting at 10.00 stays
 *   at 10.00 across a DST change, whatever the reader's own zone.
 * - UID is stable per meeting; SEQUENCE goes up with every change, so importing a newer file
 *   updates the appointment instead of adding a second one; a cancelled meeting has STATUS:CANCELLED.
 */
import { localDateOf, localDateTimeToInstant, localTimeOf } from './calendar.js';

export const ICS_ZONE = 'Europe/Stockholm';

export interface IcsEvent {
  /** Stable per meeting (the bot adds its own domain part). */
  uid: string;
  sequence: number;
  /** When the file is made (UTC). */
  stamp: Date;
  /** Local date and time in Europe/Stockholm. */
  date: string;
  time: string;
  durationMinutes: number;
  summary: string;
  location?: string;
  description?: string;
  cancelled?: boolean;
}

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${ICS_ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped. */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n?|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): continuation lines start with a space, and a
 * UTF-8 character (å, ä, ö) is never split.
 */
const utf8 = new TextEncoder();

export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = utf8.encode(ch).length;
    // The first line holds 75 octets, each continuation 74 after its leading space.
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const compactLocal = (date: string, time: string): string => `${date.replace(/-/g, '')}T${time.replace(':', '')}00`;

const compactUtc = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The local end of an event: start plus its duration, as local date and time (a DST change counted). */
function localEnd(date: string, time: string, minutes: number): { date: string; time: string } {
  const end = new Date(localDateTimeToInstant(date, time, ICS_ZONE).getTime() + minutes * 60_000);
  return { date: localDateOf(end, ICS_ZONE), time: localTimeOf(end, ICS_ZONE) };
}

/** The whole file, CRLF line ends, folded. */
export function meetingIcs(event: IcsEvent, productId = '-//Medborgarlofte-boten//SV'): string {
  const end = localEnd(event.date, event.time, event.durationMinutes);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${compactUtc(event.stamp)}`,
    `DTSTART;TZID=${ICS_ZONE}:${compactLocal(event.date, event.time)}`,
    `DTEND;TZID=${ICS_ZONE}:${compactLocal(end.date, end.time)}`,
    `SUMMARY;LANGUAGE=sv:${escapeIcsText(event.summary)}`,
    ...(event.location ? [`LOCATION;LANGUAGE=sv:${escapeIcsText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION;LANGUAGE=sv:${escapeIcsText(event.description)}`] : []),
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`;
}
