// Reminder fan-out under a crash: the weekly reminder reaches exactly the reporters who have not
// reported, and a SIGKILL in the middle of the fan-out followed by a restart neither loses nor
// repeats a message.
//
//   npm run test:reminder-crash          (builds first)
//   REMINDER_CRASH_ROUNDS=5 REMINDER_CRASH_MINUTE_ROUNDS=1 REMINDER_CRASH_SEED=1234 node dist/scripts/reminder-crash-test.js
//
// One round, on a fresh temp data folder:
//  1. The data is written before the bot starts (scripts/lib/fanout-fixture.ts): 200 registered
//     reporters, each with an active personal conversation whose reference points at a stub Bot
//     Connector on 127.0.0.1, and 20 of them with a report in 2024-W11 (the week file). The bot
//     seeds the Tranås 2023–2024 agreement itself (the agreements list is left empty).
//  2. The bot starts with BOT_CLOCK just around Thursday 14 March 2024 13:00 (the default weekly
//     reminder), REMINDERS_ENABLED=true, LOG_LEVEL=warn. Two ways, both used:
//       - "minute tick" rounds (REMINDER_CRASH_MINUTE_ROUNDS, default 1: the first round):
//         BOT_CLOCK=2024-03-14T12:59:50+01:00, started ~20 s before a real minute boundary. The
//         start-up tick sees nothing due (checked: no message while the bot's clock is before
//         13:00); the croner tick at the boundary ('* * * * *', real time; the bot's clock then
//         reads ~13:00:10) sends. Costs up to a minute of waiting, hence one such round by default.
//       - "start-up tick" rounds (the rest): BOT_CLOCK=2024-03-14T13:00:05+01:00; the tick the bot
//         runs once at start (looking back 7 days) sends. Deterministic and no wait for a minute.
//  3. The stub records every POST /v3/conversations/{id}/activities once its body has arrived and
//     answers 200 after 20–60 ms. When it has recorded a random 30–70 % of the 180 expected
//     reminders, the bot is SIGKILLed (from inside the stub's handler, so the kill lands mid-fan-out).
//  4. The bot is restarted on the same files (BOT_CLOCK continuing where it was); the delivery engine
//     resumes pending rows and the start-up tick re-enqueues (existing rows keep their state). Once
//     the stub has seen no POST for 5 s the bot is stopped with SIGTERM.
//  5. Checks: no conversation got more than one reminder; the 20 who reported got none; each of the
//     180 got exactly one, or is in the ledger (<db>.ledger.json) in state 'unknown' (interrupted in
//     flight: never resent by design, shown to coordinators as "osäker"). "lost" = neither: must be 0.
// Loopback only; bounded in rounds and seconds (REMINDER_CRASH_MAX_SECONDS); bot children are killed
// when this script exits. Exit 1 on any duplicate, lost or otherwise failed round.
import type { ChildProcess } from 'node:child_process';
import {
  installExitHooks,
  type BotProcess,
  type ExitInfo,
  intFromEnv,
  prng,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
} from './lib/bot-process.js';
import { assertFixtureMatchesSchema, readLedger, writeFanoutFixture } from './lib/fanout-fixture.js';

installExitHooks();

const ROUNDS = intFromEnv('REMINDER_CRASH_ROUNDS', 5, { min: 1, max: 100 });
const MINUTE_ROUNDS = intFromEnv('REMINDER_CRASH_MINUTE_ROUNDS', 1, { min: 0, max: ROUNDS });
const MAX_SECONDS = intFromEnv('REMINDER_CRASH_MAX_SECONDS', 240, { min: 30, max: 3600 });
// Opt-in: also fail a round when more rows than this end 'unknown' (the delivery engine documents
// at most concurrency × claimBatch = 8 by default). Unset: 'unknown' rows are counted, not judged.
const MAX_UNKNOWN = process.env.REMINDER_CRASH_MAX_UNKNOWN
  ? intFromEnv('REMINDER_CRASH_MAX_UNKNOWN', 8, { min: 0, max: 10_000 })
  : undefined;
