import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_REMINDER_SETTINGS } from '../src/domain/reminders.js';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers/temp.js';

const NO_FILES = '/nonexistent-env-dir';
const GUID = '22222222-2222-4222-8222-222222222222';
const creds = { BOT_ID: GUID, BOT_PASSWORD: 'secret', BOT_TENANT_ID: GUID };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env, NO_FILES);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults: port 3978, data/db.json, dev mode on 127.0.0.1', () => {
    const c = loadConfig({}, NO_FILES);
    assert.equal(c.port, 3978);
    assert.equal(c.dbPath, 'data/db.json');
    assert.equal(c.devMode, true);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.bot.type, 'SingleTenant');
    assert.deepEqual(c.coordinatorIds, []);
    assert.equal(c.clockStart, undefined);
  });

  it('reads PARTY_BY_TENANT and PARTY_BY_PERSON in any letter case as the party itself', () => {
    const person = GUID.replace(/2/g, '3');
    const c = loadConfig(
      { PARTY_BY_TENANT: `${GUID.toUpperCase()}=polisen`, PARTY_BY_PERSON: `${person}=KOMMUNEN` },
      NO_FILES,
    );
    assert.deepEqual(c.reports.partyByTenant, { [GUID]: 'Polisen' });
    assert.deepEqual(c.reports.partyByPerson, { [person]: 'Kommunen' });
    assert.match(problems({ PARTY_BY_TENANT: `${GUID}=Båda` }), /PARTY_BY_TENANT/);
  });

  it('names the variable and what is expected for each invalid value', () => {
    assert.match(problems({ PORT: 'abc' }), /PORT: expected/);
    assert.match(problems({ PORT: '70000' }), /PORT: expected between 0 and 65535/);
    assert.match(problems({ BOT_ID: 'not-a-guid' }), /BOT_ID: expected the Azure bot app id, a GUID/);
    assert.match(
      problems({ COORDINATOR_IDS: `${GUID},nope` }),
      /COORDINATOR_IDS\.1: expected a comma-separated list of GUIDs/,
    );
    assert.match(problems({ BOT_CLOCK: 'tomorrow' }), /BOT_CLOCK: expected an ISO instant/);
    assert.match(problems({ NODE_ENV: 'staging' }), /NODE_ENV: expected/);
    assert.match(problems({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  });

  it('uses lowdb without DATABASE_URL and PostgreSQL with it, never echoing the connection string', () => {
    assert.equal(loadConfig({}, NO_FILES).database, undefined);
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.example:5432/mlb' }, NO_FILES).database, {
      url: 'postgres://bot:pw@db.example:5432/mlb',
      schema: 'public',
      poolMax: 10,
      totalsCache: 300,
    });
    const refused = problems({
      DATABASE_URL: 'mysql://bot:hemligt@db/x',
      DATABASE_SCHEMA: 'Bad-Name',
      DATABASE_POOL_MAX: '1',
      DATABASE_TOTALS_CACHE: '0',
    });
    assert.match(refused, /DATABASE_URL: expected a PostgreSQL connection string/);
    assert.match(refused, /DATABASE_SCHEMA: expected a schema name/);
    assert.match(refused, /DATABASE_POOL_MAX: expected at least 2/);
    assert.match(refused, /DATABASE_TOTALS_CACHE: expected between 1 and 100000 agreements/);
    assert.doesNotMatch(refused, /hemligt/);
  });

  it('parses the reminder settings once, by the reminder policy’s own rules', () => {
    const c = loadConfig(
      { REMINDER_WEEKDAY: '2', DIGEST_WORKING_DAYS_BEFORE: '5, 1', DIGEST_MORNING_TIME: 'off' },
      NO_FILES,
    );
    assert.deepEqual(c.reminders, {
      enabled: true,
      settings: {
        ...DEFAULT_REMINDER_SETTINGS,
        weeklyWeekday: 2,
        digestWorkingDaysBefore: [5, 1],
        morningDigest: false,
      },
    });
    assert.deepEqual(loadConfig({}, NO_FILES).reminders.settings, DEFAULT_REMINDER_SETTINGS);
    // 61 working days used to pass here and stop the bot later with a stack trace.
    for (const [value, expected] of [
      [
        '61',
        /^Invalid configuration: DIGEST_WORKING_DAYS_BEFORE\.0: expected whole numbers of working days from 0 to 60 \(got "61"\)$/,
      ],
      [
        '-1',
        /^Invalid configuration: DIGEST_WORKING_DAYS_BEFORE\.0: expected whole numbers of working days from 0 to 60/,
      ],
      [
        '1,2,3,4,5,6,7,8,9,10,11',
        /^Invalid configuration: DIGEST_WORKING_DAYS_BEFORE: expected at most 10 comma-separated working days/,
      ],
    ] as const) {
      assert.match(problems({ DIGEST_WORKING_DAYS_BEFORE: value }), expected);
      assert.ok(!problems({ DIGEST_WORKING_DAYS_BEFORE: value }).includes('\n'), 'one line');
    }
  });

  it('stops a start on DIGEST_WORKING_DAYS_BEFORE=61 with exit code 2 and one line, before the data file is opened', function () {
    this.timeout(60_000);
    const dir = tempDir('mlbot-config-');
    const dbPath = join(dir, 'db.json');
    const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        DB_PATH: dbPath,
        PORT: '0',
        LOG_LEVEL: 'silent',
        DIGEST_WORKING_DAYS_BEFORE: '61',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 2, `exit ${run.status}: ${run.stderr}`);
    const lines = run.stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(l));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      /^The bot cannot start\. Invalid configuration: DIGEST_WORKING_DAYS_BEFORE\.0: expected whole numbers of working days from 0 to 60/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'a stack trace');
    assert.equal(existsSync(dbPath), false, 'the data file was not created');
  });

  it('requires the password and tenant with a SingleTenant BOT_ID', () => {
    const msg = problems({ BOT_ID: GUID });
    assert.match(msg, /BOT_PASSWORD/);
    assert.match(msg, /BOT_TENANT_ID/);
  });

  it('refuses production without credentials, and BOT_CLOCK in production', () => {
    assert.match(problems({ NODE_ENV: 'production' }), /BOT_ID: expected bot credentials/);
    assert.match(
      problems({ NODE_ENV: 'production', ...creds, BOT_CLOCK: '2024-03-14T12:00:00Z' }),
      /BOT_CLOCK: expected to be unset/,
    );
    const c = loadConfig({ NODE_ENV: 'production', ...creds }, NO_FILES);
    assert.equal(c.devMode, false);
    assert.equal(c.host, '0.0.0.0');
  });

  it('does not let dev mode bind beyond loopback', () => {
    assert.match(problems({ HOST: '0.0.0.0' }), /HOST: expected 127\.0\.0\.1/);
  });

  it('parses lists and the clock', () => {
    const c = loadConfig(
      { COORDINATOR_IDS: ` ${GUID} , ${GUID.replace(/2/g, '3')}`, BOT_CLOCK: '2024-03-14T12:59:00+01:00' },
      NO_FILES,
    );
    assert.equal(c.coordinatorIds.length, 2);
    assert.equal(c.clockStart?.toISOString(), '2024-03-14T11:59:00.000Z');
  });

  it('reads env/.env.<env> and .user files, the .user file and the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envdir-'));
    writeFileSync(join(dir, '.env.local'), 'PORT=4000\nDB_PATH=data/x.json\nLOG_LEVEL=debug\n');
    writeFileSync(join(dir, '.env.local.user'), 'DB_PATH=data/user.json\n');
    const c = loadConfig({ LOG_LEVEL: 'warn' }, dir);
    assert.equal(c.port, 4000);
    assert.equal(c.dbPath, 'data/user.json');
    assert.equal(c.logLevel, 'warn');
  });

  it('treats empty values in env files as unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envdir-'));
    writeFileSync(join(dir, '.env.local'), 'BOT_ID=\nPORT=\nBOT_CLOCK=\n');
    const c = loadConfig({}, dir);
    assert.equal(c.devMode, true);
    assert.equal(c.port, 3978);
  });
});
