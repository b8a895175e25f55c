import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { findPersonalData } from '../../src/domain/privacy.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { WeeklyReportSchema } from '../../src/domain/report.js';
import { DbSchema, ReportFileSchema } from '../../src/storage/schema.js';
import { cardAction, message, TENANT, USER } from '../helpers/activities.js';
import { COORDINATOR, generate, PERSONAL, prng } from '../helpers/fuzz-activities.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { FUZZ_COUNT } from '../helpers/runs.js';

/**
 * Sends many malformed activities and card payloads, generated from a seeded PRNG, to the real
 * HTTP endpoint, and checks that the bot answers every one of them (never a 5xx), stays up, and
 * stores nothing partial or private. FUZZ_SEED reproduces a run; FUZZ_COUNT (test/helpers/runs.ts)
 * sets its length: 1000 locally, 10000 in CI.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20240314);
const COUNT = FUZZ_COUNT;
const CONCURRENCY = 20;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One POST over a kept-alive loopback socket (lighter than fetch for thousands of requests). */
function post(port: number, body: string | Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/messages',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(data.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(data);
  });
}

describe('fuzz: malformed activities and card payloads at /api/messages', function () {
  this.timeout(300_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({
      clock: new ManualClock('2024-03-14T10:00:00Z'),
      env: { ALLOWED_TENANT_IDS: TENANT, COORDINATOR_IDS: COORDINATOR.aadObjectId },
    });
    // The stub answers every send without keeping it (thousands of cards), and knows no members.
    h.connector.responder = (req) =>
      req.method === 'GET'
        ? { status: 404, body: { error: { code: 'MemberNotFoundInConversation' } } }
        : { status: 200, body: { id: 'act-fuzz' } };
  });
  after(async () => {
    agent.destroy();
    await h?.stop();
  });

  it(`answers ${COUNT} malformed requests without a 5xx, stays up, and stores nothing partial or private`, async () => {
    const r = prng(SEED);
    const reportIds: string[] = [];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const labels = new Map<string, number>();
    const slowest: { ms: number; what: string }[] = [];
    let sent = 0;
    const started = process.hrtime.bigint();

    async function worker(): Promise<void> {
      while (sent < COUNT) {
        sent += 1;
        const c = generate(r, h.connector.url, reportIds);
        labels.set(c.label, (labels.get(c.label) ?? 0) + 1);
        let status = 0;
        let text = '';
        const t0 = process.hrtime.bigint();
        try {
          ({ status, text } = await post(h.bot.port, c.body));
        } catch (err) {
          text = `request failed: ${(err as Error).message}`;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
          slowest.push({
            ms,
            what: `${c.label} ${status} ${String(c.body).length} bytes: ${String(c.body).slice(0, 160)}`,
          });
          slowest.sort((a, b) => b.ms - a.ms).splice(5);
        }
        const sample = () => `${c.label} ${String(c.body).slice(0, 20_000)}`;
        if (status === 0 || status >= 500) {
          failures.push(`HTTP ${status} ${text.slice(0, 200)} for ${sample()}`);
          continue;
        }
        if (c.invoke && status < 300 && text !== '') {
          try {
            const body = JSON.parse(text) as Record<string, unknown>;
            // Remember report ids from receipts, so edits and withdrawals hit real reports.
            for (const m of text.matchAll(/"reportId":"([0-9a-f-]{36})"/g))
              if (reportIds.length < 500 && !reportIds.includes(m[1]!)) reportIds.push(m[1]!);
            assert.ok(body && typeof body === 'object');
          } catch {
            failures.push(`invoke answer is not JSON (${text.slice(0, 100)}) for ${sample()}`);
          }
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `      fuzz: seed ${SEED}, ${COUNT} requests in ${seconds.toFixed(1)} s (${Math.round(COUNT / seconds)}/s); kinds ${JSON.stringify(Object.fromEntries(labels))}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ${reportIds.length} reports seen`,
    );
    if (process.env.FUZZ_VERBOSE) for (const s of slowest) console.log(`      slow: ${s.ms.toFixed(0)} ms ${s.what}`);
    if (failures.length > 0) {
      const dump = join(tmpdir(), `fuzz-failures-${SEED}.txt`);
      writeFileSync(dump, failures.join('\n'));
      assert.fail(
        `${failures.length} failures (all in ${dump}), the first:\n${failures
          .slice(0, 5)
          .map((f) => f.slice(0, 400))
          .join('\n')}`,
      );
    }

    // Still up.
    const health = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as Record<string, unknown>).status, 'ok');

    // Every data file parses; every stored report is whole and holds no personal data.
    await h.bot.stop();
    const db = DbSchema.safeParse(JSON.parse(readFileSync(h.dbPath, 'utf8')));
    assert.ok(
      db.success,
      `db.json does not match its schema: ${db.success ? '' : JSON.stringify(db.error.issues.slice(0, 3))}`,
    );
    for (const conv of db.data.conversations)
      assert.equal(conv.tenantId?.toLowerCase(), TENANT, 'a refused tenant left a conversation behind');
    // Conversation references hold only short ids and names: the main file, rewritten on every
    // change, does not grow with what a caller sends.
    const dbBytes = statSync(h.dbPath).size;
    assert.ok(dbBytes < 1_000_000, `db.json grew to ${dbBytes} bytes`);

    const dir = h.dbPath.replace(/\.json$/, '.reports');
    const files = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : [];
    // A clean stop folds every week's journal into its snapshot: the snapshots hold everything.
    assert.deepEqual(
      existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')) : [],
      [],
      'a journal was left after a clean stop',
    );
    let stored = 0;
    for (const name of files) {
      const file = ReportFileSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      assert.ok(
        file.success,
        `${name} does not match its schema: ${file.success ? '' : JSON.stringify(file.error.issues.slice(0, 3))}`,
      );
      for (const report of file.data.reports) {
        stored += 1;
        assert.ok(
          WeeklyReportSchema.strict().safeParse(report).success,
          `report ${report.id} has fields it should not`,
        );
        for (const key of [
          'id',
          'submissionId',
          'agreementId',
          'reporterId',
          'week',
          'activityId',
          'pledgeNumber',
          'count',
          'date',
          'area',
          'description',
          'raiseAtNextMeeting',
          'party',
          'createdAt',
          'updatedAt',
          'history',
        ]) {
          assert.ok(key in report, `report ${report.id} lacks ${key}`);
        }
        assert.equal(report.week, name.replace(/\.json$/, ''), `report ${report.id} is in the wrong week file`);
        assert.deepEqual(
          findPersonalData(report.description),
          [],
          `report ${report.id} holds personal data in its description`,
        );
        for (const step of report.history)
          if (step.previous?.description !== undefined)
            assert.deepEqual(findPersonalData(step.previous.description), []);
      }
    }
    if (COUNT >= 2000)
      assert.ok(stored > 0, 'the fuzz stored no report at all: the near-valid payloads are not reaching the store');
    console.log(
      `      fuzz: ${stored} reports stored in ${files.length} week files, all whole; db.json ${dbBytes} bytes with ${db.data.conversations.length} conversations`,
    );

    const audit = AuditFile.pathFor(h.dbPath);
    for (const line of readFileSync(audit, 'utf8').split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.equal(typeof entry.action, 'string');
      for (const p of PERSONAL)
        assert.ok(!String(entry.detail ?? '').includes(p), 'the audit trail holds a personal identifier');
    }

    // The files open again.
    await h.restart();
    const again = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    assert.equal(((await again.json()) as Record<string, unknown>).status, 'ok');
  });
});