const DOCUMENTED_UNKNOWN_BOUND = 8;
const SEED = intFromEnv('REMINDER_CRASH_SEED', Math.floor(Math.random() * 2 ** 31), { min: 0, max: 2 ** 32 - 1 });

const REPORTERS = 200;
const REPORTED = 20;
const EXPECTED = REPORTERS - REPORTED;
const WEEK = '2024-W11';
/** The week's reminder is one occurrence `weekly:<agreementId>:<week>` (src/app/reminders.ts). */
const isWeeklyKey = (key: string): boolean => key.startsWith('weekly:') && key.endsWith(`:${WEEK}`);
const TODAY = '2024-03-14';
const KILL_MIN = 0.3;
const KILL_MAX = 0.7;
const QUIET_MS = 5000;
const MINUTE_CLOCK = '2024-03-14T12:59:50+01:00';
const STARTUP_CLOCK = '2024-03-14T13:00:05+01:00';
/** Start a minute-tick round this long before a real minute boundary (BOT_CLOCK is 10 s before 13:00). */
const MINUTE_LEAD_MS = 20_000;

const rand = prng(SEED);
const t0 = Date.now();
const elapsedS = () => ((Date.now() - t0) / 1000).toFixed(1);
// Answers after 20–60 ms, so that a fan-out takes seconds and can be interrupted.
const stub = await startConnectorStub({ delay: { minMs: 20, maxMs: 60, random: rand } });
const isReminder = (body: Record<string, any>): boolean =>
  typeof body?.text === 'string' && /vecka 11\b/.test(body.text);

console.log(
  `reminder crash test: ${ROUNDS} rounds (${MINUTE_ROUNDS} due by the minute tick, ${ROUNDS - MINUTE_ROUNDS} by the start-up tick), ${REPORTERS} reporters of whom ${REPORTED} reported ${WEEK}, expecting ${EXPECTED} reminders; kill at ${KILL_MIN * 100}–${KILL_MAX * 100} %; seed ${SEED}`,
);
console.log(
  'per round: delivered = got exactly one reminder; unknown = ledger row interrupted in flight (never resent by design); lost = neither (must be 0)',
);

interface RoundResult {
  ok: boolean;
  delivered: number;
  unknownDelivered: number;
  unknownNotDelivered: number;
  duplicates: number;
  lost: number;
  noted?: boolean;
}

const results: RoundResult[] = [];

