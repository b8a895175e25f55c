import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import type { Store } from '../../src/app/ports.js';
import { GUARD_MARKER_KEY, PrivacySweep } from '../../src/app/privacy-sweep.js';
import { AgreementSchema, type Agreement } from '../../src/domain/agreement.js';
import { GUARD_VERSION } from '../../src/domain/privacy.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { sv } from '../../src/texts/index.js';
import { message, USER } from '../helpers/activities.js';
import { cardText, startHarness, tempDbPath } from '../helpers/harness.js';
import { storedReport } from '../helpers/report-builder.js';
import { storedReports } from '../helpers/stored-reports.js';

const REDACTED = sv.redactedText;
/** An activity id an earlier version built from a wording that held a personnummer. */
const LEAKY_ID = 'kontroll-av-19121212-1212';
const SECRETS = ['19121212-1212', '121212', 'anna.andersson', '070', '811218', 'ABC 123', 'abc123'];

function earlierAgreement(): Agreement {
  const a = AgreementSchema.parse(structuredClone(TRANAS_2023_2024));
  a.activities.push({
    id: LEAKY_ID,
    pledgeNumber: 3,
    owner: 'Polisen',
    wording: 'Kontroll av 19121212\u20111212',
    unit: 'kontroller',
    target: { kind: 'none' },
    youthFocus: false,
  });
  a.activities[0]!.unit = 'bilar som ABC 123';
  return a;
}

const report = (extra: Partial<WeeklyReport>): WeeklyReport =>
  storedReport({
    createdAt: '2024-03-05T10:00:00.000Z',
    history: [{ at: '2024-03-05T10:00:00.000Z', by: USER.aadObjectId, action: 'created' }],
    ...extra,
  });

/** What an earlier version, with the weaker guard, let into the store. */
async function fillAsEarlierVersion(store: Store): Promise<void> {
  await store.agreements.save(earlierAgreement());
  await store.reports.add(report({ id: 'r-mail', description: 'Kontakt anna.andersson(at)polisen.se' }));
  await store.reports.add(report({ id: 'r-split', description: 'Person född 121212', count: 1212 }));
  await store.reports.add(report({ id: 'r-leaky', activityId: LEAKY_ID, description: 'Kontroll vid torget' }));
  await store.reports.add(
    report({
      id: 'r-history',
      description: 'Rättat: kontroll vid skolan',
      history: [
        { at: '2024-03-05T10:00:00.000Z', by: USER.aadObjectId, action: 'created' },
        {
          at: '2024-03-05T11:00:00.000Z',
          by: USER.aadObjectId,
          action: 'edited',
          previous: { description: 'Ring 070\u2011123\u00a045\u00a067' },
        },
      ],
    }),
  );
  await store.reports.add(report({ id: 'r-ok' }));
  await store.meetings.put({
    id: 'm-1',
    agreementId: 'tranas-2023-2024',
    kind: 'EST-möte',
    date: '2024-03-20',
    time: '13:00',
    place: 'Stadshuset',
    agenda: 'Ta upp 811218\u20119876',
    createdBy: 'x',
    createdAt: '2024-03-01T10:00:00.000Z',
    updatedAt: '2024-03-01T10:00:00.000Z',
    revision: 1,
  });
  await store.meetings.put({
    id: 'm-2',
    agreementId: 'tranas-2023-2024',
    kind: 'samverkansmöte',
    date: '2024-03-21',
    time: '13:00',
    place: 'Polishuset, sal 2',
    agenda: 'Läget i centrum v. 12',
    createdBy: 'x',
    createdAt: '2024-03-01T10:00:00.000Z',
    updatedAt: '2024-03-01T10:00:00.000Z',
    revision: 1,
  });
  await store.overrides.put({
    id: 'o-1',
    agreementId: 'tranas-2023-2024',
    pledgeNumber: 3,
    activityId: LEAKY_ID,
    level: 'atRisk',
    reason: 'Gäller bilen abc123',
    by: 'x',
    byName: 'Kommunpolis',
    at: '2024-03-01T10:00:00.000Z',
  });
  await store.reporters.put({
    aadObjectId: 'r-named',
    party: 'Polisen',
    name: 'Anna 070-123 45 67',
    registeredAt: '2024-03-01T10:00:00.000Z',
    active: true,
  });
  await store.channelLinks.put({
    agreementId: 'tranas-2023-2024',
    conversationId: '19:c@thread.tacv2',
    channelName: 'Samverkan ABC 123',
    linkedBy: 'x',
    linkedAt: '2024-03-01T10:00:00.000Z',
  });
}

async function everything(store: Store): Promise<string> {
  const parts: unknown[] = [
    await store.agreements.list(),
    await store.reports.list({ includeWithdrawn: true }),
    await store.meetings.list(),
    await store.overrides.list(),
    await store.reporters.list(),
    await store.channelLinks.list(),
    await store.conversations.list(),
  ];
  return JSON.stringify(parts);
}

