// Shared helpers for scripts/crash-test.mjs and scripts/load-test.mjs: the built bot
// (as `npm start` runs it: dist/bundle/start.cjs) as a child process on a temp data file, a minimal stub of the Bot Connector,
// activity builders and a reader of what the store left on disk. Loopback (127.0.0.1) only.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** What `npm start` runs: the esbuild bundle with its code cache (scripts/build), built by `npm run build`. */
export const mainJs = join(root, 'dist', 'bundle', 'start.cjs');

// ---------------------------------------------------------------------------------------------
// Child processes: every bot started here is killed (SIGKILL) when this process exits, however.

const children = new Set();

export function killAllChildren() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

let exitHooksInstalled = false;
/** Kills every child bot on exit, Ctrl-C, SIGTERM or an uncaught error. Call once per script. */
export function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllChildren);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping the bot child process(es)`);
      killAllChildren();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    console.error('uncaught error:', err);
    killAllChildren();
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('unhandled rejection:', err);
    killAllChildren();
    process.exit(1);
  });
}

/** A fresh temp directory with the path of a data file in it (the file itself is not created). */
export function tempDb(prefix = 'mlbot-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbPath: join(dir, 'db.json'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the bot as `npm start` does (`node dist/bundle/start.cjs`) on PORT=0 in local development mode (no BOT_ID, 127.0.0.1) and
 * resolves once its pino log says "listening on http://127.0.0.1:<port>/api/messages".
 * Output goes to `logFile` (appended); the last lines are kept for error messages.
 */
export async function startBot({ dbPath, clock, logFile, logLevel = 'info', env = {}, timeoutMs = 20000 }) {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run npm run build first`);
  const proc = spawnNode([mainJs], { env: { ...botEnv({ dbPath, clock, logLevel }), PORT: '0', ...env }, logFile });
  const port = await untilListening(proc, timeoutMs, 'the bot');
  return {
    child: proc.child,
    pid: proc.child.pid,
    port,
    startMs: proc.startMs(),
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    exited: proc.exited,
    closed: proc.closed,
    get exitInfo() {
      return proc.exitInfo();
    },
    tail: proc.tail,
    ...processControls(proc.child, proc.exited, proc.exitInfo),
  };
}

/** The environment of a bot in local development mode (no credentials, 127.0.0.1) on `dbPath`. */
export function botEnv({ dbPath, clock, logLevel }) {
  return { NODE_ENV: 'development', TEAMSFX_ENV: 'local', BOT_ID: '', BOT_PASSWORD: '', BOT_TENANT_ID: '', HOST: '', DB_PATH: dbPath, BOT_CLOCK: clock ?? '', LOG_LEVEL: logLevel };
}

const LISTENING = /^listening on http:\/\/127\.0\.0\.1:\d+\/api\/messages$/;
let exitKillHook = false;

/**
 * Spawns `node ...args` (cwd: the project) and follows it: its output is appended to `logFile`, the
 * last 40 lines are kept for error messages and the first `keep` lines for the caller, and the
 * port of a pino "listening on http://127.0.0.1:<port>/api/messages" record resolves `listening`.
 * The child is killed (SIGKILL) when this process exits.
 */
export function spawnNode(args, { env = {}, logFile, keep = 0 } = {}) {
  if (!exitKillHook) {
    exitKillHook = true;
    process.on('exit', killAllChildren);
  }
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const log = logFile ? (mkdirSync(dirname(logFile), { recursive: true }), createWriteStream(logFile, { flags: 'a' })) : undefined;
  const tail = [];
  const kept = [];
  let lines = 0;
  let exitInfo = null;
  const exited = new Promise((r) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      children.delete(child);
      r(exitInfo);
    }),
  );
  // 'close' fires once the pipes are drained too; the log stream is ended then.
  const closed = new Promise((r) => child.once('close', () => (log?.end(), r())));
  let onListening;
  const listening = new Promise((r) => (onListening = r));
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      log?.write(chunk);
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines++;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (kept.length < keep) kept.push(line);
        if (line.startsWith('{')) {
          try {
            const rec = JSON.parse(line);
            if (typeof rec.msg === 'string' && LISTENING.test(rec.msg) && Number.isInteger(rec.port)) onListening(rec.port);
          } catch {
            /* not a log record */
          }
        }
      }
    });
  }
  return {
    child,
    exited,
    closed,
    listening,
    exitInfo: () => exitInfo,
    startMs: () => Date.now() - started,
    tail: () => tail.slice(),
    lines: () => kept.slice(),
    lineCount: () => lines,
  };
}

