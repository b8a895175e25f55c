// Starts the bot and Microsoft 365 Agents Playground as child processes on loopback, for
// scripts/playground.mjs (interactive) and scripts/e2e.mjs (headless browser test).
// Everything here talks to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const playgroundCli = join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

/** A port the OS says is free right now on 127.0.0.1. */
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

export function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}: expected a port number, got ${JSON.stringify(raw)}`);
  return n;
}

/** True when dist/ is missing or older than a source file (tsc rewrites every output on build). */
export function buildIsStale() {
  const main = join(root, 'dist', 'src', 'main.js');
  if (!existsSync(main) || !existsSync(join(root, 'dist', 'bundle', 'start.cjs'))) return true;
  const built = statSync(main).mtimeMs;
  const newest = (dir) => {
    let max = 0;
    if (!existsSync(dir)) return max;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      max = Math.max(max, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return max;
  };
  return Math.max(newest(join(root, 'src')), statSync(join(root, 'tsconfig.json')).mtimeMs) > built;
}

export function runBuild() {
  return new Promise((resolveP, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveP() : reject(new Error(`npm run build failed with exit code ${code}`))));
  });
}

/** A child process whose output goes to a log file (and optionally to our stdout). */
function startChild(name, args, { env, logFile, echo = false, onLine }) {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolveP) => child.once('exit', (code, signal) => resolveP({ code, signal })));
  let exitInfo = null;
  exited.then((info) => {
    exitInfo = info;
    log.end();
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      log.write(chunk);
      if (echo) process.stdout.write(chunk);
      if (onLine) {
        buf += chunk.toString('utf8');
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      }
    });
  }
  return {
    name,
    child,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    /** SIGTERM (or the given signal), then SIGKILL after graceMs. Resolves when the child is gone. */
    async stop(signal = 'SIGTERM', graceMs = 3000) {
      if (exitInfo) return exitInfo;
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }, graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
    /** Last-resort synchronous kill (process 'exit' handler). */
    killNow() {
      if (!exitInfo) {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
  };
}

function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolveP) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolveP(res.statusCode));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveP(0));
  });
}

/** Polls url until it answers 200, the process exits, or timeoutMs passes. */
async function waitForHttp(url, proc, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc?.exitInfo) throw new Error(`${what} exited before answering (code ${proc.exitInfo.code}, signal ${proc.exitInfo.signal}); see its log`);
    if ((await httpGet(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * The bot in local development mode (no BOT_ID: the Playground sends no tokens) on 127.0.0.1.
 * Resolves once GET /healthz answers 200.
 */
export async function startBot({ port, dbPath, clock, logLevel, logFile, echo = false, timeoutMs = 20000 }) {
  mkdirSync(dirname(resolve(root, dbPath)), { recursive: true });
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    TEAMSFX_ENV: process.env.TEAMSFX_ENV || 'local',
    BOT_ID: '',
    BOT_PASSWORD: '',
    HOST: '',
    PORT: String(port),
    DB_PATH: dbPath,
    BOT_CLOCK: clock ?? '',
    LOG_LEVEL: logLevel || process.env.LOG_LEVEL || 'info',
  };
  // As `npm start` runs it: the esbuild bundle with its code cache.
  const proc = startChild('bot', [join(root, 'dist', 'bundle', 'start.cjs')], { env, logFile, echo });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc, timeoutMs, 'the bot');
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { ...proc, port, endpoint: `http://127.0.0.1:${port}/api/messages` };
}

/**
 * Microsoft 365 Agents Playground against `endpoint`, quiet: no browser, no telemetry, no
 * statsbeat, its log file outside the repo, and bound to 127.0.0.1 (it listens on every interface
 * by itself: see loopback-only.cjs). It falls back to a random port when `port` is taken,
 * so the port it prints ("Listening on N") is the one returned.
 */
export async function startPlayground({ port, endpoint, logFile, toolLogFile, tz, echo = false, timeoutMs = 30000 }) {
  if (!existsSync(playgroundCli)) throw new Error('Microsoft 365 Agents Playground is not installed: run npm install (devDependency @microsoft/m365agentsplayground)');
  const env = {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ disableStatsbeat: true, enableAutoCollectHeartbeat: false }),
    // Otherwise it writes ./devTools/m365agentsplayground.log into the project.
    M365_AGENTS_PLAYGROUND_LOGFILE: toolLogFile,
    // It stamps activities with its own process's time zone (localTimezone, localTimestamp).
    ...(tz ? { TZ: tz } : {}),
  };
  let listening;
  const listeningOn = new Promise((r) => (listening = r));
  const args = ['--require', join(root, 'scripts', 'lib', 'loopback-only.cjs'), playgroundCli, '-e', endpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry', '--service-url', `http://127.0.0.1:${port}/_connector`];
  const proc = startChild('playground', args, {
    env,
    logFile,
    echo,
    onLine: (line) => {
      const m = /Listening on (\d+)/.exec(line);
      if (m) listening(Number(m[1]));
    },
  });
  try {
    const actual = await Promise.race([
      listeningOn,
      proc.exited.then((i) => Promise.reject(new Error(`the Playground exited at start (code ${i.code}); see ${logFile}`))),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`the Playground did not start listening within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    if (actual !== port) {
      // Its mock connector URL (--service-url) names the requested port: replies would go nowhere.
      throw new Error(`port ${port} is taken: the Playground fell back to ${actual}; choose a free PLAYGROUND_PORT`);
    }
    await waitForHttp(`http://127.0.0.1:${port}/`, proc, timeoutMs, 'the Playground');
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { ...proc, port, url: `http://127.0.0.1:${port}/` };
}

/**
 * A loopback HTTP proxy in front of the bot's /api/messages. The Playground 0.2.28 hard-codes
 * locale "en-US" in the activities it sends (message, invoke, installationUpdate), where Teams
 * sends the user's own locale; the bot answers in English for en-*. When `locale` is set, the
 * proxy rewrites activity.locale and the clientInfo entity's locale, as a Swedish Teams client
 * would send them. Every activity (as the Playground sent it) is passed to `onActivity`.
 */
export async function startLocaleProxy({ port, target, locale, onActivity }) {
  const targetUrl = new URL(target);
  const state = { locale };
  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      let activity;
      try {
        activity = JSON.parse(body.toString('utf8'));
      } catch {
        activity = undefined;
      }
      if (activity && typeof activity === 'object') {
        try {
          onActivity?.(structuredClone(activity));
        } catch {
          /* recording must not break the proxy */
        }
        if (state.locale) {
          if (typeof activity.locale === 'string') activity.locale = state.locale;
          for (const e of Array.isArray(activity.entities) ? activity.entities : []) {
            if (e && e.type === 'clientInfo' && typeof e.locale === 'string') e.locale = state.locale;
          }
          body = Buffer.from(JSON.stringify(activity), 'utf8');
        }
      }
      const headers = { ...req.headers, host: targetUrl.host, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const upstream = http.request(
        { host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers, timeout: 30000 },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.once('timeout', () => upstream.destroy(new Error('upstream timeout')));
      upstream.once('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${err.message}`);
      });
      upstream.end(body);
    });
  });
  await new Promise((r, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', r);
  });
  const actual = server.address().port;
  return {
    port: actual,
    endpoint: `http://127.0.0.1:${actual}${targetUrl.pathname}`,
    setLocale(l) {
      state.locale = l;
    },
    close() {
      return new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections?.();
      });
    },
  };
}
