import ICAL from 'ical.js';

/**
 * Parses a calendar file back with ical.js (Mozilla's parser, as Thunderbird uses it), resolving
 * TZID through the file's own VTIMEZONE: what a calendar that imports the file would see.
 */
export function parseIcs(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  const tz = root.getFirstSubcomponent('vtimezone');
  const zone = tz ? new ICAL.Timezone(tz) : undefined;
  if (zone) ICAL.TimezoneService.register(zone);
  const vevent = root.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  const end = event.endDate;
  return {
    method: root.getFirstPropertyValue('method'),
    version: root.getFirstPropertyValue('version'),
    zoneId: zone?.tzid,
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    location: event.location,
    description: event.description,
    status: vevent.getFirstPropertyValue('status'),
    startTzid: vevent.getFirstProperty('dtstart')!.getParameter('tzid'),
    /** Local wall-clock time as written, "2024-04-03T10:30:00". */
    startLocal: start.toString(),
    endLocal: end.toString(),
    /** The instants, resolved through the VTIMEZONE. */
    startUtc: start.toJSDate().toISOString(),
    endUtc: end.toJSDate().toISOString(),
  };
}
