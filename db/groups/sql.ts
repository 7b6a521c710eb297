import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';

/** A database or a transaction: anything that can run a statement. */
export type Queryable = Pick<Db, 'execute'>;

/** One JSON parameter (`$n::json`): the way bulk operations pass many rows in one statement. */
export function jsonParam(v: unknown): SQL {
  return sql`${JSON.stringify(v)}::json`;
}

/** A timestamptz parameter from a Date. */
export function ts(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}

/** Runs a statement and returns its rows typed as T. */
export async function rows<T>(db: Queryable, q: SQL): Promise<T[]> {
  const r = await db.execute(q);
  return r.rows as T[];
}

/** Epoch-ms column (float8) from a timestamptz expression; null stays null. */
export function ms(expr: SQL): SQL {
  return sql`(extract(epoch from ${expr}) * 1000)::float8`;
}

/** Date from an epoch-ms value that may be null. */
export function toDate(v: number | string | null | undefined): Date | null {
  return v === null || v === undefined ? null : new Date(Number(v));
}
