// Part e's national data set in one PostgreSQL schema: 290 municipalities, each with its own
// 2023–2024 agreement (the Tranås one for the first; the others generated from it with their own
// ids, names, wordings and targets), reports spread over them and the two years (sizes skewed as
// municipalities are: a few large, many small), and bench users whose personal chats are bound to a
// municipality and who are registered rapportörer there. Written through the bot's own store
// (PostgresStore: agreements, conversations, reporters; PostgresReports.addMany for the reports, so
// the running totals are the bot's own), in batches, by two writers on disjoint agreements.
import pg from 'pg';
import { RECONCILED_MARKER } from '../../src/app/audit-reconcile.js';
import { GUARD_MARKER_KEY } from '../../src/app/privacy-sweep.js';
import { GUARD_VERSION } from '../../src/domain/privacy.js';
import { AgreementSchema, type Agreement } from '../../src/domain/agreement.js';
import { scopeOf } from '../../src/domain/scope.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { createPool, quoteIdent } from '../../src/storage/postgres/pool.js';
import { PostgresStore } from '../../src/storage/postgres/store.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { makeUser, prng, TENANT, type User } from '../lib/bot-process.js';
import { reportFactory } from './seed-reports.js';

export const MUNICIPALITIES = 290;
/** Bench users per municipality: each a personal chat bound to it (load spread over municipalities). */
const USERS_PER_MUNICIPALITY = 2;
const BATCH = 5000;

const PREFIXES = ['Norr', 'Söder', 'Väster', 'Öster', 'Stor', 'Lill', 'Ny', 'Gamla', 'Över', 'Ned', 'Mellan', 'Hög'];
const STEMS = [
  'berga',
  'vik',
  'ås',
  'hamn',
  'köping',
  'fors',
  'dal',
  'holm',
  'sund',
  'torp',
  'by',
  'stad',
  'lunda',
  'näs',
  'ryd',
  'sjö',
  'bro',
  'mark',
  'tuna',
  'hult',
  'landa',
  'bo',
  'kulla',
  'storp',
  'vall',
];

/** The municipalities' names: Tranås first, then generated ones (distinct). */
export function municipalityNames(n = MUNICIPALITIES): string[] {
  const names = ['Tranås kommun'];
  for (let i = 0; names.length < n; i++) {
    const p = PREFIXES[i % PREFIXES.length]!;
    const s = STEMS[Math.floor(i / PREFIXES.length) % STEMS.length]!;
    const round = Math.floor(i / (PREFIXES.length * STEMS.length));
    names.push(`${p}${s}${round > 0 ? ` ${round + 1}` : ''} kommun`);
  }
  return names;
}

/** Municipality i's agreement: Tranås's for 0, else Tranås's structure with its own name, ids and targets. */
export function nationalAgreement(i: number, name: string, rand: () => number): Agreement {
  if (i === 0) return AgreementSchema.parse(TRANAS_2023_2024);
  const place = name.replace(/ kommun$/, '');
  const factor = 0.5 + rand() * 2.5; // targets from half to three times Tranås's
  return AgreementSchema.parse({
    ...TRANAS_2023_2024,
    id: `${scopeOf({ municipality: name })}-2023-2024`,
    municipality: name,
    policeArea: `Lokalpolisområde ${place}`,
    source: `Genererad för benchmark (del e) efter Tranås 2023–2024`,
    pledges: TRANAS_2023_2024.pledges.map((p) => ({ ...p, wording: p.wording.replaceAll('Tranås', place) })),
    activities: TRANAS_2023_2024.activities.map((a) => ({
      ...a,
      wording: a.wording.replaceAll('Tranås', place),
      ...(a.target && 'count' in a.target
        ? { target: { ...a.target, count: Math.max(1, Math.round(a.target.count * factor)) } }
        : {}),
    })),
  });
}

/** The bench users of municipality `m` (index `k`): their personal chats are bound to it. */
export function nationalUser(m: number, k: number): User {
  return makeUser(100_000 + m * USERS_PER_MUNICIPALITY + k);
}

export interface NationalSeed {
  schema: string;
  reports: number;
  agreements: number;
  users: number;
  /** ms per step. */
  ms: { agreements: number; conversations: number; reports: number; analyze: number; total: number };
  /** Reports per municipality: largest, median, smallest. */
  perMunicipality: { max: number; median: number; min: number };
  tableBytes: number;
}

