import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, before, describe, it } from 'mocha';
import type { DeliveryItem, DeliveryLedger, DeliveryOccurrence } from '../../src/app/delivery/index.js';
import {
  DocumentLedger,
  emptyLedger,
  FOLD_LINES,
  LedgerFile,
  readLedgerFiles,
  type LedgerData,
} from '../../src/storage/ledger-file.js';
import { StoreOpenError } from '../../src/storage/lowdb-store.js';
import { PostgresLedger } from '../../src/storage/postgres/ledger.js';
import { freshSchema, postgresAvailable } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2024-03-14T08:00:00.000Z';
const occurrence = (key = 'weekly:a1:2024-W11', due = AT): DeliveryOccurrence => ({ key, kind: 'weeklyReport', due });
const items = (n: number, from = 0): DeliveryItem[] =>
  Array.from({ length: n }, (_, i) => ({
    recipient: `aad-${from + i}`,
    target: { conversationId: `a:${from + i}`, tenantId: 't1' },
    message: {
      text: `Hej <at>Person ${from + i}</at>`,
      mentions: [{ aadObjectId: `aad-${from + i}`, name: `Person ${from + i}` }],
    },
  }));

/** A ledger and a way to start it again as a new process would (memory: the same document). */
interface Subject {
  ledger: DeliveryLedger;
  restart(): Promise<DeliveryLedger>;
  /** Releases what the test opened (connections, a schema). */
  close?(): Promise<void>;
}

interface LedgerImplementation {
  name: string;
  open(): Promise<Subject>;
  /** Whether it can run here (a server it needs); otherwise its suite is skipped. */
  available?(): Promise<boolean>;
  /** A longer bound per test than mocha's default. */
  timeoutMs?: number;
}

const implementations: LedgerImplementation[] = [
  {
    name: 'DocumentLedger (memory)',
    async open() {
      const data: LedgerData = emptyLedger();
      return {
        ledger: new DocumentLedger(data, async () => {}),
        restart: async () => new DocumentLedger(data, async () => {}),
      };
    },
  },
  {
    name: 'LedgerFile (snapshot + journal)',
    async open() {
      const path = join(tempDir('mlbot-ledger-contract-'), 'db.ledger.json');
      let ledger = await LedgerFile.open(path);
      return {
        ledger,
        restart: async () => {
          await ledger.close();
          ledger = await LedgerFile.open(path);
          return ledger;
        },
      };
    },
  },
  {
    name: 'PostgresLedger (a schema of its own)',
    available: postgresAvailable,
    // Every row change is a committed statement (a WAL flush): the 2,055-row test makes over 4,000,
    // about 5 s on an idle machine and much more while other work shares the disk.
    timeoutMs: 120_000,
    async open() {
      const schema = await freshSchema('ledger');
      const pool = schema.pool(4);
      let ledger = await PostgresLedger.open(pool);
      return {
        ledger,
        // A new process: the old one's liveness lock is gone, the new one has another id.
        restart: async () => {
          await ledger.close();
          ledger = await PostgresLedger.open(pool);
          return ledger;
        },
        close: async () => {
          await ledger.close();
          await schema.drop();
        },
      };
    },
  },
];

/** Sends every pending row of the ledger (as the engine would, without pacing). */
async function sendAll(ledger: DeliveryLedger, key?: string): Promise<number> {
  let n = 0;
  for (;;) {
    const batch = await ledger.reserve(50, AT, key);
    if (batch.length === 0) return n;
    for (const row of batch) {
      await ledger.markAttempt(row.occurrenceKey, row.recipient, AT);
      await ledger.complete(
        row.occurrenceKey,
        row.recipient,
        { state: 'sent', activityId: `act-${row.recipient}` },
        AT,
      );
      n++;
    }
  }
}

