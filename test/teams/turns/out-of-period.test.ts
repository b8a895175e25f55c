import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { pino } from 'pino';
import { ManualClock } from '../../../src/app/clock.js';
import { loadConfig } from '../../../src/config.js';
import { periodNotice, startBot } from '../../../src/main.js';
import { TRANAS_2023_2024 } from '../../../src/domain/tranas-2023-2024.js';
import { AgreementSchema } from '../../../src/domain/agreement.js';
import { message } from '../../helpers/activities.js';
import { cardText, tempDbPath } from '../../helpers/harness.js';
import { en, sv } from '../../../src/texts/index.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

// `npm start` on a date outside every agreement (the Quick start on today's date: the Tranås period
// ended 2024-12-31) says in its log and in chat what to do: add the next period (`ny period`), or,
// in local development mode, try the demo (npm run playground:demo).

const AFTER_PERIOD = '2026-12-03T09:00:00Z';
const tranas = AgreementSchema.parse(TRANAS_2023_2024);

describe('out of every agreement period', () => {
  // One bot at a time (each names its cron jobs): every test stops its own.
  let h: TurnHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('in chat (local development mode): the report is refused, "ny period" and the demo are named', async () => {
    h = await startTurnHarness({ clock: new ManualClock(AFTER_PERIOD) });
    const [reply] = await h.turn(message('rapportera', h.where()));
    const shown = cardText(reply!);
    assertShows(shown, sv.report.noAgreement(tranas.periodEnd));
    assertShows(shown, sv.report.tryDemo);
    assert.match(sv.report.noAgreement(tranas.periodEnd), /ny period/);
    assert.match(sv.report.tryDemo, /npm run playground:demo/);
    assert.match(en.report.noAgreement(tranas.periodEnd), /ny period/);
    assert.match(en.report.tryDemo, /npm run playground:demo/);
    const [status] = await h.turn(message('status', h.where()));
    assertShows(cardText(status!), sv.status.expired(tranas.periodEnd));
    assertShows(cardText(status!), sv.report.tryDemo);
  });

  it('in chat with a bot registration (BOT_ID): "ny period", no demo', async () => {
    h = await startTurnHarness({
      clock: new ManualClock(AFTER_PERIOD),
      env: {
        BOT_ID: '00000000-0000-4000-8000-0000000000b1',
        BOT_PASSWORD: 'x',
        BOT_TENANT_ID: '11111111-1111-4111-8111-111111111111',
      },
    });
    assert.equal(h.config.devMode, false);
    const [reply] = await h.turn(message('rapportera', h.where()));
    const shown = cardText(reply!);
    assertShows(shown, sv.report.noAgreement(tranas.periodEnd));
    assertDoesNotShow(shown, sv.report.tryDemo);
    const [status] = await h.turn(message('status', h.where()));
    assertShows(cardText(status!), sv.status.expired(tranas.periodEnd));
    assertDoesNotShow(cardText(status!), sv.report.tryDemo);
  });

  it('inside the period: no refusal and no notice', async () => {
    h = await startTurnHarness({ clock: new ManualClock('2024-03-14T10:00:00Z') });
    const [reply] = await h.turn(message('rapportera', h.where()));
    assertDoesNotShow(cardText(reply!), sv.report.tryDemo);
    const [status] = await h.turn(message('status', h.where()));
    assertDoesNotShow(cardText(status!), sv.report.tryDemo);
    assert.equal(periodNotice([tranas], '2024-03-14', true), undefined);
    assert.equal(periodNotice([tranas], tranas.periodEnd, true), undefined);
  });

  it('in the log at start: what is wrong and what to do', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig(
      { NODE_ENV: 'test', PORT: '0', DB_PATH: tempDbPath(), LOG_LEVEL: 'info', REMINDERS_ENABLED: 'false' },
      '/nonexistent-env-dir',
    );
    const bot = await startBot(config, { clock: new ManualClock(AFTER_PERIOD), logger, listen: false });
    try {
      await bot.jobs.startup;
      const warnings = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level === 40 && l.msg.includes('no medborgarlöfte is in force'));
      assert.equal(warnings.length, 1, lines.join('\n'));
      const msg = warnings[0]!.msg;
      for (const part of ['2026-12-03', tranas.id, tranas.periodEnd, '"ny period"', 'npm run playground:demo'])
        assert.ok(msg.includes(part), `expected ${JSON.stringify(part)} in: ${msg}`);
    } finally {
      await bot.stop();
    }
    assert.doesNotMatch(periodNotice([tranas], '2025-01-01', false)!, /playground:demo/);
    assert.match(periodNotice([], '2025-01-01', false)!, /no medborgarlöfte is stored/);
  });
});
