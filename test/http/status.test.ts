import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { generateDemo } from '../../src/cli/demo.js';
import { cardAction, message } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, tempDbPath, type Harness } from '../helpers/harness.js';

/** Recomputes, independently of the bot's code, the sum of counts for an activity in a date range. */
function sumFromFiles(dbPath: string, activityId: string, from: string, to: string): number {
  const dir = dbPath.replace(/\.json$/, '.reports');
  return readdirSync(dir)
    .flatMap((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')).reports)
    .filter((r: any) => !r.withdrawn && r.activityId === activityId && r.date >= from && r.date <= to)
    .reduce((s: number, r: any) => s + r.count, 0);
}

describe('status computed from the reports (demo data, over the protocol)', () => {
  let h: Harness;
  const dbPath = tempDbPath();
  const clock = new ManualClock('2024-11-14T09:00:00Z');

  before(async () => {
    await generateDemo(dbPath, '2024-11-14', 'data/db.json');
    h = await startHarness({ dbPath, clock });
  });
  after(async () => {
    await h.stop();
  });

  it('shows this year’s count against the target, the pace, levels and the data date', async () => {
    const [reply] = await h.turn(message('status', { serviceUrl: h.connector.url }));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    const traffic = sumFromFiles(dbPath, 'trafikkontroller', '2024-01-01', '2024-11-14');
    const raids = sumFromFiles(dbPath, 'riktade-insatser-narkotika', '2024-01-01', '2024-11-14');
    // 2024 is a leap year: 14 November is day 319 of 366.
    const expected = (target: number) => String(Math.round(((target * 319) / 366) * 10) / 10).replace('.', ',');
    assert.ok(text.includes(`${traffic} av 30 (väntat hittills ${expected(30)})`), `traffic ${traffic}\n${text}`);
    assert.ok(text.includes(`${raids} av 15 (väntat hittills ${expected(15)})`), `raids ${raids}`);
    assert.match(text, /Enligt rapporter t\.o\.m\. v\. 46 2024\./);
    assert.match(text, /Löfte 3 — (🟢 I fas|🟡 Risk|🔴 Efter|✅ Uppnått)/);
    const chart = JSON.stringify(content).includes('Chart.HorizontalBar');
    assert.ok(chart, 'the card has a chart with a fallback');
    const periodTraffic = sumFromFiles(dbPath, 'trafikkontroller', '2023-01-01', '2024-12-31');
    assert.ok(text.includes(`Hela perioden\n${periodTraffic}`), 'whole period figure');
  });

  it('counts a newly filed report at once', async () => {
    const before = sumFromFiles(dbPath, 'trafikkontroller', '2024-01-01', '2024-11-14');
    const res = await h.post(
      cardAction('report.submit', { submissionId: 'status-test-1', week: '2024-W46', activityId: 'trafikkontroller', count: '4', date: '2024-11-13', area: 'Centrum', description: '', party: 'Polisen' }, { serviceUrl: h.connector.url }),
    );
    assert.match(cardText(res.body.value), /Rapporten är sparad/);
    const [reply] = await h.turn(message('status', { serviceUrl: h.connector.url }));
    assert.ok(cardText(reply!).includes(`${before + 4} av 30`));
  });

  it('speaks of the final outcome and warns after the period has ended', async () => {
    clock.set('2025-01-20T09:00:00Z');
    try {
      const [reply] = await h.turn(message('status', { serviceUrl: h.connector.url }));
      const text = cardText(reply!);
      assert.match(text, /har löpt ut/);
      assert.match(text, /Slutligt utfall/);
      assert.match(text, /nästa period/);
    } finally {
      clock.set('2024-11-14T09:00:00Z');
    }
  });
});