/** Whether the schema holds a finished seed of `reports` reports (BENCH_KEEP=1 re-runs). */
export async function seededAlready(databaseUrl: string, schema: string, reports: number): Promise<boolean> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ doc: { value?: number } }>(
      `SELECT doc FROM ${quoteIdent(schema)}.markers WHERE key = 'bench.national.reports'`,
    );
    return rows[0]?.doc?.value === reports;
  } catch {
    return false;
  } finally {
    await c.end();
  }
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await c.end();
  }
}

/** Seeds `schema` (dropped first) with the national data set of `reports` reports. */
export async function seedNational(
  databaseUrl: string,
  schema: string,
  reports: number,
  log: (msg: string) => void = () => undefined,
  { seed = 20241203 }: { seed?: number } = {},
): Promise<NationalSeed> {
  const t0 = Date.now();
  await dropSchema(databaseUrl, schema);
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await admin.end();
  const pool = createPool(databaseUrl, { schema, max: 4, applicationName: 'bench-seed' });
  try {
    const store = await PostgresStore.open(pool, { schema });
    const rand = prng(seed);
    const names = municipalityNames();
    const agreements = names.map((name, i) => nationalAgreement(i, name, rand));
    for (const a of agreements) await store.agreements.addIfAbsent(a);
    const tAgreements = Date.now() - t0;

    // Personal chats bound to their municipality, their people registered as rapportörer there.
    const t1 = Date.now();
    const now = '2024-03-01T08:00:00.000Z';
    let users = 0;
    for (const [m, a] of agreements.entries()) {
      for (let k = 0; k < USERS_PER_MUNICIPALITY; k++) {
        const u = nationalUser(m, k);
        const scope = scopeOf(a);
        await store.conversations.upsert({
          id: u.conversationId,
          kind: 'personal',
          tenantId: TENANT,
          serviceUrl: 'http://127.0.0.1:9/',
          userAadObjectId: u.aadObjectId,
          reference: {
            conversation: { id: u.conversationId, conversationType: 'personal', tenantId: TENANT },
            user: { id: u.id, aadObjectId: u.aadObjectId },
            serviceUrl: 'http://127.0.0.1:9/',
            channelId: 'msteams',
          },
          active: true,
          updatedAt: now,
          scope,
        });
        await store.reporters.put({
          aadObjectId: u.aadObjectId,
          party: k % 2 === 0 ? 'Polisen' : 'Kommunen',
          tenantId: TENANT,
          personalConversationId: u.conversationId,
          registeredAt: now,
          active: true,
          scope,
        });
        users++;
      }
    }
    const tConversations = Date.now() - t1;

    // Reports: municipality sizes skewed like populations (a Zipf-like share, the largest about 60
    // times the smallest), every municipality at least one report.
    const t2 = Date.now();
    const weights = agreements.map((_, i) => 1 / (1 + i) ** 0.7);
    const order = agreements.map((_, i) => i).sort((x, y) => ((x * 7919) % 290) - ((y * 7919) % 290));
    const total = weights.reduce((s, w) => s + w, 0);
    const counts = agreements.map(() => 0);
    order.forEach((agreementIndex, rank) => (counts[agreementIndex] = (weights[rank]! / total) * reports));
    const whole = counts.map((c) => Math.max(1, Math.floor(c)));
    let missing = reports - whole.reduce((s, c) => s + c, 0);
    for (let i = 0; missing !== 0; i = (i + 1) % whole.length) {
      if (missing > 0) {
        whole[i]!++;
        missing--;
      } else if (whole[i]! > 1) {
        whole[i]!--;
        missing++;
      }
    }
    let written = 0;
    let lastLog = Date.now();
    // Two writers on disjoint agreements: no lock waits on the agreements' totals rows.
    const writer = async (part: number) => {
      for (let m = part; m < agreements.length; m += 2) {
        const next = reportFactory(
          prng(seed + m),
          agreements[m]!.id,
          `bbbbbbbb-${String(m).padStart(4, '0')}-4000-8000-`,
        );
        for (let left = whole[m]!; left > 0;) {
          const n = Math.min(BATCH, left);
          const batch = Array.from({ length: n }, () => next() as WeeklyReport);
          await store.reports.addMany(batch);
          left -= n;
          written += n;
          if (Date.now() - lastLog > 15000) {
            lastLog = Date.now();
            log(`e: seeded ${written.toLocaleString('en-US')} of ${reports.toLocaleString('en-US')} reports`);
          }
        }
      }
    };
    await Promise.all([writer(0), writer(1)]);
    const tReports = Date.now() - t2;
    const t3 = Date.now();
    await pool.query('ANALYZE');
    const tAnalyze = Date.now() - t3;
    const { rows } = await pool.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    // A running deployment's start-up audit check has been through its history already (the marker
    // src/app/audit-reconcile.ts keeps); without it the first start would write an audit line for
    // each seeded report, which the seed does not write.
    await store.markers.put({ key: RECONCILED_MARKER, value: Date.now(), at: new Date().toISOString() });
    // Likewise the privacy sweep (src/app/privacy-sweep.ts): a running deployment's stored text was
    // checked by this guard version; without the marker the first start re-checks every report.
    await store.markers.put({ key: GUARD_MARKER_KEY, value: GUARD_VERSION, at: new Date().toISOString() });
    await store.markers.put({ key: 'bench.national.reports', value: reports, at: new Date().toISOString() });
    await store.close();
    const sorted = [...whole].sort((x, y) => x - y);
    return {
      schema,
      reports,
      agreements: agreements.length,
      users,
      ms: {
        agreements: tAgreements,
        conversations: tConversations,
        reports: tReports,
        analyze: tAnalyze,
        total: Date.now() - t0,
      },
      perMunicipality: { max: sorted[sorted.length - 1]!, median: sorted[sorted.length >> 1]!, min: sorted[0]! },
      tableBytes: Number(rows[0]!.bytes),
    };
  } finally {
    await pool.end();
  }
}

