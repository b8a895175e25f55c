// The one way the scripts start the bot (crash, load, reminder-crash, e2e, playground, bench):
// the built bot as `npm start` runs it (dist/bundle/start.cjs) as a child process on a data file,
// in local development mode on 127.0.0.1. Also: activity builders, HTTP to the bot and a reader
// of what the store left on disk. Loopback (127.0.0.1) only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectorStub, type ConnectorStubOptions } from '../../test/helpers/connector-stub.js';

/** The project folder (this file is compiled to dist/scripts/lib/). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** What `npm start` runs: the esbuild bundle with its code cache (scripts/build), built by `npm run build`. */
export const mainJs = join(root, 'dist', 'bundle', 'start.cjs');

// ---------------------------------------------------------------------------------------------
// Child processes: every bot started here is killed (SIGKILL) when this process exits, however.

const children = new Set<ChildProcess>();

export function killAllChildren(): void {
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
export function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllChildren);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
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
export function tempDb(prefix = 'mlbot-'): { dir: string; dbPath: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbPath: join(dir, 'db.json'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port the OS says is free right now on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolveP, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolveP(port));
    });
  });
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopResult extends ExitInfo {
  ms: number;
  timedOut: boolean;
}

export interface ProcessControls {
  /** SIGKILL now; resolves when the process is gone. */
  kill(): Promise<ExitInfo>;
  /** Sends `signal`, waits up to graceMs for the exit, SIGKILLs on a timeout. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<StopResult>;
  /** Last-resort synchronous kill (a process 'exit' handler). */
  killNow(): void;
}

export interface BotProcess extends ProcessControls {
  child: ChildProcess;
  pid: number;
  port: number;
  /** ms from the spawn to ready. */
  startMs: number;
  endpoint: string;
  exited: Promise<ExitInfo>;
  closed: Promise<void>;
  readonly exitInfo: ExitInfo | null;
  tail: () => string[];
  /** The first `keep` lines of output. */
  lines: () => string[];
  /** Lines written to stdout and stderr so far. */
  lineCount: () => number;
}

export interface StartBotOptions {
  dbPath: string;
  clock?: string;
  /** Output is appended here. */
  logFile?: string;
  /** LOG_LEVEL (default info). */
  logLevel?: string;
  /** More environment for the bot (wins over the defaults). */
  env?: Record<string, string | undefined>;
  /** A fixed port; default (or 0): a port of the OS's choosing. */
  port?: number;
  timeoutMs?: number;
  /** Echo the bot's output to our stdout (the interactive Playground). */
  echo?: boolean;
  /** Called right after the spawn (a caller may need the process before the bot is ready). */
  onChild?: (child: ChildProcess) => void;
  /** What to run with node: default the bundle `npm start` runs (the benchmark passes its snapshot). */
  script?: string;
  /** Node flags before the script. */
  nodeArgs?: string[];
  /** Keep the first N output lines (BotProcess.lines()). */
  keep?: number;
}

const INFO_OR_LOWER = new Set(['trace', 'debug', 'info']);

/**
 * Starts the bot as `npm start` does (`node dist/bundle/start.cjs`) in local development mode (no
 * BOT_ID: nothing sends tokens; 127.0.0.1) and resolves once it is ready: with a log level of info
 * or lower and no fixed port (none, or 0) it starts on PORT=0 and is ready when its pino log says "listening on
 * http://127.0.0.1:<port>/api/messages"; otherwise (a quiet log level, or a fixed port) on a free or
 * the given port, ready when GET /healthz answers 200. Kills it and throws when it exits first or
 * takes longer than timeoutMs.
 */
export async function startBot(options: StartBotOptions): Promise<BotProcess> {
  const {
    dbPath,
    clock,
    logFile,
    logLevel = 'info',
    env = {},
    timeoutMs = 20000,
    echo = false,
    onChild,
    script = mainJs,
    nodeArgs = [],
    keep = 0,
  } = options;
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  mkdirSync(dirname(resolve(root, dbPath)), { recursive: true });
  // Port 0 (or none): a port of the OS's choosing, learnt from the log or picked free beforehand.
  const wanted = options.port ?? 0;
  const byLog = wanted === 0 && INFO_OR_LOWER.has(logLevel);
  const port = byLog ? 0 : wanted !== 0 ? wanted : await freePort();
  const proc = spawnNode([...nodeArgs, script], {
    env: { ...botEnv({ dbPath, clock, logLevel }), PORT: String(port), ...env },
    logFile,
    echo,
    keep,
  });
  onChild?.(proc.child);
  const actual = byLog
    ? await untilListening(proc, timeoutMs, 'the bot')
    : await untilHealthy(proc, port, timeoutMs, 'the bot');
  return {
    child: proc.child,
    pid: proc.child.pid!,
    port: actual,
    startMs: proc.startMs(),
    endpoint: `http://127.0.0.1:${actual}/api/messages`,
    exited: proc.exited,
    closed: proc.closed,
    get exitInfo() {
      return proc.exitInfo();
    },
    tail: proc.tail,
    lines: proc.lines,
    lineCount: proc.lineCount,
    ...processControls(proc.child, proc.exited, proc.exitInfo),
  };
}

