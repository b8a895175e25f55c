import { z } from 'zod';
import { AgreementSchema } from '../domain/agreement.js';
import { ChannelLinkSchema } from '../domain/channel-link.js';
import { StoredConversationSchema } from '../domain/conversation.js';
import { StoredCoordinatorSchema } from '../domain/coordinator.js';
import { StoredMarkerSchema } from '../domain/marker.js';
import { StoredFollowUpSchema } from '../domain/follow-up.js';
import { MeetingSchema } from '../domain/meeting.js';
import { StoredOverrideSchema } from '../domain/override.js';
import { WeeklyReportSchema } from '../domain/report.js';
import { ReporterSchema } from '../domain/reporter.js';

/**
 * The shape of the data file and of the weekly report files, built from the domain's record schemas.
 * Bump SCHEMA_VERSION and add a step to MIGRATIONS when it changes.
 */
export const SCHEMA_VERSION = 2;

export const DbSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  agreements: z.array(AgreementSchema),
  conversations: z.array(StoredConversationSchema),
  overrides: z.array(StoredOverrideSchema),
  reporters: z.array(ReporterSchema),
  meetings: z.array(MeetingSchema),
  channelLinks: z.array(ChannelLinkSchema),
  coordinators: z.array(StoredCoordinatorSchema),
  // Added without a version step: a file written before it simply has none yet.
  markers: z.array(StoredMarkerSchema).default([]),
  // The signed follow-ups (issue #15): added without a version step, like markers.
  followUps: z.array(StoredFollowUpSchema).default([]),
});
export type DbData = z.infer<typeof DbSchema>;

export function emptyDb(): DbData {
  return {
    schemaVersion: SCHEMA_VERSION,
    agreements: [],
    conversations: [],
    overrides: [],
    reporters: [],
    meetings: [],
    channelLinks: [],
    coordinators: [],
    markers: [],
    followUps: [],
  };
}

/** Each step takes a document of version N and returns version N+1. */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  // 0 → 1: files written before versioning had no schemaVersion and possibly no conversations.
  0: (doc) => ({ ...doc, conversations: doc.conversations ?? [], schemaVersion: 1 }),
  // 1 → 2: overrides, reporters, meetings, channel links and coordinators added in chat.
  1: (doc) => ({
    ...doc,
    overrides: [],
    reporters: [],
    meetings: [],
    channelLinks: [],
    coordinators: [],
    schemaVersion: 2,
  }),
};

export function migrate(doc: Record<string, unknown>): { doc: Record<string, unknown>; migrated: boolean } {
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
  let current = doc;
  const start = version;
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    current = step(current);
    version += 1;
  }
  if (version > SCHEMA_VERSION)
    throw new Error(
      `the data file has schema version ${version}, newer than this bot (${SCHEMA_VERSION}): upgrade the bot`,
    );
  return { doc: current, migrated: version !== start };
}

export const REPORT_FILE_VERSION = 1;
export const ReportFileSchema = z.object({
  schemaVersion: z.literal(REPORT_FILE_VERSION),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  reports: z.array(WeeklyReportSchema),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;
