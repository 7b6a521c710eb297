import { createHash } from 'node:crypto';
import type { Router } from '../../bot/router.js';
import type { AppDeps } from '../deps.js';

/**
 * The deterministic `kf-sync` job id of one callback: the same callback delivered again (WeCom
 * retries, or two deliveries at once) maps to the same job, so it syncs once. Different callbacks
 * get different jobs, which the processor runs one at a time per account.
 */
export function kfSyncJobId(openKfId: string, token: string): string {
  return `kf-sync-${createHash('sha256').update(`${openKfId}\u0000${token}`).digest('base64url').slice(0, 24)}`;
}

/**
 * `kf_msg_or_event` (app callback, receiveid = CorpID): no content, just "account X has news" and a
 * 10-minute token. Enqueue a `kf-sync` job and answer the callback at once (no passive reply).
 */
export function registerKfHandlers(router: Router<AppDeps>): void {
  router.on('kf_signal', async (ctx) => {
    if (ctx.update.type !== 'kf_signal') return;
    const { openKfId, token } = ctx.update;
    if (!openKfId || openKfId.length > 64) {
      ctx.log.warn('kf_msg_or_event without a usable OpenKfId; ignored');
      return;
    }
    await ctx.deps.enqueueJob('kf-sync', { openKfId, token: token.slice(0, 256) }, { jobId: kfSyncJobId(openKfId, token) });
    ctx.log.info({ openKfId }, 'kf sync enqueued');
  });
}
