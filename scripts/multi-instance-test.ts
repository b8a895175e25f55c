// Several bot instances on one PostgreSQL database, no load balancer: the test posts to either.
//
//   npm run test:multi-instance          (builds first; PostgreSQL on 127.0.0.1:5432, database test)
//   MULTI_ROUNDS=3 MULTI_SEED=1234 MULTI_MAX_SECONDS=480 node dist/scripts/multi-instance-test.js
//   MULTI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (the default)
//
// Part 1, consistency (a fresh schema, two instances A and B): reports submitted through the real
// protocol (report.submit invokes) alternately to A and B; after each write `status` and a count
// question ("hur många trafikkontroller i år?") are asked of both. The two status cards must be
// identical and both count answers must equal the sum of the counts submitted so far.
//
// Part 2, the weekly fan-out with a kill (MULTI_ROUNDS rounds, each on a fresh schema):
//  1. Data: the fan-out fixture (scripts/lib/fanout-fixture.ts) written as lowdb files, 1 100
//     registered reporters of whom 100 reported 2024-W11, plus a linked channel and a meeting on
//     Tuesday 19 March 2024 13:00 whose digest (three working days before, 08:00) is due in the same
//     pass; then moved into the fresh schema with the real `copy-to-postgres` CLI.
//  2. Two instances start together (DATABASE_URL, DATABASE_SCHEMA, own ports and data folders,
//     REMINDERS_ENABLED=true, BOT_CLOCK=2024-03-14T13:00:05+01:00: the start-up tick finds the
//     weekly reminder and the digest due). One takes the scheduler's advisory lock and enqueues;
//     both drain (each instance's start-up sweep sends what is pending).
//  3. The connector stub runs in rate-limit mode (Teams' limits; tenantPerSecond 30; 2 % random
//     429s) and answers after 20–60 ms. When a random 30–70 % of the 1 000 reminders have been accepted, the instance that
//     leads (its log line 'reminders: this instance leads the scheduler') is SIGKILLed.
//  4. The survivor finishes: it goes on draining, and at its next minute tick (real time, croner)
//     it takes the lead, turns the dead instance's in-flight rows 'unknown' and releases the rows
//     it had reserved. Once no row of the week is pending a replacement instance is started; it
//     must send nothing (everything is done) and both are then stopped with SIGTERM.
//  5. Checks: at most one reminder per recipient (the stub's count of identical activities per
//     conversation: 0 duplicates); per recipient a reminder or an 'unknown' row (0 lost); unknown
//     ≤ 8 = the engine's concurrency × claimBatch (rows are marked 'sending' only with one of the
//     8 permits and only once their pacing slot has come, so a dead instance leaves at most 8 in
//     flight); the 100 who reported got nothing; the stub never refused a request for the tenant
//     limit and its busiest 1 s window held ≤ 30 accepted sends; the meeting digest reached the
//     channel exactly once; the survivor led after the kill.
// Loopback only; bounded by MULTI_MAX_SECONDS; every schema of a passing round is dropped (a failing
// round keeps its schema and logs for inspection). Prints "multi-instance: N passed, M failed".
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  BOT_CLOCK,
  cardAction,
  cardText,
  installExitHooks,
  intFromEnv,
  makeUser,
  message,
  postJson,
  prng,
  receiptKind,
  reportData,
  root,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
  WEEK_DATES,
  type BotProcess,
} from './lib/bot-process.js';
import { assertFixtureMatchesSchema, writeFanoutFixture } from './lib/fanout-fixture.js';
import type { ConnectorStub } from '../test/helpers/connector-stub.js';
import { quoteIdent } from '../src/storage/postgres/pool.js';
import { TRANAS_2023_2024 } from '../src/domain/tranas-2023-2024.js';
import { formatQuantity } from '../src/texts/format.js';
import {
  createSchema as createSchemaIn,
  dropSchema as dropSchemaIn,
  postgresEnv,
  SCRIPTS_DATABASE_URL,
  withClient,
} from './lib/postgres.js';

installExitHooks();

