/**
 * `customer-group-sync` (daily): pages through externalcontact/groupchat/list, fetches each group with
 * groupchat/get and upserts groups + members page by page (set-based). The cursor is saved in the
 * database after every page, so a crashed or retried run resumes where it stopped; when the listing
 * is complete the cursor is cleared. Customer groups with an approved suggestion that WeCom no longer
 * knows are recorded as dissolved (verified).
 */
import { sql } from 'drizzle-orm';
import type { Job } from 'bullmq';
import type { Db } from '../../db/client.js';
import { getSyncState, setSyncState, upsertCustomerGroups, type CustomerGroup } from '../../db/groups/groups.js';
import { rows } from '../../db/groups/sql.js';
import { markDismissed } from '../../db/groups/decisions.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { GroupChatApi } from './groupchat-api.js';

export const SYNC_STATE_KEY = 'customer-group-sync';

export interface SyncDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Undefined without WeCom credentials: the job does nothing. */
  groupChatApi: GroupChatApi | undefined;
  /** Groups per list page (1–1000). Default 100. */
  pageSize?: number;
  /** Concurrent groupchat/get calls. Default 4. */
  concurrency?: number;
}

export interface SyncResult {
  pages: number;
  groups: number;
  resumed: boolean;
  dissolved: number;
}

export async function syncCustomerGroups(d: SyncDeps): Promise<SyncResult> {
  const api = d.groupChatApi;
  const res: SyncResult = { pages: 0, groups: 0, resumed: false, dissolved: 0 };
  if (!api) return res;
  const saved = await getSyncState<{ cursor: string }>(d.db, SYNC_STATE_KEY);
  let cursor = saved?.cursor ?? '';
  res.resumed = cursor !== '';
  const limit = d.pageSize ?? 100;
  for (;;) {
    const page = await api.list(cursor, limit);
    const found = await mapLimit(page.chatIds, d.concurrency ?? 4, (id) => api.get(id));
    const groups = found.filter((g): g is CustomerGroup => g !== undefined);
    await upsertCustomerGroups(d.db, groups, d.clock.now());
    res.pages++;
    res.groups += groups.length;
    cursor = page.nextCursor;
    await setSyncState(d.db, SYNC_STATE_KEY, { cursor }, d.clock.now());
    if (!cursor) break;
  }
  // Approved customer groups: ask WeCom whether they still exist.
  const approved = await rows<{ id: number; chat_id: string }>(
    d.db,
    sql`SELECT g.id::float8 AS id, g.chat_id FROM groups g JOIN group_suggestions s ON s.group_id = g.id
        WHERE g.source = 'customer' AND g.status = 'active' AND s.state = 'approved'`,
  );
  for (const g of approved) {
    if (!(await api.get(g.chat_id))) {
      if (await markDismissed(d.db, { groupId: Number(g.id), actor: 'bot', verifiedBy: 'groupchat/get', now: d.clock.now() })) res.dissolved++;
    }
  }
  return res;
}

export function createCustomerGroupSyncProcessor(d: SyncDeps) {
  return async (_job: Job): Promise<SyncResult> => {
    const r = await syncCustomerGroups(d);
    d.log.info(r, 'customer groups synced');
    return r;
  };
}

async function mapLimit<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