/** The port once `proc` logs "listening on ..."; kills it and throws when it exits or times out first. */
export async function untilListening(proc, timeoutMs, label) {
  let timer;
  try {
    return await Promise.race([
      proc.listening,
      proc.exited.then((i) => Promise.reject(new Error(`${label} exited at start (code ${i.code}, signal ${i.signal}):\n  ${proc.tail().join('\n  ')}`))),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${label} did not log "listening on ..." within ${timeoutMs} ms:\n  ${proc.tail().join('\n  ')}`)), timeoutMs))),
    ]);
  } catch (err) {
    proc.child.kill('SIGKILL');
    await proc.exited;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// A minimal Bot Connector stub: what the bot sends to `serviceUrl` (/v3/conversations/...).

export async function startConnectorStub() {
  const posted = [];
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const m = /\/v3\/conversations\/([^/?]+)/.exec(path);
      let body = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { unparsable: true };
      }
      if (req.method === 'POST' && /\/activities/.test(path)) {
        posted.push({ path, conversationId: m ? decodeURIComponent(m[1]) : '', replyToId: /\/activities\/([^/?]+)/.exec(path)?.[1], body, at: Date.now() });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: req.method === 'POST' && /\/v3\/conversations\/?$/.test(path) ? `conv-${nextId++}` : `act-${nextId++}` }));
    });
  });
  await new Promise((r, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', r);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    posted,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Activities as Teams sends them (the same shape as test/helpers/activities.ts).

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const BOT = { id: '28:bot-id', name: 'Medborgarlöfte' };

let seq = 0;

/** A user with a distinct AAD object id (a GUID) and a personal conversation of their own. */
export function makeUser(n) {
  const hex = n.toString(16).padStart(12, '0');
  return { id: `29:user-${n}`, name: `Användare ${n}`, aadObjectId: `aaaaaaaa-0000-4000-8000-${hex}`, conversationId: `a:personal-${n}` };
}

function base(user, serviceUrl) {
  return {
    id: `act-in-${process.pid}-${++seq}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'sv-SE',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: { id: user.conversationId, conversationType: 'personal', tenantId: TENANT, isGroup: false },
    channelData: { tenant: { id: TENANT } },
  };
}

export function message(text, user, serviceUrl) {
  return { ...base(user, serviceUrl), type: 'message', text };
}

export function cardAction(verb, data, user, serviceUrl) {
  return { ...base(user, serviceUrl), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } };
}

// With BOT_CLOCK=2024-03-14T10:00:00Z (Thursday of 2024-W11) these weeks are open for reports,
// each with a date inside it that is not in the future.
export const BOT_CLOCK = '2024-03-14T10:00:00Z';
export const WEEK_DATES = {
  '2024-W09': ['2024-02-26', '2024-02-28', '2024-03-01', '2024-03-03'],
  '2024-W10': ['2024-03-04', '2024-03-06', '2024-03-08', '2024-03-10'],
  '2024-W11': ['2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14'],
};

/** The data of a valid report.submit (as the report card sends it). */
export function reportData({ submissionId = randomUUID(), week = '2024-W11', date, count = 3, area = 'Centrum' } = {}) {
  return {
    submissionId,
    week,
    activityId: 'trafikkontroller',
    count: String(count),
    date: date ?? WEEK_DATES[week][2],
    area,
    description: `${count} trafikkontroller vid infarten`,
    ageUnder18: '',
    age18to21: '',
    ageOver21: '',
    raiseAtNextMeeting: 'false',
    party: 'Polisen',
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP to the bot.

/**
 * POSTs `activity` as JSON. Resolves { status, body, text, ms, totalMs } or { error, ms, totalMs }
 * (a transport error: refused, reset, timeout); never rejects. `ms` runs from the moment the request
 * has a socket (the HTTP latency), `totalMs` from the call (including a wait for a free socket of
 * the agent).
 */
export function postJson(url, activity, { agent, timeoutMs = 15000 } = {}) {
  const payload = Buffer.from(JSON.stringify(activity), 'utf8');
  const t0 = process.hrtime.bigint();
  let tSocket;
  const since = (t) => Number(process.hrtime.bigint() - t) / 1e6;
  return new Promise((resolveP) => {
    let done = false;
    const finish = (r) => {
      if (!done) {
        done = true;
        resolveP({ ...r, ms: since(tSocket ?? t0), totalMs: since(t0) });
      }
    };
    const req = http.request(url, { method: 'POST', agent, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => finish({ error: err.code || err.message }));
      res.on('aborted', () => finish({ error: 'response aborted' }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        finish({ status: res.statusCode, body, text });
      });
    });
    req.once('socket', () => (tSocket = process.hrtime.bigint()));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => finish({ error: err.code || err.message }));
    req.end(payload);
  });
}

/** All strings of a card (text, title, value), joined: for matching receipts. */
export function cardText(node) {
  const out = [];
  const walk = (n) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      for (const key of ['text', 'title', 'value']) if (typeof n[key] === 'string') out.push(n[key]);
      for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
    }
  };
  walk(node);
  return out.join('\n');
}

