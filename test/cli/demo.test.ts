import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { DEMO_MARK, generateDemo } from '../../src/cli/demo.js';
import { tempDbPath } from '../helpers/harness.js';

describe('demo data (npm run demo)', () => {
  it('fills a separate database with marked synthetic reports inside the period', async () => {
    const path = tempDbPath();
    const n = await generateDemo(path, '2024-11-14', 'data/db.json');
    assert.ok(n > 100, `expected a realistic amount, got ${n}`);
    const dir = path.replace(/\.json$/, '.reports');
    const reports = readdirSync(dir).flatMap((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')).reports);
    assert.equal(reports.length, n);
    assert.ok(reports.every((r) => r.description.startsWith(DEMO_MARK)));
    assert.ok(reports.every((r) => r.date >= '2023-01-01' && r.date <= '2024-11-14'));
    assert.ok(reports.every((r) => r.reporterId.startsWith('demo-')));
    assert.equal(new Set(reports.map((r) => r.activityId)).size, 6);
    // Every demo report has its audit line, so a start has nothing to reconcile.
    const audit = readFileSync(path.replace(/\.json$/, '.audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      new Set(audit.filter((e) => e.action === 'report.created').map((e) => e.objectId)),
      new Set(reports.map((r) => r.id)),
    );
    // The same demo every time.
    const again = await generateDemo(path, '2024-11-14', 'data/db.json');
    assert.equal(again, n);
  });

  it('refuses to write into the real database', async () => {
    const real = tempDbPath();
    await assert.rejects(generateDemo(real, '2024-11-14', real), /får inte vara den riktiga databasen/);
    assert.equal(existsSync(real), false);
  });
});