/** The environment of a bot in local development mode (no credentials, 127.0.0.1) on `dbPath`. */
export function botEnv({
  dbPath,
  clock,
  logLevel = 'info',
}: {
  dbPath: string;
  clock?: string;
  logLevel?: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'development',
    TEAMSFX_ENV: process.env.TEAMSFX_ENV || 'local',
    BOT_ID: '',
    BOT_PASSWORD: '',
    BOT_TENANT_ID: '',
    HOST: '',
    DB_PATH: dbPath,
    BOT_CLOCK: clock ?? '',
    LOG_LEVEL: logLevel,
  };
}

const LISTENING = /^listening on http:\/\/127\.0\.0\.1:\d+\/api\/messages$/;
let exitKillHook = false;

export interface NodeProcess {
  child: ChildProcess;
  exited: Promise<ExitInfo>;
  closed: Promise<void>;
  /** The port of a "listening on ..." log record. */
  listening: Promise<number>;
  exitInfo: () => ExitInfo | null;
  startMs: () => number;
  tail: () => string[];
  lines: () => string[];
  lineCount: () => number;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  logFile?: string;
  /** Keep the first N lines (lines()). */
  keep?: number;
  echo?: boolean;
  onLine?: (line: string) => void;
}

/**
 * Spawns `node ...args` (cwd: the project) and follows it: its output is appended to `logFile`, the
 * last 40 lines are kept for error messages and the first `keep` lines for the caller, and the
 * port of a pino "listening on http://127.0.0.1:<port>/api/messages" record resolves `listening`.
 * The child is killed (SIGKILL) when this process exits.
 */
export function spawnNode(
  args: string[],
  { env = {}, logFile, keep = 0, echo = false, onLine }: SpawnOptions = {},
): NodeProcess {
  if (!exitKillHook) {
    exitKillHook = true;
    process.on('exit', killAllChildren);
  }
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const log = logFile
    ? (mkdirSync(dirname(logFile), { recursive: true }), createWriteStream(logFile, { flags: 'a' }))
    : undefined;
  const tail: string[] = [];
  const kept: string[] = [];
  let lines = 0;
  let exitInfo: ExitInfo | null = null;
  const exited = new Promise<ExitInfo>((r) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      children.delete(child);
      r(exitInfo);
    }),
  );
  // 'close' fires once the pipes are drained too; the log stream is ended then.
  const closed = new Promise<void>((r) => child.once('close', () => (log?.end(), r())));
  let onListening: (port: number) => void = () => undefined;
  const listening = new Promise<number>((r) => (onListening = r));
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      if (echo) process.stdout.write(chunk);
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines++;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (kept.length < keep) kept.push(line);
        onLine?.(line);
        if (line.startsWith('{')) {
          try {
            const rec = JSON.parse(line) as { msg?: unknown; port?: unknown };
            if (typeof rec.msg === 'string' && LISTENING.test(rec.msg) && Number.isInteger(rec.port))
              onListening(rec.port as number);
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
export async function untilListening(proc: NodeProcess, timeoutMs: number, label: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      proc.listening,
      proc.exited.then((i) =>
        Promise.reject(
          new Error(`${label} exited at start (code ${i.code}, signal ${i.signal}):\n  ${proc.tail().join('\n  ')}`),
        ),
      ),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () =>
              reject(
                new Error(
                  `${label} did not log "listening on ..." within ${timeoutMs} ms:\n  ${proc.tail().join('\n  ')}`,
                ),
              ),
            timeoutMs,
          )),
      ),
    ]);
  } catch (err) {
    proc.child.kill('SIGKILL');
    await proc.exited;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** GET url; resolves the status code, 0 on a transport error or timeout. */
export function httpStatus(url: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolveP) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolveP(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveP(0));
  });
}