/**
 * The kind of answer to a report.submit invoke: 'saved' (a 200 receipt "Rapporten är sparad"),
 * 'duplicate' (a 200 receipt for a submission already stored: "redan sparad"), or 'other'.
 */
export function receiptKind(res) {
  if (res.status !== 200 || !res.body || res.body.statusCode !== 200 || res.body.type !== 'application/vnd.microsoft.card.adaptive') return 'other';
  const text = cardText(res.body.value);
  if (/redan sparad/i.test(text)) return 'duplicate';
  if (/Rapporten är sparad/.test(text)) return 'saved';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// What the store left on disk.

export const reportsDirOf = (dbPath) => dbPath.replace(/\.json$/i, '') + '.reports';
export const auditPathOf = (dbPath) => dbPath.replace(/\.json$/i, '') + '.audit.jsonl';

/**
 * Reads the main data file, every week file (<db>.reports/YYYY-Www.json) and the audit file.
 * Returns { problems (data files), reports: [{ file, report }], weekFiles, tempFiles, auditLines,
 * auditProblems, created: Set of report ids with a report.created audit entry }.
 * Temp files of an interrupted write (.name.tmp) are listed but not problems: the store ignores them.
 * A week's journal (YYYY-Www.jsonl: one report per line, appended since the week file was written)
 * counts as part of its week file: a line replaces the week file's copy of the same report, and a
 * torn last line (a write cut by a kill, never acknowledged) is ignored.
 */
export function readStore(dbPath) {
  const problems = [];
  const reports = [];
  const tempFiles = [];
  if (existsSync(dbPath)) {
    try {
      const db = JSON.parse(readFileSync(dbPath, 'utf8'));
      if (!db || typeof db !== 'object' || Array.isArray(db)) problems.push(`${dbPath}: not a JSON object`);
    } catch (err) {
      problems.push(`${dbPath}: does not parse as JSON (${err.message}); size ${readFileSync(dbPath).length} bytes`);
    }
  } else {
    problems.push(`${dbPath}: missing`);
  }
  const dir = reportsDirOf(dbPath);
  const weekFiles = [];
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (/^\d{4}-W\d{2}\.jsonl$/.test(name)) continue; // read with its week file below
      if (!/^\d{4}-W\d{2}\.json$/.test(name)) {
        tempFiles.push(name);
        continue;
      }
      weekFiles.push(name);
      let doc;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        problems.push(`${file}: does not parse as JSON (${err.message}); size ${readFileSync(file).length} bytes`);
        continue;
      }
      const week = name.slice(0, -'.json'.length);
      if (doc?.schemaVersion !== 1 || doc?.week !== week || !Array.isArray(doc?.reports)) {
        problems.push(`${file}: expected {schemaVersion:1, week:'${week}', reports:[...]}, got keys ${JSON.stringify(Object.keys(doc ?? {}))} week ${JSON.stringify(doc?.week)}`);
        continue;
      }
      for (const r of doc.reports) {
        if (r.week !== week) problems.push(`${file}: report ${r.id} has week ${r.week}`);
        reports.push({ file: name, report: r });
      }
    }
    const at = new Map(reports.map((x, i) => [`${x.file} ${x.report.id}`, i]));
    for (const name of readdirSync(dir).filter((n) => /^\d{4}-W\d{2}\.jsonl$/.test(n)).sort()) {
      const week = name.slice(0, -'.jsonl'.length);
      const lines = readFileSync(join(dir, name), 'utf8').split('\n');
      const tail = lines.pop();
      if (tail) {
        try {
          lines.push(JSON.stringify(JSON.parse(tail)));
        } catch {
          // torn by the kill: never acknowledged
        }
      }
      if (!weekFiles.includes(`${week}.json`)) weekFiles.push(`${week}.json`);
      lines.forEach((line, i) => {
        if (!line) return;
        let r;
        try {
          r = JSON.parse(line);
        } catch (err) {
          problems.push(`${join(dir, name)}: line ${i + 1} does not parse as JSON (${err.message})`);
          return;
        }
        if (r.week !== week) problems.push(`${join(dir, name)}: report ${r.id} has week ${r.week}`);
        const key = `${week}.json ${r.id}`;
        if (at.has(key)) reports[at.get(key)] = { file: `${week}.json`, report: r };
        else at.set(key, reports.push({ file: `${week}.json`, report: r }) - 1);
      });
    }
  }
  const audit = auditPathOf(dbPath);
  let auditLines = 0;
  const auditProblems = [];
  const created = new Set();
  if (existsSync(audit)) {
    const lines = readFileSync(audit, 'utf8').split('\n');
    const last = lines.pop(); // '' when the file ends with a newline
    if (last !== '') auditProblems.push(`${audit}: the last line is incomplete (${JSON.stringify(last.slice(0, 80))})`);
    lines.forEach((line, i) => {
      auditLines++;
      try {
        const e = JSON.parse(line);
        if (e.action === 'report.created') created.add(e.objectId);
      } catch {
        auditProblems.push(`${audit}: line ${i + 1} does not parse as JSON (${JSON.stringify(line.slice(0, 80))})`);
      }
    });
  }
  return { problems, reports, weekFiles, tempFiles, auditLines, auditProblems, created };
}