for (const impl of implementations) {
  describe(`delivery ledger contract: ${impl.name}`, function () {
    if (impl.timeoutMs) this.timeout(impl.timeoutMs);
    if (impl.available) {
      const available = impl.available.bind(impl);
      before(async function () {
        if (!(await available())) this.skip();
      });
    }
    const opened: Subject[] = [];
    const make = async () => {
      const subject = await impl.open();
      opened.push(subject);
      return subject;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close?.();
    });

    it('keeps every row of a settled occurrence across a restart, and new recipients of it are added, old ones keep their state', async () => {
      const { ledger, restart } = await make();
      await ledger.enqueue(occurrence(), items(3), AT);
      assert.equal(await sendAll(ledger), 3);
      const again = await restart();
      await again.enqueue(occurrence(), items(4), AT);
      assert.deepEqual((await again.overview())[0]!.counts, {
        sent: 3,
        skipped: 0,
        failed: 0,
        unknown: 0,
        inProgress: 1,
      });
      assert.equal(await sendAll(again), 1);
    });

    it('one occurrence with many recipients (more than a fold) is one batch: every row once, the same after a restart', async () => {
      const { ledger, restart } = await make();
      const n = FOLD_LINES * 2 + 7;
      await ledger.enqueue(occurrence(), items(n), AT);
      assert.equal(await sendAll(ledger, occurrence().key), n);
      assert.equal(await sendAll(ledger), 0, 'nothing is sent twice');
      const again = await restart();
      const [o] = await again.overview({ keys: [occurrence().key] });
      assert.equal(o!.counts.sent, n);
      assert.equal(await sendAll(again), 0);
    });

    it('after a restart a row in flight is unknown and never resent, a row waiting to retry is sent', async () => {
      const { ledger, restart } = await make();
      await ledger.enqueue(occurrence(), items(3), AT);
      const [a, b] = await ledger.claim(2, AT);
      await ledger.markRetrying(a!.occurrenceKey, a!.recipient, AT);
      void b;
      const again = await restart();
      assert.deepEqual(await again.recoverInterrupted(AT), { unknown: 1, requeued: 1 });
      assert.equal(await sendAll(again), 2);
      const [o] = await again.overview();
      assert.deepEqual(o!.uncertain, ['aad-1']);
      assert.deepEqual(o!.counts, { sent: 2, skipped: 0, failed: 0, unknown: 1, inProgress: 0 });
    });

    it('prunes settled occurrences due before a date, keeps unsettled and newer ones, and stays pruned after a restart', async () => {
      const { ledger, restart } = await make();
      await ledger.enqueue(occurrence('old-settled', '2023-01-01T00:00:00.000Z'), items(2), AT);
      await sendAll(ledger);
      await ledger.enqueue(occurrence('old-open', '2023-01-02T00:00:00.000Z'), items(1), AT);
      await ledger.enqueue(occurrence('new', '2024-03-14T00:00:00.000Z'), [{ ...items(1)[0]!, skip: 'absent' }], AT);
      assert.equal(await ledger.prune('2024-01-01T00:00:00.000Z'), 1);
      assert.equal(await ledger.prune('2024-01-01T00:00:00.000Z'), 0);
      const again = await restart();
      assert.deepEqual((await again.overview()).map((o) => o.key).sort(), ['new', 'old-open']);
      assert.equal(await sendAll(again), 1);
    });

    it('looks occurrences up by key (each once, missing keys ignored), by kind and by due date', async () => {
      const { ledger } = await make();
      await ledger.enqueue(occurrence('a', '2024-03-01T00:00:00.000Z'), items(1), AT);
      await ledger.enqueue({ key: 'b', kind: 'digest', due: '2024-03-10T00:00:00.000Z' }, items(1), AT);
      assert.deepEqual(
        (await ledger.overview({ keys: ['a', 'a', 'missing', 'b'] })).map((o) => o.key),
        ['b', 'a'],
      );
      assert.deepEqual(
        (await ledger.overview({ kinds: ['digest'] })).map((o) => o.key),
        ['b'],
      );
      assert.deepEqual(
        (await ledger.overview({ since: '2024-03-05T00:00:00.000Z' })).map((o) => o.key),
        ['b'],
      );
    });

    it('remembers a gone conversation across a restart', async () => {
      const { ledger, restart } = await make();
      assert.equal(await ledger.noteConversationGone('a:1', AT), true);
      const again = await restart();
      assert.equal(await again.noteConversationGone('a:1', '2024-03-15T00:00:00.000Z'), false);
      assert.equal(
        await again.noteConversationGone('a:1', '2024-03-16T00:00:00.000Z', '2024-03-15T12:00:00.000Z'),
        true,
      );
    });
  });
}

