import type { KfMsg } from '../../bot/kf-message.js';
import type { OutboundPort } from '../../bot/outbound.js';
import type { Db } from '../../db/client.js';
import { mostAskedKfItems } from '../../db/kf/sync.js';
import { countKfReply, getKfResident, recordKfFailure, setKfServicerDuty, updateKfResident, type KfResident } from '../../db/kf/residents.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Catalog } from '../../seeds/schema.js';
import type { CatalogEngine } from '../catalog-search/engine.js';
import type { AnswerEntry } from '../catalog-search/types.js';
import { handOver, type HandoverApi } from './handover.js';
import {
  MENU_HUMAN, MENU_ITEM_PREFIX, MENU_LIST_ALLOWED, MENU_LIST_BANNED, TEXTS, kfReplyId, kfText, optionNumber,
  replyForAnswer, villageFromSceneParam, wantsHuman, welcomeMenu, type KfMessageBody,
} from './replies.js';

/** What the kf conversation needs; bin/ builds it (the engine is the shared catalog engine). */
export interface KfConversationDeps {
  db: Db;
  clock: Clock;
  /** kf/send_msg and kf/send_msg_on_event go through the send-message job (outbox, idempotent ids). */
  outbound: OutboundPort;
  /** service_state get/trans (hand-over); undefined without credentials (hand-over then says sorry). */
  api: HandoverApi | undefined;
  engine: Pick<CatalogEngine, 'ask'>;
  /** The current catalog (region names, chains for servicers and links). */
  catalog: () => Catalog;
  /** Certificates offered in the welcome menu when nothing was asked yet. Default C07, N05, N01, N08. */
  popularItems?: string[];
}

/** The result the kf-sync job stores per message. */
export interface KfHandledResult {
  action: string;
  itemId?: string;
}

const H48 = 48 * 3600_000;
/** WeCom: at most 5 API messages per resident message. */
const REPLIES_PER_MESSAGE = 5;
const DEFAULT_POPULAR = ['C07', 'N05', 'N01', 'N08'];
const QUESTION_MAX_CHARS = 500;

/**
 * The resident conversation in 微信客服: welcome on enter_session, one answer per resident message
 * (same catalog engine as the cadres', resident wording), hand-over to a person on "转人工" or after
 * two unanswered questions in a row, silence while a person has the session, and bookkeeping of
 * servicer duty and send failures. Every effect is idempotent per incoming msgid.
 */