/** `port` once GET /healthz answers 200; kills `proc` and throws when it exits or times out first. */
export async function untilHealthy(proc: NodeProcess, port: number, timeoutMs: number, label: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exitInfo = proc.exitInfo();
    if (exitInfo)
      throw new Error(
        `${label} exited at start (code ${exitInfo.code}, signal ${exitInfo.signal}):\n  ${proc.tail().join('\n  ')}`,
      );
    if ((await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200) return port;
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      await proc.exited;
      throw new Error(`${label} did not answer GET /healthz within ${timeoutMs} ms:\n  ${proc.tail().join('\n  ')}`);
    }
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// The Bot Connector stub (test/helpers/connector-stub.ts): what the bot sends to `serviceUrl`.

export { ConnectorStub };

/** A started Bot Connector stub on 127.0.0.1 (optionally with a delay or Teams' rate limits). */
export function startConnectorStub(options: ConnectorStubOptions = {}): Promise<ConnectorStub> {
  return ConnectorStub.start(options);
}

// ---------------------------------------------------------------------------------------------
// Activities as Teams sends them (the same shape as test/helpers/activities.ts).

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const BOT = { id: '28:bot-id', name: 'Medborgarlöfte' };

let seq = 0;

/** A user with a distinct AAD object id (a GUID) and a personal conversation of their own. */
export interface User {
  id: string;
  name: string;
  aadObjectId: string;
  conversationId: string;
}

export function makeUser(n: number): User {
  const hex = n.toString(16).padStart(12, '0');
  return {
    id: `29:user-${n}`,
    name: `Användare ${n}`,
    aadObjectId: `aaaaaaaa-0000-4000-8000-${hex}`,
    conversationId: `a:personal-${n}`,
  };
}

function base(user: User, serviceUrl: string) {
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

export function message(text: string, user: User, serviceUrl: string) {
  return { ...base(user, serviceUrl), type: 'message', text };
}

export function cardAction(verb: string, data: Record<string, unknown>, user: User, serviceUrl: string) {
  return {
    ...base(user, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

// With BOT_CLOCK=2024-03-14T10:00:00Z (Thursday of 2024-W11) these weeks are open for reports,
// each with a date inside it that is not in the future.
export const BOT_CLOCK = '2024-03-14T10:00:00Z';
export const WEEK_DATES: Record<string, string[]> = {
  '2024-W09': ['2024-02-26', '2024-02-28', '2024-03-01', '2024-03-03'],
  '2024-W10': ['2024-03-04', '2024-03-06', '2024-03-08', '2024-03-10'],
  '2024-W11': ['2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14'],
};

/** The data of a valid report.submit (as the report card sends it). */
export function reportData({
  submissionId = randomUUID(),
  week = '2024-W11',
  date,
  count = 3,
  area = 'Centrum',
}: { submissionId?: string; week?: string; date?: string; count?: number; area?: string } = {}) {
  return {
    submissionId,
    week,
    activityId: 'trafikkontroller',
    count: String(count),
    date: date ?? WEEK_DATES[week]![2]!,
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
export interface PostResult {
  status?: number;
  body?: any;
  text?: string;
  error?: string;
  ms: number;
  totalMs: number;
}

export function postJson(
  url: string,
  activity: unknown,
  { agent, timeoutMs = 15000 }: { agent?: http.Agent; timeoutMs?: number } = {},
): Promise<PostResult> {
  const payload = Buffer.from(JSON.stringify(activity), 'utf8');
  const t0 = process.hrtime.bigint();
  let tSocket: bigint | undefined;
  const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
  return new Promise((resolveP) => {
    let done = false;
    const finish = (r: Omit<PostResult, 'ms' | 'totalMs'>) => {
      if (!done) {
        done = true;
        resolveP({ ...r, ms: since(tSocket ?? t0), totalMs: since(t0) });
      }
    };
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code || err.message }));
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
      },
    );
    req.once('socket', () => (tSocket = process.hrtime.bigint()));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code || err.message }));
    req.end(payload);
  });
}

