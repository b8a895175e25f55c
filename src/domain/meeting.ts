import { z } from 'zod';

export const MEETING_KINDS = [
  'samverkansmöte',
  'EST-möte',
  'SSPF',
  'styrgrupp',
  'tertialuppföljning',
  'annat',
] as const;
export const MeetingKindSchema = z.enum(MEETING_KINDS);
export type MeetingKind = z.infer<typeof MeetingKindSchema>;

/** A follow-up meeting (uppföljningsmöte): local date and time in Europe/Stockholm. */
export const MeetingSchema = z.object({
  id: z.string().min(1),
  agreementId: z.string().min(1),
  kind: MeetingKindSchema,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  place: z.string().optional(),
  agenda: z.string().optional(),
  cancelled: z.object({ at: z.string(), by: z.string() }).optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped on every change of date or time, so reminders of an old time are not sent. */
  revision: z.number().int().min(1),
  /**
   * What the meeting decided and what is to be done before the next one, recorded by a coordinator
   * after the meeting (privacy-guarded free text, one item per line). The next digest shows it.
   */
  minutes: z
    .object({
      decisions: z.string().optional(),
      followUps: z.string().optional(),
      recordedBy: z.string(),
      recordedAt: z.string(),
    })
    .optional(),
  /** Bumped on every saved change (any field): the calendar invitation's SEQUENCE. */
  sequence: z.number().int().min(0).optional(),
});
export type Meeting = z.infer<typeof MeetingSchema>;
export type MeetingMinutes = NonNullable<Meeting['minutes']>;
