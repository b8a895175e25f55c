import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import pg from 'pg';
import { runMigrateCli } from '../../src/cli/migrate.js';
import { loadConfig } from '../../src/config.js';
import { skipWithoutPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';

describe('npm run migrate', () => {
  it('says there is nothing to migrate without DATABASE_URL (exit 2)', async () => {
    const lines: string[] = [];
    const code = await runMigrateCli((s) => lines.push(s), loadConfig({ NODE_ENV: 'test' }, '/nonexistent-env-dir'));
    assert.equal(code, 2);
    assert.match(lines.join('\n'), /DATABASE_URL är inte satt/);
  });

  describe('on PostgreSQL', () => {
    const schema = `cli_migrate_${process.pid}`;
    before(skipWithoutPostgres);
    after(async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    });

    it('migrates an empty schema, then finds it up to date', async () => {
      const config = loadConfig(
        { NODE_ENV: 'test', DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
        '/nonexistent-env-dir',
      );
      const first: string[] = [];
      assert.equal(await runMigrateCli((s) => first.push(s), config), 0);
      assert.match(first.join('\n'), /^Migrerade \d+: .*1764748800000_meta/);
      const second: string[] = [];
      assert.equal(await runMigrateCli((s) => second.push(s), config), 0);
      assert.match(second.join('\n'), /redan uppdaterad/);
    });
  });
});