describe('privacy sweep: text stored by earlier versions, checked with the new guard', () => {
  it('redacts what fails, keeps what passes, renumbers a leaky activity id, audits counts only, once per guard version (memory store)', async () => {
    const store = new MemoryStore();
    await fillAsEarlierVersion(store);
    const audit = new MemoryAuditLog();
    const sweep = new PrivacySweep(store, new ManualClock('2024-03-14T10:00:00Z'), audit, REDACTED);
    const result = await sweep.runOnce();

    assert.deepEqual(
      { ...result, total: undefined },
      {
        ran: true,
        reports: 3,
        meetings: 1,
        overrides: 1,
        agreements: 2,
        activityIds: 1,
        names: 2,
        auditLines: 0,
        total: undefined,
      },
    );
    const all = await everything(store);
    for (const s of SECRETS) assert.ok(!all.includes(s), s);

    const byId = async (id: string) => (await store.reports.get(id))!;
    assert.equal((await byId('r-mail')).description, REDACTED);
    assert.equal((await byId('r-split')).description, REDACTED);
    assert.equal((await byId('r-split')).count, 1212, 'the figures stay');
    assert.equal((await byId('r-history')).history[1]!.previous!.description, REDACTED);
    assert.equal((await byId('r-ok')).description, 'Trafikkontroll kl. 22.30 på väg 32, 45 fordon');
    assert.equal((await byId('r-ok')).history.length, 1, 'untouched');

    const agreement = (await store.agreements.get('tranas-2023-2024'))!;
    const renamed = agreement.activities[agreement.activities.length - 1]!;
    assert.equal(renamed.id, 'aktivitet-8');
    assert.equal(renamed.wording, REDACTED);
    assert.equal(agreement.activities[0]!.unit, REDACTED);
    assert.ok(AgreementSchema.safeParse(agreement).success, 'still a valid agreement');
    assert.equal((await byId('r-leaky')).activityId, 'aktivitet-8', 'reports follow the new id');
    assert.equal((await byId('r-leaky')).description, 'Kontroll vid torget');
    assert.equal((await store.overrides.get('o-1'))!.activityId, 'aktivitet-8');
    assert.equal((await store.overrides.get('o-1'))!.reason, REDACTED);
    assert.equal((await store.overrides.get('o-1'))!.byName, 'Kommunpolis');
    assert.equal((await store.meetings.get('m-1'))!.agenda, REDACTED);
    assert.equal((await store.meetings.get('m-1'))!.place, 'Stadshuset');
    assert.equal((await store.meetings.get('m-2'))!.agenda, 'Läget i centrum v. 12');
    assert.equal((await store.reporters.get('r-named'))!.name, undefined);
    assert.equal((await store.channelLinks.get('tranas-2023-2024'))!.channelName, undefined);

    assert.equal(audit.entries.length, 1);
    const entry = audit.entries[0]!;
    assert.equal(entry.action, 'data.redacted');
    assert.equal(
      entry.detail,
      `guard=${GUARD_VERSION};reports=3;meetings=1;overrides=1;agreementTexts=2;activityIds=1;names=2;auditLines=0`,
    );
    for (const s of [...SECRETS, LEAKY_ID]) assert.ok(!JSON.stringify(entry).includes(s), s);
    assert.equal((await store.markers.get(GUARD_MARKER_KEY))!.value, GUARD_VERSION);

    // Once per guard version: a second run does nothing and records nothing.
    const again = await sweep.runOnce();
    assert.equal(again.ran, false);
    assert.equal(audit.entries.length, 1);
  });

  it('runs at start-up on a lowdb store written by an earlier version, and not again at the next start', async () => {
    const dbPath = tempDbPath();
    const store = await LowdbStore.open(dbPath);
    await fillAsEarlierVersion(store);
    await store.close();
    const before = readFileSync(dbPath, 'utf8');
    assert.ok(!('markers' in JSON.parse(before)) || JSON.parse(before).markers.length === 0);
    // The audit trail as an earlier version wrote it: the activity id built from the wording.
    const ordinary = {
      at: '2024-03-01T10:00:00.000Z',
      actor: { id: 'coordinator-1' },
      action: 'report.created',
      objectId: 'r-1',
      outcome: 'ok',
    };
    const leaky = {
      at: '2024-03-02T10:00:00.000Z',
      actor: { id: 'coordinator-1' },
      action: 'agreement.changed',
      objectId: 'tranas-2023-2024',
      outcome: 'ok',
      detail: `activity.added:${LEAKY_ID}`,
    };
    const auditPath = dbPath.replace(/\.json$/, '.audit.jsonl');
    writeFileSync(auditPath, `${JSON.stringify(ordinary)}\n${JSON.stringify(leaky)}\n`);

    const h = await startHarness({ dbPath, clock: new ManualClock('2024-03-14T10:00:00Z') });
    try {
      const files = readFileSync(dbPath, 'utf8') + JSON.stringify(storedReports(dbPath));
      for (const s of SECRETS) assert.ok(!files.includes(s), s);
      assert.ok(files.includes(REDACTED));
      const redactions = () =>
        readFileSync(auditPath, 'utf8')
          .split('\n')
          .filter((l) => l.includes('data.redacted'));
      assert.equal(redactions().length, 1);
      for (const s of SECRETS) assert.ok(!readFileSync(auditPath, 'utf8').includes(s), s);
      const lines = readFileSync(auditPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      assert.deepEqual(lines[0], ordinary, 'a line that passes is kept as it was');
      assert.deepEqual(
        lines[1],
        { ...leaky, detail: REDACTED },
        'the leaky value is replaced, the rest of the line kept',
      );
      assert.match(redactions()[0]!, /auditLines=1/);

      // The bot works on the swept data: the recent answer shows the redacted marker, not the text.
      const [reply] = await h.turn(message('vad har gjorts i Centrum', { serviceUrl: h.connector.url }));
      const text = cardText(reply!);
      for (const s of SECRETS) assert.ok(!text.includes(s), s);

      await h.restart();
      assert.equal(redactions().length, 1, 'not again at the next start');
    } finally {
      await h.stop();
    }
  });
});
