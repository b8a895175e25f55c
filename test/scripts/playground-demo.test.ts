import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { loadConfig } from '../../src/config.js';
import { rolloverSv } from '../../src/texts/rollover.js';
import { sv } from '../../src/texts/index.js';
import { PLAYGROUND_USER_AAD_ID } from '../../scripts/lib/playground-config.js';
import {
  demoInstructions,
  PLAYGROUND_DEMO_CLOCK,
  PLAYGROUND_DEMO_DIR,
  preparePlaygroundDemo,
} from '../../scripts/lib/playground-demo.js';
import { cardAction, message } from '../helpers/activities.js';
import { cardText } from '../helpers/harness.js';
import { storedReports } from '../helpers/stored-reports.js';
import { tempDir } from '../helpers/temp.js';
import { assertDoesNotShow, assertShows } from '../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../helpers/turn-harness.js';

// npm run playground:demo up to the point where the bot and the Playground start (no browser, no
// network): the demo data in its own folder, the clock inside the period, the Playground's user a
// coordinator, and the bot on that setup treating the Playground's user as one.

const PLAYGROUND_USER = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: PLAYGROUND_USER_AAD_ID };

describe('npm run playground:demo: the setup', () => {
  let h: TurnHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  /** The bot as playground.ts starts it on the demo: its store, its clock, COORDINATOR_IDS from the demo. */
  const botOn = async (demo: Awaited<ReturnType<typeof preparePlaygroundDemo>>) => {
    h = await startTurnHarness({
      dbPath: demo.dbPath,
      clock: new ManualClock(new Date(demo.clock).toISOString()),
      env: { COORDINATOR_IDS: demo.env.COORDINATOR_IDS, PARTY_BY_PERSON: demo.env.PARTY_BY_PERSON },
    });
    return h;
  };

  it('writes demo data in its own folder, a clock inside the period and a Playground user who is a coordinator', async () => {
    const root = tempDir('mlbot-pgdemo-');
    const demo = await preparePlaygroundDemo({ root });
    assert.equal(demo.dir, join(root, PLAYGROUND_DEMO_DIR));
    assert.equal(demo.dbPath, join(root, PLAYGROUND_DEMO_DIR, 'db.json'));
    assert.equal(demo.clock, PLAYGROUND_DEMO_CLOCK);
    assert.equal(demo.until, '2024-03-13');
    assert.ok(demo.reports > 0);
    const stored = storedReports(demo.dbPath);
    assert.equal(stored.length, demo.reports, 'the week files hold what the generator reported');
    assert.ok(stored.every((r) => r.date <= demo.until));
    assert.equal(existsSync(join(root, 'data', 'db.json')), false, 'the real store is not touched');

    const yml = readFileSync(demo.playgroundConfigPath, 'utf8');
    assert.match(yml, new RegExp(`currentUser:\\n(?:  .*\\n)*?  aadObjectId: ${PLAYGROUND_USER_AAD_ID}\\n`));
    assert.match(yml, /\nteam:\n(?:.*\n)*\s+channels:\n/, 'the team and its channel for the channel view');
    assert.equal(demo.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH, demo.playgroundConfigPath);
    assert.equal(demo.env.COORDINATOR_IDS, PLAYGROUND_USER_AAD_ID);
    assert.equal(demo.env.PARTY_BY_PERSON, `${PLAYGROUND_USER_AAD_ID}=Polisen`);
    // COORDINATOR_IDS takes GUIDs only: the Playground's user id passes.
    const config = loadConfig({ NODE_ENV: 'test', COORDINATOR_IDS: demo.env.COORDINATOR_IDS }, '/nonexistent-env-dir');
    assert.deepEqual(config.coordinatorIds, [PLAYGROUND_USER_AAD_ID]);

    const text = demoInstructions(demo, 'http://127.0.0.1:56150/');
    for (const part of ['http://127.0.0.1:56150/', 'status', 'rapportera', 'ny period', 'koppla kanal', demo.dbPath])
      assert.ok(text.includes(part), `the instructions name ${part}`);
  });

  it('the bot on it: the Playground user is a coordinator, the period in force, with the demo reports', async () => {
    const demo = await preparePlaygroundDemo({ root: tempDir('mlbot-pgdemo-') });
    const bot = await botOn(demo);
    const where = bot.where({ from: PLAYGROUND_USER });
    const [report] = await bot.turn(message('rapportera', where));
    assertDoesNotShow(cardText(report!), sv.report.tryDemo, 'the clock is inside the period');
    const [rollover] = await bot.turn(message('ny period', where));
    assertShows(cardText(rollover!), rolloverSv.title);
    const reports = await bot.store.reports.list({ includeWithdrawn: true });
    assert.equal(reports.length, demo.reports);
    // The follow-up the instructions name: drafted, and approved for Polisen by the demo user.
    const [draft] = await bot.turn(message('uppföljning tertial 3 2023', where));
    const f = sv.followUpReport;
    const t3 = f.period({ kind: 'tertial', key: '2023-T3' });
    assertShows(cardText(draft!), f.title(t3, 'Tranås kommun'));
    const approved = await bot.post(
      cardAction(
        'followup.approve',
        { agreementId: 'tranas-2023-2024', periodKey: '2023-T3', party: 'Polisen', revision: 1 },
        where,
      ),
    );
    assertShows(cardText(approved.body.value), f.notices.approved('Polisen'));
    const [kf] = await bot.turn(message('kf-rapport 2023', where));
    assertShows(cardText(kf!), f.kf.title('2023', 'Tranås kommun'));
  });

  it('PLAYGROUND_ROLE=reporter: the Playground user is a plain rapportör', async () => {
    const demo = await preparePlaygroundDemo({ root: tempDir('mlbot-pgdemo-'), role: 'reporter' });
    assert.equal(demo.env.COORDINATOR_IDS, '');
    assert.equal(demo.env.PARTY_BY_PERSON, '');
    assert.match(demoInstructions(demo, 'http://127.0.0.1:56150/'), /rapportör/);
    const bot = await botOn(demo);
    const [rollover] = await bot.turn(message('ny period', bot.where({ from: PLAYGROUND_USER })));
    assertDoesNotShow(cardText(rollover!), rolloverSv.title);
  });

  it('refuses a clock outside the demo period', async () => {
    await assert.rejects(
      preparePlaygroundDemo({ root: tempDir('mlbot-pgdemo-'), clock: '2026-12-03T09:00:00+01:00' }),
      /outside the demo period/,
    );
  });
});
