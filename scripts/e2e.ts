#!/usr/bin/env node
// npm run test:e2e: the bot and Microsoft 365 Agents Playground on loopback, driven headless with
// Debian's chromium through playwright-core, as a person would use it: open the chat, read the
// welcome card, type commands, press a card button, fill in and send the weekly report (refused for
// a personnummer, then saved), ask about it, open a team channel and @mention the bot there: help,
// "koppla kanal" (the Playground user is a coordinator), a report sent from the channel, and the
// status card with the linked channel and the new count; then, in the channel, a follow-up meeting
// with its calendar invitation (.ics through a signed link, parsed back), its decisions, and the
// digest of a second meeting (saved after its digest time) that shows them at the next tick.
//
// Before the bot starts, the demo data generator (src/cli/demo.ts) fills the run's temp
// database with synthetic [Demo] reports for 2023-01-01..DEMO_UNTIL. Every figure the run asserts
// (status, answers) is recomputed by this script from the stored week files (<db>.reports/<week>.json),
// never hard-coded, and after each report the files are checked to hold exactly what was filed.
// Screenshots of every step go to test-results/e2e/. Last line: "e2e: N passed, M failed".
//
// Coordinator: the Playground's built-in user has aadObjectId 00000000-0000-0000-0000-0000000000020,
// which is not a GUID (13 hex digits at the end), so COORDINATOR_IDS (GUIDs only) cannot name it.
// The run therefore gives the Playground a config file (M365_AGENTS_PLAYGROUND_CONFIG_PATH, its
// documented .m365agentsplayground.yml format) whose current user has a real GUID, and starts the
// bot with COORDINATOR_IDS set to that GUID.
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), E2E_TIMEOUT_MS (default 300000),
// E2E_UPDATE_SCREENSHOTS=1 also copies the README screenshots to docs/screenshots/.
// Needs a build (npm run test:e2e builds first).
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { generateDemo } from '../src/cli/demo.js';
import { followUpSv } from '../src/texts/follow-up.js';
import { planningSv } from '../src/texts/planning.js';
import ICAL from 'ical.js';
import { followUpReportSv } from '../src/texts/follow-up-report.js';
import { playgroundConfig } from './lib/playground-config.js';
import type { BotProcess } from './lib/bot-process.js';
import {
  freePort,
  root,
  startBot,
  startLocaleProxy,
  startPlayground,
  type LocaleProxy,
  type PlaygroundProcess,
} from './lib/stack.js';

const CLOCK = '2024-03-14T09:00:00+01:00';
/** The rows of the week card step (issue #16): counted reports added before the channel steps. */
const WEEK_ROWS = 3;
const LOCALE = 'sv-SE';
const TODAY = '2024-03-14';
// The demo data runs to the day before TODAY; the generator writes into the run's temp database.
const DEMO_UNTIL = '2024-03-13';
const AGREEMENT_ID = 'tranas-2023-2024';
const PERIOD_START = '2023-01-01';
const TRAFFIC_TARGET = 30; // trafikkontroller: minst 30 per år (the Tranås agreement)
// The Playground's current user (see the header comment), a coordinator of the bot.
const COORDINATOR_AAD_ID = '00000000-0000-0000-0000-000000000020';
// A second coordinator, of Kommunen, who approves the follow-up by a direct HTTP activity (the
// Playground has one current user); the Playground user coordinates for Polisen.
const KOMMUN_COORDINATOR_AAD_ID = 'cccccccc-0000-4000-8000-00000000e2e2';
// The meeting digest waits for the scheduler's next minute: up to 100 s of the total.
const TOTAL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 300_000);
const WAIT_MS = 15_000;
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const outDir = join(root, 'test-results', 'e2e');
const docsDir = join(root, 'docs', 'screenshots');

const sel = {
  // Microsoft's Adaptive Cards renderer
  card: '.ac-adaptiveCard',
  // The Playground's compose boxes are Lexical editors (type with the keyboard)
  compose: '[data-lexical-editor="true"][role="textbox"]',
  // The @mention picker of the channel compose box
  mentionMenu: '#typeahead-menu [role="menuitem"]',
};

const started = Date.now();
interface StepResult {
  name: string;
  ok: boolean;
  ms?: number;
  error?: string;
}
/** An activity as the Playground sent it, with `at`: ms since the start of the run. */
type SentActivity = Record<string, any> & { at: number };

