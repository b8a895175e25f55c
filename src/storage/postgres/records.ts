import type pg from 'pg';
import type { z } from 'zod';
import type { Collection } from '../../app/ports.js';
import { deepFreeze } from '../freeze.js';

/** A stored row that does not parse as its domain record: refused whole, never half-used. */
export class StoredRecordError extends Error {
  constructor(table: string, key: string, issues: string) {
    super(`PostgreSQL: the ${table} row ${JSON.stringify(key)} does not match its schema (${issues}); it is not used`);
    this.name = 'StoredRecordError';
  }
}

/**
 * Parses a row's jsonb with the domain's schema and freezes the result: handed out read-only, as
 * the file store does, and a fresh object per read, so nobody shares it by accident.
 */
export function parseRecord<S extends z.ZodTypeAny>(schema: S, table: string, key: string, doc: unknown): z.output<S> {
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new StoredRecordError(table, key, issues);
  }
  return deepFreeze(parsed.data);
}

/** The jsonb parameter of a record: what the caller gave, serialised (its object stays the caller's). */
export const json = (value: unknown): string => JSON.stringify(value);

/** A column stored beside the document, for queries and for row-level security later. */
export interface SideColumn<T> {
  name: string;
  value(item: T): string | boolean | null;
}

/** A table holding one small collection: key column, side columns, the record as jsonb, insertion order. */
export interface TableSpec<T> {
  table: string;
  keyColumn: string;
  key(item: T): string;
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  columns: SideColumn<T>[];
}

/**
 * A Collection over its own table: a list is one query in insertion order (a replaced item keeps
 * its place, like the file store's), put is one upsert. Nothing is cached: another instance's put
 * is seen by the next read, and these tables hold tens of rows.
 */
export function tableCollection<T>(pool: pg.Pool, spec: TableSpec<T>): Collection<T> {
  const { table, keyColumn } = spec;
  const names = [keyColumn, ...spec.columns.map((c) => c.name), 'doc'];
  const placeholders = names.map((_, i) => `$${i + 1}`).join(', ');
  const updates = names
    .slice(1)
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(', ');
  const upsert = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${placeholders}) ON CONFLICT (${keyColumn}) DO UPDATE SET ${updates}`;
  const parse = (row: { k: string; doc: unknown }) => parseRecord(spec.schema, table, row.k, row.doc);
  return {
    async list() {
      const { rows } = await pool.query<{ k: string; doc: unknown }>(
        `SELECT ${keyColumn} AS k, doc FROM ${table} ORDER BY seq`,
      );
      return rows.map(parse);
    },
    async get(key) {
      const { rows } = await pool.query<{ k: string; doc: unknown }>(
        `SELECT ${keyColumn} AS k, doc FROM ${table} WHERE ${keyColumn} = $1`,
        [key],
      );
      return rows[0] ? parse(rows[0]) : undefined;
    },
    async put(item) {
      await pool.query(upsert, [spec.key(item), ...spec.columns.map((c) => c.value(item)), json(item)]);
    },
  };
}
