import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import pg from 'pg';
import { ManualClock } from '../../src/app/clock.js';
import { runCopyToPostgres } from '../../src/cli/copy-to-postgres.js';
import { loadConfig } from '../../src/config.js';
import { quoteIdent } from '../../src/storage/postgres/pool.js';
import { cardAction, message, type Where } from '../helpers/activities.js';
import { cardText, startHarness, tempDbPath, type Harness } from '../helpers/harness.js';
import { skipWithoutPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { assertShows } from '../helpers/texts.js';
import { sv } from '../../src/texts/index.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const person = (n: number) => ({
  id: `29:rep-${n}`,
  name: `Rapportör ${n}`,
  aadObjectId: `aaaaaaaa-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
});
const CHANNEL = '19:general@thread.tacv2';

/**
 * A lowdb deployment that has lived a little (reporters, a linked channel, reports, a meeting, a
 * weekly reminder sent, audit lines) is copied into an empty PostgreSQL schema; the bot then runs on
 * PostgreSQL and shows the same status and sends nothing twice.
 */
describe('npm run copy-to-postgres', () => {
  const schema = `copy_${process.pid}_${Date.now().toString(36)}`;
  const env = { COORDINATOR_IDS: COORDINATOR.aadObjectId, REMINDERS_ENABLED: 'true' };
  const clock = new ManualClock('2024-03-14T11:59:00Z');
  const dbPath = tempDbPath();
  let statusOnFiles = '';
  let admin: pg.Client;

  before(skipWithoutPostgres);
  before(async () => {
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    const h = await startHarness({ dbPath, clock, env });
    const where = (n: number): Where => ({
      serviceUrl: h.connector.url,
      from: person(n),
      conversationId: `a:personal-${n}`,
    });
    try {
      for (const n of [1, 2, 3]) await h.turn(message('anmäl mig som rapportör för Polisen', where(n)));
      await h.turn(
        message('koppla kanal', {
          serviceUrl: h.connector.url,
          from: COORDINATOR,
          kind: 'channel',
          conversationId: CHANNEL,
        }),
      );
      for (const [n, activityId, count] of [
        [1, 'trafikkontroller', '4'],
        [2, 'riktade-insatser-narkotika', '2'],
      ] as const) {
        const submit = cardAction(
          'report.submit',
          {
            submissionId: randomUUID(),
            week: '2024-W11',
            activityId,
            count,
            date: '2024-03-13',
            area: 'Centrum',
            description: '',
            party: 'Polisen',
          },
          where(n),
        );
        assertShows(cardText((await h.post(submit)).body.value), sv.report.saved);
      }
      await h.post(
        cardAction(
          'meeting.create',
          { meetingId: randomUUID(), kind: 'samverkansmöte', date: '2024-03-20', time: '13:00', place: 'Polishuset' },
          { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:personal-coord' },
        ),
      );
      h.connector.clear();
      clock.set('2024-03-14T12:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(
        h.connector.posted.filter((p) => p.conversationId === 'a:personal-3').length,
        1,
        'reminded on files',
      );
      const [card] = await h.turn(
        message('status', { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:personal-coord' }),
      );
      statusOnFiles = cardText(card!);
    } finally {
      await h.stop();
    }
  });
  after(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await admin?.end();
  });

  const config = () =>
    loadConfig(
      { NODE_ENV: 'test', DB_PATH: dbPath, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
      '/nonexistent-env-dir',
    );

  it('copies everything and finds every count equal on both sides', async () => {
    const lines: string[] = [];
    const result = await runCopyToPostgres((s) => lines.push(s), config());
    assert.equal(result.code, 0, lines.join('\n'));
    const byWhat = new Map(result.counts.map((c) => [c.what, c]));
    for (const c of result.counts) assert.equal(c.postgres, c.files, c.what);
    // Not an empty run: what the deployment did is there.
    for (const [what, atLeast] of [
      ['agreements', 1],
      ['conversations', 4],
      ['reports', 2],
      ['reporters', 3],
      ['channelLinks', 1],
      ['meetings', 1],
      ['delivery rows', 1],
      ['audit entries', 6],
      ['agreements with equal running totals', 1],
    ] as const)
      assert.ok((byWhat.get(what)?.files ?? 0) >= atLeast, `${what}: ${byWhat.get(what)?.files}`);
    assert.match(lines.join('\n'), /Allt stämmer/);
  });

  it('refuses to copy into a database that holds data', async () => {
    const lines: string[] = [];
    assert.equal((await runCopyToPostgres((s) => lines.push(s), config())).code, 3);
    assert.match(lines.join('\n'), /har redan data/);
  });

  it('runs the bot on PostgreSQL with the same status, and sends no reminder again', async () => {
    const h: Harness = await startHarness({
      dbPath: tempDbPath(),
      clock,
      env: { ...env, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
    });
    try {
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      const reminders = h.connector.posted.filter((p) => p.conversationId.startsWith('a:personal-'));
      assert.equal(reminders.length, 0, 'the ledger came along: nothing is sent twice');
      const [card] = await h.turn(
        message('status', { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:personal-coord' }),
      );
      assert.equal(cardText(card!), statusOnFiles);
      assert.match(statusOnFiles, /4 av 30/);
    } finally {
      await h.stop();
    }
  });
});
