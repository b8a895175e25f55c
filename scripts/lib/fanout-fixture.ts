// Helpers for scripts/reminder-crash-test.mjs: a Bot Connector stub that answers after a small
// delay (so that a reminder fan-out takes seconds and can be interrupted), a prepared data folder
// (the lowdb main file with registered rapportörer and their personal conversations, plus a week
// file with the reports of those who already reported), and a reader of the delivery ledger.
// Loopback (127.0.0.1) only. The data is checked against the compiled zod schemas of the bot
// (dist/src/storage/schema.js), so a schema change fails here loudly instead of silently.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BOT, TENANT, botEnv, mainJs, makeUser, processControls, reportsDirOf, root, sleep, spawnNode } from './bot-process.mjs';

export const ledgerPathOf = (dbPath) => dbPath.replace(/\.json$/i, '') + '.ledger.json';

// ---------------------------------------------------------------------------------------------
// The bot at a quiet log level. bot-process.mjs's startBot waits for the info-level "listening on"
// line, which LOG_LEVEL=warn suppresses; this one picks a free loopback port itself and waits for
// GET /healthz instead. Every bot started here is SIGKILLed when this process exits.

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort() {
  return new Promise((resolveP, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolveP(port));
    });
  });
}

function getHealth(port) {
  return new Promise((resolveP) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolveP(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveP(0));
  });
}

/**
 * Starts the bot as `npm start` does (`node dist/bundle/start.cjs`) in local development mode on a free port with LOG_LEVEL
 * `logLevel` (default warn) and resolves once /healthz answers 200. Output is appended to
 * `logFile`; the last lines are kept for error messages. Same shape as bot-process's startBot:
 * { child, pid, port, endpoint, exited, tail(), kill(), stop(signal, graceMs) }. `onChild(child)` is
 * called right after the spawn.
 */
export async function startQuietBot({ dbPath, clock, logFile, logLevel = 'warn', env = {}, timeoutMs = 20000, onChild }) {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run npm run build first`);
  const port = await freePort();
  const proc = spawnNode([mainJs], { env: { ...botEnv({ dbPath, clock, logLevel }), PORT: String(port), ...env }, logFile });
  // The caller may need the process before /healthz answers (a kill at the first messages).
  onChild?.(proc.child);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exitInfo = proc.exitInfo();
    if (exitInfo) throw new Error(`the bot exited at start (code ${exitInfo.code}, signal ${exitInfo.signal}):\n  ${proc.tail().join('\n  ')}`);
    if ((await getHealth(port)) === 200) break;
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      await proc.exited;
      throw new Error(`the bot did not answer GET /healthz within ${timeoutMs} ms:\n  ${proc.tail().join('\n  ')}`);
    }
    await sleep(50);
  }
  return {
    child: proc.child,
    pid: proc.child.pid,
    port,
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    exited: proc.exited,
    get exitInfo() {
      return proc.exitInfo();
    },
    tail: proc.tail,
    ...processControls(proc.child, proc.exited, proc.exitInfo),
  };
}

// ---------------------------------------------------------------------------------------------
// A Bot Connector stub with a delay: records every POST /v3/conversations/{id}/activities when its
// body has fully arrived (what Teams would have got), then answers 200 after minDelayMs–maxDelayMs.

export async function startDelayedConnectorStub({ minDelayMs = 20, maxDelayMs = 60, random = Math.random } = {}) {
  let posted = [];
  let nextId = 1;
  const listeners = new Set();
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const m = /\/v3\/conversations\/([^/?]+)\/activities/.exec(path);
      if (req.method === 'POST' && m) {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        } catch {
          body = { unparsable: true };
        }
        const record = { conversationId: decodeURIComponent(m[1]), body, at: Date.now() };
        posted.push(record);
        for (const l of listeners) l(record, posted.length);
      }
      const delay = minDelayMs + Math.floor(random() * (maxDelayMs - minDelayMs + 1));
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `act-${nextId++}` }));
      }, delay);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise((r, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', r);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    get posted() {
      return posted;
    },
    /** Calls fn(record, countSoFar) for every recorded POST; returns an unsubscribe function. */
    onPost(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Forgets what was recorded (between rounds). */
    reset() {
      posted = [];
      listeners.clear();
    },
    lastPostAt: () => (posted.length ? posted[posted.length - 1].at : 0),
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The data folder: N registered rapportörer with personal conversations, K of them reported.

/** The Monday–Sunday dates of an ISO week 'YYYY-Www' as 'YYYY-MM-DD'. */
function datesOfWeek(week) {
  const [, y, w] = /^(\d{4})-W(\d{2})$/.exec(week).map(Number);
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (w - 1) * 7 * 86_400_000);
  return Array.from({ length: 7 }, (_, i) => new Date(monday.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Writes DB_PATH (schema version 2; agreements left empty so the bot seeds Tranås 2023–2024 at
 * start) with `count` active rapportörer, each with an active personal conversation whose stored
 * reference points at `serviceUrl`, and `<db>.reports/<week>.json` with one valid report of each
 * of `reportedCount` randomly chosen rapportörer (dated on or before `lastDate`).
 * Returns { reporters: [{ n, aadObjectId, conversationId, party }], reported: Set<aadObjectId>,
 *           byConversation: Map<conversationId, aadObjectId> }.
 */
export function writeFanoutFixture({ dbPath, serviceUrl, count = 200, reportedCount = 20, week = '2024-W11', lastDate, at, random = Math.random }) {
  const reporters = Array.from({ length: count }, (_, i) => {
    const u = makeUser(i + 1);
    return { n: i + 1, user: u, aadObjectId: u.aadObjectId, conversationId: u.conversationId, party: i % 2 === 0 ? 'Polisen' : 'Kommunen' };
  });
  const registeredAt = '2024-02-01T08:00:00.000Z';
  const db = {
    schemaVersion: 2,
    agreements: [],
    conversations: reporters.map((r) => ({
      id: r.conversationId,
      kind: 'personal',
      tenantId: TENANT,
      serviceUrl,
      userAadObjectId: r.aadObjectId,
      reference: {
        activityId: `act-install-${r.n}`,
        user: { id: r.user.id, name: r.user.name, aadObjectId: r.aadObjectId },
        bot: { id: BOT.id, name: BOT.name },
        conversation: { id: r.conversationId, conversationType: 'personal', tenantId: TENANT, isGroup: false },
        channelId: 'msteams',
        locale: 'sv-SE',
        serviceUrl,
      },
      active: true,
      updatedAt: registeredAt,
    })),
    overrides: [],
    reporters: reporters.map((r) => ({
      aadObjectId: r.aadObjectId,
      party: r.party,
      name: r.user.name,
      tenantId: TENANT,
      personalConversationId: r.conversationId,
      registeredAt,
      active: true,
    })),
    meetings: [],
    channelLinks: [],
    coordinators: [],
  };

  // A random subset has reported this week (partial Fisher–Yates on a copy).
  const pool = reporters.slice();
  for (let i = 0; i < reportedCount; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const reportedList = pool.slice(0, reportedCount);
  const dates = datesOfWeek(week).filter((d) => !lastDate || d <= lastDate);
  const reports = reportedList.map((r, i) => {
    const created = at ?? '2024-03-12T09:00:00.000Z';
    return {
      week,
      activityId: 'trafikkontroller',
      pledgeNumber: 3,
      count: 1 + (i % 4),
      date: dates[i % dates.length],
      area: 'Centrum',
      description: 'Trafikkontroller vid infarten',
      raiseAtNextMeeting: false,
      party: r.party,
      id: randomUUID(),
      submissionId: randomUUID(),
      agreementId: 'tranas-2023-2024',
      reporterId: r.aadObjectId,
      reporterTenantId: TENANT,
      createdAt: created,
      updatedAt: created,
      history: [{ at: created, by: r.aadObjectId, action: 'created' }],
    };
  });
  const weekFile = { schemaVersion: 1, week, reports };

  writeFileSync(dbPath, JSON.stringify(db, null, 2));
  const dir = reportsDirOf(dbPath);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${week}.json`), JSON.stringify(weekFile, null, 2));
  return {
    reporters,
    reported: new Set(reportedList.map((r) => r.aadObjectId)),
    byConversation: new Map(reporters.map((r) => [r.conversationId, r.aadObjectId])),
    db,
    weekFile,
  };
}