describe('fuzz findings kept as regressions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('stores only the short, known fields of a conversation reference (found by the fuzz: a nested object grew db.json to megabytes)', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 3000; i++) nested = { a: nested };
    const base = message('hjälp', { serviceUrl: h.connector.url, conversationId: 'a:nested' });
    await h.turn({
      ...base,
      from: { ...base.from, properties: nested },
      recipient: { ...base.recipient, extra: 'y'.repeat(100_000) },
      conversation: { ...base.conversation, properties: nested },
    });
    const stored = await h.bot.store.conversations.get('a:nested');
    assert.deepEqual(Object.keys(stored!.reference).sort(), [
      'bot',
      'channelId',
      'conversation',
      'locale',
      'serviceUrl',
      'user',
    ]);
    assert.deepEqual(stored!.reference.user, { id: USER.id, name: USER.name, aadObjectId: USER.aadObjectId });
    assert.equal((stored!.reference.conversation as Record<string, unknown>).tenantId, TENANT);
    assert.ok(statSync(h.dbPath).size < 100_000, `db.json is ${statSync(h.dbPath).size} bytes`);
  });

  it('answers 400 to ids and names longer than any real one, and stores nothing', async () => {
    const base = message('hjälp', { serviceUrl: h.connector.url, conversationId: 'a:long' });
    for (const activity of [
      { ...base, from: { ...base.from, name: 'n'.repeat(2000) } },
      { ...base, conversation: { ...base.conversation, id: `a:${'i'.repeat(2000)}` } },
      { ...base, locale: 'sv-SE'.repeat(100) },
    ]) {
      const res = await h.post(activity);
      assert.equal(res.status, 400, JSON.stringify(res.body));
    }
    assert.equal(await h.bot.store.conversations.get('a:long'), undefined);
  });

  it('answers a card action whose data makes Number() and String() throw with a card, not a 501', async () => {
    const evil = [{ toString: 'not a function', valueOf: null }];
    for (const [verb, data] of [
      ['status.pledge', { pledgeNumber: evil }],
      ['report.edit', { reportId: evil }],
      ['report.save', { reportId: evil }],
      ['report.withdraw', { reportId: evil }],
      ['report.submit', { submissionId: evil, count: evil }],
    ] as const) {
      const res = await h.post(cardAction(verb, data, { serviceUrl: h.connector.url }));
      assert.equal(res.status, 200, `${verb}: ${res.status}`);
      assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    }
  });

  it('does not run the question parser over a long message (found by the fuzz: 120 KB held the event loop for 12 s)', async () => {
    const [reply] = await h.turn(message('19121212-1212 '.repeat(8000), { serviceUrl: h.connector.url }));
    // Refused before any parser runs (over 4 000 characters), without echoing the text.
    assert.match(JSON.stringify(reply), /för långt för att jag ska läsa det som ett kommando eller en fråga/);
    assert.doesNotMatch(JSON.stringify(reply), /19121212/);
  });
});
