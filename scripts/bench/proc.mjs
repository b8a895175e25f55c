// Process-level measurements and control for the benchmark: a generic node server child (the bare
// bot), CPU time and resident memory from /proc, and event-loop snapshots from loop-monitor.mjs.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root, sleep } from '../lib/bot-process.mjs';

export const loopMonitor = join(dirname(fileURLToPath(import.meta.url)), 'loop-monitor.mjs');

/** The node flags every measured process runs with (the bot and the bare bot alike). */
export const nodeOptions = () => `--import=${loopMonitor}`;

const children = new Set();
export function killAll() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}
process.on('exit', killAll);

/**
 * Starts `node <script>` with `env` (PORT=0) and resolves once it logs a JSON line
 * {"msg":"listening on http://127.0.0.1:<port>/api/messages","port":<port>}.
 */
export async function startNodeServer({ script, env = {}, nodeArgs = [], timeoutMs = 20000 }) {
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: root, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const tail = [];
  const kept = []; // every line, up to 5000
  let lines = 0;
  let exitInfo = null;
  const exited = new Promise((r) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      children.delete(child);
      r(exitInfo);
    }),
  );
  let onListening;
  const listening = new Promise((r) => (onListening = r));
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        tail.push(line);
        if (kept.length < 5000) kept.push(line);
        lines++;
        if (tail.length > 40) tail.shift();
        try {
          const rec = JSON.parse(line);
          if (/^listening on http:\/\/127\.0\.0\.1:\d+\/api\/messages$/.test(rec.msg ?? '') && Number.isInteger(rec.port)) onListening(rec.port);
        } catch {
          /* not a log record */
        }
      }
    });
  }
  let timer;
  let port;
  try {
    port = await Promise.race([
      listening,
      exited.then((i) => Promise.reject(new Error(`${script} exited at start (code ${i.code}):\n  ${tail.join('\n  ')}`))),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    child,
    pid: child.pid,
    port,
    startMs: Date.now() - started,
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    exited,
    tail: () => tail.slice(),
    /** Lines written to stdout and stderr so far. */
    lineCount: () => lines,
    /** The first 5000 lines written. */
    lines: () => kept.slice(),
    async kill() {
      if (!exitInfo) child.kill('SIGKILL');
      return exited;
    },
    async stop(signal = 'SIGTERM', graceMs = 10000) {
      if (exitInfo) return { ...exitInfo, timedOut: false, ms: 0 };
      const t0 = Date.now();
      child.kill(signal);
      let t;
      const timedOut = await Promise.race([exited.then(() => false), new Promise((r) => (t = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(t);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
      return { ...exitInfo, timedOut, ms: Date.now() - t0 };
    },
  };
}

/**
 * A private copy of dist/ (and package.json, which main.js reads two levels up) under
 * test-results/bench/app/: the run keeps measuring the same build even when dist/ is rebuilt
 * meanwhile. Module resolution still finds the project's node_modules (a parent folder).
 * Returns the folder holding the copy's dist/.
 */
export function snapshotDist(name = 'app') {
  const app = join(root, 'test-results', 'bench', name);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  copyFileSync(join(root, 'package.json'), join(app, 'package.json'));
  return join(app, 'dist');
}

let clockTicks;
function ticksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat). */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** VmRSS and VmHWM (peak) of a process in MiB, from /proc/<pid>/status. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, peakMiB: NaN };
  }
}

/**
 * Event-loop snapshots of a process running loop-monitor.mjs: `mark()` sends SIGUSR2 and resolves
 * with the record the process appended to `file` (max/p99 delay since the previous mark, RSS).
 */
export function loopProbe(file, pid) {
  let seen = 0;
  const records = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return {
    async mark(timeoutMs = 30000) {
      process.kill(pid, 'SIGUSR2');
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const all = records();
        if (all.length > seen) {
          seen = all.length;
          return all[all.length - 1];
        }
        await sleep(10);
      }
      throw new Error(`no event-loop snapshot from process ${pid} within ${timeoutMs} ms`);
    },
    /** The record written at exit (after the process is gone). */
    last() {
      const all = records();
      return all[all.length - 1];
    },
  };
}

/** CPU time all processes on the machine have used so far (busy jiffies of /proc/stat), in ms. */
export function systemBusyMs() {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = f.map(Number);
    const total = n.slice(0, 8).reduce((s, x) => s + x, 0);
    const idle = n[3] + n[4];
    return ((total - idle) * 1000) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/**
 * The file `npm start` runs (package.json scripts.start, "node <file>"), under `base`: the project
 * root or the snapshot made by snapshotDist() (pass the folder holding its dist/).
 */
export function startEntry(base = root) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.start ?? '';
  const m = /^node (\S+)$/.exec(start);
  if (!m) throw new Error(`package.json scripts.start is not "node <file>": ${start}`);
  return join(base, m[1]);
}