/**
 * Checks the prepared files against the bot's own zod schemas (compiled to dist/). Throws with the
 * first problems when they do not match, so the fixture never drifts from the bot's schema.
 */
export async function assertFixtureMatchesSchema({ db, weekFile }) {
  const schemaJs = join(root, 'dist', 'src', 'storage', 'schema.js');
  if (!existsSync(schemaJs)) throw new Error(`${schemaJs} is missing: run npm run build first`);
  const { DbSchema, ReportFileSchema } = await import(pathToFileURL(schemaJs).href);
  for (const [name, schema, doc] of [
    ['data file', DbSchema, db],
    ['week file', ReportFileSchema, weekFile],
  ]) {
    const r = schema.safeParse(doc);
    if (!r.success) throw new Error(`the prepared ${name} does not match the bot's schema: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The delivery ledger (<db>.ledger.json, src/storage/ledger-file.ts): { version: 1, occurrences:
// [{ key, kind, due, createdAt, messages?, rows: [{ recipient, conversationId, state, attempts,
// ... }] }], goneNotices }.

/**
 * Reads the ledger. Returns { problems, occurrences, rowsByKey: Map<occurrence key, Map<recipient,
 * row>> }. A missing or unparsable file is a problem, not an exception.
 */
export function readLedger(dbPath) {
  const file = ledgerPathOf(dbPath);
  const problems = [];
  const rowsByKey = new Map();
  let occurrences = [];
  if (!existsSync(file)) problems.push(`${file}: missing`);
  else {
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      if (doc?.version !== 1 || !Array.isArray(doc?.occurrences)) problems.push(`${file}: expected {version:1, occurrences:[...]}, got keys ${JSON.stringify(Object.keys(doc ?? {}))}`);
      else occurrences = doc.occurrences;
    } catch (err) {
      problems.push(`${file}: does not parse as JSON (${err.message})`);
    }
  }
  for (const o of occurrences) {
    const rows = new Map();
    for (const r of o.rows ?? []) {
      if (rows.has(r.recipient)) problems.push(`${file}: occurrence ${o.key} has recipient ${r.recipient} twice`);
      rows.set(r.recipient, r);
    }
    rowsByKey.set(o.key, rows);
  }
  return { file, problems, occurrences, rowsByKey };
}