/** Follow-up meetings per municipality and period (about one every four months, a few extra). */
const MEETINGS_PER_MUNICIPALITY = 8;

/**
 * What each municipality's coordinators keep besides reports: its follow-up meetings over the two
 * years, its shared channel (every other municipality: the rest have not linked one yet) and a
 * status override on one activity in every fifth. Written with put (same keys each time), so it is
 * applied to a reused seed too. Returns how many records.
 */
export async function seedCoordination(databaseUrl: string, schema: string): Promise<number> {
  const pool = createPool(databaseUrl, { schema, max: 2, applicationName: 'bench-seed' });
  try {
    const store = await PostgresStore.open(pool, { schema });
    const by = 'cccccccc-0000-4000-8000-000000000001';
    let written = 0;
    for (const [m, a] of (await store.agreements.list()).entries()) {
      for (let k = 0; k < MEETINGS_PER_MUNICIPALITY; k++) {
        const month = 1 + ((k * 3 + (m % 3)) % 24);
        const date = `${2023 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-${String(10 + (m % 15)).padStart(2, '0')}`;
        await store.meetings.put({
          id: `${a.id}-mote-${k + 1}`,
          agreementId: a.id,
          kind: k % 4 === 0 ? 'tertialuppföljning' : 'samverkansmöte',
          date,
          time: '09:00',
          place: 'Kommunhuset',
          agenda: 'Uppföljning av medborgarlöftet',
          createdBy: by,
          createdAt: '2023-01-02T08:00:00.000Z',
          updatedAt: '2023-01-02T08:00:00.000Z',
          revision: 1,
        });
        written++;
      }
      if (m % 2 === 0) {
        await store.channelLinks.put({
          agreementId: a.id,
          conversationId: `19:bench-channel-${m}@thread.tacv2`,
          teamId: `19:bench-team-${m}@thread.tacv2`,
          tenantId: TENANT,
          channelName: 'Medborgarlöfte',
          linkedBy: by,
          linkedAt: '2023-01-03T08:00:00.000Z',
        });
        written++;
      }
      if (m % 5 === 0) {
        await store.overrides.put({
          id: `${a.id}-override-1`,
          agreementId: a.id,
          activityId: 'krogkontroller',
          level: 'atRisk',
          reason: 'Färre krogar öppna under renoveringen',
          by,
          at: '2024-02-01T08:00:00.000Z',
        });
        written++;
      }
    }
    await store.close();
    return written;
  } finally {
    await pool.end();
  }
}
