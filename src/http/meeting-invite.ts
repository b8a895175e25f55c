import type { Clock } from '../app/clock.js';
import { MEETING_RULES, type MeetingService } from '../app/meetings.js';
import { meetingIcs } from '../domain/ics.js';
import { safeText } from '../domain/outbound-guard.js';
import { textsFor } from '../texts/index.js';
import type { DownloadMaker } from './downloads.js';

/** The domain part of every invitation's UID: one meeting, one UID, in every file the bot makes. */
export const INVITE_UID_DOMAIN = 'medborgarlofte-bot';

/**
 * Makes a meeting's calendar invitation (.ics) when its signed link is opened: the meeting is read
 * from the store at that moment, so a changed meeting gives a file with a higher SEQUENCE (and a
 * cancelled one STATUS:CANCELLED). Place and agenda are checked by the privacy guard on the way out.
 */
export function meetingInviteMaker(meetings: MeetingService, clock: Clock): DownloadMaker {
  return async (params) => {
    const id = params.meetingId;
    if (!id) return undefined;
    const found = await meetings.invitation(id);
    if (!found) return undefined;
    const { meeting } = found;
    // The invitation is Swedish, like the shared channel: the file may be forwarded to colleagues.
    const t = textsFor('sv');
    const kind = t.followUp.meetings.kindNames[meeting.kind];
    const place = safeText(meeting.place);
    const agenda = safeText(meeting.agenda);
    const body = meetingIcs({
      uid: `${meeting.id}@${INVITE_UID_DOMAIN}`,
      sequence: meeting.sequence ?? 0,
      stamp: clock.now(),
      date: meeting.date,
      time: meeting.time,
      durationMinutes: MEETING_RULES.inviteMinutes,
      summary: t.planning.calendar.summary(kind, found.municipality),
      ...(place ? { location: place } : {}),
      description: t.planning.calendar.description(found.policeArea, found.municipality, agenda),
      cancelled: !!meeting.cancelled,
    });
    return {
      fileName: t.planning.calendar.fileName(kind, meeting.date),
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      body,
    };
  };
}
