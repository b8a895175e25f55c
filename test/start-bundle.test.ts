import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../src/app/clock.js';
import { message } from './helpers/activities.js';
import { assertValidCard, cardsOf } from './helpers/card-validate.js';
import { ConnectorStub } from './helpers/connector-stub.js';
import { FakeOpenAI } from './helpers/fake-openai.js';
import { cardText, startHarness, tempDbPath, type Harness } from './helpers/harness.js';

// `npm start` runs the esbuild bundle of dist/src/main.js (scripts/build/bundle.mjs), not the tsc
// output the other tests import. This starts it as a child process, the way `npm start` does, and
// checks that it answers exactly as the tsc build does: "status", and a free-form question through
// the (fake) language model, which runs the modules the bundle loads only on first use (LAZY in
// scripts/build/bundle.mjs: teams-ai's GPT tokenizer counts the prompt's tokens).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLOCK = '2024-03-14T10:00:00Z';
/** A question the deterministic parser does not understand (test/http/llm.test.ts checks it). */
const FREE_FORM = 'kan du ge mig en bild av kontrollerna på krogarna och i trafiken sedan nyår';

function startEntry(): string {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts
    .start;
  const m = /^node (\S+)$/.exec(start);
  assert.ok(m, `package.json scripts.start is "node <file>": ${start}`);
  return join(root, m[1]!);
}

describe('npm start: the production bundle', function () {
  let connector: ConnectorStub;
  let fake: FakeOpenAI;
  let child: ChildProcess | undefined;
  let exited: Promise<number | null>;
  let port = 0;
  let output = '';
  let dbPath: string;
  let h: Harness;

  /** For both bots: the fake model, no reminders (nothing but the answers reaches the connector). */
  const env = () => ({
    LLM_PROVIDER: 'compatible',
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'fake',
    LLM_API_KEY: 'x',
    LLM_TIMEOUT_MS: '5000',
    REMINDERS_ENABLED: 'false',
  });

  before(async () => {
    const entry = startEntry();
    assert.ok(existsSync(entry), `${entry} is missing: npm test builds it (npm run build)`);
    connector = await new ConnectorStub().start();
    fake = await new FakeOpenAI().start();
    dbPath = tempDbPath();
    child = spawn(process.execPath, [entry], {
      cwd: root,
      env: {
        ...process.env,
        ...env(),
        NODE_ENV: 'development',
        TEAMSFX_ENV: 'local',
        BOT_ID: '',
        BOT_PASSWORD: '',
        BOT_TENANT_ID: '',
        HOST: '',
        PORT: '0',
        DB_PATH: dbPath,
        BOT_CLOCK: CLOCK,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((r) => child!.once('exit', (code) => r(code)));
    port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the bundle did not log "listening" within 15 s:\n${output}`)),
        15000,
      );
      let pending = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        pending += chunk.toString('utf8');
        let i;
        while ((i = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, i);
          pending = pending.slice(i + 1);
          let rec: { msg?: unknown; port?: unknown } = {};
          try {
            rec = JSON.parse(line) as typeof rec;
          } catch {
            continue; // not a log record
          }
          if (
            typeof rec.msg === 'string' &&
            /^listening on http:\/\/127\.0\.0\.1:\d+\/api\/messages$/.test(rec.msg) &&
            Number.isInteger(rec.port)
          ) {
            clearTimeout(timer);
            resolvePort(rec.port as number);
          }
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      void exited.then((code) => reject(new Error(`the bundle exited with code ${code}:\n${output}`)));
    });
    // The tsc build in this process, on its own data file, with the same environment and instant.
    h = await startHarness({ clock: new ManualClock(CLOCK), env: env() });
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await h?.stop();
    await connector?.stop();
    await fake?.stop();
    if (dbPath) rmSync(dirname(dbPath), { recursive: true, force: true });
  });

  /** One message to the bundle; its single reply. */
  async function askBundle(text: string): Promise<Record<string, any>> {
    const before = connector.posted.length;
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(text, { serviceUrl: connector.url })),
    });
    assert.equal(res.status, 200, await res.text());
    await connector.waitFor(before + 1, 10000);
    const replies = connector.posted.slice(before).map((r) => r.body);
    assert.equal(replies.length, 1, 'one reply');
    return replies[0]!;
  }

  async function askTsc(text: string): Promise<Record<string, any>> {
    const replies = await h.turn(message(text, { serviceUrl: h.connector.url }));
    assert.equal(replies.length, 1, 'one reply');
    return replies[0]!;
  }

  function card(reply: Record<string, any>): Record<string, any> {
    const cards = cardsOf(reply);
    assert.equal(cards.length, 1, 'one card');
    assertValidCard(cards[0]);
    return cards[0]!;
  }

  it('answers "status" with the same card as the tsc build', async () => {
    const bundled = await askBundle('status');
    const built = await askTsc('status');
    assert.deepEqual(card(bundled), card(built));
  });

  it('answers a free-form question through the language model as the tsc build does', async () => {
    const script = () =>
      fake.reply(
        { toolCalls: [{ name: 'count', arguments: { activities: ['trafikkontroller'], window: 'year' } }] },
        { text: 'En överblick.' },
      );
    script();
    const bundled = await askBundle(FREE_FORM);
    assert.equal(fake.requests.length, 2, 'the bundle asked the model (tool call and lead)');
    // The fake numbers its tool calls across requests: compare without those ids.
    const sent = () => fake.requests.map((r) => JSON.parse(r.text.replace(/call_\d+_\d+/g, 'call_id')) as unknown);
    const sentByBundle = sent();
    script();
    const built = await askTsc(FREE_FORM);
    assert.deepEqual(sent(), sentByBundle, 'the same requests to the model');
    assert.deepEqual(card(bundled), card(built));
    assert.equal(cardText(bundled), cardText(built));
  });

  it('stops on SIGTERM with exit code 0', async () => {
    child!.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  });
});