/** The unit forms of the activity the consistency check counts. */
const TRAFFIC_UNIT = TRANAS_2023_2024.activities.find((a) => a.id === 'trafikkontroller')!;
const DATABASE_URL = process.env.MULTI_DATABASE_URL ?? SCRIPTS_DATABASE_URL;
const ROUNDS = intFromEnv('MULTI_ROUNDS', 3, { min: 1, max: 50 });
const MAX_SECONDS = intFromEnv('MULTI_MAX_SECONDS', 480, { min: 60, max: 3600 });
const SEED = intFromEnv('MULTI_SEED', Math.floor(Math.random() * 2 ** 31), { min: 0, max: 2 ** 32 - 1 });
const WRITES = intFromEnv('MULTI_WRITES', 12, { min: 2, max: 200 });

const REPORTERS = 1100;
const REPORTED = 100;
const EXPECTED = REPORTERS - REPORTED;
const WEEK = '2024-W11';
const TODAY = '2024-03-14';
const CLOCK = '2024-03-14T13:00:05+01:00';
const CHANNEL = '19:fanout-channel@thread.tacv2';
const MEETING = { date: '2024-03-19', time: '13:00' };
const TENANT_PER_SECOND = 30;
/** DEFAULT_DELIVERY_OPTIONS: concurrency 8 × claimBatch 1 (src/app/delivery/engine.ts). */
const UNKNOWN_BOUND = 8;
const KILL_MIN = 0.3;
const KILL_MAX = 0.7;
/** After the kill: the survivor's next minute tick plus the rest of the fan-out, with room. */
const FINISH_LIMIT_MS = 150_000;
const QUIET_MS = 4000;
const LEADS = 'reminders: this instance leads the scheduler';

const rand = prng(SEED);
const t0 = Date.now();
const elapsedS = () => ((Date.now() - t0) / 1000).toFixed(1);

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one fresh schema per part and round.

const withAdmin = <T>(body: (c: pg.Client) => Promise<T>): Promise<T> => withClient(DATABASE_URL, body);
const createSchema = (prefix: string) => createSchemaIn(DATABASE_URL, prefix);
const dropSchema = (schema: string) => dropSchemaIn(DATABASE_URL, schema);
const pgEnv = (schema: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ...postgresEnv(DATABASE_URL, schema),
  ...extra,
});

