import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { kfFailures, kfLinks, kfResidents, kfServicers } from '../schema/index.js';

/**
 * Per-resident conversation state, hand-over servicers, village links and counted failures.
 */

export type KfResident = typeof kfResidents.$inferSelect;
export type KfMode = 'bot' | 'human';

const key = (openKfId: string, externalUserId: string) =>
  and(eq(kfResidents.openKfId, openKfId), eq(kfResidents.externalUserId, externalUserId));

export async function getKfResident(db: Db, openKfId: string, externalUserId: string): Promise<KfResident | undefined> {
  const rows = await db.select().from(kfResidents).where(key(openKfId, externalUserId)).limit(1);
  return rows[0];
}

/** Creates the row if missing, then applies `set`; returns the row as it now is. */
export async function updateKfResident(
  db: Db,
  openKfId: string,
  externalUserId: string,
  set: Partial<Pick<KfResident, 'village' | 'mode' | 'unanswered' | 'repliesSinceCustomer' | 'lastCustomerAt' | 'lastOptions' | 'servicer'>>,
): Promise<KfResident> {
  const rows = await db
    .insert(kfResidents)
    .values({ openKfId, externalUserId, ...set })
    .onConflictDoUpdate({ target: [kfResidents.openKfId, kfResidents.externalUserId], set: { ...set, updatedAt: sql`now()` } })
    .returning();
  return rows[0]!;
}

/** Adds one to the reply count since the resident last wrote (WeCom allows 5). */
export async function countKfReply(db: Db, openKfId: string, externalUserId: string): Promise<void> {
  await db
    .update(kfResidents)
    .set({ repliesSinceCustomer: sql`${kfResidents.repliesSinceCustomer} + 1` })
    .where(key(openKfId, externalUserId));
}

/** Registers (or moves) a cadre who takes hand-overs for `region`. */
export async function upsertKfServicer(db: Db, userId: string, region: string, onDuty = true): Promise<void> {
  await db
    .insert(kfServicers)
    .values({ userId, region, onDuty })
    .onConflictDoUpdate({ target: kfServicers.userId, set: { region, onDuty, updatedAt: sql`now()` } });
}

/** servicer_status_change: 1 接待中 → on duty, 2 停止接待 → off. Unknown cadres are ignored. */
export async function setKfServicerDuty(db: Db, userId: string, onDuty: boolean): Promise<boolean> {
  const rows = await db.update(kfServicers).set({ onDuty, updatedAt: sql`now()` }).where(eq(kfServicers.userId, userId)).returning({ u: kfServicers.userId });
  return rows.length > 0;
}

/** On-duty cadres for the first region of `regionChain` (most specific first) that has any. */
export async function onDutyKfServicers(db: Db, regionChain: string[]): Promise<string[]> {
  if (regionChain.length === 0) return [];
  const rows = await db
    .select({ userId: kfServicers.userId, region: kfServicers.region })
    .from(kfServicers)
    .where(and(inArray(kfServicers.region, regionChain), eq(kfServicers.onDuty, true)))
    .orderBy(desc(kfServicers.updatedAt));
  for (const r of regionChain) {
    const here = rows.filter((x) => x.region === r).map((x) => x.userId);
    if (here.length) return here;
  }
  return [];
}

export async function saveKfLink(db: Db, region: string, openKfId: string, scene: string, url: string): Promise<void> {
  await db
    .insert(kfLinks)
    .values({ region, openKfId, scene, url })
    .onConflictDoUpdate({ target: kfLinks.region, set: { openKfId, scene, url, createdAt: sql`now()` } });
}

/** The link for the first region of the chain that has one (a township's link serves its villages). */
export async function findKfLink(db: Db, regionChain: string[]): Promise<string | undefined> {
  if (regionChain.length === 0) return undefined;
  const rows = await db.select().from(kfLinks).where(inArray(kfLinks.region, regionChain));
  for (const r of regionChain) {
    const hit = rows.find((x) => x.region === r);
    if (hit) return hit.url;
  }
  return undefined;
}

export type KfFailureKind = 'msg_send_fail' | 'send_error' | 'cursor_rejected' | 'trans_error';

export async function recordKfFailure(
  db: Db,
  f: { kind: KfFailureKind; code: number; openKfId?: string; externalUserId?: string; detail?: string },
): Promise<void> {
  await db.insert(kfFailures).values({
    kind: f.kind,
    code: f.code,
    openKfId: f.openKfId ?? null,
    externalUserId: f.externalUserId ?? null,
    detail: f.detail?.slice(0, 500) ?? null,
  });
}

/**
 * Counts for /metrics: failures the kf code recorded, plus `kf/*` sends the send-message job
 * marked failed with 95001 (quota) / 95002 (48 h) / 95018 (session not with the bot).
 */
export async function kfFailureCounts(db: Db): Promise<Array<{ kind: string; code: number; n: number }>> {
  const rows = await db.execute<{ kind: string; code: number; n: number }>(sql`
    select kind, code, count(*)::int as n from kf_failures group by kind, code
    union all
    select 'send_error' as kind, errcode as code, count(*)::int as n from outbox
      where method like 'kf/%' and errcode in (95001, 95002, 95018) group by errcode`);
  const merged = new Map<string, { kind: string; code: number; n: number }>();
  for (const r of rows.rows) {
    const k = `${r.kind}/${r.code}`;
    const cur = merged.get(k);
    if (cur) cur.n += Number(r.n);
    else merged.set(k, { kind: r.kind, code: Number(r.code), n: Number(r.n) });
  }
  return [...merged.values()];
}
