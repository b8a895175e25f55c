import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgreementSchema, type Agreement } from '../domain/agreement.js';
import { addLocalDays, isoWeekOfLocalDate, mondayOfWeek, isoWeekdayOfLocalDate } from '../domain/calendar.js';
import type { ReportingParty } from '../domain/party.js';
import { type WeeklyReport } from '../domain/report.js';
import { TRANAS_2023_2024 } from '../domain/tranas-2023-2024.js';
import { AuditFile } from '../storage/audit-file.js';
import { LowdbStore } from '../storage/lowdb-store.js';

/**
 * `npm run demo`: fills a SEPARATE demo database (data/demo/db.json by default) with synthetic,
 * clearly marked reports over the Tranås period, so a newcomer sees status and answers with content.
 * It refuses to touch the real database.
 */
export const DEMO_DB_PATH = 'data/demo/db.json';
export const DEMO_MARK = '[Demo]';

/** A small seeded generator: the same demo every time. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Plan {
  activityId: string;
  perWeek: number; // expected reports per week
  count: [number, number];
  areas: string[];
  texts: string[];
  party: ReportingParty;
  youth?: boolean;
}

const PLANS: Plan[] = [
  {
    activityId: 'trafikkontroller',
    perWeek: 0.65,
    count: [1, 2],
    areas: ['Centrum', 'Hela kommunen', 'Skolor'],
    texts: ['Hastighetskontroll vid skolområde', 'Nykterhetskontroller vid infart', 'Kontroll av tung trafik'],
    party: 'Polisen',
  },
  {
    activityId: 'riktade-insatser-narkotika',
    perWeek: 0.22,
    count: [1, 1],
    areas: ['Centrum', 'Resecentrum', 'Krogmiljön'],
    texts: ['Riktad insats kvällstid', 'Insats mot narkotikaförsäljning vid resecentrum'],
    party: 'Polisen',
    youth: true,
  },
  {
    activityId: 'lob-och-polislagen',
    perWeek: 0.8,
    count: [1, 4],
    areas: ['Centrum', 'Krogmiljön'],
    texts: ['Omhändertaganden enligt LOB under helgen', 'Avvisningar enligt polislagen'],
    party: 'Polisen',
  },
  {
    activityId: 'krogkontroller',
    perWeek: 0.35,
    count: [2, 5],
    areas: ['Krogmiljön'],
    texts: ['Gemensam krogkontroll med kommunens alkoholhandläggare'],
    party: 'Kommunen',
  },
  {
    activityId: 'langning-kampanjer',
    perWeek: 0.12,
    count: [1, 2],
    areas: ['Skolor', 'Hela kommunen'],
    texts: ['Kampanj mot langning inför skolavslutningen', 'Information till föräldrar om langning'],
    party: 'Kommunen',
    youth: true,
  },
  {
    activityId: 'samverkansmoten-sspf-est',
    perWeek: 0.5,
    count: [1, 1],
    areas: ['Hela kommunen'],
    texts: ['EST-möte med lägesbild', 'SSPF-möte'],
    party: 'Kommunen',
  },
];

export async function generateDemo(dbPath: string, untilDate: string, realDbPath: string): Promise<number> {
  if (resolve(dbPath) === resolve(realDbPath))
    throw new Error(`Demo-databasen får inte vara den riktiga databasen (${realDbPath}). Välj en annan DEMO_DB_PATH.`);
  const reportsDir = dbPath.replace(/\.json$/i, '') + '.reports';
  for (const p of [dbPath, reportsDir, `${dbPath}.lock`, dbPath.replace(/\.json$/i, '') + '.audit.jsonl'])
    if (existsSync(p)) rmSync(p, { recursive: true, force: true });
  const store = await LowdbStore.open(dbPath);
  // Each demo report gets its audit line (by "demo"), as a stored change must: otherwise the first
  // start would add them all as reconciled.
  const audit = new AuditFile(AuditFile.pathFor(dbPath));
  try {
    const agreement: Agreement = AgreementSchema.parse(TRANAS_2023_2024);
    await store.agreements.addIfAbsent(agreement);
    const rnd = seeded(2023);
    let n = 0;
    for (
      let monday = mondayOfWeek(isoWeekOfLocalDate(agreement.periodStart));
      monday <= untilDate;
      monday = addLocalDays(monday, 7)
    ) {
      const week = isoWeekOfLocalDate(monday);
      for (const plan of PLANS) {
        // Summer is quieter; weeks 27–31 get a third of the activity.
        const weekNo = Number(week.slice(-2));
        const rate = weekNo >= 27 && weekNo <= 31 ? plan.perWeek / 3 : plan.perWeek;
        if (rnd() >= rate) continue;
        let date = addLocalDays(monday, Math.floor(rnd() * 7));
        if (date > untilDate) date = untilDate;
        if (date < agreement.periodStart || date > agreement.periodEnd) continue;
        if (isoWeekOfLocalDate(date) !== week) continue;
        const count = plan.count[0] + Math.floor(rnd() * (plan.count[1] - plan.count[0] + 1));
        const area = plan.areas[Math.floor(rnd() * plan.areas.length)]!;
        const text = plan.texts[Math.floor(rnd() * plan.texts.length)]!;
        const at = `${date}T${isoWeekdayOfLocalDate(date) >= 6 ? '22' : '15'}:00:00.000Z`;
        const youth = plan.youth
          ? { under18: Math.floor(rnd() * 4), from18to21: Math.floor(rnd() * 3), over21: Math.floor(rnd() * 2) }
          : undefined;
        const report: WeeklyReport = {
          id: randomUUID(),
          submissionId: `demo-${n}`,
          agreementId: agreement.id,
          week,
          activityId: plan.activityId,
          pledgeNumber: agreement.activities.find((a) => a.id === plan.activityId)!.pledgeNumber,
          count,
          date,
          area,
          description: `${DEMO_MARK} ${text}`,
          ageBands: youth,
          raiseAtNextMeeting: rnd() < 0.08,
          party: plan.party,
          reporterId: `demo-rapportor-${1 + Math.floor(rnd() * 6)}`,
          createdAt: at,
          updatedAt: at,
          history: [{ at, by: 'demo', action: 'created' }],
        };
        await store.reports.add(report);
        await audit.record({
          at,
          actor: { id: 'demo' },
          action: 'report.created',
          objectId: report.id,
          outcome: 'ok',
          detail: 'demo',
        });
        n++;
      }
    }
    return n;
  } finally {
    audit.close();
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadConfig } = await import('../config.js');
  const config = loadConfig();
  const target = process.argv[2] ?? DEMO_DB_PATH;
  const until = process.argv[3] ?? '2024-11-14';
  generateDemo(target, until, config.dbPath).then(
    (n) => {
      console.log(`Skrev ${n} syntetiska demorapporter (märkta ${DEMO_MARK}) till ${target}, till och med ${until}.`);
      console.log(`Starta boten på demodatabasen: npm run start:demo`);
    },
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
