import { sql } from 'drizzle-orm';
import { groupRules } from '../schema/groups.js';
import type { Db } from '../client.js';
import type { Queryable } from './sql.js';
import { rows, ts } from './sql.js';

/** Stored rule overrides per region (raw JSON; jobs/zombie/rules.ts merges them with defaults). */
export async function loadStoredRules(db: Queryable): Promise<Map<string, Record<string, unknown>>> {
  const r = await rows<{ region: string; rules: Record<string, unknown> }>(db, sql`SELECT region, rules FROM group_rules`);
  return new Map(r.map((x) => [x.region, x.rules]));
}

/** Sets one rule value for a region (merging into what is stored). */
export async function setStoredRule(db: Db, region: string, key: string, value: number, by: string, now: Date): Promise<void> {
  await db
    .insert(groupRules)
    .values({ region, rules: { [key]: value }, updatedBy: by, updatedAt: now })
    .onConflictDoUpdate({
      target: groupRules.region,
      set: {
        rules: sql`${groupRules.rules} || ${JSON.stringify({ [key]: value })}::jsonb`,
        updatedBy: by,
        updatedAt: sql`${ts(now)}`,
      },
    });
}