const results: StepResult[] = [];
const activities: SentActivity[] = [];
let bot: BotProcess | undefined;
let playground: PlaygroundProcess | undefined;
let proxy: LocaleProxy | undefined;
let browser: Browser | undefined;
let page: Page;
let currentStep: string | null = null;
let finished = false;
let tmp: string | undefined;
/** The figures of the stored week files right after the demo data was generated (storedFigures()). */
let demo: ReturnType<typeof storedFigures>;

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const log = (msg: string): void => console.log(`[e2e ${secs(Date.now() - started).padStart(7)}] ${msg}`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const within = (promise: Promise<unknown> | undefined, ms: number): Promise<unknown> =>
  Promise.race([promise, new Promise((r) => setTimeout(r, ms).unref())]);

async function cleanup() {
  await within(
    browser?.close().catch(() => undefined),
    5000,
  );
  await Promise.allSettled([playground?.stop('SIGTERM', 3000), bot?.stop('SIGTERM', 3000), proxy?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

function summaryAndExit(extraFailed = 0) {
  if (finished) return;
  finished = true;
  const passed = results.filter((r) => r.ok).length;
  const failed = results.filter((r) => !r.ok).length + extraFailed;
  writeFileSync(
    join(outDir, 'results.json'),
    JSON.stringify({ passed, failed, durationMs: Date.now() - started, results }, null, 2),
  );
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

// Last resort: never leave children behind, even on an uncaught error.
process.on('exit', () => {
  playground?.killNow();
  bot?.killNow();
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    void cleanup().finally(() => summaryAndExit(1));
  });
}
const abortTimer = setTimeout(() => {
  log(`ABORT: the run took longer than ${secs(TOTAL_TIMEOUT_MS)}${currentStep ? ` (in step "${currentStep}")` : ''}`);
  if (currentStep) results.push({ name: currentStep, ok: false, error: 'aborted: whole-run timeout' });
  void within(cleanup(), 10_000).finally(() => summaryAndExit(currentStep ? 0 : 1));
}, TOTAL_TIMEOUT_MS);
abortTimer.unref();

let shotNo = 0;
const shots: Record<string, string> = {};
async function screenshot(name: string): Promise<string | undefined> {
  if (!page) return undefined;
  const file = join(outDir, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
  shots[name] = file;
  await page
    .screenshot({ path: file, timeout: 10_000 })
    .catch((e: Error) => log(`screenshot ${name} failed: ${e.message}`));
  return file;
}

async function step(name: string, slug: string, fn: () => Promise<void>): Promise<void> {
  currentStep = name;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    log(`PASS ${name} (${secs(Date.now() - t0)})`);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    results.push({ name, ok: false, ms: Date.now() - t0, error: message });
    log(`FAIL ${name}: ${message}`);
  } finally {
    currentStep = null;
    await screenshot(slug);
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Polls fn() until it returns a truthy value, or throws after timeoutMs with what() as reason. */
async function waitUntil<T>(fn: () => Promise<T> | T, what: string | (() => string), timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${secs(timeoutMs)} waiting for ${typeof what === 'function' ? what() : what}`);
}

const cards = (text?: string): Locator =>
  text ? page.locator(sel.card).filter({ hasText: text }) : page.locator(sel.card);
const cardCount = (text?: string): Promise<number> => cards(text).count();

/** Waits until a rendered card containing `text` beyond the `before` existing ones, returns it. */
async function newCard(text: string, before: number): Promise<Locator> {
  await waitUntil(async () => (await cardCount(text)) > before, `a new rendered card containing "${text}"`);
  return cards(text).last();
}

/**
 * For the channel view, where new posts come first: marks the cards on screen, runs `action`, and
 * returns the first card that was not on screen before and contains `text`.
 */
async function cardAfter(text: string | RegExp, action: () => Promise<unknown>): Promise<Locator> {
  await page.locator(sel.card).evaluateAll((els) => els.forEach((el) => el.setAttribute('data-e2e-seen', '')));
  await action();
  const fresh = page.locator(`${sel.card}:not([data-e2e-seen])`).filter({ hasText: text });
  await waitUntil(async () => (await fresh.count()) > 0, `a new rendered card containing "${text}"`);
  return fresh.first();
}

async function cardText(locator: Locator): Promise<string> {
  return (await locator.innerText({ timeout: WAIT_MS })).replace(/\s+/g, ' ');
}

/** A screenshot of one card; the viewport grows for the shot when the card is taller. */
async function cardScreenshot(locator: Locator, file: string): Promise<void> {
  const viewport = page.viewportSize();
  const box = await locator.boundingBox();
  const needed = Math.ceil((box?.height ?? 0) + 400);
  try {
    if (viewport && needed > viewport.height)
      await page.setViewportSize({ width: viewport.width, height: Math.min(needed, 8000) });
    await locator.scrollIntoViewIfNeeded();
    await locator.screenshot({ path: file, timeout: 10_000 });
  } finally {
    if (viewport && needed > viewport.height) await page.setViewportSize(viewport);
  }
}

function assertContains(text: string, expected: string[]): void {
  for (const e of expected)
    assert(text.includes(e), `expected the card to show "${e}"; it shows: ${text.slice(0, 300)}…`);
}

/**
 * Figures recomputed from the stored week files, independently of the bot's code: the reports that
 * count (not withdrawn, this agreement, dated in the period up to TODAY), summed per window.
 */
function storedFigures() {
  const dir = join(tmp!, 'db.reports');
  // Each week file, then its journal (<week>.jsonl: one report per line, added since): a later copy wins.
  const byId = new Map<string, any>();
  const names = readdirSync(dir).sort();
  for (const f of names.filter((n) => /^\d{4}-W\d{2}\.json$/.test(n)))
    for (const r of JSON.parse(readFileSync(join(dir, f), 'utf8')).reports ?? []) byId.set(r.id, r);
  // A journal line is one report, or the rows of one week card written together (a JSON array).
  for (const f of names.filter((n) => /^\d{4}-W\d{2}\.jsonl$/.test(n)))
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
      for (const r of [JSON.parse(line)].flat()) byId.set(r.id, r);
  const all = [...byId.values()];
  // "Inget att rapportera" is reported, not counted: kept apart (issue #16).
  const reports = all.filter(
    (r) =>
      !r.withdrawn &&
      r.kind !== 'nothingToReport' &&
      r.agreementId === AGREEMENT_ID &&
      r.date >= PERIOD_START &&
      r.date <= TODAY,
  );
  const sum = (pred: (r: any) => boolean): number => reports.filter(pred).reduce((n, r) => n + r.count, 0);
  const year = TODAY.slice(0, 4);
  const traffic = (r: any): boolean => r.activityId === 'trafikkontroller';
  const latestWeek: string | undefined = reports
    .map((r) => r.week as string)
    .sort()
    .at(-1);
  return {
    reports: reports.length,
    nothingToReport: all.filter((r) => r.kind === 'nothingToReport' && !r.withdrawn),
    trafficYear: sum((r) => traffic(r) && r.date >= `${year}-01-01`),
    trafficWeek11: sum((r) => traffic(r) && r.week === `${year}-W11`),
    trafficPeriod: sum(traffic),
    targetedWeek10: sum((r) => r.activityId === 'riktade-insatser-narkotika' && r.week === `${year}-W10`),
    policeWeek10: sum((r) => r.party === 'Polisen' && r.week === `${year}-W10`),
    // "Enligt rapporter t.o.m. v. 11 2024."
    dataUpTo: latestWeek
      ? `Enligt rapporter t.o.m. v. ${Number(latestWeek.slice(6))} ${latestWeek.slice(0, 4)}.`
      : 'Inga rapporter ännu.',
  };
}

/** The pace expected by TODAY for a per-year target: target × days elapsed (today included) / days in the year, "6,1". */
function expectedByToday(target: number): string {
  const [y, m, d] = TODAY.split('-').map(Number) as [number, number, number];
  const elapsed = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
  const daysInYear = (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / 86_400_000;
  return String(Math.round(((target * elapsed) / daysInYear) * 10) / 10).replace('.', ',');
}

/** The first match of `re` in `text`, or a failure that shows the card text. */
function figureIn(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(text);
  assert(m, `expected the card to show ${what} (${re}); it shows: ${text.slice(0, 400)}…`);
  return m;
}

/** The trafikkontroller figures of a status card: "I år (2024) N av 30 (väntat hittills E)", "Vecka 11 W". */
/** The compact card's löfte 3 line: "Löfte 3 · I fas · 16 av 30 kontroller i år (6,1 väntat)". */
function assertTrafficHeadline(text: string, fig: ReturnType<typeof storedFigures>): string {
  const at = text.indexOf('Löfte 3');
  assert(at >= 0, `expected the status card to show Löfte 3; it shows: ${text.slice(0, 300)}…`);
  const [, n, target, expected] = figureIn(
    text.slice(at),
    /(\d+) av (\d+) kontroller i år \(([\d,]+) väntat\)/,
    'the löfte 3 headline',
  );
  const wantExpected = expectedByToday(TRAFFIC_TARGET);
  assert(
    Number(n) === fig.trafficYear && Number(target) === TRAFFIC_TARGET && expected === wantExpected,
    `the card says "${n} av ${target} kontroller i år (${expected} väntat)"; the stored reports give ${fig.trafficYear} av ${TRAFFIC_TARGET} (${wantExpected} väntat)`,
  );
  assertContains(text, [fig.dataUpTo]);
  return `Löfte 3 · ${n} av ${target} kontroller i år (${expected} väntat) · ${fig.dataUpTo}`;
}

function assertTrafficStatus(text: string, fig: ReturnType<typeof storedFigures>): string {
  const at = text.indexOf('Trafikkontroller för en säker trafikmiljö');
  assert(at >= 0, `expected the status card to list Trafikkontroller; it shows: ${text.slice(0, 300)}…`);
  const traffic = text.slice(at);
  const year = TODAY.slice(0, 4);
  const [, n, target, expected] = figureIn(
    traffic,
    new RegExp(`I år \\(${year}\\) (\\d+) av (\\d+) \\(väntat hittills ([\\d,]+)\\)`),
    'the year line',
  );
  const wantExpected = expectedByToday(TRAFFIC_TARGET);
  assert(
    Number(n) === fig.trafficYear && Number(target) === TRAFFIC_TARGET && expected === wantExpected,
    `the card says "I år (${year}) ${n} av ${target} (väntat hittills ${expected})"; the stored reports give ${fig.trafficYear} av ${TRAFFIC_TARGET} (väntat hittills ${wantExpected})`,
  );
  const [, week] = figureIn(traffic, /Vecka 11 (\d+)/, 'the week 11 line');
  assert(
    Number(week) === fig.trafficWeek11,
    `the card says "Vecka 11 ${week}"; the stored reports give ${fig.trafficWeek11}`,
  );
  const [, period] = figureIn(traffic, /Hela perioden (\d+)/, 'the whole-period line');
  assert(
    Number(period) === fig.trafficPeriod,
    `the card says "Hela perioden ${period}"; the stored reports give ${fig.trafficPeriod}`,
  );
  assertContains(text, [fig.dataUpTo]);
  return `I år (${year}) ${n} av ${target} (väntat hittills ${expected}) · Vecka 11 ${week} · Hela perioden ${period} · ${fig.dataUpTo}`;
}

/**
 * Starts a channel post "@Test Bot <text>" like a person: the first compose box is "Start a new
 * post"; a channel message reaches the bot only with an @mention, picked from the mention menu.
 */
async function postWithMention(text: string): Promise<void> {
  await page.locator(sel.compose).first().click();
  await page.keyboard.type('@');
  await page.locator(sel.mentionMenu).filter({ hasText: 'Test Bot' }).first().click();
  await page.keyboard.type(` ${text}`, { delay: 10 });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** Types into a Lexical compose box like a person: click, type, Enter. */
async function type(text: string, editor: Locator = page.locator(sel.compose).last()): Promise<void> {
  await editor.click({ timeout: WAIT_MS });
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
}

function sentToBot(pred: (a: SentActivity) => boolean): SentActivity[] {
  return activities.filter(pred);
}

try {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH); never npx playwright install`,
    );
  }
  if (!existsSync(join(root, 'dist', 'bundle', 'start.cjs')))
    throw new Error('dist/bundle/start.cjs is missing: npm run build first (npm run test:e2e does)');

  tmp = mkdtempSync(join(tmpdir(), 'medborgarlofte-e2e-'));
  const [botPort, playgroundPort] = [await freePort(), await freePort()];
  // The bot and the Playground inherit this process's environment (scripts/lib/bot-process.ts).
  process.env.COORDINATOR_IDS = `${COORDINATOR_AAD_ID},${KOMMUN_COORDINATOR_AAD_ID}`;
  process.env.PARTY_BY_PERSON = `${COORDINATOR_AAD_ID}=Polisen,${KOMMUN_COORDINATOR_AAD_ID}=Kommunen`;
  process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = join(tmp, '.m365agentsplayground.yml');
  writeFileSync(process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH, playgroundConfig(COORDINATOR_AAD_ID));
  // Demo data first, into the run's own temp database (the "real" path is one the run never uses).
  const dbPath = join(tmp, 'db.json');
  const demoStarted = Date.now();
  const demoReports = await generateDemo(dbPath, DEMO_UNTIL, join(tmp, 'not-the-demo-db.json'));
  demo = storedFigures();
  assert(
    demoReports > 0 && demo.reports === demoReports,
    `the demo generator reported ${demoReports} reports, the week files hold ${demo.reports}`,
  );
  log(
    `demo data: ${demoReports} reports to ${DEMO_UNTIL} in ${secs(Date.now() - demoStarted)}; from the week files: trafikkontroller ${TODAY.slice(0, 4)} ${demo.trafficYear}, vecka 11 ${demo.trafficWeek11}, period ${demo.trafficPeriod}; riktade insatser vecka 10 ${demo.targetedWeek10}; "${demo.dataUpTo}"`,
  );
  bot = await startBot({ port: botPort, dbPath, clock: CLOCK, logLevel: 'info', logFile: join(outDir, 'bot.log') });
  log(`bot on 127.0.0.1:${bot.port} (demo store in ${tmp}, clock ${CLOCK}, COORDINATOR_IDS=${COORDINATOR_AAD_ID})`);
  proxy = await startLocaleProxy({
    port: 0,
    target: bot.endpoint,
    locale: LOCALE,
    onActivity: (a: Record<string, any>) => {
      const at = Date.now() - started;
      activities.push({ at, ...a });
      appendFileSync(join(outDir, 'activities.jsonl'), `${JSON.stringify({ at, ...a })}\n`);
    },
  });
  playground = await startPlayground({
    port: playgroundPort,
    endpoint: proxy.endpoint,
    logFile: join(outDir, 'playground.log'),
    toolLogFile: join(outDir, 'm365agentsplayground.log'),
    tz: 'Europe/Stockholm',
  });
  log(`Playground on ${playground!.url} → locale proxy (en-US → ${LOCALE}) on 127.0.0.1:${proxy.port} → bot`);

  const launch = () =>
    chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      timeout: 60_000,
      // playwright gives every launch a fresh temporary profile (--user-data-dir)
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  // Starting the browser is the machine's business, not the bot's: a launch that times out (seen
  // once in CI on a loaded machine: 30 s) is tried once more, and said so in the log.
  try {
    browser = await launch();
  } catch (err) {
    log(`chromium did not start (${(err as Error).message.split('\n')[0]}); trying once more`);
    browser = await launch();
  }
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    locale: LOCALE,
    timezoneId: 'Europe/Stockholm',
  });
  context.setDefaultTimeout(WAIT_MS);
  page = await context.newPage();
  const blocked = new Set();
  // Nothing but loopback: the Office CDN (fonts, animations) is aborted; the UI falls back to local fonts.
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.add(url.hostname);
    return route.abort();
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  log(`chromium ${browser.version()} headless`);

  await step('the UI opens and shows the welcome card (Microsoft renderer)', 'welcome', async () => {
    await page.goto(playground!.url, { waitUntil: 'domcontentloaded', timeout: WAIT_MS });
    const welcome = await newCard('följa upp medborgarlöftet', 0);
    assertContains(await cardText(welcome), [
      'Hej! Jag hjälper Polisen och kommunen',
      'Skriv hjälp',
      'Inga namn eller personuppgifter',
    ]);
    await welcome.getByRole('button', { name: 'Visa status' }).waitFor({ timeout: WAIT_MS });
    await page.locator(sel.compose).last().waitFor({ timeout: WAIT_MS });
  });

  await step('the bot received conversationUpdate with itself in membersAdded', 'conversation-update', async () => {
    const cu = sentToBot(
      (a) =>
        a.type === 'conversationUpdate' &&
        (a.membersAdded ?? []).some((m: { id?: string }) => m.id === a.recipient?.id),
    );
    assert(
      cu.length > 0,
      `no such conversationUpdate; the Playground sent: ${activities.map((a) => a.type).join(', ') || 'nothing'}`,
    );
    const opened = activities
      .filter((a) => a.at <= cu[0].at + 1)
      .map((a) => `${a.type}${a.action ? `(${a.action})` : ''}${a.locale ? ` locale=${a.locale}` : ''}`);
    log(
      `  on open the Playground sent: ${opened.join(', ')}; conversationType=${cu[0].conversation?.conversationType}`,
    );
  });

  await step('"hjälp" is answered with the help card', 'help', async () => {
    const before = await cardCount('Det här kan jag');
    await type('hjälp');
    const help = await newCard('Det här kan jag', before);
    assertContains(await cardText(help), [
      'status',
      'Visar hur det går för varje löfte',
      'Öppnar veckorapporten',
      'hjälp',
    ]);
    await cardScreenshot(help, join(outDir, 'card-help.png'));
  });

  await step(
    '"status" is answered with the status card (3 löften, targets, demo figures recomputed from the week files)',
    'status',
    async () => {
      const before = await cardCount('Löfte 1');
      await type('status');
      const status = await newCard('Löfte 1', before);
      const text = await cardText(status);
      assertContains(text, [
        'Status för medborgarlöftet',
        'Tranås',
        'Löfte 1',
        'Löfte 2',
        'Löfte 3',
        'Visa detaljer',
        'Visa allt',
      ]);
      log(`  compact status card: ${assertTrafficHeadline(text, storedFigures())}`);
      await cardScreenshot(status, join(outDir, 'card-status.png'));
    },
  );

  await step(
    '"Visa allt" on the compact status card shows the long view with targets and every figure (recomputed from the week files)',
    'status-all',
    async () => {
      const before = await cardCount();
      const button = cards('Visa allt').last().getByRole('button', { name: 'Visa allt' });
      await button.scrollIntoViewIfNeeded();
      await button.click();
      let all: Locator = cards('minst 30 kontroller per år').last();
      await waitUntil(async () => {
        all = cards('minst 30 kontroller per år').last();
        return (await cards('minst 30 kontroller per år').count()) >= 1 && (await cardCount()) === before;
      }, 'the compact card to turn into the long view');
      const text = await cardText(all);
      assertContains(text, [
        'Status för medborgarlöftet',
        'minst 30 kontroller per år',
        'Löfte 1',
        'Löfte 2',
        'Löfte 3',
      ]);
      log(`  long status view: ${assertTrafficStatus(text, storedFigures())}`);
      await cardScreenshot(all, join(outDir, 'card-status-all.png'));
    },
  );

  await step('"Visa status" on the help card replaces that card with the status card', 'card-button', async () => {
    const [helpBefore, statusBefore, allBefore, invokesBefore] = [
      await cardCount('Det här kan jag'),
      await cardCount('Löfte 1'),
      await cardCount(),
      sentToBot((a) => a.type === 'invoke').length,
    ];
    assert(helpBefore >= 1, 'no help card on screen to press "Visa status" on');
    const button = cards('Det här kan jag').last().getByRole('button', { name: 'Visa status' });
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await waitUntil(
      async () =>
        (await cardCount('Det här kan jag')) === helpBefore - 1 && (await cardCount('Löfte 1')) === statusBefore + 1,
      'the help card to turn into a status card',
    );
    assert(
      (await cardCount()) === allBefore,
      `expected the card to update in place (${allBefore} cards), found ${await cardCount()} cards`,
    );
    const invokes = sentToBot((a) => a.type === 'invoke').slice(invokesBefore);
    assert(
      invokes.some((a) => a.name === 'adaptiveCard/action' && a.value?.action?.verb === 'status.show'),
      `expected an adaptiveCard/action invoke with verb status.show, got ${JSON.stringify(invokes.map((a) => [a.name, a.value?.action?.verb]))}`,
    );
    // The updated card is the former help card: the first status card in the chat.
    await cards('Löfte 1').first().scrollIntoViewIfNeeded();
  });

  await step('an unknown text is answered with examples', 'unknown', async () => {
    const before = await cardCount('Det förstod jag inte');
    await type('blåbärspaj åt alla på fredag');
    const unknown = await newCard('Det förstod jag inte', before);
    assertContains(await cardText(unknown), ['Du kan till exempel fråga', 'rapportera', 'hur går det med trafiken?']);
  });

  await step("with the Playground's own locale (en-US) the bot answers in English", 'english', async () => {
    proxy!.setLocale(undefined);
    try {
      const before = await cardCount('What I can do');
      await type('help');
      await newCard('What I can do', before);
    } finally {
      proxy!.setLocale(LOCALE);
    }
  });

  // The weekly report in the personal chat. The Playground renders Adaptive Cards with Microsoft's
  // Fluent UI (v9) renderer: a compact Input.ChoiceSet is a Fluent Combobox (<input role="combobox">
  // with a listbox of role="option" in a popup outside the card), Input.Number a spinbutton,
  // Input.Text multiline a <textarea>, an expanded ChoiceSet radios, Action.Execute a button.
  // Accessible names come from the label via aria-labelledby (the label text plus " *" when required).
  const PERSONNUMMER = '19121212-1212';
  const field = (card: Locator, role: Parameters<Locator['getByRole']>[0], name: string): Locator =>
    card.getByRole(role, { name }).first();
  async function choose(card: Locator, name: string, option: string): Promise<void> {
    const combo = field(card, 'combobox', name);
    await combo.scrollIntoViewIfNeeded();
    await combo.click();
    await page.getByRole('option', { name: option }).first().click();
    await waitUntil(
      async () => (await combo.inputValue()).startsWith(option),
      () => `the ${name} combobox to show "${option}"`,
    );
  }
  /** All text the card shows, without the values inside its inputs and text areas. */
  const textOutsideInputs = (card: Locator): Promise<string> =>
    card.evaluate((el) => {
      // Runs in the browser (no DOM types in this project's lib).
      const copy = el.cloneNode(true) as any;
      copy.querySelectorAll('input, textarea, select').forEach((n: any) => n.remove());
      return copy.textContent ?? '';
    });
  let submitInvokesBefore = 0;

  await step(
    '"rapportera" opens the weekly report card; a personnummer in the text is refused, the input kept',
    'report-refused',
    async () => {
      const before = await cardCount('Veckorapport');
      await type('rapportera');
      const card = await newCard('Veckorapport', before);
      assertContains(await cardText(card), [
        'Veckorapport',
        'Tranås',
        'Inga namn eller personuppgifter',
        'Hur många',
        'Kort notering',
        'Polisen',
        'Kommunen',
        'Lägg till rad',
        'Inget att rapportera',
        'Samma som förra veckan',
      ]);
      const week = await field(card, 'combobox', 'Vecka').inputValue();
      assert(week.includes('vecka 11 2024'), `expected the week to be preset to "vecka 11 2024…", it is "${week}"`);
      const date = await field(card, 'combobox', 'Datum').inputValue();
      assert(date === '14 mars 2024', `expected the date to be preset to today (14 mars 2024), it is "${date}"`);

      await choose(card, 'Aktivitet', 'Löfte 3 · Trafikkontroller för en säker trafikmiljö');
      await field(card, 'spinbutton', 'Hur många').fill('4');
      await choose(card, 'Område', 'Centrum');
      await field(card, 'textbox', 'Kort notering').fill(`Kontroll vid ${PERSONNUMMER} i centrum`);
      await field(card, 'radio', 'Polisen').check();
      submitInvokesBefore = sentToBot((a) => a.type === 'invoke').length;
      const allBefore = await cardCount();
      await card.getByRole('button', { name: 'Skicka' }).click();
      await waitUntil(
        async () => (await cardCount('Rapporten sparades inte')) > 0,
        'the report card to come back with "Rapporten sparades inte"',
      );
      assert(
        (await cardCount()) === allBefore,
        `expected the card to update in place (${allBefore} cards), found ${await cardCount()} cards`,
      );
      const refused = cards('Rapporten sparades inte').last();
      assertContains(await cardText(refused), [
        'Rapporten sparades inte',
        'ser ut som ett personnummer',
        'Veckorapport',
      ]);
      const kept = await field(refused, 'textbox', 'Kort notering').inputValue();
      assert(
        kept === `Kontroll vid ${PERSONNUMMER} i centrum`,
        `expected the description to keep what was typed, it holds "${kept}"`,
      );
      const shown = await textOutsideInputs(refused);
      assert(
        !shown.includes('19121212') && !shown.includes('1212-1212'),
        'the personnummer appears in the card text outside the description field',
      );
      const invokes = sentToBot((a) => a.type === 'invoke').slice(submitInvokesBefore);
      const submit = invokes.find((a) => a.name === 'adaptiveCard/action' && a.value?.action?.verb === 'report.submit');
      assert(
        submit,
        `expected an adaptiveCard/action invoke with verb report.submit, got ${JSON.stringify(invokes.map((a) => [a.name, a.value?.action?.verb]))}`,
      );
      const data = submit.value.action.data ?? {};
      assert(
        String(data.count) === '4' &&
          data.area === 'Centrum' &&
          data.party === 'Polisen' &&
          data.week === '2024-W11' &&
          data.activityId,
        `unexpected submitted data ${JSON.stringify({ ...data, description: '…' })}`,
      );
      log(
        `  report.submit data: week=${data.week} activityId=${data.activityId} count=${data.count} date=${data.date} area=${data.area} party=${data.party} raise=${data.raiseAtNextMeeting}`,
      );
      await cardScreenshot(refused, join(outDir, 'card-report-refused.png'));
    },
  );

  await step('the corrected report is saved and the card turns into a receipt', 'report-receipt', async () => {
    const card = cards('Rapporten sparades inte').last();
    await field(card, 'textbox', 'Kort notering').fill('4 hastighetskontroller vid infarten');
    const [allBefore, invokesBefore] = [await cardCount(), sentToBot((a) => a.type === 'invoke').length];
    await card.getByRole('button', { name: 'Skicka' }).click();
    const receipt = await newCard('Rapporten är sparad', 0);
    assert(
      (await cardCount()) === allBefore,
      `expected the card to update in place (${allBefore} cards), found ${await cardCount()} cards`,
    );
    const text = await cardText(receipt);
    assertContains(text, [
      'Rapporten är sparad',
      '4 kontroller',
      'Centrum',
      'Polisen',
      '4 hastighetskontroller vid infarten',
      'Redigera',
      'Ny rapport',
    ]);
    const invokes = sentToBot((a) => a.type === 'invoke').slice(invokesBefore);
    assert(
      invokes.some((a) => a.name === 'adaptiveCard/action' && a.value?.action?.verb === 'report.submit'),
      `expected a second report.submit invoke, got ${JSON.stringify(invokes.map((a) => [a.name, a.value?.action?.verb]))}`,
    );
    await cardScreenshot(receipt, join(outDir, 'card-report-receipt.png'));
  });

  await step(
    '"hur många trafikkontroller i år?" counts the demo reports and the saved one (recomputed from the week files)',
    'report-question',
    async () => {
      const fig = storedFigures();
      assert(
        fig.trafficYear === demo.trafficYear + 4 && fig.reports === demo.reports + 1,
        `expected the week files to hold the demo reports plus the saved one (${demo.trafficYear} + 4 trafikkontroller, ${demo.reports + 1} reports), they hold ${fig.trafficYear} in ${fig.reports} reports`,
      );
      const before = await cardCount('Medborgarlöftet 2023–2024');
      await type('hur många trafikkontroller i år?');
      const answer = await newCard('Medborgarlöftet 2023–2024', before);
      const text = await cardText(answer);
      assertContains(text, [
        'Trafikkontroller för en säker trafikmiljö · år 2024',
        'Medborgarlöftet 2023–2024',
        fig.dataUpTo,
      ]);
      const [, total] = figureIn(text, /år 2024\s+(\d+) kontroll(?:er)?/, 'the total');
      assert(
        Number(total) === fig.trafficYear,
        `the answer says ${total} kontroller; the stored reports give ${fig.trafficYear}`,
      );
      log(`  answer: ${total} kontroller (week files: ${demo.trafficYear} demo + 4 saved)`);
    },
  );

  await step(
    '"riktade insatser vecka 10" answers the count of week 10 (recomputed from the week files)',
    'question-week',
    async () => {
      const fig = storedFigures();
      const title = 'Riktade insatser för att upptäcka narkotikabrott bland unga · vecka 10 2024';
      const before = await cardCount(title);
      await type('riktade insatser vecka 10');
      const answer = await newCard(title, before);
      const text = await cardText(answer);
      assertContains(text, [
        title,
        `${fig.targetedWeek10} ${fig.targetedWeek10 === 1 ? 'insats' : 'insatser'}`,
        'minst 15 insatser per år',
        fig.dataUpTo,
      ]);
      const [, total] = figureIn(text, /vecka 10 2024\s+(\d+) insats(?:er)?/, 'the total');
      assert(
        Number(total) === fig.targetedWeek10,
        `the answer says ${total} insatser; the stored reports give ${fig.targetedWeek10}`,
      );
      log(`  answer: ${total} insatser (week files: ${fig.targetedWeek10})`);
    },
  );

  await step(
    '"vad gjorde polisen vecka 10?" answers for the police and week 10 only, and says so (recomputed from the week files)',
    'question-party-week',
    async () => {
      const fig = storedFigures();
      const title = 'Alla aktiviteter · vecka 10 2024 · Polisen';
      const before = await cardCount(title);
      await type('vad gjorde polisen vecka 10?');
      const answer = await newCard(title, before);
      const text = await cardText(answer);
      const [, total] = figureIn(text, /Totalt: (\d+)/, 'the total');
      assert(
        Number(total) === fig.policeWeek10,
        `the answer says "Totalt: ${total}"; the police's reports of week 10 give ${fig.policeWeek10}`,
      );
      log(`  answer: ${title}: ${total} (week files: ${fig.policeWeek10})`);
    },
  );

  await step(
    '"Ligger vi efter med något löfte?" names löfte 1 with its figures, by the status card\'s rule',
    'question-behind',
    async () => {
      const before = await cardCount('Risk eller Efter');
      await type('Ligger vi efter med något löfte?');
      const answer = await newCard('Risk eller Efter', before);
      const text = await cardText(answer);
      assertContains(text, ['Löfte 1', 'Riktade insatser för att upptäcka narkotikabrott bland unga', 'av 15']);
      log(`  answer: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
    },
  );

  await step(
    'a question with a word the bot does not know is declined, naming the word, with no figure',
    'question-decline',
    async () => {
      const before = await cardCount('Det förstod jag inte');
      await type('hur många trafikkontroller gjorde hundpatrullen?');
      const answer = await newCard('Det förstod jag inte', before);
      const text = await cardText(answer);
      assertContains(text, ['hundpatrullen']);
      const head = text.slice(0, text.indexOf('Du kan till exempel'));
      assert(!/\d/.test(head), `the decline gives a figure: ${head}`);
    },
  );

  await step('"mina rapporter" lists the saved report', 'my-reports', async () => {
    const before = await cardCount('Mina rapporter');
    await type('mina rapporter');
    const mine = await newCard('Mina rapporter', before);
    // Per user: the demo reports have other reporters, so only the one saved here is listed.
    const text = await cardText(mine);
    assertContains(text, ['Mina rapporter', 'v. 11 · 4 kontroller · Centrum']);
    assert(
      !text.includes('[Demo]') && (text.match(/v\. \d+ · /g) ?? []).length === 1,
      `expected only the report saved here in "mina rapporter"; it shows: ${text.slice(0, 300)}…`,
    );
  });

  // ---------------------------------------------------------------------------------------------
  // A reporter's week in under a minute (issue #16): three activities on one card, "Ny rapport"
  // leaving the receipt, the weekly reminder with its snooze arriving once at its new time (the
  // bot is restarted with BOT_CLOCK moved: a proactive message the Playground shows in the chat),
  // and "inget att rapportera". The clock goes back to CLOCK afterwards for the channel steps.
  // ---------------------------------------------------------------------------------------------
  async function chooseNth(card: Locator, name: string, nth: number, option: string): Promise<void> {
    const combo = card.getByRole('combobox', { name }).nth(nth);
    await combo.scrollIntoViewIfNeeded();
    await combo.click();
    await page.getByRole('option', { name: option }).first().click();
    await waitUntil(
      async () => (await combo.inputValue()).startsWith(option),
      () => `the ${name} combobox of row ${nth + 1} to show "${option}"`,
    );
  }
  async function restartBotAt(clock: string): Promise<void> {
    await bot!.stop();
    bot = await startBot({ port: botPort, dbPath, clock, logLevel: 'info', logFile: join(outDir, 'bot.log') });
    log(`  bot restarted with BOT_CLOCK=${clock}`);
  }
  const WEEK_CARD_ROWS: [string, string, string][] = [
    ['Löfte 2 · Krogkontroller', '2', 'Krogmiljön'],
    ['Löfte 2 · Öka den upplevda tryggheten', '5', 'Centrum'],
    ['Löfte 3 · Övrigt', '1', 'Skolor'],
  ];

  await step('a week of three activities in one card: one receipt lists each row', 'week-card', async () => {
    const before = await cardCount('Lägg till rad');
    await type('rapportera');
    const card = await newCard('Lägg till rad', before);
    const storedBefore = storedFigures().reports;
    for (const [i, [activity, count, area]] of WEEK_CARD_ROWS.entries()) {
      await chooseNth(card, 'Aktivitet', i, activity);
      await card.getByRole('spinbutton', { name: 'Hur många' }).nth(i).fill(count);
      await chooseNth(card, 'Område', i, area);
    }
    await card.getByRole('textbox', { name: 'Kort notering' }).nth(1).fill('Kvällspass vid torget');
    await card.getByRole('radio', { name: 'Kommunen' }).first().check();
    await card.getByRole('button', { name: 'Skicka' }).click();
    const receipt = await newCard('Rapporten är sparad: 3 rader', 0);
    const text = await cardText(receipt);
    assertContains(text, [
      'Rapporten är sparad: 3 rader',
      'Löfte 2 · Krogkontroller: 2 kontroller · Krogmiljön',
      'Centrum',
      'Löfte 3 · Övrigt: 1 · Skolor',
      'Kvällspass vid torget',
      'Kommunen',
      'Ny rapport',
    ]);
    assert(!text.includes('Löfte 3 · Löfte 3'), `the Övrigt row reads "Löfte 3 · Löfte 3": ${text}`);
    const fig = storedFigures();
    assert(
      fig.reports === storedBefore + WEEK_ROWS,
      `expected the week files to hold ${WEEK_ROWS} more reports, they hold ${fig.reports - storedBefore} more`,
    );
    await cardScreenshot(receipt, join(outDir, 'card-week-receipt.png'));

    // "Ny rapport" posts a new card and leaves the receipt where it was.
    const [formsBefore, receiptsBefore] = [
      await cardCount('Lägg till rad'),
      await cardCount('Rapporten är sparad: 3 rader'),
    ];
    await receipt.getByRole('button', { name: 'Ny rapport' }).click();
    await newCard('Lägg till rad', formsBefore);
    assert(
      (await cardCount('Rapporten är sparad: 3 rader')) === receiptsBefore,
      'the receipt disappeared when "Ny rapport" was pressed',
    );
  });

  await step(
    'a snoozed reminder arriving once at its new time (the bot restarted with the clock moved)',
    'snooze',
    async () => {
      const registered = await cardAfter(/rapportör/, () => type('anmäl mig som rapportör för Kommunen'));
      log(`  ${(await cardText(registered)).slice(0, 120)}`);
      // Thursday of the next week, 13:00:30: the weekly reminder is due for week 12.
      const reminders = (): Promise<number> => cardCount('Veckorapport för vecka 12');
      await restartBotAt('2024-03-21T13:00:30+01:00');
      const reminder = await newCard('Veckorapport för vecka 12', 0);
      assertContains(await cardText(reminder), [
        'Rapportera',
        'Inget att rapportera',
        'Samma som förra veckan',
        'Påminn mig i morgon',
        'Påminn mig kl. 15',
      ]);
      await cardScreenshot(reminder, join(outDir, 'card-weekly-reminder.png'));
      await reminder.getByRole('button', { name: 'Påminn mig kl. 15' }).click();
      const answer = await newCard('Jag påminner dig i dag', 0);
      assertContains(await cardText(answer), ['21 mars 2024 kl. 15.00']);
      assert((await reminders()) === 0, 'the reminder card should have turned into the answer');
      // 15:00:30 the same day: the snoozed reminder comes, once.
      await restartBotAt('2024-03-21T15:00:30+01:00');
      const snoozed = await newCard('Veckorapport för vecka 12', 0);
      await cardScreenshot(snoozed, join(outDir, 'card-snoozed-reminder.png'));
      // A further restart (a tick at start) sends nothing again; the ledger shows it sent once.
      await restartBotAt('2024-03-21T15:05:00+01:00');
      const overview = await cardAfter('Påminnelser', () => type('påminnelser'));
      const overviewText = await cardText(overview);
      assertContains(overviewText, ['Uppskjuten veckopåminnelse']);
      assert((await reminders()) === 1, `expected the snoozed reminder once, found ${await reminders()}`);
      log(`  påminnelser: ${overviewText.slice(0, 300)}`);
    },
  );

  await step(
    '"inget att rapportera" on the reminder: stored as such, counted as reported, never as work',
    'nothing',
    async () => {
      try {
        const reminder = cards('Veckorapport för vecka 12').last();
        const countsBefore = storedFigures();
        await reminder.getByRole('button', { name: 'Inget att rapportera' }).click();
        const receipt = await newCard('Sparat: inget att rapportera vecka 12 2024', 0);
        await cardScreenshot(receipt, join(outDir, 'card-nothing-to-report.png'));
        const fig = storedFigures();
        assert(
          // The Playground user's party is PARTY_BY_PERSON (Polisen, for the follow-up approvals), which
          // comes before the party remembered from the last report.
          fig.nothingToReport.some((r: any) => r.week === '2024-W12' && r.count === 0 && r.party === 'Polisen'),
          `expected an "inget att rapportera" record for week 12 in the week files, found ${JSON.stringify(fig.nothingToReport)}`,
        );
        assert(
          fig.reports === countsBefore.reports && fig.trafficYear === countsBefore.trafficYear,
          'inget att rapportera changed the counted reports',
        );
      } finally {
        // Back to the run's clock for the steps after this one, whatever happened above.
        await restartBotAt(CLOCK);
      }
    },
  );

  await step(
    '"ny period" opens the rollover card for the coordinator: period, targets per löfte',
    'rollover',
    async () => {
      const before = await cardCount('Ny period för medborgarlöftet');
      await type('ny period');
      const rollover = await newCard('Ny period för medborgarlöftet', before);
      await rollover.scrollIntoViewIfNeeded();
      assertContains(await cardText(rollover), [
        'Ny period för medborgarlöftet',
        'Första dagen',
        'Sista dagen',
        'Löfte 1',
        'Mål (antal)',
        'Spara ny period',
      ]);
    },
  );

  await step(
    'in a team channel (General) the bot welcomes the team and answers an @mention "hjälp"',
    'channel',
    async () => {
      await page.getByText('General', { exact: true }).first().click();
      await page.getByText('Start a new post').waitFor({ timeout: WAIT_MS });
      const welcome = await newCard('följa upp medborgarlöftet', 0);
      assertContains(await cardText(welcome), ['koppla kanal']);
      const before = await cardCount('Det här kan jag');
      const messagesBefore = sentToBot((a) => a.type === 'message').length;
      await postWithMention('hjälp');
      const help = await newCard('Det här kan jag', before);
      await help.scrollIntoViewIfNeeded();
      const msg = sentToBot((a) => a.type === 'message').slice(messagesBefore)[0];
      assert(
        msg?.conversation?.conversationType === 'channel',
        `expected the bot to receive a channel message, got ${JSON.stringify(msg?.conversation)}`,
      );
      log(
        `  channel message text=${JSON.stringify(msg.text)} mentions=${(msg.entities ?? []).filter((e: { type?: string }) => e.type === 'mention').length} conversation.id=${msg.conversation.id}`,
      );
    },
  );

  // The channel as a coordinator. New posts come first in the Playground's channel view; each
  // @mention starts a post whose thread holds the bot's answer.
  let channelLinkMessage: SentActivity | undefined;

  await step(
    'a coordinator @mentions "koppla kanal" in the channel: the answer says the channel is linked',
    'channel-link',
    async () => {
      const linkedText = followUpSv.channel.linked;
      const messagesBefore = sentToBot((a) => a.type === 'message').length;
      const answer = await cardAfter(linkedText, () => postWithMention('koppla kanal'));
      await answer.scrollIntoViewIfNeeded();
      assertContains(await cardText(answer), [linkedText]);
      channelLinkMessage = sentToBot((a) => a.type === 'message').slice(messagesBefore)[0];
      assert(
        channelLinkMessage?.conversation?.conversationType === 'channel',
        `expected a channel message, got ${JSON.stringify(channelLinkMessage?.conversation)}`,
      );
      assert(
        channelLinkMessage.from?.aadObjectId === COORDINATOR_AAD_ID,
        `expected the Playground user to be ${COORDINATOR_AAD_ID} (COORDINATOR_IDS), it sent from=${JSON.stringify(channelLinkMessage.from)}`,
      );
      log(
        `  "koppla kanal" from aadObjectId=${channelLinkMessage.from.aadObjectId} channelData.channel=${JSON.stringify(channelLinkMessage.channelData?.channel)}`,
      );
    },
  );

  await step(
    '"rapportera" in the channel posts a Rapportera button; pressed, it turns into a form for the presser; filled in and sent, a receipt',
    'channel-report',
    async () => {
      // Case-sensitive: the help card further down says "veckorapporten".
      const launcher = await cardAfter(/Veckorapport/, () => postWithMention('rapportera'));
      await launcher.scrollIntoViewIfNeeded();
      assertContains(await cardText(launcher), ['Veckorapport', 'bara för dig']);
      const formsBefore = await cardCount('Kort notering');
      await launcher.getByRole('button', { name: 'Rapportera' }).click();
      await waitUntil(
        async () => (await cardCount('Kort notering')) > formsBefore,
        'the channel card to turn into a personal report form',
      );
      const card = cards('Kort notering').last();
      await card.scrollIntoViewIfNeeded();
      assertContains(await cardText(card), ['Veckorapport', 'Tranås', 'Hur många', 'Kort notering']);
      const week = await field(card, 'combobox', 'Vecka').inputValue();
      assert(week.includes('vecka 11 2024'), `expected the week to be preset to "vecka 11 2024…", it is "${week}"`);
      await choose(card, 'Aktivitet', 'Löfte 3 · Trafikkontroller för en säker trafikmiljö');
      await field(card, 'spinbutton', 'Hur många').fill('3');
      await choose(card, 'Område', 'Resecentrum');
      await field(card, 'textbox', 'Kort notering').fill('3 kontroller vid resecentrum');
      await field(card, 'radio', 'Kommunen').check();
      const [allBefore, invokesBefore] = [await cardCount(), sentToBot((a) => a.type === 'invoke').length];
      await card.getByRole('button', { name: 'Skicka' }).click();
      const receipts = cards('Rapporten är sparad').filter({ hasText: '3 kontroller vid resecentrum' });
      await waitUntil(
        async () => (await receipts.count()) > 0,
        'the channel report card to turn into a receipt ("Rapporten är sparad")',
      );
      const receipt = receipts.first();
      assert(
        (await cardCount()) === allBefore,
        `expected the card to update in place (${allBefore} cards), found ${await cardCount()} cards`,
      );
      await receipt.scrollIntoViewIfNeeded();
      assertContains(await cardText(receipt), [
        'Rapporten är sparad',
        '3 kontroller',
        'Resecentrum',
        'Kommunen',
        '3 kontroller vid resecentrum',
      ]);
      const submit = sentToBot((a) => a.type === 'invoke')
        .slice(invokesBefore)
        .find((a) => a.name === 'adaptiveCard/action' && a.value?.action?.verb === 'report.submit');
      assert(
        submit?.conversation?.conversationType === 'channel',
        `expected a report.submit invoke from the channel, got ${JSON.stringify(submit?.conversation)}`,
      );
      await cardScreenshot(receipt, join(outDir, 'card-channel-report-receipt.png'));
    },
  );

  await step(
    '"status" in the channel shows the linked channel line and the new counts (demo + 4 + 3, recomputed from the week files)',
    'channel-status',
    async () => {
      const fig = storedFigures();
      assert(
        fig.trafficYear === demo.trafficYear + 7 &&
          fig.trafficWeek11 === demo.trafficWeek11 + 7 &&
          fig.reports === demo.reports + 2 + WEEK_ROWS,
        `expected the week files to hold the demo reports plus the two saved and the ${WEEK_ROWS} rows of the week card (${demo.trafficYear} + 7 this year, ${demo.trafficWeek11} + 7 in week 11), they hold ${fig.trafficYear} and ${fig.trafficWeek11}`,
      );
      // Linked today; the Playground sends no channel name, so the line falls back to "en kanal i teamet".
      const line = followUpSv.channel.statusLine(channelLinkMessage?.channelData?.channel?.name, TODAY);
      const status = await cardAfter('Kopplad kanal', () => postWithMention('status'));
      await status.scrollIntoViewIfNeeded();
      const text = await cardText(status);
      assertContains(text, ['Status för medborgarlöftet', line, 'Löfte 3']);
      log(`  channel status card: ${assertTrafficHeadline(text, fig)}`);
      await cardScreenshot(status, join(outDir, 'card-channel-status.png'));
      // "Visa detaljer" on löfte 3 (the third button of that name) gives that löfte's activities and figures.
      const details = status.getByRole('button', { name: 'Visa detaljer' }).nth(2);
      await details.scrollIntoViewIfNeeded();
      await details.click();
      let detail: Locator = cards('Hela perioden').last();
      await waitUntil(async () => {
        detail = cards('Hela perioden').last();
        return (
          (await cards('Hela perioden').count()) >= 1 &&
          (await cardText(detail)).includes('Trafikkontroller för en säker trafikmiljö')
        );
      }, 'the details of löfte 3');
      log(`  löfte 3 details: ${assertTrafficStatus(await cardText(detail), fig)}`);
      await cardScreenshot(detail, join(outDir, 'card-channel-pledge-3.png'));
    },
  );

  await step(
    '"uppföljning tertial 3 2023" in the channel shows the draft; the Playground user approves for Polisen',
    'follow-up-draft',
    async () => {
      const f = followUpReportSv;
      const title = f.title(f.period({ kind: 'tertial', key: '2023-T3' }), 'Tranås kommun');
      const draft = await cardAfter(title, () => postWithMention('uppföljning tertial 3 2023'));
      await draft.scrollIntoViewIfNeeded();
      const text = await cardText(draft);
      assertContains(text, [
        title,
        'Löfte 3',
        'Trafikkontroller för en säker trafikmiljö',
        f.approveFor('Polisen'),
        f.approveFor('Kommunen'),
      ]);
      await cardScreenshot(draft, join(outDir, 'card-follow-up-draft.png'));
      const approve = draft.getByRole('button', { name: f.approveFor('Polisen') });
      await approve.scrollIntoViewIfNeeded();
      await approve.click();
      await waitUntil(
        async () => (await cardCount(f.notices.approved('Polisen'))) > 0,
        'the card after the Polisen approval',
      );
      const approved = cards(f.notices.approved('Polisen')).last();
      assertContains(await cardText(approved), [f.waitingFor(['Kommunen'])]);
      await cardScreenshot(approved, join(outDir, 'card-follow-up-approved-polisen.png'));
    },
  );

  await step(
    'a Kommunen coordinator approves by an HTTP activity; the channel card then shows both approvals',
    'follow-up-signed',
    async () => {
      const f = followUpReportSv;
      // The second identity's Action.Execute, as Teams would send it: the answer is the invoke response.
      const res = await fetch(bot!.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: 'e2e-kommun-approval',
          channelId: 'msteams',
          serviceUrl: playground!.url,
          locale: 'sv-SE',
          from: { id: '29:e2e-kommun', name: 'Samordnare Kommunen', aadObjectId: KOMMUN_COORDINATOR_AAD_ID },
          recipient: { id: '28:bot', name: 'Test Bot' },
          conversation: { id: 'a:e2e-kommun', conversationType: 'personal' },
          value: {
            action: {
              type: 'Action.Execute',
              verb: 'followup.approve',
              data: { agreementId: AGREEMENT_ID, periodKey: '2023-T3', party: 'Kommunen', revision: 1 },
            },
            trigger: 'manual',
          },
        }),
      });
      const body = (await res.json()) as { value?: unknown };
      const answer = JSON.stringify(body.value ?? body);
      assert(
        res.status === 200 && answer.includes(f.notices.signed),
        `the approval answered ${res.status}: ${answer.slice(0, 300)}`,
      );
      const title = f.title(f.period({ kind: 'tertial', key: '2023-T3' }), 'Tranås kommun');
      const signed = await cardAfter(f.signed, () => postWithMention('uppföljning tertial 3 2023'));
      await signed.scrollIntoViewIfNeeded();
      const text = await cardText(signed);
      assertContains(text, [
        title,
        f.signed,
        f.approvedBy('Polisen', TODAY),
        f.approvedBy('Kommunen', TODAY),
        f.communicate,
      ]);
      await cardScreenshot(signed, join(outDir, 'card-follow-up-signed.png'));
    },
  );

  // --- Meeting follow-up (issue #16 item 6): the invite, and the decisions in the next digest ---
  // In the linked channel, as the coordinator. A meeting today at 10.00 gets its calendar file
  // through the signed link the card's button makes; its decisions are recorded on the card; a
  // second meeting tomorrow at 08.00 is saved after its digest time (three working days before),
  // so the scheduler's next tick (every minute) posts that digest, with the decisions, here.
  const MEETING_TIME = '10:00';
  let meetingCard: Locator | undefined;

  /**
   * The Playground renders Input.Date as a date picker combobox (it opens on the browser's real
   * month, so the date is typed: ISO, then Enter) and Input.Time as a list in 30-minute steps
   * ("8:00", "10:00").
   */
  async function fillMeeting(card: Locator, date: string, time: string, place: string): Promise<void> {
    const picker = field(card, 'combobox', 'Datum');
    await picker.fill(date);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await field(card, 'combobox', 'Klockslag').click();
    await page
      .getByRole('option', { name: time.replace(/^0/, ''), exact: true })
      .first()
      .click();
    await field(card, 'textbox', 'Plats eller länk').fill(place);
  }

  await step(
    'the meeting invite: a saved meeting shows "Lägg till i kalendern"; pressed, a signed .ics link that parses back',
    'meeting-invite',
    async () => {
      const form = await cardAfter('Nytt uppföljningsmöte', () => postWithMention('nytt möte'));
      await form.scrollIntoViewIfNeeded();
      await fillMeeting(form, TODAY, MEETING_TIME, 'Polishuset, sal 2');
      await form.getByRole('button', { name: 'Spara' }).click();
      await waitUntil(async () => (await cardCount(followUpSv.meetings.saved)) > 0, 'the saved meeting card');
      // Found by its time: the card keeps it when the calendar button and the decisions replace it in place.
      meetingCard = cards('torsdag 14 mars 2024 kl. 10.00').last();
      const savedText = await cardText(meetingCard);
      assertContains(savedText, ['Samverkansmöte', 'torsdag 14 mars 2024 kl. 10.00', planningSv.calendar.button]);
      await meetingCard.getByRole('button', { name: planningSv.calendar.button }).click();
      const link = meetingCard.locator('a[href*="/api/downloads/"]').first();
      await waitUntil(async () => (await link.count()) > 0, 'the calendar link on the meeting card');
      const href = (await link.getAttribute('href'))!;
      assert(href.startsWith('http://127.0.0.1:'), `expected a link on 127.0.0.1, got ${href}`);
      const res = await fetch(href);
      const body = await res.text();
      assert(res.status === 200, `the .ics link answered ${res.status}: ${body.slice(0, 200)}`);
      assert(
        (res.headers.get('content-type') ?? '').startsWith('text/calendar'),
        `content-type ${res.headers.get('content-type')}`,
      );
      const vevent = new ICAL.Component(ICAL.parse(body)).getFirstSubcomponent('vevent')!;
      const start = vevent.getFirstProperty('dtstart')!;
      const summary = String(vevent.getFirstPropertyValue('summary'));
      assert(start.getParameter('tzid') === 'Europe/Stockholm', `DTSTART TZID ${start.getParameter('tzid')}`);
      assert(
        String(start.getFirstValue()) === `${TODAY}T${MEETING_TIME}:00`,
        `DTSTART ${String(start.getFirstValue())}`,
      );
      assert(summary === planningSv.calendar.summary('Samverkansmöte', 'Tranås kommun'), `SUMMARY ${summary}`);
      assert(/@medborgarlofte-bot$/.test(String(vevent.getFirstPropertyValue('uid'))), 'UID');
      log(`  .ics: DTSTART;TZID=Europe/Stockholm:${String(start.getFirstValue())} · ${summary} · ${body.length} bytes`);
      await cardScreenshot(meetingCard, join(outDir, 'card-meeting-invite.png'));
    },
  );

  await step(
    'the decisions in the next digest: recorded on the meeting card, then a meeting saved after its digest time gets the digest at the next tick, showing them',
    'meeting-decisions-digest',
    async () => {
      assert(meetingCard, 'no meeting card from the previous step');
      await meetingCard.getByRole('button', { name: planningSv.minutes.button }).click();
      await waitUntil(async () => (await cardCount(planningSv.minutes.followUps)) > 0, 'the decisions card');
      const minutes = cards(planningSv.minutes.followUps).last();
      await field(minutes, 'textbox', planningSv.minutes.decisions).fill(
        'Krogkontroller varannan fredag\nNy skylt vid resecentrum',
      );
      await field(minutes, 'textbox', planningSv.minutes.followUps).fill('Kommunen bjuder in till krogträff');
      await minutes.getByRole('button', { name: planningSv.minutes.saveButton }).click();
      await waitUntil(async () => (await cardCount(planningSv.minutes.saved)) > 0, 'the decisions to be saved');
      await cardScreenshot(cards(planningSv.minutes.saved).last(), join(outDir, 'card-meeting-decisions.png'));

      const form = await cardAfter('Nytt uppföljningsmöte', () => postWithMention('nytt möte'));
      await form.scrollIntoViewIfNeeded();
      await fillMeeting(form, '2024-03-15', '08:00', 'Stadshuset');
      await form.getByRole('button', { name: 'Spara' }).click();
      await waitUntil(
        async () => (await cards(followUpSv.meetings.saved).filter({ hasText: 'Stadshuset' }).count()) > 0,
        'the second meeting to be saved',
      );
      const savedAt = Date.now();
      const heading = planningSv.minutes.digestTitle('Samverkansmöte', TODAY);
      const digest = page.locator(sel.card).filter({ hasText: heading });
      // The scheduler ticks every minute of real time: at most a minute and the pass.
      await waitUntil(async () => (await digest.count()) > 0, `the digest with "${heading}"`, 100_000);
      const text = await cardText(digest.first());
      assertContains(text, [
        heading,
        '• Krogkontroller varannan fredag',
        '• Ny skylt vid resecentrum',
        planningSv.minutes.digestFollowUps,
        '• Kommunen bjuder in till krogträff',
      ]);
      log(`  the digest arrived ${secs(Date.now() - savedAt)} after the second meeting was saved`);
      await cardScreenshot(digest.first(), join(outDir, 'card-meeting-digest.png'));
    },
  );

  if (pageErrors.length) log(`page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
  log(`requests aborted (not loopback): ${[...blocked].join(', ') || 'none'}`);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  results.push({ name: currentStep ?? 'set-up', ok: false, error: message });
  log(`FAIL ${currentStep ?? 'set-up'}: ${message}`);
  await screenshot('error');
}

if (!finished) {
  if (process.env.E2E_UPDATE_SCREENSHOTS === '1' && results.every((r) => r.ok)) {
    mkdirSync(docsDir, { recursive: true });
    for (const [from, to] of [
      [join(outDir, 'card-help.png'), 'playground-help-card.png'],
      [join(outDir, 'card-status.png'), 'playground-status-card.png'],
      [join(outDir, 'card-report-refused.png'), 'playground-report-refused.png'],
      [join(outDir, 'card-report-receipt.png'), 'playground-report-receipt.png'],
      // The channel just linked by "koppla kanal", with the @mention "hjälp" post below it.
      [shots['channel-link'], 'playground-channel.png'],
    ]) {
      if (from && existsSync(from)) copyFileSync(from, join(docsDir, to));
    }
    log(`README screenshots copied to ${docsDir}`);
  }
  await cleanup();
  clearTimeout(abortTimer);
  log(`done in ${secs(Date.now() - started)}; screenshots and logs in ${outDir}`);
  summaryAndExit();
}