export function createKfConversation(deps: KfConversationDeps): (msg: KfMsg, log: Logger) => Promise<KfHandledResult> {
  const { db } = deps;

  const send = async (msg: KfMsg, r: KfResident, body: KfMessageBody, log: Logger): Promise<boolean> => {
    if (r.repliesSinceCustomer >= REPLIES_PER_MESSAGE) {
      log.warn('5 replies already sent for this resident message; not sending more');
      return false;
    }
    const jobId = kfReplyId('ans', msg.openKfId, msg.msgId);
    await deps.outbound.enqueue({ method: 'kf/send_msg', jobId, body: { touser: msg.externalUserId, open_kfid: msg.openKfId, msgid: jobId, ...body } });
    await countKfReply(db, msg.openKfId, msg.externalUserId);
    return true;
  };

  const placeName = (village: string | null | undefined): string | undefined =>
    village ? deps.catalog().regions.find((x) => x.code === village)?.name : undefined;

  const popularEntries = async (village: string | undefined): Promise<AnswerEntry[]> => {
    const since = new Date(deps.clock.now().getTime() - 30 * 24 * 3600_000);
    const asked = await mostAskedKfItems(db, since, 6).catch(() => [] as string[]);
    const ids = [...new Set([...asked, ...(deps.popularItems ?? DEFAULT_POPULAR)])];
    const out: AnswerEntry[] = [];
    for (const id of ids) {
      const a = deps.engine.ask(id, village ? { region: village } : {});
      if (a.kind === 'item' && a.item.kind === 'certificate' && !out.some((e) => e.id === a.item.id)) out.push(a.item);
      if (out.length >= 4) break;
    }
    return out;
  };

  const onEnterSession = async (msg: KfMsg, log: Logger): Promise<KfHandledResult> => {
    const ev = msg.event!;
    const village = villageFromSceneParam(ev.scene_param);
    if (!msg.externalUserId) return { action: 'ignored' };
    const r = await updateKfResident(db, msg.openKfId, msg.externalUserId, village ? { village } : {});
    if (ev.scene_param && !village) log.info({ scene: ev.scene }, 'enter_session without a usable village in scene_param');
    if (!ev.welcome_code) return { action: 'entered' };
    const body = welcomeMenu(placeName(r.village), await popularEntries(r.village ?? undefined));
    const jobId = kfReplyId('wel', msg.openKfId, msg.msgId);
    await deps.outbound.enqueue({ method: 'kf/send_msg_on_event', jobId, body: { code: ev.welcome_code, msgid: jobId, ...body } });
    return { action: 'welcome' };
  };

  const onEvent = async (msg: KfMsg, log: Logger): Promise<KfHandledResult> => {
    const ev = msg.event!;
    switch (ev.event_type) {
      case 'enter_session':
        return onEnterSession(msg, log);
      case 'session_status_change': {
        if (!msg.externalUserId) return { action: 'ignored' };
        const ended = Number(ev.change_type) === 3;
        await updateKfResident(db, msg.openKfId, msg.externalUserId, ended
          ? { mode: 'bot', unanswered: 0, servicer: null }
          : { mode: 'human', servicer: typeof ev.new_servicer_userid === 'string' ? ev.new_servicer_userid : null });
        log.info({ changeType: ev.change_type }, ended ? 'session ended by a servicer; the bot answers again' : 'a servicer has the session; the bot stays silent');
        return { action: ended ? 'session_ended' : 'session_human' };
      }
      case 'msg_send_fail': {
        const failType = Number(ev.fail_type ?? 0);
        log.warn({ failType, failMsgid: ev.fail_msgid }, 'kf message could not be delivered (msg_send_fail)');
        await recordKfFailure(db, { kind: 'msg_send_fail', code: failType, openKfId: msg.openKfId, externalUserId: msg.externalUserId, detail: String(ev.fail_msgid ?? '') });
        return { action: 'send_fail' };
      }
      case 'servicer_status_change': {
        const user = typeof ev.servicer_userid === 'string' ? ev.servicer_userid : '';
        if (user) await setKfServicerDuty(db, user, Number(ev.status) === 1);
        return { action: 'servicer_status' };
      }
      default:
        return { action: 'ignored' };
    }
  };

  const onResidentMessage = async (msg: KfMsg, log: Logger): Promise<KfHandledResult> => {
    if (!msg.externalUserId) return { action: 'ignored' };
    const sentAt = msg.sendTime > 0 ? new Date(msg.sendTime * 1000) : deps.clock.now();
    // The resident wrote: WeCom grants a fresh quota of 5 replies for 48 h.
    let r = await updateKfResident(db, msg.openKfId, msg.externalUserId, { lastCustomerAt: sentAt, repliesSinceCustomer: 0 });
    if (deps.clock.now().getTime() - sentAt.getTime() > H48) {
      log.warn({ sendTime: msg.sendTime }, 'resident message older than 48 h; not answered (WeCom would refuse)');
      return { action: 'too_old' };
    }
    if (r.mode === 'human') {
      // Trust but verify: if the session is back with the bot (ended, event missed), answer again.
      const state = await deps.api?.kfServiceStateGet({ open_kfid: msg.openKfId, external_userid: msg.externalUserId }).then((x) => x.service_state, () => undefined);
      if (state !== 0 && state !== 1) return { action: 'silent_human' };
      r = await updateKfResident(db, msg.openKfId, msg.externalUserId, { mode: 'bot', unanswered: 0, servicer: null });
    }
    if (msg.msgType !== 'text') {
      await send(msg, r, kfText(TEXTS.nonText), log);
      return { action: 'non_text' };
    }
    const menu = msg.menuId ?? '';
    if (menu === MENU_HUMAN || wantsHuman(msg.text)) return handOver(deps, msg, r, 'asked', log);

    let question = msg.text.slice(0, QUESTION_MAX_CHARS);
    if (menu.startsWith(MENU_ITEM_PREFIX)) question = menu.slice(MENU_ITEM_PREFIX.length);
    else if (menu === MENU_LIST_ALLOWED) question = '村里能开哪些证明';
    else if (menu === MENU_LIST_BANNED) question = '哪些证明村里不能开';
    else {
      const n = optionNumber(msg.text);
      const picked = n !== undefined ? r.lastOptions?.[n - 1] : undefined;
      if (picked) question = picked;
    }
    const answer = deps.engine.ask(question, r.village ? { region: r.village } : {});
    const reply = replyForAnswer(answer);
    if (reply.unanswered && r.unanswered + 1 >= 2) return handOver(deps, msg, r, 'unanswered', log);
    await updateKfResident(db, msg.openKfId, msg.externalUserId, {
      unanswered: reply.unanswered ? r.unanswered + 1 : 0,
      lastOptions: reply.options ?? null,
    });
    const sent = await send(msg, r, reply.body, log);
    const kind = reply.unanswered ? 'not_found' : answer.kind;
    return { action: sent ? `answered_${kind}` : 'quota_reached', ...(reply.itemId ? { itemId: reply.itemId } : {}) };
  };

  return async (msg, log) => {
    if (msg.msgType === 'event' && msg.event) return onEvent(msg, log);
    if (msg.origin === 5) {
      // A cadre wrote from the WeCom client: the session is with a person now.
      if (msg.externalUserId) await updateKfResident(db, msg.openKfId, msg.externalUserId, { mode: 'human', servicer: msg.servicerUserId ?? null });
      return { action: 'servicer_message' };
    }
    if (msg.origin === 3) return onResidentMessage(msg, log);
    return { action: 'ignored' };
  };
}
