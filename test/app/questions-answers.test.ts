/**
 * Answers on a fixed data set the test builds: every figure an answer gives is recomputed here from
 * the raw reports with plain filters (not with the tally or the status code the bot uses).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import type { Actor } from '../../src/app/actor.js';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { QuestionService, type Answer } from '../../src/app/questions.js';
import { StatusService } from '../../src/app/status.js';
import { addLocalDays, isoWeekOfLocalDate, mondayOfWeek } from '../../src/domain/calendar.js';
import { DEFAULT_AREAS } from '../../src/domain/questions/index.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { DEFAULT_THRESHOLDS } from '../../src/domain/status.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { answerCard } from '../../src/teams/cards/answer-card.js';
import { sv, en } from '../../src/texts/index.js';

const TODAY = '2024-11-14';
const ACTIVITIES = [
  'trafikkontroller',
  'riktade-insatser-narkotika',
  'lob-och-polislagen',
  'krogkontroller',
  'langning-kampanjer',
  'samverkansmoten-sspf-est',
];
const PLEDGE: Record<string, number> = {
  trafikkontroller: 3,
  'riktade-insatser-narkotika': 1,
  'lob-och-polislagen': 2,
  krogkontroller: 2,
  'langning-kampanjer': 1,
  'samverkansmoten-sspf-est': 2,
};
const YOUTH = new Set(['riktade-insatser-narkotika', 'langning-kampanjer']);
const AREAS = ['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen'];
const REPORTERS = ['p1', 'p2', 'p3', 'k1', 'k2'];
const COORDINATOR: Actor = { id: 'coord', isCoordinator: true };
const REPORTER: Actor = { id: 'p1', isCoordinator: false };

/** A fixed history: every week of the period up to today, each activity on some weeks, by rule. */
function buildReports(): WeeklyReport[] {
  const out: WeeklyReport[] = [];
  let n = 0;
  for (
    let week = isoWeekOfLocalDate('2023-01-02');
    mondayOfWeek(week) <= TODAY;
    week = isoWeekOfLocalDate(addLocalDays(mondayOfWeek(week), 7))
  ) {
    const w = Number(week.slice(6)) + (week.startsWith('2024') ? 52 : 0);
    ACTIVITIES.forEach((activityId, a) => {
      // Riktade insatser only every fourth week: about 11 in 2024 against 15 a year, i.e. at Risk.
      if (activityId === 'riktade-insatser-narkotika' ? w % 4 !== 0 : (w + a) % 3 === 0) return;
      const date = addLocalDays(mondayOfWeek(week), (w + a) % 5);
      if (date > TODAY) return;
      const reporterId = REPORTERS[(w + a) % REPORTERS.length]!;
      const count =
        activityId === 'riktade-insatser-narkotika'
          ? 1
          : ((w * 7 + a * 3) % 4) + (activityId === 'trafikkontroller' ? 1 : 0);
      n++;
      out.push({
        id: `r${n}`,
        submissionId: `s${n}`,
        agreementId: 'tranas-2023-2024',
        reporterId,
        createdAt: `${date}T12:00:00Z`,
        updatedAt: `${date}T12:00:00Z`,
        history: [],
        week,
        activityId,
        pledgeNumber: PLEDGE[activityId]!,
        count,
        date,
        area: AREAS[(w * 3 + a) % AREAS.length]!,
        description: `Rapport ${n}`,
        ...(YOUTH.has(activityId)
          ? { ageBands: { under18: (w + a) % 3, from18to21: (w + 2 * a) % 2, over21: w % 2 } }
          : {}),
        raiseAtNextMeeting: n % 17 === 0,
        party: reporterId.startsWith('p') ? 'Polisen' : 'Kommunen',
      });
    });
  }
  // One withdrawn report that must never count.
  out.push({
    ...out[out.length - 1]!,
    id: 'withdrawn',
    submissionId: 'sw',
    count: 500,
    withdrawn: { at: `${TODAY}T08:00:00Z`, by: 'p1' },
  });
  return out;
}

const RAW = buildReports();
const live = RAW.filter((r) => !r.withdrawn);
const sum = (rs: readonly WeeklyReport[]) => rs.reduce((s, r) => s + r.count, 0);
const inDates = (from: string, to: string) => (r: WeeklyReport) => r.date >= from && r.date <= to;

