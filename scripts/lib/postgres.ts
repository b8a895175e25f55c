// PostgreSQL for the scripts (crash test, multi-instance test): a fresh schema per run or round in
// the machine's database (127.0.0.1, database `test` by default), dropped when the run passed, and a
// reader of what the bot stored there in the shape of readStore (scripts/lib/bot-process.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from '../../src/storage/postgres/pool.js';
import type { StoredReport } from './bot-process.js';

export const SCRIPTS_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function withClient<T>(url: string, body: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty schema `<prefix>_<time>_<random>` (the bot migrates it at start). */
export async function createSchema(url: string, prefix: string): Promise<string> {
  const schema = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(url, (c) => c.query(`CREATE SCHEMA ${quoteIdent(schema)}`));
  return schema;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`));
}

/** The bot's environment for a schema of `url`. */
export const postgresEnv = (url: string, schema: string): Record<string, string> => ({
  DATABASE_URL: url,
  DATABASE_SCHEMA: schema,
});

/**
 * What the bot stored in `schema`, shaped as readStore's answer for the files: every report (file =
 * `<week>.json`, the week the row is filed under), the weeks, and the ids with a report.created
 * audit entry. A row whose document disagrees with its columns (id, week, submission id) is a problem.
 */
export async function readPostgresStore(url: string, schema: string) {
  return withClient(url, async (c) => {
    const s = quoteIdent(schema);
    const problems: string[] = [];
    const { rows } = await c.query<{ id: string; week: string; submission_id: string; doc: Record<string, any> }>(
      `SELECT id, week, submission_id, doc FROM ${s}.reports ORDER BY seq`,
    );
    const reports: StoredReport[] = [];
    for (const r of rows) {
      if (r.doc?.id !== r.id || r.doc?.week !== r.week || r.doc?.submissionId !== r.submission_id)
        problems.push(`${schema}.reports: row ${r.id} (week ${r.week}) disagrees with its document`);
      reports.push({ file: `${r.week}.json`, report: r.doc });
    }
    const audit = await c.query<{ object_id: string }>(
      `SELECT object_id FROM ${s}.audit_log WHERE action = 'report.created'`,
    );
    const created = new Set(audit.rows.map((r) => r.object_id));
    const auditLines = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.audit_log`)).rows[0]!.n);
    return {
      problems,
      reports,
      weekFiles: [...new Set(rows.map((r) => `${r.week}.json`))].sort(),
      tempFiles: [] as string[],
      auditLines,
      auditProblems: [] as string[],
      created,
    };
  });
}
