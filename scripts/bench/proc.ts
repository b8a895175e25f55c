// Process-level measurements and control for the benchmark: a generic node server child (the bare
// bot), CPU time and resident memory from /proc, and event-loop snapshots from loop-monitor.mjs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { killAllChildren, processControls, root, sleep, spawnNode, untilListening } from '../lib/bot-process.js';

/** A preload passed to node with --import: stays JavaScript (scripts/bench/loop-monitor.mjs). */
export const loopMonitor = join(root, 'scripts', 'bench', 'loop-monitor.mjs');

/** The node flags every measured process runs with (the bot and the bare bot alike). */
export const nodeOptions = (): string => `--import=${loopMonitor}`;

/** Kills every child process the benchmark started (they are also killed when it exits). */
export const killAll = killAllChildren;

/**
 * Starts `node <script>` with `env` (PORT=0) and resolves once it logs a JSON line
 * {"msg":"listening on http://127.0.0.1:<port>/api/messages","port":<port>}.
 */
export async function startNodeServer({
  script,
  env = {},
  nodeArgs = [],
  timeoutMs = 20000,
}: {
  script: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  timeoutMs?: number;
}) {
  const proc = spawnNode([...nodeArgs, script], { env: { PORT: '0', ...env }, keep: 5000 });
  const port = await untilListening(proc, timeoutMs, script);
  return {
    child: proc.child,
    pid: proc.child.pid!,
    port,
    startMs: proc.startMs(),
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    exited: proc.exited,
    tail: proc.tail,
    /** Lines written to stdout and stderr so far. */
    lineCount: proc.lineCount,
    /** The first 5000 lines written. */
    lines: proc.lines,
    ...processControls(proc.child, proc.exited, proc.exitInfo),
  };
}

/**
 * A private copy of dist/ (and package.json, which main.js reads two levels up) under
 * test-results/bench/app/: the run keeps measuring the same build even when dist/ is rebuilt
 * meanwhile. Module resolution still finds the project's node_modules (a parent folder).
 * Returns the folder holding the copy's dist/.
 */
export function snapshotDist(name = 'app'): string {
  const app = join(root, 'test-results', 'bench', name);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  copyFileSync(join(root, 'package.json'), join(app, 'package.json'));
  // The PostgreSQL migrations (SQL, read at start from src/ beside dist/: src/storage/postgres/migrate.ts).
  const migrations = join('src', 'storage', 'postgres', 'migrations');
  cpSync(join(root, migrations), join(app, migrations), { recursive: true });
  return join(app, 'dist');
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
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
export function cpuMsOf(pid: number): number {
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
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, peakMiB: NaN };
  }
}

/**
 * Event-loop snapshots of a process running loop-monitor.mjs: `mark()` sends SIGUSR2 and resolves
 * with the record the process appended to `file` (max/p99 delay since the previous mark, RSS).
 */
/** A record of loop-monitor.mjs. */
export interface LoopRecord {
  maxMs: number;
  p99Ms: number;
  [key: string]: unknown;
}

export function loopProbe(file: string, pid: number) {
  let seen = 0;
  const records = (): LoopRecord[] =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as LoopRecord)
      : [];
  return {
    async mark(timeoutMs = 30000): Promise<LoopRecord> {
      process.kill(pid, 'SIGUSR2');
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const all = records();
        if (all.length > seen) {
          seen = all.length;
          return all[all.length - 1]!;
        }
        await sleep(10);
      }
      throw new Error(`no event-loop snapshot from process ${pid} within ${timeoutMs} ms`);
    },
    /** The record written at exit (after the process is gone). */
    last(): LoopRecord | undefined {
      const all = records();
      return all[all.length - 1];
    },
  };
}

/** CPU time all processes on the machine have used so far (busy jiffies of /proc/stat), in ms. */
export function systemBusyMs(): number {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = f.map(Number);
    const total = n.slice(0, 8).reduce((s, x) => s + x, 0);
    const idle = n[3]! + n[4]!;
    return ((total - idle) * 1000) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/**
 * The file `npm start` runs (package.json scripts.start, "node <file>"), under `base`: the project
 * root or the snapshot made by snapshotDist() (pass the folder holding its dist/).
 */
export function startEntry(base = root): string {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.start ?? '';
  const m = /^node (\S+)$/.exec(start);
  if (!m) throw new Error(`package.json scripts.start is not "node <file>": ${start}`);
  return join(base, m[1]!);
}