describe('answers on a fixed data set, figures recomputed from the raw reports', () => {
  let q: QuestionService;
  let store: MemoryStore;
  let status: StatusService;
  let clock: ManualClock;
  // The chat's path (one view per turn) must answer as reading and answering separately does.
  const ask = async (text: string, actor: Actor = REPORTER, personal = false): Promise<Answer> => {
    const answer = await q.ask(text, actor, { personal });
    assert.deepEqual(answer, await q.answer(await q.parse(text), actor, { personal }));
    return answer;
  };

  before(async () => {
    store = new MemoryStore();
    clock = new ManualClock(`${TODAY}T10:00:00Z`);
    const agreements = new AgreementService(store, clock);
    await agreements.seedDefaults();
    for (const r of RAW) await store.reports.add(r);
    for (const id of REPORTERS)
      await store.reporters.put({
        aadObjectId: id,
        party: id.startsWith('p') ? 'Polisen' : 'Kommunen',
        name: `Person ${id}`,
        registeredAt: '2023-01-01T00:00:00Z',
        active: true,
      });
    await store.meetings.put({
      id: 'm1',
      agreementId: 'tranas-2023-2024',
      kind: 'samverkansmöte',
      date: '2024-10-01',
      time: '13:00',
      createdBy: 'coord',
      createdAt: '2024-09-01T00:00:00Z',
      updatedAt: '2024-09-01T00:00:00Z',
      revision: 1,
    });
    await store.meetings.put({
      id: 'm2',
      agreementId: 'tranas-2023-2024',
      kind: 'samverkansmöte',
      date: '2024-11-20',
      time: '13:00',
      agenda: 'Lägesbild trafik',
      createdBy: 'coord',
      createdAt: '2024-09-01T00:00:00Z',
      updatedAt: '2024-09-01T00:00:00Z',
      revision: 1,
    });
    status = new StatusService(store, agreements, clock, DEFAULT_THRESHOLDS);
    q = new QuestionService(store, status, clock, [...DEFAULT_AREAS]);
  });

  it('reads the status view once for a typed question (ask), where parse and answer read it twice', async () => {
    let views = 0;
    const counting = new Proxy(status, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'current') return (scope?: string) => (views++, target.current(scope));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const counted = new QuestionService(store, counting, clock, [...DEFAULT_AREAS]);
    const answer = await counted.ask('hur många trafikkontroller i år?', REPORTER);
    assert.equal(answer.kind, 'count');
    assert.equal(views, 1);
    await counted.answer(await counted.parse('hur många trafikkontroller i år?'), REPORTER);
    assert.equal(views, 3);
  });

  it('the data set is not empty and has every party, area and activity', () => {
    assert.ok(live.length > 300);
    for (const a of ACTIVITIES)
      assert.ok(
        live.some((r) => r.activityId === a),
        a,
      );
    for (const a of AREAS)
      assert.ok(
        live.some((r) => r.area === a),
        a,
      );
    assert.ok(live.some((r) => r.party === 'Kommunen') && live.some((r) => r.party === 'Polisen'));
  });

  it('"vad gjorde polisen vecka 10?": the police only, week 10 only (not November, not both parties)', async () => {
    const a = await ask('vad gjorde polisen vecka 10?');
    assert.equal(a.kind, 'summary');
    if (a.kind !== 'summary') return;
    const expected = live.filter((r) => r.week === '2024-W10' && r.party === 'Polisen');
    assert.ok(expected.length > 0);
    assert.equal(a.total, sum(expected));
    assert.equal(a.reportCount, expected.length);
    assert.ok(a.latest.length > 0 && a.latest.every((r) => r.week === '2024-W10' && r.party === 'Polisen'));
    const text = JSON.stringify(answerCard(sv, a));
    assert.match(text, /Sammanfattning: Alla aktiviteter · vecka 10 2024 · Polisen/);
  });

  it('"hur gick det med trafikkontrollerna 2023?" counts 2023', async () => {
    const a = await ask('hur gick det med trafikkontrollerna 2023?');
    assert.equal(a.kind, 'count');
    if (a.kind !== 'count') return;
    assert.equal(a.total, sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.date.startsWith('2023-'))));
    assert.match(JSON.stringify(answerCard(sv, a)), /Trafikkontroller för en säker trafikmiljö · år 2023/);
  });

  it('"vad har kommunen gjort senaste månaden?" is filtered by party and the last 30 days', async () => {
    const a = await ask('vad har kommunen gjort senaste månaden?');
    assert.equal(a.kind, 'summary');
    if (a.kind !== 'summary') return;
    const expected = live.filter((r) => r.party === 'Kommunen' && inDates('2024-10-16', TODAY)(r));
    assert.equal(a.total, sum(expected));
    assert.equal(a.reportCount, expected.length);
  });

  it('"trafikkontroller i resecentrum" counts that area only', async () => {
    const a = await ask('trafikkontroller i resecentrum');
    assert.equal(a.kind, 'count');
    if (a.kind !== 'count') return;
    const expected = sum(
      live.filter((r) => r.activityId === 'trafikkontroller' && r.area === 'Resecentrum' && r.date.startsWith('2024-')),
    );
    assert.equal(a.total, expected);
    assert.ok(expected < sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.date.startsWith('2024-'))));
    assert.match(
      JSON.stringify(answerCard(sv, a)),
      /Trafikkontroller för en säker trafikmiljö · år 2024 · Resecentrum/,
    );
  });

  it('a party and an area together, and a month', async () => {
    const a = await ask('hur många krogkontroller har kommunen gjort i krogmiljön sedan 1 september');
    assert.equal(a.kind, 'count');
    if (a.kind === 'count')
      assert.equal(
        a.total,
        sum(
          live.filter(
            (r) =>
              r.activityId === 'krogkontroller' &&
              r.party === 'Kommunen' &&
              r.area === 'Krogmiljön' &&
              inDates('2024-09-01', TODAY)(r),
          ),
        ),
      );
    const m = await ask('hur många krogkontroller i oktober 2023');
    if (m.kind !== 'count') assert.fail(m.kind);
    assert.equal(m.total, sum(live.filter((r) => r.activityId === 'krogkontroller' && r.date.startsWith('2023-10'))));
  });

  it('counts per area and per party add up to the total', async () => {
    const a = await ask('trafikkontroller per område');
    if (a.kind !== 'count' || !a.groups) return assert.fail(a.kind);
    for (const area of AREAS) {
      assert.equal(
        a.groups.find((g) => g.key === area)?.count,
        sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.area === area && r.date.startsWith('2024-'))),
        area,
      );
    }
    assert.equal(
      a.groups.reduce((s, g) => s + g.count, 0),
      a.total,
    );
    const p = await ask('hur många krogkontroller per part i år');
    if (p.kind !== 'count' || !p.groups) return assert.fail(p.kind);
    assert.equal(
      p.groups.find((g) => g.key === 'Kommunen')?.count,
      sum(
        live.filter((r) => r.activityId === 'krogkontroller' && r.party === 'Kommunen' && r.date.startsWith('2024-')),
      ),
    );
  });

  it('age-band totals come from the reports’ age bands', async () => {
    const a = await ask('hur många under 18 har vi nått i år?');
    if (a.kind !== 'count') return assert.fail(a.kind);
    const expected = live.filter((r) => r.date.startsWith('2024-')).reduce((s, r) => s + (r.ageBands?.under18 ?? 0), 0);
    assert.ok(expected > 0);
    assert.equal(a.total, expected);
    assert.match(JSON.stringify(answerCard(sv, a)), /under 18 år/);
    const b = await ask('riktade insatser per åldersgrupp');
    if (b.kind !== 'count' || !b.groups) return assert.fail(b.kind);
    const rik = live.filter((r) => r.activityId === 'riktade-insatser-narkotika' && r.date.startsWith('2024-'));
    assert.deepEqual(b.groups, [
      { key: 'under18', count: rik.reduce((s, r) => s + r.ageBands!.under18, 0) },
      { key: 'from18to21', count: rik.reduce((s, r) => s + r.ageBands!.from18to21, 0) },
      { key: 'over21', count: rik.reduce((s, r) => s + r.ageBands!.over21, 0) },
    ]);
  });

  it('number of reports and of reporters in a window', async () => {
    const a = await ask('hur många rapporter vecka 10');
    if (a.kind !== 'reports') return assert.fail(a.kind);
    const rows = live.filter((r) => r.week === '2024-W10');
    assert.equal(a.reports, rows.length);
    assert.equal(a.reporters, new Set(rows.map((r) => r.reporterId)).size);
  });

  it('a range between two dates: "trafikkontroller från 1 mars till 31 maj"', async () => {
    const a = await ask('trafikkontroller från 1 mars till 31 maj');
    if (a.kind !== 'count') return assert.fail(a.kind);
    assert.equal(
      a.total,
      sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.date >= '2024-03-01' && r.date <= '2024-05-31')),
    );
    assert.match(JSON.stringify(answerCard(sv, a)), /1 mars – 31 maj 2024/);
  });

  it('compares with the previous year', async () => {
    const a = await ask('trafikkontroller i år jämfört med i fjol');
    if (a.kind !== 'compare') return assert.fail(a.kind);
    assert.equal(a.total, sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.date.startsWith('2024-'))));
    assert.equal(
      a.previousTotal,
      sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.date.startsWith('2023-'))),
    );
    assert.match(JSON.stringify(answerCard(sv, a)), /år 2024: \d+ · år 2023: \d+/);
  });

  it('goal progress: so far, remaining and the weekly pace needed', async () => {
    const a = await ask('har vi nått målet för riktade insatser?');
    if (a.kind !== 'goal') return assert.fail(a.kind);
    const [g] = a.goals;
    const so = sum(live.filter((r) => r.activityId === 'riktade-insatser-narkotika' && r.date.startsWith('2024-')));
    assert.equal(g!.count, so);
    assert.equal(g!.target, 15);
    assert.equal(g!.reached, so >= 15);
    assert.equal(g!.remaining, Math.max(0, 15 - so));
    // The days from today (Thursday 14 November) to 31 December, today included, as weeks.
    const weeksLeft = ((Date.parse('2024-12-31') - Date.parse('2024-11-14')) / 86_400_000 + 1) / 7;
    assert.ok(Math.abs(g!.weeksLeft - weeksLeft) < 1e-9);
    assert.ok(Math.abs(g!.perWeekNeeded! - (15 - so) / weeksLeft) < 1e-9);
    assert.match(JSON.stringify(answerCard(sv, a)), /i veckan de 6,9 veckor som är kvar \(i dag inräknad\)/);
    assert.match(JSON.stringify(answerCard(sv, a)), /Nej, inte ännu/);
  });

  it('goal progress for a past year of the period: judged as the year ended, no pace', async () => {
    const a = await ask('nådde vi målet för trafikkontroller 2023?');
    if (a.kind !== 'goal') return assert.fail(a.kind);
    const [g] = a.goals;
    const in2023 = sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.date.startsWith('2023-')));
    assert.equal(g!.count, in2023);
    assert.equal(g!.target, 30);
    assert.equal(g!.reached, in2023 >= 30);
    assert.equal(g!.over, true);
    assert.equal(g!.perWeekNeeded, undefined);
    assert.deepEqual([g!.window.from, g!.window.to], ['2023-01-01', '2023-12-31']);
    const text = JSON.stringify(answerCard(sv, a));
    assert.match(text, /år 2023/);
    assert.match(text, in2023 >= 30 ? /Ja, målet nåddes/ : /Nej, målet nåddes inte/);
    assert.doesNotMatch(text, /inte ännu|till behövs/);
  });

  it('"Ligger vi efter med något löfte?" lists Risk and Efter by the status rules, with figures', async () => {
    const a = await ask('Ligger vi efter med något löfte?');
    if (a.kind !== 'behind') return assert.fail(a.kind);
    // Independently: this year's count against target × elapsed days / days in the year.
    const elapsed = (Date.parse(TODAY) - Date.parse('2024-01-01')) / 86_400_000 + 1;
    const levels = [
      ['trafikkontroller', 30],
      ['riktade-insatser-narkotika', 15],
    ].map(([id, target]) => {
      const pace =
        sum(live.filter((r) => r.activityId === id && r.date.startsWith('2024-'))) /
        (((target as number) * elapsed) / 366);
      return { id, level: pace >= 0.9 ? 'onTrack' : pace >= 0.7 ? 'atRisk' : 'behind' };
    });
    const expected = [...levels.filter((l) => l.level === 'behind'), ...levels.filter((l) => l.level === 'atRisk')].map(
      (l) => l.id,
    );
    assert.ok(expected.length > 0, 'the data set has an activity at Risk');
    assert.deepEqual(
      a.activities.map((s) => s.activityId),
      expected,
    );
    assert.match(JSON.stringify(answerCard(sv, a)), /Risk · Löfte 1 · Riktade insatser/);
  });

  it('what to raise: flagged reports since the last meeting, newest first, and the next meeting', async () => {
    const a = await ask('vad ska vi ta upp på nästa möte?');
    if (a.kind !== 'raise') return assert.fail(a.kind);
    const expected = live
      .filter((r) => r.raiseAtNextMeeting && r.date >= '2024-10-01')
      .sort((x, y) => y.date.localeCompare(x.date));
    assert.ok(expected.length > 0);
    assert.deepEqual(
      a.flagged.map((r) => r.id),
      expected.slice(0, 10).map((r) => r.id),
    );
    const text = JSON.stringify(answerCard(sv, a));
    assert.match(text, /Lägesbild trafik/);
  });

  it('who has not reported: names only to a coordinator in a personal chat, counts elsewhere, nothing to others', async () => {
    const thisWeek = live.filter((r) => r.week === '2024-W46').map((r) => r.reporterId);
    const missing = REPORTERS.filter((id) => !thisWeek.includes(id));
    assert.ok(missing.length > 0);
    const inChannel = await ask('vem har inte rapporterat?', COORDINATOR, false);
    if (inChannel.kind !== 'missingReporters') return assert.fail(inChannel.kind);
    assert.equal(inChannel.missing.Polisen + inChannel.missing.Kommunen, missing.length);
    assert.equal(inChannel.names, undefined);
    assert.doesNotMatch(JSON.stringify(answerCard(sv, inChannel)), /Person /);
    const personal = await ask('vem har inte rapporterat?', COORDINATOR, true);
    if (personal.kind !== 'missingReporters') return assert.fail(personal.kind);
    assert.deepEqual(
      [...personal.names!.Polisen, ...personal.names!.Kommunen].sort(),
      missing.map((id) => `Person ${id}`).sort(),
    );
    assert.equal((await ask('vem har inte rapporterat?', REPORTER, true)).kind, 'forbidden');
  });

  it("who had not reported in a past week: that week's reports, named as that week", async () => {
    const week45 = live.filter((r) => r.week === '2024-W45').map((r) => r.reporterId);
    const missing = REPORTERS.filter((id) => !week45.includes(id));
    const a = await ask('vilka har inte rapporterat förra veckan', COORDINATOR, true);
    if (a.kind !== 'missingReporters') return assert.fail(a.kind);
    assert.equal(a.week, '2024-W45');
    assert.equal(a.thisWeek, false);
    assert.equal(a.missing.Polisen + a.missing.Kommunen, missing.length);
    assert.deepEqual([...a.names!.Polisen, ...a.names!.Kommunen].sort(), missing.map((id) => `Person ${id}`).sort());
    const text = JSON.stringify(answerCard(sv, a));
    assert.match(text, /Ej rapporterat vecka 45 2024/);
    assert.match(text, /inte har rapporterat den veckan/);
  });

  it('says when a window lies outside the period or ahead, with no figure', async () => {
    const out = await ask('trafikkontroller vecka 10 2025');
    assert.equal(out.kind, 'outOfRange');
    assert.match(JSON.stringify(answerCard(sv, out)), /Vecka 10 2025 ligger utanför medborgarlöftets period 2023–2024/);
    const ahead = await ask('trafikkontroller i december 2024');
    assert.equal(ahead.kind, 'outOfRange');
    assert.match(JSON.stringify(answerCard(sv, ahead)), /December 2024 har inte börjat än/);
  });

  it('declines naming what it did not understand, with no figure', async () => {
    const a = await ask('hur många trafikkontroller gjorde hundpatrullen i år?');
    assert.deepEqual(a, { kind: 'unknown', notUnderstood: ['hundpatrullen'] });
    const text = JSON.stringify(answerCard(sv, a));
    assert.match(text, /Det förstod jag inte: ”hundpatrullen”/);
    assert.doesNotMatch(text, /\*\*\d/);
  });

  it('answers English questions in English with the same figures', async () => {
    const a = await ask('how many traffic checks did the police do in week 10');
    if (a.kind !== 'count') return assert.fail(a.kind);
    assert.equal(
      a.total,
      sum(live.filter((r) => r.activityId === 'trafikkontroller' && r.party === 'Polisen' && r.week === '2024-W10')),
    );
    const text = JSON.stringify(answerCard(en, a));
    assert.match(text, /Trafikkontroller för en säker trafikmiljö · week 10 2024 · Police/);
  });
});
