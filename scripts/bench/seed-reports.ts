// Writes N stored reports straight into the week files of a data path, before the bot starts:
// <DB_PATH without .json>.reports/<ISO week>.json = {schemaVersion: 1, week, reports: [...]}, each
// report in the shape of src/storage/schema.ts ReportSchema, pretty-printed as lowdb writes it.
// Spread over the 104 ISO weeks of 2023–2024 (a seasonal swing, more in summer and around
// the turn of the year), all six activities of the Tranås agreement (weighted), 300 reporters in two
// tenants, a few edited (history) and withdrawn reports. Deterministic for a seed.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The bot's own calendar (ISO weeks).
import { addLocalDays, mondayOfWeek, weeksInYear } from '../../src/domain/calendar.js';
import { emptyDb } from '../../src/storage/schema.js';
import { prng, reportsDirOf } from '../lib/bot-process.js';

const AGREEMENT_ID = 'tranas-2023-2024';
// id → pledge, owner, relative frequency
const ACTIVITIES: {
  id: string;
  pledgeNumber: number;
  owner: 'Polisen' | 'Kommunen' | 'Båda';
  weight: number;
  youth?: boolean;
}[] = [
  { id: 'trafikkontroller', pledgeNumber: 3, owner: 'Polisen', weight: 30 },
  { id: 'riktade-insatser-narkotika', pledgeNumber: 1, owner: 'Polisen', weight: 15, youth: true },
  { id: 'lob-och-polislagen', pledgeNumber: 2, owner: 'Polisen', weight: 20 },
  { id: 'krogkontroller', pledgeNumber: 2, owner: 'Båda', weight: 10 },
  { id: 'langning-kampanjer', pledgeNumber: 1, owner: 'Kommunen', weight: 10, youth: true },
  { id: 'samverkansmoten-sspf-est', pledgeNumber: 2, owner: 'Båda', weight: 15 },
];
const AREAS = ['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen', 'Annat'];
const DESCRIPTIONS = [
  '',
  '',
  'Hastighetskontroll vid infarten, 120 fordon kontrollerade',
  'Nykterhetskontroller på Storgatan under kvällen',
  'Fotpatrull i centrum fredag kväll, samtal med ungdomar vid resecentrum',
  'Krogkontroll tillsammans med kommunens tillståndshandläggare, två ställen besökta',
  'Informationsinsats på gymnasiet om langning av alkohol och tobak till unga',
  'SSPF-möte med skola och socialtjänst om två ärenden på områdesnivå',
  'Riktad insats mot narkotika i parken vid sjön, flera kontroller genomförda',
  'Kampanj inför skolavslutningen, affischer och samtal med föräldrar',
];
const TENANTS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];

export const SEED_WEEKS = (() => {
  const out: string[] = [];
  for (const year of [2023, 2024])
    for (let w = 1; w <= weeksInYear(year); w++) out.push(`${year}-W${String(w).padStart(2, '0')}`);
  return out;
})();

