import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Meeting } from '../../src/domain/meeting.js';
import { DocumentRepositories } from '../../src/storage/memory-store.js';
import { emptyDb } from '../../src/storage/schema.js';

const meeting = (id: string, place = 'Stadshuset'): Meeting => ({
  id,
  agreementId: 'a',
  kind: 'samverkansmöte',
  date: '2024-03-20',
  time: '13:00',
  place,
  createdBy: 'u',
  createdAt: '2024-03-14T10:00:00.000Z',
  updatedAt: '2024-03-14T10:00:00.000Z',
  revision: 1,
});

/** A document whose writes fail on demand, recording what each successful write held. */
function failingDocument() {
  const doc = emptyDb();
  const written: string[] = [];
  const control = { fail: false };
  const repos = new DocumentRepositories(
    () => doc,
    async () => {
      const text = JSON.stringify(doc); // serialised at the call, as lowdb does
      await new Promise((r) => setImmediate(r));
      if (control.fail) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      written.push(text);
    },
  );
  return { repos, written, control, doc };
}

describe('document writes: a failed write leaves no ghost', () => {
  it('undoes a change whose write failed, so a later unrelated write does not carry it to disk', async () => {
    const { repos, written, control } = failingDocument();
    control.fail = true;
    await assert.rejects(repos.meetings.put(meeting('m-refused')), /ENOSPC/);
    await assert.rejects(
      repos.reporters.put({ aadObjectId: 'p-refused', party: 'Polisen', registeredAt: 'x', active: true }),
      /ENOSPC/,
    );
    assert.equal(await repos.meetings.get('m-refused'), undefined);
    assert.equal(await repos.reporters.get('p-refused'), undefined);
    control.fail = false;
    await repos.meetings.put(meeting('m-ok'));
    const last = JSON.parse(written.at(-1)!);
    assert.deepEqual(
      last.meetings.map((m: Meeting) => m.id),
      ['m-ok'],
    );
    assert.deepEqual(last.reporters, []);
  });

  it('puts back the previous version of a replaced item, and keeps changes queued behind the failed write', async () => {
    const { repos, written, control } = failingDocument();
    await repos.meetings.put(meeting('m1', 'Stadshuset'));
    control.fail = true;
    const failed = repos.meetings.put(meeting('m1', 'Polishuset'));
    // Queued while the failing write is in flight: goes into the next write, which succeeds.
    const queued = repos.meetings.put(meeting('m2'));
    // The write under way fails; the disk has room again before the next one.
    setImmediate(() => (control.fail = false));
    await assert.rejects(failed, /ENOSPC/);
    await queued;
    assert.equal((await repos.meetings.get('m1'))!.place, 'Stadshuset');
    const last = JSON.parse(written.at(-1)!);
    assert.deepEqual(
      last.meetings.map((m: Meeting) => [m.id, m.place]),
      [
        ['m1', 'Stadshuset'],
        ['m2', 'Stadshuset'],
      ],
    );
  });

  it('a write under way never holds a change made after it began', async () => {
    const { repos, written } = failingDocument();
    const first = repos.meetings.put(meeting('m1'));
    const second = repos.meetings.put(meeting('m2'));
    await Promise.all([first, second]);
    assert.equal(written.length, 2);
    assert.deepEqual(
      JSON.parse(written[0]!).meetings.map((m: Meeting) => m.id),
      ['m1'],
    );
    assert.deepEqual(
      JSON.parse(written[1]!).meetings.map((m: Meeting) => m.id),
      ['m1', 'm2'],
    );
  });
});
