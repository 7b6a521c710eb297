import { randomBytes } from 'node:crypto';
import { DelayedError, type Job, type JobsOptions, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseKfMsg, type KfMsg } from '../bot/kf-message.js';
import { WecomApiError, classifyError } from '../bot/wecom-api/errors.js';
import type { WecomApi } from '../bot/wecom-api/client.js';
import type { Db } from '../db/client.js';
import { getKfCursor, markKfDone, recordKfBatch, saveKfCursor } from '../db/kf/sync.js';
import { recordKfFailure } from '../db/kf/residents.js';
import type { Logger } from '../lib/log.js';

/** Payload of a `kf-sync` job: which account has news, and the callback's token (valid 10 min). */
export interface KfSyncPayload {
  openKfId: string;
  token: string;
}

/** What the conversation logic did with one message (stored as the message's `action`). */
export interface KfHandled {
  action: string;
  /** Catalog item answered with, if one (feeds "most asked"). */
  itemId?: string;
}

/** Handles one new message/event; must be idempotent (it may run again after a crash). */
export type KfMessageHandler = (msg: KfMsg, log: Logger) => Promise<KfHandled>;

/** Options for `kf-sync` jobs (pass them when enqueueing): a few retries; finished ids kept 1 h so replays dedupe. */
export const KF_SYNC_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;

export interface KfSyncDeps {
  db: Db;
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  /** Undefined without WeCom credentials: nothing can be pulled; jobs finish as `no_api`. */
  api: Pick<WecomApi, 'kfSyncMsg'> | undefined;
  log: Logger;
  /** The conversation (handlers/kf createKfConversation). */
  handle: KfMessageHandler;
  /** Lock lifetime per open_kfid, ms (renewed while syncing). Default 60 000. */
  lockTtlMs?: number;
  /** When another sync of the same account runs, try again after this long, ms. Default 500. */
  busyDelayMs?: number;
  /** Page size for sync_msg (1–1000). Default 1000. */
  limit?: number;
  /** Safety stop: at most this many pages per job. Default 200. */
  maxPages?: number;
}

export interface KfSyncResult {
  status: 'synced' | 'no_api';
  pages: number;
  handled: number;
  /** Cursors WeCom rejected on the way (each fell back to the last good point). */
  rejectedCursors: number;
}

/**
 * The `kf-sync` processor: one account at a time (a Redis lock per open_kfid; a job that finds the
 * lock taken is delayed and runs after), `kf/sync_msg` with the stored cursor and the callback
 * token, page after page until `has_more = 0` (an empty page with has_more = 1 goes on). Each page
 * is recorded first (msgid unique), its not-yet-done messages are handled in order, and only then
 * is the cursor advanced. A cursor WeCom rejects falls back to the previous good cursor, then to
 * the start of WeCom's 3-day window — already handled msgids are skipped, so nobody is answered twice.
 */
export function createKfSyncProcessor(deps: KfSyncDeps): Processor<KfSyncPayload, KfSyncResult> {
  const ttl = deps.lockTtlMs ?? 60_000;
  const busyDelay = deps.busyDelayMs ?? 500;
  const limit = deps.limit ?? 1000;
  const maxPages = deps.maxPages ?? 200;

  return async (job: Job<KfSyncPayload, KfSyncResult>, bullToken?: string): Promise<KfSyncResult> => {
    const { openKfId, token } = job.data;
    const log = deps.log.child({ job: 'kf-sync', openKfId });
    const api = deps.api;
    if (!api) {
      log.info('no WeCom credentials: kf sync skipped');
      return { status: 'no_api', pages: 0, handled: 0, rejectedCursors: 0 };
    }
    const lockKey = `${deps.prefix}:kf-sync-lock:${openKfId}`;
    const owner = randomBytes(12).toString('hex');
    const got = await deps.redis.set(lockKey, owner, 'PX', ttl, 'NX');
    if (got !== 'OK') {
      log.debug({ jobId: job.id }, 'another sync of this account is running; retrying shortly');
      await job.moveToDelayed(Date.now() + busyDelay, bullToken);
      throw new DelayedError();
    }
    const renew = setInterval(() => {
      void deps.redis.eval(RENEW, 1, lockKey, owner, String(ttl)).catch(() => {});
    }, Math.max(100, Math.floor(ttl / 3)));
    try {
      return await syncAccount(deps, api, openKfId, token, log, limit, maxPages);
    } finally {
      clearInterval(renew);
      await deps.redis.eval(RELEASE, 1, lockKey, owner).catch(() => {});
    }
  };
}