async function round(i: number, mode: 'minute' | 'startup'): Promise<RoundResult> {
  const roundStart = Date.now();
  const failures: string[] = [];
  const tmp = tempDb('mlbot-reminder-crash-');
  const logFile = `${tmp.dir}/bot.log`;
  stub.clear();
  const fixture = writeFanoutFixture({
    dbPath: tmp.dbPath,
    serviceUrl: stub.url,
    count: REPORTERS,
    reportedCount: REPORTED,
    week: WEEK,
    lastDate: TODAY,
    random: rand,
  });
  await assertFixtureMatchesSchema(fixture);
  const expected = new Set(fixture.reporters.map((r) => r.aadObjectId).filter((id) => !fixture.reported.has(id)));
  const killAt = Math.ceil(EXPECTED * (KILL_MIN + rand() * (KILL_MAX - KILL_MIN)));

  let clock = STARTUP_CLOCK;
  let boundary = 0;
  if (mode === 'minute') {
    // Start ~20 s before a real minute boundary: bot time 13:00 then falls ~10 s before it.
    const now = Date.now();
    boundary = Math.ceil((now + MINUTE_LEAD_MS + 500) / 60_000) * 60_000;
    await sleep(Math.max(0, boundary - MINUTE_LEAD_MS - Date.now()));
    clock = MINUTE_CLOCK;
  }

  let killedAtCount: number | undefined;
  let passedRound = false;
  let bot: BotProcess | undefined;
  let bot2: BotProcess | undefined;
  try {
    const spawnAt = Date.now();
    let killRequested = false;
    let child: ChildProcess | undefined;
    const killNow = () => {
      killRequested = true;
      killedAtCount = stub.posted.length;
      child!.kill('SIGKILL');
    };
    stub.onPost((_record, count) => {
      if (!killRequested && count >= killAt && child) killNow();
    });
    let childExited: Promise<ExitInfo> | undefined;
    const onChild = (c: ChildProcess): void => {
      child = c;
      childExited = new Promise((r) => c.once('exit', (code, signal) => r({ code, signal })));
    };
    try {
      bot = await startBot({
        dbPath: tmp.dbPath,
        clock,
        logFile,
        logLevel: 'warn',
        env: { REMINDERS_ENABLED: 'true' },
        onChild,
      });
    } catch (err) {
      // Killed by the stub before /healthz answered: that is the kill, not a start failure.
      if (!killRequested) throw err;
    }
    const limitMs = mode === 'minute' ? boundary - Date.now() + 50_000 : 50_000;
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      childExited!,
      new Promise<null>((r) => (timer = setTimeout(() => r(null), limitMs))),
    ]);
    clearTimeout(timer);
    if (!exit) {
      failures.push(
        `the stub got only ${stub.posted.length} of the ${killAt} messages needed for the kill within ${Math.round(limitMs / 1000)} s`,
      );
      await bot?.kill();
    } else if (!killRequested) {
      failures.push(
        `the bot exited before the kill (code ${exit.code}, signal ${exit.signal}): ${bot?.tail().slice(-5).join(' | ')}`,
      );
    }
    const atKill = stub.posted.length;
    const killedAt = Date.now();
    // The ledger as the killed process left it: rows in 'sending' become 'unknown' at the restart.
    const countStates = (led: ReturnType<typeof readLedger>): string => {
      const c: Record<string, number> = {};
      for (const [key, rows] of led.rowsByKey)
        if (isWeeklyKey(key)) for (const r of rows.values()) c[r.state] = (c[r.state] ?? 0) + 1;
      return (
        Object.entries(c)
          .map(([st, n]) => `${st} ${n}`)
          .join(', ') || 'no rows'
      );
    };
    const ledgerAtKill = countStates(readLedger(tmp.dbPath));
    const firstPostS = stub.posted.length ? ((stub.posted[0]!.at - spawnAt) / 1000).toFixed(1) : '-';
    let sentBy = '';
    if (mode === 'minute') {
      // The bot's clock starts at BOT_CLOCK some time after the spawn, so it reads 13:00 no earlier
      // than 10 s after the spawn: anything before that was sent before the due time.
      const early = stub.posted.filter((p) => p.at < spawnAt + 10_000).length;
      if (early > 0) failures.push(`${early} message(s) arrived while the bot's clock was still before 13:00`);
      if (stub.posted.length)
        sentBy =
          stub.posted[0]!.at >= boundary
            ? `sent by the minute tick ${((stub.posted[0]!.at - boundary) / 1000).toFixed(1)} s after the real minute boundary; `
            : 'sent by the start-up tick (the bot was listening only after 13:00 by its clock); ';
    }

    // Restart on the same files, the clock continuing where it was.
    const clock2 = new Date(new Date(clock).getTime() + (Date.now() - spawnAt)).toISOString();
    bot2 = await startBot({
      dbPath: tmp.dbPath,
      clock: clock2,
      logFile,
      logLevel: 'warn',
      env: { REMINDERS_ENABLED: 'true' },
    });
    const restartedAt = Date.now();
    const restartS = ((restartedAt - killedAt) / 1000).toFixed(1);
    for (let waited = 0; waited < 60_000; waited += 100) {
      if (Date.now() - Math.max(stub.lastPostAt(), restartedAt) >= QUIET_MS) break;
      await sleep(100);
    }
    const stop = await bot2.stop('SIGTERM', 10_000);
    const stopS = (stop.ms / 1000).toFixed(1);
    if (stop.timedOut || stop.code !== 0)
      failures.push(
        `the restarted bot did not stop cleanly on SIGTERM (code ${stop.code}, signal ${stop.signal}${stop.timedOut ? ', timed out' : ''})`,
      );

    // ---- checks ----
    const perRecipient = new Map<string, number>();
    let unexpected = 0;
    let notReminder = 0;
    for (const p of stub.posted) {
      const aad = fixture.byConversation.get(p.conversationId);
      if (!aad) {
        unexpected++;
        continue;
      }
      if (!isReminder(p.body)) notReminder++;
      perRecipient.set(aad, (perRecipient.get(aad) ?? 0) + 1);
    }
    const ledger = readLedger(tmp.dbPath);
    failures.push(...ledger.problems);
    // One occurrence for the week (`weekly:<agreementId>:<week>`), one row per reporter.
    const weeklyRows = [...ledger.rowsByKey].filter(([key]) => isWeeklyKey(key)).map(([, rows]) => rows);
    if (weeklyRows.length !== 1)
      failures.push(`expected one weekly occurrence for ${WEEK} in the ledger, found ${weeklyRows.length}`);
    const rowOf = (aad: string) => weeklyRows[0]?.get(aad);

    let delivered = 0;
    let unknownDelivered = 0;
    let unknownNotDelivered = 0;
    let lost = 0;
    let duplicates = 0;
    let extraMessages = 0;
    const lostSample: string[] = [];
    const states: Record<string, number> = {};
    for (const n of perRecipient.values()) {
      if (n > 1) {
        duplicates++;
        extraMessages += n - 1;
      }
    }
    for (const aad of expected) {
      const n = perRecipient.get(aad) ?? 0;
      const row = rowOf(aad);
      states[row?.state ?? 'no-row'] = (states[row?.state ?? 'no-row'] ?? 0) + 1;
      const unknown = row?.state === 'unknown';
      if (n === 1) delivered++;
      if (unknown && n >= 1) unknownDelivered++;
      else if (unknown) unknownNotDelivered++;
      else if (n === 0) {
        lost++;
        if (lostSample.length < 5)
          lostSample.push(
            `${aad} (ledger: ${row ? `${row.state}${row.reason ? `/${row.reason}` : ''}, attempts ${row.attempts}` : 'no row'})`,
          );
      }
    }
    const reportedGot = [...fixture.reported].filter((aad) => (perRecipient.get(aad) ?? 0) > 0).length;
    const afterRestart = stub.posted.length - atKill;

    if (duplicates > 0)
      failures.push(`${duplicates} conversation(s) got more than one reminder (${extraMessages} extra message(s))`);
    if (lost > 0)
      failures.push(`${lost} lost: neither a reminder nor an 'unknown' ledger row: ${lostSample.join(', ')}`);
    if (reportedGot > 0) failures.push(`${reportedGot} of the ${REPORTED} who had reported got a reminder`);
    if (unexpected > 0) failures.push(`${unexpected} message(s) to conversations not in the data`);
    if (notReminder > 0) failures.push(`${notReminder} message(s) that are not the week 11 reminder`);
    if (killedAtCount === undefined) failures.push('the bot was never killed mid-fan-out');
    const unknownRows = unknownDelivered + unknownNotDelivered;
    if (MAX_UNKNOWN !== undefined && unknownRows > MAX_UNKNOWN)
      failures.push(`${unknownRows} rows ended 'unknown', more than REMINDER_CRASH_MAX_UNKNOWN=${MAX_UNKNOWN}`);
    const notes: string[] = [];
    if (unknownRows > DOCUMENTED_UNKNOWN_BOUND) {
      notes.push(
        `${unknownRows} rows were 'sending' at the kill and are now 'unknown' (${unknownNotDelivered} of them never reached the connector, so those reporters get no reminder this week); ` +
          `the delivery engine documents at most concurrency × claimBatch = ${DOCUMENTED_UNKNOWN_BOUND}`,
      );
    }

    const label =
      mode === 'minute' ? `minute tick, BOT_CLOCK ${MINUTE_CLOCK}` : `start-up tick, BOT_CLOCK ${STARTUP_CLOCK}`;
    const pct =
      killedAtCount !== undefined
        ? `${killedAtCount}/${EXPECTED} (${Math.round((killedAtCount / EXPECTED) * 100)} %)`
        : 'never';
    const stateText = Object.entries(states)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const ok = failures.length === 0;
    passedRound = ok;
    console.log(
      `round ${i} (${label}): ${sentBy}first reminder ${firstPostS} s after the spawn, killed at ${pct} ${((killedAt - spawnAt) / 1000).toFixed(1)} s after it, ${atKill} received by then; restart took ${restartS} s, ${afterRestart} received after it; SIGTERM stop ${stopS} s; ` +
        `delivered ${delivered}, unknown-and-delivered ${unknownDelivered}, unknown-and-not-delivered ${unknownNotDelivered}, duplicates ${duplicates}, lost ${lost}; ` +
        `ledger at the kill: ${ledgerAtKill}; at the end: ${stateText} — ${ok ? 'ok' : 'FAILED'} (${((Date.now() - roundStart) / 1000).toFixed(1)} s)`,
    );
    for (const f of failures) console.log(`  - ${f}`);
    for (const n of notes) console.log(`  note: ${n}`);
    if (!ok) console.log(`  data and bot log kept in ${tmp.dir}`);
    return { ok, delivered, unknownDelivered, unknownNotDelivered, duplicates, lost, noted: notes.length > 0 };
  } catch (err) {
    console.log(`round ${i}: FAILED: ${(err as Error).message}`);
    console.log(`  data and bot log kept in ${tmp.dir}`);
    return { ok: false, delivered: 0, unknownDelivered: 0, unknownNotDelivered: 0, duplicates: 0, lost: 0 };
  } finally {
    await bot?.kill();
    await bot2?.kill();
    if (passedRound) tmp.remove();
  }
}

