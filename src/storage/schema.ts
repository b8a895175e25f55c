import { z } from 'zod';
import { AgreementSchema } from '../domain/agreement.js';

/** The shape of the data file. Bump SCHEMA_VERSION and add a step to MIGRATIONS when it changes. */
export const SCHEMA_VERSION = 2;

const ConversationSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['personal', 'groupChat', 'channel']),
  tenantId: z.string().optional(),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  serviceUrl: z.string(),
  userAadObjectId: z.string().optional(),
  reference: z.record(z.unknown()),
  active: z.boolean(),
  updatedAt: z.string(),
});

const LevelSchema = z.enum(['onTrack', 'atRisk', 'behind', 'achieved', 'noTarget']);

const OverrideSchema = z.object({
  id: z.string().min(1),
  agreementId: z.string().min(1),
  pledgeNumber: z.number().int().positive().optional(),
  activityId: z.string().optional(),
  level: LevelSchema,
  reason: z.string(),
  by: z.string(),
  byName: z.string().optional(),
  at: z.string(),
  clearedAt: z.string().optional(),
  clearedBy: z.string().optional(),
});

const ReporterSchema = z.object({
  aadObjectId: z.string().min(1),
  party: z.enum(['Polisen', 'Kommunen']),
  name: z.string().optional(),
  tenantId: z.string().optional(),
  personalConversationId: z.string().optional(),
  registeredAt: z.string(),
  absentUntil: z.string().optional(),
  active: z.boolean(),
});

const MeetingSchema = z.object({
  id: z.string().min(1),
  agreementId: z.string().min(1),
  kind: z.enum(['samverkansmöte', 'EST-möte', 'SSPF', 'styrgrupp', 'tertialuppföljning', 'annat']),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  place: z.string().optional(),
  agenda: z.string().optional(),
  cancelled: z.object({ at: z.string(), by: z.string() }).optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  revision: z.number().int().min(1),
});

const ChannelLinkSchema = z.object({
  agreementId: z.string().min(1),
  conversationId: z.string().min(1),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  tenantId: z.string().optional(),
  channelName: z.string().optional(),
  linkedBy: z.string(),
  linkedAt: z.string(),
});

const CoordinatorSchema = z.object({
  aadObjectId: z.string().min(1),
  addedBy: z.string(),
  addedAt: z.string(),
  removedAt: z.string().optional(),
  removedBy: z.string().optional(),
});

const MarkerSchema = z.object({ key: z.string().min(1), value: z.number(), at: z.string() });

export const DbSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  agreements: z.array(AgreementSchema),
  conversations: z.array(ConversationSchema),
  overrides: z.array(OverrideSchema),
  reporters: z.array(ReporterSchema),
  meetings: z.array(MeetingSchema),
  channelLinks: z.array(ChannelLinkSchema),
  coordinators: z.array(CoordinatorSchema),
  // Added without a version step: a file written before it simply has none yet.
  markers: z.array(MarkerSchema).default([]),
});
export type DbData = z.infer<typeof DbSchema>;

export function emptyDb(): DbData {
  return { schemaVersion: SCHEMA_VERSION, agreements: [], conversations: [], overrides: [], reporters: [], meetings: [], channelLinks: [], coordinators: [], markers: [] };
}

/** Each step takes a document of version N and returns version N+1. */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  // 0 → 1: files written before versioning had no schemaVersion and possibly no conversations.
  0: (doc) => ({ ...doc, conversations: doc.conversations ?? [], schemaVersion: 1 }),
  // 1 → 2: overrides, reporters, meetings, channel links and coordinators added in chat.
  1: (doc) => ({ ...doc, overrides: [], reporters: [], meetings: [], channelLinks: [], coordinators: [], schemaVersion: 2 }),
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
  if (version > SCHEMA_VERSION) throw new Error(`the data file has schema version ${version}, newer than this bot (${SCHEMA_VERSION}): upgrade the bot`);
  return { doc: current, migrated: version !== start };
}

const ReportContentShape = {
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  activityId: z.string().min(1),
  pledgeNumber: z.number().int().positive(),
  count: z.number().int().min(0),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  area: z.string().min(1),
  description: z.string(),
  ageBands: z.object({ under18: z.number().int().min(0), from18to21: z.number().int().min(0), over21: z.number().int().min(0) }).optional(),
  raiseAtNextMeeting: z.boolean(),
  party: z.enum(['Polisen', 'Kommunen']),
};

export const ReportSchema = z.object({
  ...ReportContentShape,
  id: z.string().min(1),
  submissionId: z.string().min(1),
  agreementId: z.string().min(1),
  reporterId: z.string().min(1),
  reporterTenantId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  withdrawn: z.object({ at: z.string(), by: z.string(), reason: z.string().optional() }).optional(),
  history: z.array(
    z.object({
      at: z.string(),
      by: z.string(),
      action: z.enum(['created', 'edited', 'withdrawn', 'purged']),
      previous: z.object(ReportContentShape).partial().optional(),
      reason: z.string().optional(),
    }),
  ),
});

export const REPORT_FILE_VERSION = 1;
export const ReportFileSchema = z.object({
  schemaVersion: z.literal(REPORT_FILE_VERSION),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  reports: z.array(ReportSchema),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;
