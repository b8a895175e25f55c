#!/usr/bin/env node
// npm run playground: the bot plus Microsoft 365 Agents Playground (a Teams-like web chat with
// personal chat, group chat and a team with channels), offline, on 127.0.0.1. Ctrl-C stops both.
//
// npm run playground:demo (--demo): the same on fresh demo data in data/playground-demo/, the clock
// inside the demo period, the Playground's user a coordinator, and printed instructions of what to
// try (scripts/lib/playground-demo.ts).
//
// Environment:
//   PORT               the bot's port (default 3978)
//   PLAYGROUND_PORT    the Playground's port (default 56150); the UI is http://127.0.0.1:<port>/
//   DB_PATH            the bot's store (default data/playground/db.json, apart from data/db.json)
//   BOT_CLOCK          passed to the bot, e.g. 2024-03-14T09:00:00+01:00 (inside the Tranås period)
//   LOG_LEVEL          passed to the bot
//   PLAYGROUND_LOCALE  the locale the bot sees (default sv-SE; "off" = the Playground's own en-US)
//   PLAYGROUND_ROLE    with --demo: "reporter" makes the Playground's user a plain rapportör
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  portFromEnv,
  root,
  startBot,
  startLocaleProxy,
  startPlayground,
  type LocaleProxy,
  type PlaygroundProcess,
} from './lib/stack.js';
import type { BotProcess } from './lib/bot-process.js';
import {
  demoInstructions,
  preparePlaygroundDemo,
  PLAYGROUND_DEMO_CLOCK,
  type PlaygroundDemo,
} from './lib/playground-demo.js';

const botPort = portFromEnv('PORT', 3978);
const playgroundPort = portFromEnv('PLAYGROUND_PORT', 56150);
const demoMode = process.argv.includes('--demo');
let dbPath = process.env.DB_PATH && process.env.DB_PATH.trim() !== '' ? process.env.DB_PATH : 'data/playground/db.json';
let clock = process.env.BOT_CLOCK && process.env.BOT_CLOCK.trim() !== '' ? process.env.BOT_CLOCK : undefined;
const localeSetting = (process.env.PLAYGROUND_LOCALE ?? 'sv-SE').trim();
const locale = ['', 'off', 'none', 'en-us'].includes(localeSetting.toLowerCase()) ? undefined : localeSetting;
const logDir = join(root, 'data', 'playground');
mkdirSync(logDir, { recursive: true });

let bot: BotProcess | undefined;
let playground: PlaygroundProcess | undefined;
let proxy: LocaleProxy | undefined;
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the Playground and the bot…');
  await Promise.allSettled([playground?.stop('SIGTERM'), bot?.stop('SIGINT'), proxy?.close()]);
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
process.on('exit', () => {
  playground?.killNow();
  bot?.killNow();
});

let demo: PlaygroundDemo | undefined;
try {
  if (demoMode) {
    demo = await preparePlaygroundDemo({
      root,
      clock: clock ?? PLAYGROUND_DEMO_CLOCK,
      role: process.env.PLAYGROUND_ROLE?.trim().toLowerCase() === 'reporter' ? 'reporter' : 'coordinator',
    });
    dbPath = demo.dbPath;
    clock = demo.clock;
    // The bot and the Playground inherit this process's environment (scripts/lib/bot-process.ts).
    Object.assign(process.env, demo.env);
  }
  bot = await startBot({
    port: botPort,
    dbPath,
    clock,
    logFile: join(logDir, 'bot.log'),
    logLevel: process.env.LOG_LEVEL || 'info',
    echo: true,
  });
  let endpoint = bot.endpoint;
  if (locale) {
    const started = await startLocaleProxy({ port: 0, target: bot.endpoint, locale });
    proxy = started;
    endpoint = started.endpoint;
  }
  playground = await startPlayground({
    port: playgroundPort,
    endpoint,
    logFile: join(logDir, 'playground.log'),
    toolLogFile: join(logDir, 'm365agentsplayground.log'),
  });
  for (const [name, p] of [
    ['bot', bot],
    ['Playground', playground],
  ] as const) {
    void p.exited.then((info) => {
      if (stopping) return;
      console.error(
        `\nThe ${name} stopped by itself (code ${info.code}, signal ${info.signal}); see data/playground/${name.toLowerCase()}.log`,
      );
      void stopAll(1);
    });
  }
  console.log('');
  console.log(
    `Bot:        ${bot.endpoint} (local development mode, store ${dbPath}${clock ? `, clock from ${clock}` : ''})`,
  );
  console.log(
    locale
      ? `Locale:     the Playground always sends en-US; a proxy on 127.0.0.1:${proxy!.port} rewrites it to ${locale} (PLAYGROUND_LOCALE=off to keep en-US)`
      : 'Locale:     en-US, as the Playground sends it: the bot answers in English',
  );
  console.log(`Playground: logs in data/playground/`);
  console.log('');
  if (demo) console.log(`${demoInstructions(demo, playground.url)}\n`);
  console.log(`Open ${playground.url} in a browser. Ctrl-C stops both.`);
} catch (err) {
  console.error(`playground: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll(1);
}