/** The real CLI: `node dist/src/cli/copy-to-postgres.js` with DB_PATH, DATABASE_URL, DATABASE_SCHEMA. */
function copyToPostgres(dbPath: string, schema: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'src', 'cli', 'copy-to-postgres.js')], {
      env: { ...process.env, DB_PATH: dbPath, LOG_LEVEL: 'warn', ...pgEnv(schema) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function startInstance(
  name: string,
  schema: string,
  dir: string,
  extra: Record<string, string> = {},
  clock?: string,
): Promise<BotProcess> {
  return startBot({
    dbPath: join(dir, name, 'db.json'),
    clock,
    logFile: join(dir, `${name}.log`),
    logLevel: 'info',
    keep: 400,
    env: pgEnv(schema, extra),
  });
}

const logOf = (dir: string, name: string): string => {
  try {
    return readFileSync(join(dir, `${name}.log`), 'utf8');
  } catch {
    return '';
  }
};

// ---------------------------------------------------------------------------------------------
// Part 1: consistency across instances.

/** Sends a message and waits for the bot's reply to it at the stub (matched by replyToId). */
async function ask(
  bot: BotProcess,
  stub: ConnectorStub,
  text: string,
  user: ReturnType<typeof makeUser>,
  agent: http.Agent,
): Promise<string> {
  const activity = message(text, user, stub.url);
  const res = await postJson(bot.endpoint, activity, { agent });
  if (res.error || !res.status || res.status >= 300)
    throw new Error(`"${text}" to port ${bot.port}: ${res.error ?? `HTTP ${res.status}`}`);
  for (let waited = 0; waited < 10_000; waited += 20) {
    const reply = stub.posted.find((p) => p.replyToId === activity.id);
    if (reply) return [reply.body.text ?? '', cardText(reply.body.attachments ?? [])].join('\n');
    await sleep(20);
  }
  throw new Error(`no reply to "${text}" from port ${bot.port} within 10 s`);
}

async function consistency(): Promise<{ ok: boolean; failures: string[]; line: string }> {
  const failures: string[] = [];
  const schema = await createSchema('multi_c');
  const tmp = tempDb('mlbot-multi-c-');
  const stub = await startConnectorStub();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let bots: BotProcess[] = [];
  const started = Date.now();
  let checks = 0;
  try {
    bots = await Promise.all(['a', 'b'].map((n) => startInstance(n, schema, tmp.dir, {}, BOT_CLOCK)));
    const users = Array.from({ length: 4 }, (_, i) => makeUser(i + 1));
    const weeks = Object.keys(WEEK_DATES);
    let expected = 0;
    for (let i = 0; i < WRITES; i++) {
      const writer = bots[i % 2]!;
      const count = 1 + Math.floor(rand() * 9);
      const week = weeks[Math.floor(rand() * weeks.length)]!;
      const data = reportData({ week, date: WEEK_DATES[week]![i % 4], count });
      const res = await postJson(
        writer.endpoint,
        cardAction('report.submit', data, users[i % users.length]!, stub.url),
        {
          agent,
        },
      );
      if (receiptKind(res) !== 'saved') {
        failures.push(`write ${i + 1} to ${i % 2 ? 'B' : 'A'}: not saved (HTTP ${res.status ?? res.error})`);
        continue;
      }
      expected += count;
      // Read from both right after the write to one of them.
      const asker = users[(i + 1) % users.length]!;
      const [statusA, statusB] = await Promise.all(bots.map((b) => ask(b, stub, 'status', asker, agent)));
      const [countA, countB] = await Promise.all(
        bots.map((b) => ask(b, stub, 'hur många trafikkontroller i år?', asker, agent)),
      );
      checks++;
      if (statusA !== statusB)
        failures.push(
          `after write ${i + 1} (to ${i % 2 ? 'B' : 'A'}): the status cards differ: A ${JSON.stringify(statusA.slice(0, 300))} / B ${JSON.stringify(statusB.slice(0, 300))}`,
        );
      // "1 kontroll", "12 kontroller": the count as the texts module words it.
      const figure = formatQuantity(expected, TRAFFIC_UNIT);
      for (const [name, answer] of [
        ['A', countA],
        ['B', countB],
      ] as const)
        if (!answer.includes(`**${figure}**`))
          failures.push(
            `after write ${i + 1}: ${name} answered the count question without **${figure}**: ${JSON.stringify(answer.slice(0, 200))}`,
          );
      if (failures.length > 5) break;
    }
    const line = `consistency: ${WRITES} reports written alternately to A and B, status and the count question asked of both after each (${checks} checks), ${failures.length === 0 ? 'identical on both' : 'DIFFERENT'} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    return { ok: failures.length === 0, failures, line };
  } catch (err) {
    failures.push((err as Error).message);
    return { ok: false, failures, line: 'consistency: FAILED' };
  } finally {
    agent.destroy();
    for (const b of bots) await b.stop('SIGTERM', 10_000);
    await stub.close();
    if (failures.length === 0) {
      await dropSchema(schema);
      tmp.remove();
    } else console.log(`  kept: schema ${schema}, logs in ${tmp.dir}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Part 2: a fan-out with a kill.

interface RoundResult {
  ok: boolean;
  delivered: number;
  unknown: number;
  duplicates: number;
  lost: number;
  peak: number;
  rejectedTenant: number;
  seconds: number;
}

interface RowState {
  recipient: string;
  state: string;
}

async function weeklyRows(schema: string): Promise<RowState[]> {
  return withAdmin(async (c) => {
    const { rows } = await c.query<RowState>(
      `SELECT r.recipient, r.state FROM ${quoteIdent(schema)}.delivery_row r
        WHERE r.occurrence_key LIKE 'weekly:%' AND r.occurrence_key LIKE $1`,
      [`%:${WEEK}`],
    );
    return rows;
  });
}

async function channelOccurrences(schema: string): Promise<{ key: string; state: string }[]> {
  return withAdmin(async (c) => {
    const { rows } = await c.query<{ key: string; state: string }>(
      `SELECT r.occurrence_key AS key, r.state FROM ${quoteIdent(schema)}.delivery_row r WHERE r.conversation_id LIKE $1`,
      [`${CHANNEL}%`],
    );
    return rows;
  });
}

async function fanoutRound(i: number): Promise<RoundResult> {
  const roundStart = Date.now();
  const failures: string[] = [];
  const notes: string[] = [];
  const tmp = tempDb('mlbot-multi-');
  // Answers after 20–60 ms, so that sends are in flight when the kill lands.
  const stub = await startConnectorStub({
    rateLimit: { tenantPerSecond: TENANT_PER_SECOND, random: rand },
    delay: { minMs: 20, maxMs: 60, random: rand },
  });
  const schema = await createSchema('multi_f');
  const bots = new Map<string, BotProcess>();
  let passed = false;
  const empty = { delivered: 0, unknown: 0, duplicates: 0, lost: 0, peak: 0, rejectedTenant: 0 };
  try {
    const fixture = writeFanoutFixture({
      dbPath: tmp.dbPath,
      serviceUrl: stub.url,
      count: REPORTERS,
      reportedCount: REPORTED,
      week: WEEK,
      lastDate: TODAY,
      random: rand,
      channel: { conversationId: CHANNEL, meeting: MEETING },
    });
    await assertFixtureMatchesSchema(fixture);
    const copy = await copyToPostgres(tmp.dbPath, schema);
    if (copy.code !== 0) throw new Error(`copy-to-postgres exited ${copy.code}: ${copy.output.slice(-500)}`);
    const expected = new Set(fixture.reporters.map((r) => r.aadObjectId).filter((id) => !fixture.reported.has(id)));
    const personal = (conversationId: string) => fixture.byConversation.get(conversationId);
    const reminders = () => stub.delivered.filter((d) => personal(d.conversationId)).length;
    const killAt = Math.ceil(EXPECTED * (KILL_MIN + rand() * (KILL_MAX - KILL_MIN)));

    const env = { REMINDERS_ENABLED: 'true' };
    const spawnAt = Date.now();
    const [a, b] = await Promise.all(['a', 'b'].map((n) => startInstance(n, schema, tmp.dir, env, CLOCK)));
    bots.set('a', a!).set('b', b!);

    // Wait for the kill point, then kill the leader.
    const killDeadline = Date.now() + 90_000;
    while (reminders() < killAt && Date.now() < killDeadline) await sleep(10);
    if (reminders() < killAt) throw new Error(`only ${reminders()} of the ${killAt} reminders for the kill in 90 s`);
    const leaders = ['a', 'b'].filter((n) => logOf(tmp.dir, n).includes(LEADS));
    if (leaders.length !== 1) throw new Error(`expected one leader by the log, found ${leaders.length}`);
    const dead = leaders[0]!;
    const survivor = dead === 'a' ? 'b' : 'a';
    await bots.get(dead)!.kill();
    const killedAt = Date.now();
    const atKill = reminders();
    const survivorLogAtKill = logOf(tmp.dir, survivor).length;

    // The survivor finishes: wait until no row of the week is pending, sending or retrying.
    let rows: RowState[] = [];
    let finishedAt = 0;
    for (;;) {
      rows = await weeklyRows(schema);
      const open = rows.filter((r) => ['pending', 'sending', 'retrying'].includes(r.state)).length;
      if (rows.length > 0 && open === 0) {
        finishedAt = Date.now();
        break;
      }
      if (Date.now() - killedAt > FINISH_LIMIT_MS) {
        failures.push(`${open} rows of the week still open ${FINISH_LIMIT_MS / 1000} s after the kill`);
        break;
      }
      await sleep(250);
    }
    const survivorLed = logOf(tmp.dir, survivor).slice(survivorLogAtKill).includes(LEADS);
    if (!survivorLed) failures.push('the survivor never took the lead after the kill');

    // A replacement instance: it must find nothing left to send.
    const beforeReplacement = stub.delivered.length;
    const clock2 = new Date(new Date(CLOCK).getTime() + (Date.now() - spawnAt)).toISOString();
    const replacement = await startInstance('c', schema, tmp.dir, env, clock2);
    bots.set('c', replacement);
    const replacedAt = Date.now();
    for (let waited = 0; waited < 30_000; waited += 100) {
      if (Date.now() - Math.max(stub.delivered.at(-1)?.at ?? 0, replacedAt) >= QUIET_MS) break;
      await sleep(100);
    }
    const afterReplacement = stub.delivered.length - beforeReplacement;
    if (afterReplacement > 0) failures.push(`${afterReplacement} message(s) sent after the replacement started`);
    for (const name of [survivor, 'c']) {
      const stop = await bots.get(name)!.stop('SIGTERM', 10_000);
      if (stop.timedOut || stop.code !== 0)
        failures.push(`${name} did not stop cleanly on SIGTERM (code ${stop.code}, signal ${stop.signal})`);
    }

    // ---- checks ----
    rows = await weeklyRows(schema);
    const rowOf = new Map(rows.map((r) => [r.recipient, r.state]));
    const perRecipient = new Map<string, number>();
    let unexpected = 0;
    for (const d of stub.delivered) {
      if (d.conversationId.startsWith(CHANNEL)) continue;
      const aad = personal(d.conversationId);
      if (!aad) unexpected++;
      else perRecipient.set(aad, (perRecipient.get(aad) ?? 0) + 1);
    }
    let delivered = 0;
    let lost = 0;
    let unknown = 0;
    const states: Record<string, number> = {};
    for (const aad of expected) {
      const n = perRecipient.get(aad) ?? 0;
      const state = rowOf.get(aad) ?? 'no-row';
      states[state] = (states[state] ?? 0) + 1;
      if (n >= 1) delivered++;
      if (state === 'unknown') unknown++;
      else if (n === 0) lost++;
      if (n >= 1 && state !== 'sent' && state !== 'unknown')
        failures.push(`recipient ${aad} got the reminder but its row is '${state}'`);
    }
    const duplicates = [...perRecipient.values()].filter((n) => n > 1).length + stub.duplicates().length;
    const reportedGot = [...fixture.reported].filter((aad) => (perRecipient.get(aad) ?? 0) > 0).length;
    const channelPosts = stub.delivered.filter((d) => d.conversationId.startsWith(CHANNEL)).length;
    const channelRows = await channelOccurrences(schema);
    const digestRows = channelRows.filter((r) => r.key.startsWith('meeting-digest:'));
    const peak = stub.peakPerSecond();
    const rejectedTenant = stub.stats.rejectedTenant;

    if (duplicates > 0) failures.push(`${duplicates} duplicate(s): a recipient got the reminder more than once`);
    if (lost > 0) failures.push(`${lost} lost: neither a reminder nor an 'unknown' row`);
    if (unknown > UNKNOWN_BOUND)
      failures.push(`${unknown} rows 'unknown', more than one claim window of the dead instance (${UNKNOWN_BOUND})`);
    if (reportedGot > 0) failures.push(`${reportedGot} of the ${REPORTED} who had reported got a reminder`);
    if (unexpected > 0) failures.push(`${unexpected} message(s) to conversations not in the data`);
    if (peak > TENANT_PER_SECOND)
      failures.push(`the stub accepted ${peak} sends in one second (limit ${TENANT_PER_SECOND})`);
    if (rejectedTenant > 0) failures.push(`the stub refused ${rejectedTenant} request(s) over the tenant limit`);
    if (digestRows.length !== 1 || digestRows[0]!.state !== 'sent')
      failures.push(`meeting digest rows: ${JSON.stringify(digestRows)} (expected one, sent)`);
    if (channelPosts !== channelRows.filter((r) => r.state === 'sent').length || channelPosts < 1)
      failures.push(
        `${channelPosts} channel post(s) for ${channelRows.length} channel row(s): ${JSON.stringify(channelRows)}`,
      );
    if (channelRows.some((r) => r.state === 'unknown')) notes.push('a channel row ended unknown');

    const stateText = Object.entries(states)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const seconds = (Date.now() - roundStart) / 1000;
    passed = failures.length === 0;
    console.log(
      `round ${i}: killed the leader (${dead}) at ${atKill}/${EXPECTED} (${Math.round((atKill / EXPECTED) * 100)} %) ${((killedAt - spawnAt) / 1000).toFixed(1)} s after the start; ` +
        `all rows done ${((finishedAt - killedAt) / 1000).toFixed(1)} s after the kill; replacement sent ${afterReplacement}; ` +
        `delivered ${delivered}, unknown ${unknown}, duplicates ${duplicates}, lost ${lost}; rows: ${stateText}; ` +
        `stub: peak ${peak}/s, ${rejectedTenant} tenant 429s, ${stub.stats.rejectedConversation} conversation 429s, ${stub.stats.random429WithRetryAfter + stub.stats.random429WithoutRetryAfter} random 429s; ` +
        `channel: ${channelPosts} post(s), digest ${digestRows.length === 1 ? digestRows[0]!.state : digestRows.length} — ${passed ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`,
    );
    for (const f of failures) console.log(`  - ${f}`);
    for (const n of notes) console.log(`  note: ${n}`);
    return { ok: passed, delivered, unknown, duplicates, lost, peak, rejectedTenant, seconds };
  } catch (err) {
    console.log(`round ${i}: FAILED: ${(err as Error).message}`);
    for (const f of failures) console.log(`  - ${f}`);
    return { ok: false, ...empty, seconds: (Date.now() - roundStart) / 1000 };
  } finally {
    for (const bot of bots.values()) await bot.kill();
    await stub.close();
    if (passed) {
      await dropSchema(schema);
      tmp.remove();
    } else console.log(`  kept: schema ${schema}, data and logs in ${tmp.dir}`);
  }
}

// ---------------------------------------------------------------------------------------------

console.log(
  `multi-instance test: PostgreSQL ${DATABASE_URL.replace(/\/\/[^@/]*@/, '//')}; consistency with ${WRITES} writes; ${ROUNDS} fan-out rounds of ${EXPECTED} reminders (${REPORTERS} reporters, ${REPORTED} reported), kill at ${KILL_MIN * 100}–${KILL_MAX * 100} %, tenant limit ${TENANT_PER_SECOND}/s; seed ${SEED}`,
);
let passedCount = 0;
let failedCount = 0;
const c = await consistency();
console.log(c.line);
for (const f of c.failures) console.log(`  - ${f}`);
if (c.ok) passedCount++;
else failedCount++;

const results: RoundResult[] = [];
for (let i = 1; i <= ROUNDS; i++) {
  // A round: ~35 s of fan-out, up to a minute for the survivor's tick, the replacement's quiet time.
  if ((Date.now() - t0) / 1000 + 120 > MAX_SECONDS) {
    console.log(
      `stopping after ${i - 1} rounds: MULTI_MAX_SECONDS=${MAX_SECONDS} would be exceeded (${elapsedS()} s so far)`,
    );
    failedCount += ROUNDS - i + 1;
    break;
  }
  const r = await fanoutRound(i);
  results.push(r);
  if (r.ok) passedCount++;
  else failedCount++;
}
const sum = (k: 'delivered' | 'unknown' | 'duplicates' | 'lost' | 'rejectedTenant') =>
  results.reduce((n, r) => n + r[k], 0);
console.log(
  `total: ${results.length} fan-out rounds in ${elapsedS()} s; delivered ${sum('delivered')}, unknown ${sum('unknown')} (at most ${Math.max(0, ...results.map((r) => r.unknown))} in a round, bound ${UNKNOWN_BOUND}), duplicates ${sum('duplicates')}, lost ${sum('lost')}, peak ${Math.max(0, ...results.map((r) => r.peak))}/s (limit ${TENANT_PER_SECOND}), tenant 429s ${sum('rejectedTenant')}`,
);
console.log(`multi-instance: ${passedCount} passed, ${failedCount} failed`);
process.exit(failedCount > 0 ? 1 : 0);
