import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { reconcileAtStart } from '../../src/app/audit-reconcile.js';
import { systemClock } from '../../src/app/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openBackend, type Backend } from '../../src/storage/backend.js';
import { PostgresStore } from '../../src/storage/postgres/store.js';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.js';

/** Two instances starting at the same moment on one database: start-up checks run once, not twice. */
describe('two instances starting together on PostgreSQL', () => {
  const schema = `start_${process.pid}_${Date.now().toString(36)}`;
  const backends: Backend[] = [];

  before(async function () {
    if (!(await postgresAvailable())) this.skip();
    await adminQuery(`CREATE SCHEMA ${schema}`);
    // Stored changes without their audit lines (as a crash, or a copy of a trail that lacked them, leaves).
    const store = await PostgresStore.open(TEST_DATABASE_URL, { schema });
    for (const n of [1, 2, 3])
      await store.reporters.put({
        aadObjectId: `aaaaaaaa-0000-4000-8000-00000000000${n}`,
        party: 'Polisen',
        registeredAt: '2024-03-14T09:00:00.000Z',
        active: true,
      });
    await store.close();
  });
  after(async () => {
    await Promise.all(backends.map((b) => b.close()));
    if (await postgresAvailable()) await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('adds each missing audit line once, although both reconcile at start', async () => {
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema }, '/nonexistent-env-dir');
    const now = new Date('2024-03-14T10:00:00Z');
    const opened = await Promise.all([0, 1].map(() => openBackend(config, systemClock, createLogger('silent'))));
    backends.push(...opened);
    // As main.ts does at every start, both at the same moment.
    const results = await Promise.all(
      opened.map((b) =>
        b.exclusive('audit-reconcile', () => reconcileAtStart(b.store, b.auditTrail, b.audit, now, b.shared)),
      ),
    );
    assert.deepEqual(results.map((r) => r.added).sort(), [0, 3], 'one instance added the three lines, the other none');
    const { entries } = await opened[0]!.auditTrail.read();
    const reconciled = entries.filter((e) => e.reconciled && e.action === 'reporter.registered');
    assert.equal(reconciled.length, 3);
    assert.equal(new Set(reconciled.map((e) => e.objectId)).size, 3);
  });
});
