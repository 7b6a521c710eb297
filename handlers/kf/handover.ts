import type { KfMsg } from '../../bot/kf-message.js';
import type { WecomApi } from '../../bot/wecom-api/client.js';
import { WecomApiError, classifyError } from '../../bot/wecom-api/errors.js';
import { regionChain } from '../../db/catalog/regions.js';
import { onDutyKfServicers, recordKfFailure, updateKfResident, type KfResident } from '../../db/kf/residents.js';
import type { Logger } from '../../lib/log.js';
import type { KfConversationDeps, KfHandledResult } from './conversation.js';
import { TEXTS, kfReplyId, kfText } from './replies.js';

/** The two service-state calls a hand-over needs. */
export type HandoverApi = Pick<WecomApi, 'kfServiceStateTrans' | 'kfServiceStateGet'>;

/** 95014: the named servicer cannot take the session (not on duty / not activated). */
const SERVICER_UNUSABLE = 95014;

/**
 * Hands the session to a person: `service_state/trans` to 3 with an on-duty cadre of the resident's
 * village (or its township …, from kf_servicers), else to 2 (the queue); then a short notice with the
 * returned `msg_code` via send_msg_on_event, and the bot stays silent for this resident (`mode = human`)
 * until the session ends. Our own trans produces no session_status_change, so the state is recorded here.
 * Re-running after a crash is safe: a session already in 2/3 counts as handed over (no second notice).
 */
export async function handOver(
  deps: KfConversationDeps,
  msg: KfMsg,
  r: KfResident,
  reason: 'asked' | 'unanswered',
  log: Logger,
): Promise<KfHandledResult> {
  const api = deps.api;
  const target = { open_kfid: msg.openKfId, external_userid: msg.externalUserId };
  if (!api) {
    await deps.outbound.enqueue({
      method: 'kf/send_msg',
      jobId: kfReplyId('ans', msg.openKfId, msg.msgId),
      body: { touser: msg.externalUserId, open_kfid: msg.openKfId, ...kfText(TEXTS.handoverUnavailable) },
    });
    return { action: 'handover_unavailable' };
  }
  const chain = r.village ? regionChain(deps.catalog(), r.village).map((x) => x.code) : [];
  if (r.village && chain.length === 0) chain.push(r.village);
  const cadres = await onDutyKfServicers(deps.db, chain);

  let state = 0;
  let servicer: string | undefined;
  let msgCode: string | undefined;
  for (const userid of cadres.slice(0, 3)) {
    try {
      const res = await api.kfServiceStateTrans({ ...target, service_state: 3, servicer_userid: userid });
      state = 3;
      servicer = userid;
      msgCode = res.msg_code;
      break;
    } catch (err) {
      if (!(err instanceof WecomApiError) || classifyError(err) !== 'permanent') throw err;
      log.warn({ servicer: userid, errcode: err.errcode, errmsg: err.errmsg }, 'could not hand the session to this cadre; trying the next / the queue');
      await recordKfFailure(deps.db, { kind: 'trans_error', code: err.errcode, openKfId: msg.openKfId, externalUserId: msg.externalUserId, detail: `to 3 (${userid})` });
      if (err.errcode !== SERVICER_UNUSABLE) break;
    }
  }
  if (state === 0) {
    try {
      const res = await api.kfServiceStateTrans({ ...target, service_state: 2 });
      state = 2;
      msgCode = res.msg_code;
    } catch (err) {
      if (!(err instanceof WecomApiError) || classifyError(err) !== 'permanent') throw err;
      // Already with a person (e.g. this message is handled again after a crash)? Then we are done.
      const now = await api.kfServiceStateGet(target).catch(() => undefined);
      if (now?.service_state === 2 || now?.service_state === 3) {
        state = now.service_state;
        log.info({ state }, 'session already with a person; no second notice');
      } else {
        log.warn({ errcode: err.errcode, errmsg: err.errmsg }, 'hand-over failed');
        await recordKfFailure(deps.db, { kind: 'trans_error', code: err.errcode, openKfId: msg.openKfId, externalUserId: msg.externalUserId, detail: 'to 2' });
        await deps.outbound.enqueue({
          method: 'kf/send_msg',
          jobId: kfReplyId('ans', msg.openKfId, msg.msgId),
          body: { touser: msg.externalUserId, open_kfid: msg.openKfId, ...kfText(TEXTS.handoverUnavailable) },
        });
        return { action: 'handover_failed' };
      }
    }
  }
  await updateKfResident(deps.db, msg.openKfId, msg.externalUserId, { mode: 'human', unanswered: 0, servicer: servicer ?? null, lastOptions: null });
  if (msgCode) {
    const place = r.village ? deps.catalog().regions.find((x) => x.code === r.village)?.name : undefined;
    const notice = reason === 'unanswered' ? TEXTS.handoverUnanswered : state === 3 && place ? TEXTS.handoverCadre(place) : TEXTS.handoverQueue;
    const jobId = kfReplyId('ho', msg.openKfId, msg.msgId);
    await deps.outbound.enqueue({ method: 'kf/send_msg_on_event', jobId, body: { code: msgCode, msgid: jobId, ...kfText(notice) } });
  }
  log.info({ state, servicer, reason }, 'resident handed over to a person');
  return { action: `handover_${state}` };
}
