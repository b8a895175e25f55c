import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { generateDemo } from '../../../src/cli/demo.js';
import { cardAction, message } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText, tempDbPath } from '../../helpers/harness.js';
import { sv as texts } from '../../../src/texts/index.js';
import { assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';
import { storedReports } from '../../helpers/stored-reports.js';

/** Recomputes, independently of the bot's code, the sum of counts for an activity in a date range. */
function sumFromFiles(dbPath: string, activityId: string, from: string, to: string): number {
  return storedReports(dbPath)
    .filter((r: any) => !r.withdrawn && r.activityId === activityId && r.date >= from && r.date <= to)
    .reduce((s: number, r: any) => s + r.count, 0);
}

describe('status computed from the reports (demo data, over the protocol)', () => {
  let h: TurnHarness;
  const dbPath = tempDbPath();
  const clock = new ManualClock('2024-11-14T09:00:00Z');

  before(async () => {
    await generateDemo(dbPath, '2024-11-14', 'data/db.json');
    h = await startTurnHarness({ dbPath, clock });
  });
  after(async () => {
    await h.stop();
  });

  it('shows this year’s count against the target, the pace, levels and the data date: a line per promise, all figures one tap away', async () => {
    const traffic = sumFromFiles(dbPath, 'trafikkontroller', '2024-01-01', '2024-11-14');
    const raids = sumFromFiles(dbPath, 'riktade-insatser-narkotika', '2024-01-01', '2024-11-14');
    // 2024 is a leap year: 14 November is day 319 of 366.
    const expected = (target: number) => String(Math.round(((target * 319) / 366) * 10) / 10).replace('.', ',');
    const sv = (n: number) => new Intl.NumberFormat('sv-SE').format(n);

    const [reply] = await h.turn(message('status', { serviceUrl: h.serviceUrl }));
    const [compact] = cardsOf(reply!);
    assertValidCard(compact);
    const line = cardText(reply!);
    assertShows(line, texts.figures.dataUpTo(46, 2024));
    assert.ok(line.includes(`${sv(raids)} av 15 insatser i år (${expected(15)} väntat)`), `raids ${raids}\n${line}`);
    assert.ok(line.includes(`${sv(traffic)} av 30 kontroller i år (${expected(30)} väntat)`), `traffic ${traffic}`);
    assert.ok(!JSON.stringify(compact).includes('Chart.'), 'no chart in the compact view');

    const all = await h.post(cardAction('status.all', {}, { serviceUrl: h.serviceUrl }));
    const content = all.body.value;
    assertValidCard(content);
    const text = cardText(content);
    assert.ok(text.includes(`${sv(traffic)} av 30 (väntat hittills ${expected(30)})`), `traffic ${traffic}\n${text}`);
    assert.ok(text.includes(`${sv(raids)} av 15 (väntat hittills ${expected(15)})`), `raids ${raids}`);
    assertShows(text, texts.figures.dataUpTo(46, 2024));
    assert.match(text, /Löfte 3 — (🟢 I fas|🟡 Risk|🔴 Efter|✅ Uppnått)/);
    const chart = (content.body as any[]).find((e) => e.type === 'Chart.HorizontalBar');
    assert.ok(chart, 'the long view has a chart with a fallback');
    for (const d of chart.data) assert.ok(Number.isInteger(d.y), `whole numbers on the chart: ${JSON.stringify(d)}`);
    const periodTraffic = sumFromFiles(dbPath, 'trafikkontroller', '2023-01-01', '2024-12-31');
    assert.ok(text.includes(`Hela perioden\n${sv(periodTraffic)} kontroller`), 'whole period figure');
  });

  it('counts a newly filed report at once', async () => {
    const before = sumFromFiles(dbPath, 'trafikkontroller', '2024-01-01', '2024-11-14');
    const res = await h.post(
      cardAction(
        'report.submit',
        {
          submissionId: 'status-test-1',
          week: '2024-W46',
          activityId: 'trafikkontroller',
          count: '4',
          date: '2024-11-13',
          area: 'Centrum',
          description: '',
          party: 'Polisen',
        },
        { serviceUrl: h.serviceUrl },
      ),
    );
    assertShows(cardText(res.body.value), texts.report.saved);
    const [reply] = await h.turn(message('status', { serviceUrl: h.serviceUrl }));
    assert.ok(cardText(reply!).includes(`${before + 4} av 30`));
  });

  const ask = async (text: string, extra: Record<string, unknown> = {}) => {
    const [reply] = await h.turn(message(text, { serviceUrl: h.serviceUrl, ...extra }));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    return cardText(reply!);
  };

  it('answers count questions with figures recomputed from the stored reports', async () => {
    const traffic = sumFromFiles(dbPath, 'trafikkontroller', '2024-01-01', '2024-12-31');
    for (const q of [
      'hur många trafikkontroller i år?',
      'Hur manga trafikkontoller i ar',
      'how many traffic checks this year',
    ]) {
      const text = await ask(q);
      assert.ok(text.includes(`**${traffic} kontroller**`), `${q}\n${text}`);
      assert.match(text, /år 2024|year 2024/);
      assert.match(text, /Medborgarlöftet 2023–2024\. Enligt rapporter t\.o\.m\. v\. 46 2024\./);
    }
    const dir = dbPath.replace(/\.json$/, '.reports');
    const w12 = JSON.parse(readFileSync(`${dir}/2024-W12.json`, 'utf8'))
      .reports.filter((r: any) => r.activityId === 'riktade-insatser-narkotika')
      .reduce((s: number, r: any) => s + r.count, 0);
    const text = await ask('riktade insatser vecka 12');
    assert.ok(text.includes(`**${w12} insatser**`), text);
    assert.match(text, /vecka 12 2024/);
    const t2023 = sumFromFiles(dbPath, 'trafikkontroller', '2023-01-01', '2023-12-31');
    assert.ok((await ask('trafikkontroller 2023')).includes(`**${t2023} kontroller**`));
  });

  it('answers status questions about one promise by subject', async () => {
    const traffic = await ask('hur går det med trafiken?');
    assert.match(traffic, /Löfte 3 — /);
    assert.doesNotMatch(traffic, /Löfte 1 — /);
    const drugs = await ask('hur gar det med narkotikan');
    assert.match(drugs, /Löfte 1 — /);
    assert.doesNotMatch(drugs, /Löfte 3 — /);
  });

  it('answers what was done in an area, showing free text as plain text', async () => {
    const text = await ask('vad har gjorts i centrum?');
    assert.match(text, /Senast rapporterat – Centrum/);
    assert.match(text, /\[Demo\]/);
    assert.doesNotMatch(text, /Krogmiljön ·/);
  });

  it('answers with the scope asked for: a party and a week, an area, a goal; declines what it does not understand', async () => {
    const all = storedReports(dbPath).filter((r: any) => !r.withdrawn);
    const police10 = all.filter((r: any) => r.party === 'Polisen' && r.week === '2024-W10');
    const week10 = await ask('vad gjorde polisen vecka 10?');
    assert.match(week10, /Sammanfattning: Alla aktiviteter · vecka 10 2024 · Polisen/);
    assert.ok(week10.includes(`Totalt: ${police10.reduce((s: number, r: any) => s + r.count, 0)}`), week10);
    assert.doesNotMatch(week10, /2024-11-/, 'no November reports for week 10');
    const rese = all
      .filter((r: any) => r.activityId === 'trafikkontroller' && r.area === 'Resecentrum' && r.date.startsWith('2024-'))
      .reduce((s: number, r: any) => s + r.count, 0);
    const area = await ask('trafikkontroller i resecentrum');
    assert.match(area, /Trafikkontroller för en säker trafikmiljö · år 2024 · Resecentrum/);
    assert.ok(area.includes(`**${rese} kontroll`), area);
    assert.match(await ask('har vi nått målet för riktade insatser?'), /Nej, inte ännu: 10 insatser av 15/);
    const declined = await ask('hur många trafikkontroller gjorde hundpatrullen?');
    assertShows(declined, texts.answers.notUnderstood(['hundpatrullen']));
    assert.doesNotMatch(declined, /\*\*\d/);
  });

  it('answers which activities are behind, the targets, and the next meeting', async () => {
    // Risk and Efter both, by the status card's rules: löfte 1 stands at Risk on the demo data.
    const behind = await ask('vilka aktiviteter ligger efter?');
    assertShows(behind, texts.answers.behindTitle);
    assert.match(behind, /Risk · Löfte 1 · Riktade insatser/);
    assert.match(await ask('Ligger vi efter med något löfte?'), /Risk · Löfte 1/);
    const targets = await ask('vilka är målen?');
    assert.match(targets, /minst 30 kontroller per år/);
    assert.match(targets, /minst 15 insatser per år/);
    assertShows(await ask('när är nästa möte?'), texts.followUp.meetings.nextNone);
  });

  it('tells only coordinators who has not reported', async () => {
    assertShows(await ask('vem har inte rapporterat?'), texts.answers.missingForbidden);
  });

  it('answers a question it does not understand with examples', async () => {
    const text = await ask('skriv en dikt om våren');
    assert.match(text, /Du kan till exempel fråga/);
    assert.match(text, /hur många trafikkontroller i år/);
  });

  it('speaks of the final outcome and warns after the period has ended', async () => {
    clock.set('2025-01-20T09:00:00Z');
    try {
      const [reply] = await h.turn(message('status', { serviceUrl: h.serviceUrl }));
      assert.match(cardText(reply!), /har löpt ut/);
      assert.match(cardText(reply!), /av 30 kontroller \(slutligt utfall\)/);
      assert.match(cardText(reply!), /ingripanden, .* under 2024/);
      const all = await h.post(cardAction('status.all', {}, { serviceUrl: h.serviceUrl }));
      const text = cardText(all.body.value);
      assert.match(text, /har löpt ut/);
      assert.match(text, /Slutligt utfall/);
      assert.match(text, /nästa period/);
    } finally {
      clock.set('2024-11-14T09:00:00Z');
    }
  });
});
