// Microsoft 365 Agents Playground as a child process on loopback, and a locale-rewriting proxy in
// front of the bot, for scripts/playground.ts (interactive) and scripts/e2e.ts (headless browser
// test); the bot itself is started by startBot (bot-process.ts). Everything here talks to
// 127.0.0.1 only.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { httpStatus, processControls, root, spawnNode, type ExitInfo, type ProcessControls } from './bot-process.js';

export { freePort, root, startBot } from './bot-process.js';

const playgroundCli = join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name}: expected a port number, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * Microsoft 365 Agents Playground against `endpoint`, quiet: no browser, no telemetry, no
 * statsbeat, its log file outside the repo, and bound to 127.0.0.1 (it listens on every interface
 * by itself: see loopback-only.cjs). It falls back to a random port when `port` is taken,
 * so the port it prints ("Listening on N") is the one returned.
 */
export interface PlaygroundProcess extends ProcessControls {
  port: number;
  url: string;
  exited: Promise<ExitInfo>;
  readonly exitInfo: ExitInfo | null;
}

export async function startPlayground({
  port,
  endpoint,
  logFile,
  toolLogFile,
  tz,
  echo = false,
  timeoutMs = 30000,
}: {
  port: number;
  endpoint: string;
  logFile: string;
  toolLogFile: string;
  tz?: string;
  echo?: boolean;
  timeoutMs?: number;
}): Promise<PlaygroundProcess> {
  if (!existsSync(playgroundCli))
    throw new Error(
      'Microsoft 365 Agents Playground is not installed: run npm install (devDependency @microsoft/m365agentsplayground)',
    );
  const env = {
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({
      disableStatsbeat: true,
      enableAutoCollectHeartbeat: false,
    }),
    // Otherwise it writes ./devTools/m365agentsplayground.log into the project.
    M365_AGENTS_PLAYGROUND_LOGFILE: toolLogFile,
    // It stamps activities with its own process's time zone (localTimezone, localTimestamp).
    ...(tz ? { TZ: tz } : {}),
  };
  let listening: (port: number) => void = () => undefined;
  const listeningOn = new Promise<number>((r) => (listening = r));
  const args = [
    '--require',
    join(root, 'scripts', 'lib', 'loopback-only.cjs'),
    playgroundCli,
    '-e',
    endpoint,
    '-c',
    'msteams',
    '-p',
    String(port),
    '--disable-telemetry',
    '--service-url',
    `http://127.0.0.1:${port}/_connector`,
  ];
  const proc = spawnNode(args, {
    env,
    logFile,
    echo,
    onLine: (line) => {
      const m = /Listening on (\d+)/.exec(line);
      if (m) listening(Number(m[1]));
    },
  });
  const controls = processControls(proc.child, proc.exited, proc.exitInfo);
  let timer: NodeJS.Timeout | undefined;
  try {
    const actual = await Promise.race([
      listeningOn,
      proc.exited.then((i) =>
        Promise.reject(new Error(`the Playground exited at start (code ${i.code}); see ${logFile}`)),
      ),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`the Playground did not start listening within ${timeoutMs} ms`)),
            timeoutMs,
          )),
      ),
    ]);
    if (actual !== port) {
      // Its mock connector URL (--service-url) names the requested port: replies would go nowhere.
      throw new Error(`port ${port} is taken: the Playground fell back to ${actual}; choose a free PLAYGROUND_PORT`);
    }
    const deadline = Date.now() + timeoutMs;
    while ((await httpStatus(`http://127.0.0.1:${port}/`, 2000)) !== 200) {
      if (proc.exitInfo())
        throw new Error(`the Playground exited before answering (code ${proc.exitInfo()!.code}); see ${logFile}`);
      if (Date.now() > deadline)
        throw new Error(`the Playground did not answer http://127.0.0.1:${port}/ within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  } catch (err) {
    await controls.stop('SIGTERM', 3000);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    ...controls,
    port,
    url: `http://127.0.0.1:${port}/`,
    exited: proc.exited,
    get exitInfo() {
      return proc.exitInfo();
    },
  };
}

/**
 * A loopback HTTP proxy in front of the bot's /api/messages. The Playground 0.2.28 hard-codes
 * locale "en-US" in the activities it sends (message, invoke, installationUpdate), where Teams
 * sends the user's own locale; the bot answers in English for en-*. When `locale` is set, the
 * proxy rewrites activity.locale and the clientInfo entity's locale, as a Swedish Teams client
 * would send them. Every activity (as the Playground sent it) is passed to `onActivity`.
 */
export interface LocaleProxy {
  port: number;
  endpoint: string;
  setLocale(locale: string | undefined): void;
  close(): Promise<void>;
}

export async function startLocaleProxy({
  port,
  target,
  locale,
  onActivity,
}: {
  port: number;
  target: string;
  locale?: string;
  onActivity?: (activity: any) => void;
}): Promise<LocaleProxy> {
  const targetUrl = new URL(target);
  const state: { locale?: string } = { locale };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      let activity: any;
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
      const headers: http.OutgoingHttpHeaders = {
        ...req.headers,
        host: targetUrl.host,
        'content-length': String(body.length),
      };
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
  await new Promise<void>((r, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', r);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    endpoint: `http://127.0.0.1:${actual}${targetUrl.pathname}`,
    setLocale(l) {
      state.locale = l;
    },
    close() {
      return new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}
