import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { sv } from '../../../src/texts/index.js';
import { cardAction, message, USER } from '../../helpers/activities.js';
import { cardText } from '../../helpers/harness.js';
import { assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

/** The same routes on the memory store: no data file, the audit in memory. */
describe('turns on a memory store', () => {
  let h: TurnHarness;

  before(async () => {
    h = await startTurnHarness({ store: 'memory' });
  });
  after(async () => {
    await h.stop();
  });

  it('answers, stores a report and audits it without writing a data file', async () => {
    const [help] = await h.turn(message('hjälp', h.where()));
    assertShows(cardText(help!), sv.help.title);
    const data = {
      submissionId: 'sub-memory-1',
      week: '2024-W11',
      activityId: 'trafikkontroller',
      count: '2',
      date: '2024-03-13',
      area: 'Centrum',
      description: 'Kontroller vid infarten',
      party: 'Polisen',
    };
    const res = await h.post(cardAction('report.submit', data, h.where()));
    assert.equal(res.status, 200);
    assertShows(cardText(res.body.value), sv.report.saved);
    const stored = await h.store.reports.list();
    assert.deepEqual(
      stored.map((r) => [r.submissionId, r.count, r.reporterId]),
      [['sub-memory-1', 2, USER.aadObjectId]],
    );
    assert.deepEqual(
      h.audit!.entries.filter((e) => e.action === 'report.created').map((e) => e.objectId),
      [stored[0]!.id],
    );
    assert.equal(existsSync(h.dbPath), false, 'no data file');
    assert.equal((await h.store.conversations.get('a:personal-1'))?.kind, 'personal');
  });

  it('refuses a restart, which a memory store would not survive', async () => {
    await assert.rejects(h.restart(), /memory store/);
  });
});