/** All strings of a card (text, title, value), joined: for matching receipts. */
export function cardText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: any): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
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
export function receiptKind(res: PostResult): 'saved' | 'duplicate' | 'other' {
  if (
    res.status !== 200 ||
    !res.body ||
    res.body.statusCode !== 200 ||
    res.body.type !== 'application/vnd.microsoft.card.adaptive'
  )
    return 'other';
  const text = cardText(res.body.value);
  if (/redan sparad/i.test(text)) return 'duplicate';
  if (/Rapporten är sparad/.test(text)) return 'saved';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// What the store left on disk.

export const reportsDirOf = (dbPath: string): string => dbPath.replace(/\.json$/i, '') + '.reports';
export const auditPathOf = (dbPath: string): string => dbPath.replace(/\.json$/i, '') + '.audit.jsonl';

/**
 * Reads the main data file, every week file (<db>.reports/YYYY-Www.json) and the audit file.
 * Returns { problems (data files), reports: [{ file, report }], weekFiles, tempFiles, auditLines,
 * auditProblems, created: Set of report ids with a report.created audit entry }.
 * Temp files of an interrupted write (.name.tmp) are listed but not problems: the store ignores them.
 * A week's journal (YYYY-Www.jsonl: one report per line, appended since the week file was written)
 * counts as part of its week file: a line replaces the week file's copy of the same report, and a
 * torn last line (a write cut by a kill, never acknowledged) is ignored.
 */
export interface StoredReport {
  file: string;
  report: Record<string, any>;
}

export function readStore(dbPath: string) {
  const problems: string[] = [];
  const reports: StoredReport[] = [];
  const tempFiles: string[] = [];
  if (existsSync(dbPath)) {
    try {
      const db = JSON.parse(readFileSync(dbPath, 'utf8'));
      if (!db || typeof db !== 'object' || Array.isArray(db)) problems.push(`${dbPath}: not a JSON object`);
    } catch (err) {
      problems.push(
        `${dbPath}: does not parse as JSON (${(err as Error).message}); size ${readFileSync(dbPath).length} bytes`,
      );
    }
  } else {
    problems.push(`${dbPath}: missing`);
  }
  const dir = reportsDirOf(dbPath);
  const weekFiles: string[] = [];
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (/^\d{4}-W\d{2}\.jsonl$/.test(name)) continue; // read with its week file below
      if (!/^\d{4}-W\d{2}\.json$/.test(name)) {
        tempFiles.push(name);
        continue;
      }
      weekFiles.push(name);
      let doc: any;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        problems.push(
          `${file}: does not parse as JSON (${(err as Error).message}); size ${readFileSync(file).length} bytes`,
        );
        continue;
      }
      const week = name.slice(0, -'.json'.length);
      if (doc?.schemaVersion !== 1 || doc?.week !== week || !Array.isArray(doc?.reports)) {
        problems.push(
          `${file}: expected {schemaVersion:1, week:'${week}', reports:[...]}, got keys ${JSON.stringify(Object.keys(doc ?? {}))} week ${JSON.stringify(doc?.week)}`,
        );
        continue;
      }
      for (const r of doc.reports) {
        if (r.week !== week) problems.push(`${file}: report ${r.id} has week ${r.week}`);
        reports.push({ file: name, report: r });
      }
    }
    const at = new Map(reports.map((x, i) => [`${x.file} ${x.report.id}`, i]));
    for (const name of readdirSync(dir)
      .filter((n) => /^\d{4}-W\d{2}\.jsonl$/.test(n))
      .sort()) {
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
        let r: any;
        try {
          r = JSON.parse(line);
        } catch (err) {
          problems.push(`${join(dir, name)}: line ${i + 1} does not parse as JSON (${(err as Error).message})`);
          return;
        }
        if (r.week !== week) problems.push(`${join(dir, name)}: report ${r.id} has week ${r.week}`);
        const key = `${week}.json ${r.id}`;
        if (at.has(key)) reports[at.get(key)!] = { file: `${week}.json`, report: r };
        else at.set(key, reports.push({ file: `${week}.json`, report: r }) - 1);
      });
    }
  }
  const audit = auditPathOf(dbPath);
  let auditLines = 0;
  const auditProblems: string[] = [];
  const created = new Set<string>();
  if (existsSync(audit)) {
    const lines = readFileSync(audit, 'utf8').split('\n');
    const last = lines.pop() ?? ''; // '' when the file ends with a newline
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
export function findDuplicates(reports: StoredReport[]): {
  byId: [string, string[]][];
  bySubmission: [string, string[]][];
} {
  const ids = new Map<string, string[]>();
  const subs = new Map<string, string[]>();
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
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function intFromEnv(
  name: string,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Percentile (nearest rank) of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * kill(): SIGKILL now, resolves when the process is gone. stop(signal, graceMs): sends `signal` and
 * waits up to graceMs for the exit; returns { code, signal, ms, timedOut }, SIGKILLing on a timeout.
 */
export function processControls(
  child: ChildProcess,
  exited: Promise<ExitInfo>,
  exitInfoOf: () => ExitInfo | null,
): ProcessControls {
  return {
    async kill() {
      if (!exitInfoOf()) child.kill('SIGKILL');
      return exited;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10000) {
      const t0 = Date.now();
      const done = exitInfoOf();
      if (done) return { ...done, ms: 0, timedOut: false };
      child.kill(signal);
      let t: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => (t = setTimeout(() => r(true), graceMs))),
      ]);
      clearTimeout(t);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
      return { ...exitInfoOf()!, ms: Date.now() - t0, timedOut };
    },
    killNow() {
      if (!exitInfoOf()) {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
  };
}
