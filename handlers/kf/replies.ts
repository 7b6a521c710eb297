import { createHash } from 'node:crypto';
import { truncateBytes, utf8Bytes } from '../../bot/reply.js';
import type { Answer, AnswerEntry } from '../catalog-search/types.js';
import { formatAnswerResident } from '../catalog-answers/resident.js';
import { askOptions } from '../catalog-answers/other-parts.js';
import { shortName } from '../catalog-answers/parts.js';

/**
 * What the bot sends residents in 微信客服, as kf/send_msg (or send_msg_on_event) bodies — pure.
 * Limits (protocol §9.5): text ≤ 2,048 bytes; msgmenu head/tail ≤ 1,024 bytes, ≤ 10 items, a click
 * item's content ≤ 128 bytes and id ≤ 64 bytes.
 */

export const KF_TEXT_MAX_BYTES = 2_048;
const MENU_HEAD_MAX = 1_024;
const MENU_ITEM_MAX = 128;

/** Menu ids the conversation understands when a resident taps an item. */
export const MENU_HUMAN = 'human';
export const MENU_LIST_ALLOWED = 'list-allowed';
export const MENU_LIST_BANNED = 'list-banned';
export const MENU_ITEM_PREFIX = 'item-';

export const TEXTS = {
  handoverQueue: '好的，已为您转人工，工作人员会在这里回复您，请稍候。',
  handoverCadre: (who: string) => `好的，已为您转给${who}的工作人员，他们会在这里回复您，请稍候。`,
  handoverUnanswered: '这个问题我答不好，已为您转人工，工作人员会在这里回复您，请稍候。',
  handoverUnavailable: '现在转不了人工，请直接打电话或到村（社区）便民服务站问问，抱歉。',
  nonText: '我现在只看得懂文字。请用文字说说您想办什么，比如"居住证明怎么开"。需要人工帮忙请发送"转人工"。',
  askHuman: '需要人工帮忙，请发送"转人工"。',
  help: '您好！可以直接问我开证明的事，比如"居住证明怎么开""无犯罪记录证明去哪开"。需要人工帮忙请发送"转人工"。',
  regionDefault: (name: string) => `（没认出您所在的村（社区），下面按${name}的规定回答。）`,
} as const;

export type KfMessageBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content: string; list: KfMenuItem[]; tail_content?: string } };

export type KfMenuItem = { type: 'click'; click: { id: string; content: string } };

/** A text body, cut to 2,048 bytes. */
export function kfText(content: string): KfMessageBody {
  return { msgtype: 'text', text: { content: truncateBytes(content, KF_TEXT_MAX_BYTES) } };
}

function click(id: string, content: string): KfMenuItem {
  return { type: 'click', click: { id: id.slice(0, 64), content: truncateBytes(content, MENU_ITEM_MAX) } };
}

export interface KfAnswerReply {
  body: KfMessageBody;
  /** The bot could not answer (counts towards the hand-over after two in a row). */
  unanswered: boolean;
  /** The one item answered, if any. */
  itemId?: string;
  /** Item ids offered in a "您是想问" menu (a typed 1/2/3 picks one). */
  options?: string[];
}

/**
 * The reply to a resident's question: one text (resident wording, ≤ 2,048 bytes) or, when the engine
 * is unsure, a msgmenu with the top 3 and "转人工". A default region is said in the answer.
 */
export function replyForAnswer(a: Answer): KfAnswerReply {
  const note = a.region.isDefault && a.region.code ? TEXTS.regionDefault(a.region.name) : '';
  if (a.kind === 'ambiguous') {
    const opts = askOptions(a);
    return {
      body: {
        msgtype: 'msgmenu',
        msgmenu: {
          head_content: truncateBytes(`${note}您想问的是哪一个？请点选：`, MENU_HEAD_MAX),
          list: [...opts.map((o) => click(`${MENU_ITEM_PREFIX}${o.id}`, o.label)), click(MENU_HUMAN, '都不是，转人工')],
          tail_content: '也可以换个说法再问我。',
        },
      },
      unanswered: false,
      options: opts.map((o) => o.id),
    };
  }
  if (a.kind === 'command') return { body: kfText(TEXTS.help), unanswered: false };
  const main = formatAnswerResident(a);
  const lines = [main];
  if (note && !main.includes('默认地区')) lines.unshift(note);
  const unanswered = a.kind === 'not_found' && a.reason !== 'empty';
  if (unanswered) lines.push(TEXTS.askHuman);
  const text = lines.join('\n');
  const body = kfText(utf8Bytes(text) <= KF_TEXT_MAX_BYTES ? text : main);
  return { body, unanswered, ...(a.kind === 'item' ? { itemId: a.item.id } : {}) };
}

/** The welcome (send_msg_on_event with welcome_code): a short greeting and a menu of popular certificates and 转人工. */
export function welcomeMenu(placeName: string | undefined, popular: AnswerEntry[]): KfMessageBody {
  const items = popular.slice(0, 6).map((e) => click(`${MENU_ITEM_PREFIX}${e.id}`, e.banned ? `${shortName(e)}去哪开` : `${shortName(e)}怎么开`));
  return {
    msgtype: 'msgmenu',
    msgmenu: {
      head_content: truncateBytes(
        `您好！这里是${placeName ? `${placeName}` : ''}便民服务，可以直接问我开证明的事，比如"居住证明怎么开"。常见问题：`,
        MENU_HEAD_MAX,
      ),
      list: [...items, click(MENU_LIST_ALLOWED, '村里能开哪些证明'), click(MENU_LIST_BANNED, '哪些证明村里不开'), click(MENU_HUMAN, '转人工')],
      tail_content: '点一下就能看答案。',
    },
  };
}

/**
 * A deterministic kf msgid for the bot's reply to an incoming message: `<prefix>-<incoming msgid>`
 * when that is ≤ 32 bytes of `[0-9a-zA-Z_-]`, else `<prefix>-` + a hash of the account and msgid.
 * The same incoming message always gives the same id, so a retry can never send twice.
 */
export function kfReplyId(prefix: string, openKfId: string, incomingMsgId: string): string {
  const plain = `${prefix}-${incomingMsgId}`;
  if (/^[0-9a-zA-Z_-]{1,32}$/.test(plain)) return plain;
  const hash = createHash('sha256').update(`${openKfId}\u0000${incomingMsgId}`).digest('base64url');
  return `${prefix}-${hash}`.slice(0, 32);
}

/** The village code from an enter_session `scene_param` such as `v=140802002201` or `v%3D…`; undefined otherwise. */
export function villageFromSceneParam(sceneParam: string | undefined): string | undefined {
  if (!sceneParam) return undefined;
  let s = sceneParam.trim();
  for (let i = 0; i < 2 && /%[0-9a-fA-F]{2}/.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      break;
    }
  }
  const m = /(?:^|[&;,])v=([0-9A-Za-z_-]{1,32})(?:$|[&;,])/.exec(s);
  return m?.[1];
}

/** "转人工" and its everyday variants. */
export function wantsHuman(text: string): boolean {
  const t = text.replace(/[\s，。！？!?,.]/g, '');
  return /^(转|找|要)?(人工|真人|工作人员|客服)(客服|服务)?$/.test(t) || /转人工|人工客服|找人工|找真人|找工作人员|转接人工/.test(t);
}

/** A typed option number "1"–"3" (also full-width), else undefined. */
export function optionNumber(text: string): number | undefined {
  const t = text.trim().replace(/[１-３]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return /^[1-3]$/.test(t) ? Number(t) : undefined;
}
