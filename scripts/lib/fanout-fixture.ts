// Helpers for scripts/reminder-crash-test.ts: a prepared data folder
// (the lowdb main file with registered reporters and their personal conversations, plus a week
// file with the reports of those who already reported), and a reader of the delivery ledger.
// The data is checked against the bot's own zod schemas (src/storage/schema.ts), so a schema
// change fails here loudly instead of silently.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLedgerFiles } from '../../src/storage/ledger-file.js';
import { DbSchema, ReportFileSchema } from '../../src/storage/schema.js';
import { BOT, TENANT, makeUser, reportsDirOf } from './bot-process.js';

export const ledgerPathOf = (dbPath: string): string => dbPath.replace(/\.json$/i, '') + '.ledger.json';

// ---------------------------------------------------------------------------------------------
// The data folder: N registered reporters with personal conversations, K of them reported.

/** The Monday–Sunday dates of an ISO week 'YYYY-Www' as 'YYYY-MM-DD'. */
function datesOfWeek(week: string): string[] {
  const [, y, w] = /^(\d{4})-W(\d{2})$/.exec(week)!.map(Number) as [number, number, number];
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (w - 1) * 7 * 86_400_000);
  return Array.from({ length: 7 }, (_, i) => new Date(monday.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Writes DB_PATH (schema version 2; agreements left empty so the bot seeds Tranås 2023–2024 at
 * start) with `count` active reporters, each with an active personal conversation whose stored
 * reference points at `serviceUrl`, and `<db>.reports/<week>.json` with one valid report of each
 * of `reportedCount` randomly chosen reporters (dated on or before `lastDate`).
 * Returns { reporters: [{ n, aadObjectId, conversationId, party }], reported: Set<aadObjectId>,
 *           byConversation: Map<conversationId, aadObjectId> }.
 */
export function writeFanoutFixture({
  dbPath,
  serviceUrl,
  count = 200,
  reportedCount = 20,
  week = '2024-W11',
  lastDate,
  at,
  random = Math.random,
  channel,
}: {
  dbPath: string;
  serviceUrl: string;
  count?: number;
  reportedCount?: number;
  week?: string;
  lastDate?: string;
  /** createdAt of the prepared reports. */
  at?: string;
  random?: () => number;
  /**
   * Also a shared channel linked to the agreement (its conversation reference at `serviceUrl`) and a
   * follow-up meeting at `meeting` (local 'YYYY-MM-DD', 'HH:MM'), so that a meeting digest to the
   * channel falls due (three working days before the meeting at 08:00 by default).
   */
  channel?: { conversationId: string; meeting: { date: string; time: string } };
}) {
  const reporters = Array.from({ length: count }, (_, i) => {
    const u = makeUser(i + 1);
    return {
      n: i + 1,
      user: u,
      aadObjectId: u.aadObjectId,
      conversationId: u.conversationId,
      party: i % 2 === 0 ? 'Polisen' : 'Kommunen',
    };
  });
  const registeredAt = '2024-02-01T08:00:00.000Z';
  const channelConversation = channel && {
    id: channel.conversationId,
    kind: 'channel',
    tenantId: TENANT,
    teamId: `${channel.conversationId}-team`,
    channelId: channel.conversationId,
    serviceUrl,
    reference: {
      activityId: 'act-install-channel',
      bot: { id: BOT.id, name: BOT.name },
      conversation: {
        id: channel.conversationId,
        conversationType: 'channel',
        tenantId: TENANT,
        isGroup: true,
      },
      channelId: 'msteams',
      locale: 'sv-SE',
      serviceUrl,
    },
    active: true,
    updatedAt: registeredAt,
  };
  const db = {
    schemaVersion: 2,
    agreements: [],
    conversations: reporters
      .map((r) => ({
        id: r.conversationId,
        kind: 'personal',
        tenantId: TENANT,
        serviceUrl,
        userAadObjectId: r.aadObjectId,
        reference: {
          activityId: `act-install-${r.n}`,
          user: { id: r.user.id, name: r.user.name, aadObjectId: r.aadObjectId },
          bot: { id: BOT.id, name: BOT.name },
          conversation: { id: r.conversationId, conversationType: 'personal', tenantId: TENANT, isGroup: false },
          channelId: 'msteams',
          locale: 'sv-SE',
          serviceUrl,
        },
        active: true,
        updatedAt: registeredAt,
      }))
      .concat(channelConversation ? [channelConversation as never] : []),
    overrides: [],
    reporters: reporters.map((r) => ({
      aadObjectId: r.aadObjectId,
      party: r.party,
      name: r.user.name,
      tenantId: TENANT,
      personalConversationId: r.conversationId,
      registeredAt,
      active: true,
    })),
    meetings: channel
      ? [
          {
            id: 'fanout-meeting',
            agreementId: 'tranas-2023-2024',
            kind: 'samverkansmöte',
            date: channel.meeting.date,
            time: channel.meeting.time,
            place: 'Stadshuset',
            createdBy: reporters[0]!.aadObjectId,
            createdAt: registeredAt,
            updatedAt: registeredAt,
            revision: 1,
          },
        ]
      : [],
    channelLinks: channel
      ? [
          {
            agreementId: 'tranas-2023-2024',
            conversationId: channel.conversationId,
            tenantId: TENANT,
            channelName: 'Medborgarlöfte',
            linkedBy: reporters[0]!.aadObjectId,
            linkedAt: registeredAt,
          },
        ]
      : [],
    coordinators: [],
  };

  // A random subset has reported this week (partial Fisher–Yates on a copy).
  const pool = reporters.slice();
  for (let i = 0; i < reportedCount; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const reportedList = pool.slice(0, reportedCount);
  const dates = datesOfWeek(week).filter((d) => !lastDate || d <= lastDate);
  const reports = reportedList.map((r, i) => {
    const created = at ?? '2024-03-12T09:00:00.000Z';
    return {
      week,
      activityId: 'trafikkontroller',
      pledgeNumber: 3,
      count: 1 + (i % 4),
      date: dates[i % dates.length],
      area: 'Centrum',
      description: 'Trafikkontroller vid infarten',
      raiseAtNextMeeting: false,
      party: r.party,
      id: randomUUID(),
      submissionId: randomUUID(),
      agreementId: 'tranas-2023-2024',
      reporterId: r.aadObjectId,
      reporterTenantId: TENANT,
      createdAt: created,
      updatedAt: created,
      history: [{ at: created, by: r.aadObjectId, action: 'created' }],
    };
  });
  const weekFile = { schemaVersion: 1, week, reports };

  writeFileSync(dbPath, JSON.stringify(db, null, 2));
  const dir = reportsDirOf(dbPath);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${week}.json`), JSON.stringify(weekFile, null, 2));
  return {
    reporters,
    reported: new Set(reportedList.map((r) => r.aadObjectId)),
    byConversation: new Map(reporters.map((r) => [r.conversationId, r.aadObjectId])),
    db,
    weekFile,
  };
}

/**
 * Checks the prepared files against the bot's own zod schemas (src/storage/schema.ts). Throws with the
 * first problems when they do not match, so the fixture never drifts from the bot's schema.
 */
export async function assertFixtureMatchesSchema({ db, weekFile }: { db: unknown; weekFile: unknown }): Promise<void> {
  for (const [name, schema, doc] of [
    ['data file', DbSchema, db],
    ['week file', ReportFileSchema, weekFile],
  ] as const) {
    const r = schema.safeParse(doc);
    if (!r.success)
      throw new Error(
        `the prepared ${name} does not match the bot's schema: ${r.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// The delivery ledger (src/storage/ledger-file.ts): a snapshot <db>.ledger.json and a journal
// <db>.ledger.jsonl of the changes since, read together with the bot's own readLedgerFiles, so a
// killed process's journal counts. Occurrences: [{ key, kind, due, createdAt, messages?, rows:
// [{ recipient, conversationId, state, attempts, ... }] }].

/**
 * Reads the ledger. Returns { problems, occurrences, rowsByKey: Map<occurrence key, Map<recipient,
 * row>> }. A missing or unparsable file is a problem, not an exception.
 */
export interface LedgerRow {
  recipient: string;
  conversationId: string;
  state: string;
  attempts: number;
  [key: string]: unknown;
}

export interface LedgerOccurrence {
  key: string;
  rows?: LedgerRow[];
  [key: string]: unknown;
}

export function readLedger(dbPath: string) {
  const file = ledgerPathOf(dbPath);
  const problems: string[] = [];
  const rowsByKey = new Map<string, Map<string, LedgerRow>>();
  let occurrences: LedgerOccurrence[] = [];
  if (!existsSync(file)) problems.push(`${file}: missing`);
  else {
    try {
      occurrences = readLedgerFiles(file).data.occurrences as unknown as LedgerOccurrence[];
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  for (const o of occurrences) {
    const rows = new Map<string, LedgerRow>();
    for (const r of o.rows ?? []) {
      if (rows.has(r.recipient)) problems.push(`${file}: occurrence ${o.key} has recipient ${r.recipient} twice`);
      rows.set(r.recipient, r);
    }
    rowsByKey.set(o.key, rows);
  }
  return { file, problems, occurrences, rowsByKey };
}