async function syncAccount(
  deps: KfSyncDeps,
  api: Pick<WecomApi, 'kfSyncMsg'>,
  openKfId: string,
  token: string,
  log: Logger,
  limit: number,
  maxPages: number,
): Promise<KfSyncResult> {
  const stored = await getKfCursor(deps.db, openKfId);
  let cursor = stored?.cursor ?? '';
  // Where to go when WeCom rejects a cursor: the last good point before it, then the start of the window.
  const fallbacks = [...new Set([stored?.prevCursor ?? '', ''])].filter((c) => c !== cursor || c === '');
  const result: KfSyncResult = { status: 'synced', pages: 0, handled: 0, rejectedCursors: 0 };

  while (result.pages < maxPages) {
    let page: Awaited<ReturnType<typeof api.kfSyncMsg>>;
    try {
      page = await api.kfSyncMsg({ ...(cursor ? { cursor } : {}), ...(token ? { token } : {}), limit, open_kfid: openKfId });
    } catch (err) {
      if (cursor !== '' && isCursorRejection(err)) {
        const next = fallbacks.shift() ?? '';
        result.rejectedCursors += 1;
        const e = err as WecomApiError;
        log.warn({ errcode: e.errcode, errmsg: e.errmsg, fallback: next === '' ? 'start of the 3-day window' : 'previous cursor' }, 'WeCom rejected the kf cursor; re-syncing from the last good point');
        await recordKfFailure(deps.db, { kind: 'cursor_rejected', code: e.errcode, openKfId, detail: e.errmsg });
        cursor = next;
        continue;
      }
      throw err;
    }
    result.pages += 1;
    const items = (page.msg_list ?? []).map((raw) => parseKfMsg(raw, openKfId)).filter((m): m is KfMsg => m !== undefined);
    const byId = new Map(items.map((m) => [m.msgId, m]));
    const pending = await recordKfBatch(
      deps.db,
      openKfId,
      items.map((m) => ({
        msgId: m.msgId,
        origin: m.origin,
        msgType: m.msgType,
        eventType: m.event?.event_type,
        externalUserId: m.externalUserId,
        sendTime: m.sendTime,
        payload: m.raw,
      })),
    );
    for (const p of pending) {
      const msg = byId.get(p.msgId)!;
      const mlog = log.child({ msgid: msg.msgId });
      const done = await deps.handle(msg, mlog);
      await markKfDone(deps.db, p.id, done.action, done.itemId);
      result.handled += 1;
    }
    const next = typeof page.next_cursor === 'string' ? page.next_cursor : '';
    if (next && next !== cursor) {
      await saveKfCursor(deps.db, openKfId, next, cursor);
      cursor = next;
    }
    if (Number(page.has_more) !== 1) break;
  }
  if (result.pages >= maxPages) log.warn({ pages: result.pages }, 'kf sync stopped at the page limit; the next callback continues');
  log.info({ pages: result.pages, handled: result.handled }, 'kf sync done');
  return result;
}

/**
 * A cursor WeCom refuses: a permanent (not token, rate-limit or transport) error while a cursor was
 * sent. The real errcode is not documented; if it was something else, the retry from the fallback
 * fails the same way and the error surfaces.
 */
function isCursorRejection(err: unknown): boolean {
  return err instanceof WecomApiError && classifyError(err) === 'permanent';
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