function hexId(rand: () => number): string {
  const h = () =>
    Math.floor(rand() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return `${h()}${h()}-${h()}-4${h().slice(1)}-8${h().slice(1)}-${h()}${h()}${h()}`;
}

/**
 * A deterministic source of reports for one agreement with the Tranås activities (part b writes them
 * to week files, part e to PostgreSQL): each call of the returned function draws the next report.
 * `rand` is shared so one seed gives one sequence however the reports are split.
 */
export function reportFactory(
  rand: () => number,
  agreementId: string,
  reporterPrefix = 'aaaaaaaa-1000-4000-8000-',
): () => Record<string, any> {
  // Cumulative weights: a draw is one random number and a binary search.
  const sampler = <T>(items: T[], weights: number[]): (() => T) => {
    const cum: number[] = [];
    let total = 0;
    for (const w of weights) cum.push((total += w));
    return () => {
      const r = rand() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return items[lo]!;
    };
  };
  const reporters = Array.from({ length: 300 }, (_, i) => ({
    id: `${reporterPrefix}${i.toString(16).padStart(12, '0')}`,
    tenant: TENANTS[i % 2]!,
    party: i % 2 === 0 ? 'Polisen' : 'Kommunen',
  }));
  // A seasonal swing over the weeks: summer (weeks 22–34) and December are busier.
  const weekWeight = SEED_WEEKS.map((w) => {
    const n = Number(w.slice(6));
    return 1 + 0.4 * Math.sin(((n - 12) / 52) * 2 * Math.PI) + (n >= 48 ? 0.3 : 0);
  });
  const pickWeek = sampler(SEED_WEEKS, weekWeight);
  const pickActivity = sampler(
    ACTIVITIES,
    ACTIVITIES.map((a) => a.weight),
  );
  const reportersOf = {
    Polisen: reporters.filter((r) => r.party === 'Polisen'),
    Kommunen: reporters.filter((r) => r.party === 'Kommunen'),
  };
  return () => {
    const week = pickWeek();
    const activity = pickActivity();
    const party = activity.owner === 'Båda' ? (rand() < 0.5 ? 'Polisen' : 'Kommunen') : activity.owner;
    const pool = reportersOf[party];
    const reporter = pool[Math.floor(rand() * pool.length)]!;
    const date = addLocalDays(mondayOfWeek(week), Math.floor(rand() * 7));
    const hour = String(7 + Math.floor(rand() * 14)).padStart(2, '0');
    const createdAt = `${addLocalDays(date, rand() < 0.7 ? 0 : 1)}T${hour}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00.000Z`;
    const reportCount = 1 + Math.floor(-Math.log(1 - rand()) * 3); // mostly 1–6, a long tail
    const report: Record<string, any> = {
      week,
      activityId: activity.id,
      pledgeNumber: activity.pledgeNumber,
      count: reportCount,
      date,
      area: AREAS[Math.floor(rand() * AREAS.length)],
      description: DESCRIPTIONS[Math.floor(rand() * DESCRIPTIONS.length)],
      ...(activity.youth && rand() < 0.6
        ? {
            ageBands: {
              under18: Math.floor(rand() * 3),
              from18to21: Math.floor(rand() * 3),
              over21: Math.floor(rand() * 2),
            },
          }
        : {}),
      raiseAtNextMeeting: rand() < 0.1,
      party,
      id: hexId(rand),
      submissionId: hexId(rand),
      agreementId,
      reporterId: reporter.id,
      reporterTenantId: reporter.tenant,
      createdAt,
      updatedAt: createdAt,
      history: [{ at: createdAt, by: reporter.id, action: 'created' }],
    };
    const roll = rand();
    if (roll < 0.05) {
      const at = createdAt.replace(/T\d\d/, 'T21');
      report.history.push({ at, by: reporter.id, action: 'edited', previous: { count: reportCount + 1 } });
      report.updatedAt = at;
    } else if (roll < 0.06) {
      const at = createdAt.replace(/T\d\d/, 'T22');
      report.withdrawn = { at, by: reporter.id, reason: 'dubblett' };
      report.history.push({ at, by: reporter.id, action: 'withdrawn', reason: 'dubblett' });
      report.updatedAt = at;
    }
    return report;
  };
}

/**
 * Writes `count` reports under dbPath's reports folder. Returns { weeks, files, bytes, perWeekMax }.
 */
export function seedReports(dbPath: string, count: number, { seed = 20240314 }: { seed?: number } = {}) {
  const next = reportFactory(prng(seed), AGREEMENT_ID);
  const byWeek = new Map<string, Record<string, any>[]>(SEED_WEEKS.map((w) => [w, []]));
  for (let i = 0; i < count; i++) {
    const report = next();
    byWeek.get(report.week)!.push(report);
  }
  // The data file as a first start writes it: the bot refuses to start when week files exist
  // without their data file (src/storage/lowdb-store.ts).
  if (!existsSync(dbPath)) writeFileSync(dbPath, JSON.stringify(emptyDb(), null, 2));
  const dir = reportsDirOf(dbPath);
  mkdirSync(dir, { recursive: true });
  let files = 0;
  let bytes = 0;
  let perWeekMax = 0;
  for (const [week, reports] of byWeek) {
    if (reports.length === 0) continue;
    const text = JSON.stringify({ schemaVersion: 1, week, reports }, null, 2);
    writeFileSync(join(dir, `${week}.json`), text);
    files++;
    bytes += Buffer.byteLength(text);
    perWeekMax = Math.max(perWeekMax, reports.length);
  }
  return { count, files, bytes, perWeekMax, perWeek: Object.fromEntries([...byWeek].map(([w, r]) => [w, r.length])) };
}