/**
 * Duplicates among stored reports: ids or submission ids seen more than once (with the files).
 * Returns { byId: [[id, files]], bySubmission: [[submissionId, files]] }.
 */
export function findDuplicates(reports) {
  const ids = new Map();
  const subs = new Map();
  for (const { file, report } of reports) {
    ids.set(report.id, [...(ids.get(report.id) ?? []), file]);
    subs.set(report.submissionId, [...(subs.get(report.submissionId) ?? []), file]);
  }
  return {
    byId: [...ids].filter(([, f]) => f.length > 1),
    bySubmission: [...subs].filter(([, f]) => f.length > 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Small things.

/** A seeded PRNG (mulberry32): the random choices of a run can be replayed with the same seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function intFromEnv(name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Percentile (nearest rank) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * kill(): SIGKILL now, resolves when the process is gone. stop(signal, graceMs): sends `signal` and
 * waits up to graceMs for the exit; returns { code, signal, ms, timedOut }, SIGKILLing on a timeout.
 */
export function processControls(child, exited, exitInfoOf) {
  return {
    async kill() {
      if (!exitInfoOf()) child.kill('SIGKILL');
      return exited;
    },
    async stop(signal = 'SIGTERM', graceMs = 10000) {
      const t0 = Date.now();
      const done = exitInfoOf();
      if (done) return { ...done, ms: 0, timedOut: false };
      child.kill(signal);
      let t;
      const timedOut = await Promise.race([exited.then(() => false), new Promise((r) => (t = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(t);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
      return { ...exitInfoOf(), ms: Date.now() - t0, timedOut };
    },
  };
}
