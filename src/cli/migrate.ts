import pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { migrate } from '../storage/postgres/migrate.js';

/**
 * `npm run migrate`: applies the PostgreSQL migrations to DATABASE_URL (DATABASE_SCHEMA) and says
 * which it applied. The bot does the same at every start; this runs it ahead of a deployment, under
 * the same advisory lock, so it is safe while instances start. Without DATABASE_URL there is
 * nothing to migrate (lowdb migrates its files itself).
 */
export async function runMigrateCli(out: (s: string) => void = console.log, config?: Config): Promise<number> {
  const cfg = config ?? loadConfig();
  if (!cfg.database) {
    out(
      'DATABASE_URL är inte satt: boten använder lowdb-filerna, inget att migrera. / DATABASE_URL is not set: nothing to migrate.',
    );
    return 2;
  }
  const client = new pg.Client({ connectionString: cfg.database.url, application_name: 'medborgarlofte-migrate' });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${cfg.database.schema}"`);
    const applied = await migrate(client, cfg.database.schema);
    out(
      applied.length === 0
        ? `Databasen är redan uppdaterad (schema ${cfg.database.schema}). / Already up to date.`
        : `Migrerade ${applied.length}: ${applied.join(', ')} (schema ${cfg.database.schema}).`,
    );
    return 0;
  } finally {
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  runMigrateCli().then(
    (code) => process.exit(code),
    (err: Error & { code?: string }) => {
      // Never the connection string (it may hold a password): the error's own message and code.
      console.error(`Migreringen misslyckades / migration failed: ${err.message}${err.code ? ` [${err.code}]` : ''}`);
      process.exit(1);
    },
  );
}