let skipped = 0;
for (let i = 1; i <= ROUNDS; i++) {
  // A minute-tick round may wait up to a minute for the boundary; the start-up ones take ~15 s.
  const mode = i <= MINUTE_ROUNDS ? 'minute' : 'startup';
  const estimate = mode === 'minute' ? 80 : 25;
  if ((Date.now() - t0) / 1000 + estimate > MAX_SECONDS) {
    skipped = ROUNDS - i + 1;
    console.log(
      `stopping after ${i - 1} rounds: REMINDER_CRASH_MAX_SECONDS=${MAX_SECONDS} would be exceeded (${elapsedS()} s so far)`,
    );
    break;
  }
  const r = await round(i, mode);
  results.push(r);
}
await stub.close();

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + skipped;
const sum = (k: 'delivered' | 'unknownDelivered' | 'unknownNotDelivered' | 'duplicates' | 'lost'): number =>
  results.reduce((a, r) => a + r[k], 0);
console.log(
  `total: ${results.length} rounds in ${elapsedS()} s; delivered ${sum('delivered')}, unknown-and-delivered ${sum('unknownDelivered')}, unknown-and-not-delivered ${sum('unknownNotDelivered')}, duplicates ${sum('duplicates')}, lost ${sum('lost')}`,
);
if (results.some((r) => r.noted)) {
  console.log(
    `note: reminders interrupted before they were sent end 'unknown' (never resent) because every weekly reminder is its own occurrence and each deliver() call drains with its own ${DOCUMENTED_UNKNOWN_BOUND} workers, ` +
      "so all rows are claimed ('sending') at once and then wait for the tenant's pacing slot; REMINDER_CRASH_MAX_UNKNOWN=8 makes this a failure",
  );
}
console.log(`reminder-crash: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || sum('duplicates') > 0 || sum('lost') > 0 ? 1 : 0);