describe('delivery ledger files: snapshot and journal', () => {
  const fresh = () => join(tempDir('mlbot-ledger-files-'), 'db.ledger.json');
  const journalOf = (path: string) => path.replace(/\.json$/, '.jsonl');
  const lineCount = (path: string) =>
    existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;

  it('appends changes to the journal and folds it into the snapshot at FOLD_LINES lines, at close and at start-up', async () => {
    const path = fresh();
    const ledger = await LedgerFile.open(path);
    await ledger.enqueue(occurrence(), items(10), AT);
    const snapshotBefore = readFileSync(path, 'utf8');
    assert.ok(lineCount(journalOf(path)) > 10, 'the enqueue is in the journal');
    assert.equal(readFileSync(path, 'utf8'), snapshotBefore, 'the snapshot is not rewritten per change');
    // What is on disk reads back whole without opening the ledger.
    assert.equal(readLedgerFiles(path).data.occurrences[0]!.rows.length, 10);
    await sendAll(ledger);
    await ledger.enqueue(occurrence('big'), items(FOLD_LINES), AT);
    assert.ok(ledger.journalLines < FOLD_LINES, `folded: ${ledger.journalLines} lines left`);
    await ledger.close();
    assert.equal(statSync(journalOf(path)).size, 0, 'close folds');
    const { data, journalLines } = readLedgerFiles(path);
    assert.equal(journalLines, 0);
    assert.deepEqual(
      data.occurrences.map((o) => [o.key, o.rows.length]),
      [
        [occurrence().key, 10],
        ['big', FOLD_LINES],
      ],
    );
  });

  it('ignores a torn last line (a crash mid-append) and folds at start-up', async () => {
    const path = fresh();
    const ledger = await LedgerFile.open(path);
    await ledger.enqueue(occurrence(), items(2), AT);
    const [row] = await ledger.claim(1, AT);
    // The process dies in the middle of writing the next line.
    appendFileSync(journalOf(path), `{"seq":999,"op":"row","key":"${row!.occurrenceKey}","row":{"recipient":"aad-`);
    const files = readLedgerFiles(path);
    assert.equal(files.tornTail, true);
    const again = await LedgerFile.open(path);
    assert.equal(statSync(journalOf(path)).size, 0, 'the journal is folded at start-up, torn line and all');
    assert.deepEqual(await again.recoverInterrupted(AT), { unknown: 1, requeued: 0 });
    assert.equal(await sendAll(again), 1);
    await again.close();
  });

  it('replays nothing twice after a crash between the snapshot rename and emptying the journal', async () => {
    const path = fresh();
    const ledger = await LedgerFile.open(path);
    await ledger.enqueue(occurrence(), items(1), AT);
    const journal = readFileSync(journalOf(path), 'utf8');
    await sendAll(ledger);
    await ledger.close();
    // The old journal lines (the row still pending) come back, as if the journal had not been emptied.
    writeFileSync(journalOf(path), journal);
    const again = await LedgerFile.open(path);
    assert.equal((await again.overview())[0]!.counts.sent, 1);
    assert.equal(await sendAll(again), 0);
    await again.close();
  });

  it('reads a ledger written before the journal (one file, no seq) and goes on from it', async () => {
    const path = fresh();
    const old = {
      version: 1,
      occurrences: [
        {
          key: 'k',
          kind: 'weeklyReport',
          due: AT,
          createdAt: AT,
          rows: [
            {
              recipient: 'aad-0',
              conversationId: 'a:0',
              state: 'sent',
              attempts: 1,
              createdAt: AT,
              updatedAt: AT,
              activityId: 'x',
            },
          ],
        },
      ],
      goneNotices: [],
    };
    writeFileSync(path, JSON.stringify(old));
    const ledger = await LedgerFile.open(path);
    await ledger.enqueue(occurrence('k'), items(2), AT);
    assert.equal(await sendAll(ledger), 1);
    await ledger.close();
    const { data } = readLedgerFiles(path);
    assert.equal(data.occurrences[0]!.rows.length, 2);
    assert.ok((data.seq ?? 0) > 0);
  });

  it('refuses a damaged line before the last one without touching the files', async () => {
    const path = fresh();
    const ledger = await LedgerFile.open(path);
    await ledger.enqueue(occurrence(), items(1), AT);
    const text = 'not json\n' + readFileSync(journalOf(path), 'utf8');
    writeFileSync(journalOf(path), text);
    await assert.rejects(LedgerFile.open(path), StoreOpenError);
    assert.equal(readFileSync(journalOf(path), 'utf8'), text);
  });
});
