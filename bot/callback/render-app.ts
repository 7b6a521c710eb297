import { markdownToText, templateCardJson } from '../cards.js';
import { splitBytes, utf8Bytes, type Reply } from '../reply.js';
import type { OutboundRequest } from '../outbound.js';
import type { Update } from '../update.js';
import { buildXml } from './xml.js';

/** Max bytes of an app text message (passive reply and message/send text/markdown). */
export const APP_TEXT_MAX_BYTES = 2_048;

export interface AppReplyPlan {
  /** Plaintext XML of the passive reply, '' for an empty 200. */
  passive: string;
  /** Sends that must go out through message/send instead (long answers, cards, card updates). */
  sends: OutboundRequest[];
}

/**
 * How an app reply goes out: short text passively (encrypted XML), longer answers as markdown
 * via message/send in ≤ 2,048-byte parts, cards via message/send, card updates via
 * message/update_template_card with the click's ResponseCode.
 */
export function planAppReply(update: Update, reply: Reply, corpId: string, agentId: number, nowSeconds: number): AppReplyPlan {
  const jobBase = `app-${update.dedupeKey.replace(/[^0-9A-Za-z_-]/g, '_').slice(0, 80)}`;
  if (reply.kind === 'none') return { passive: '', sends: [] };
  if (reply.kind === 'card_update') {
    if (update.type !== 'card_click' || !update.responseCode) return { passive: '', sends: [] };
    return {
      passive: '',
      sends: [
        {
          method: 'message/update_template_card',
          jobId: `${jobBase}-upd`,
          body: { userids: [update.userId], agentid: agentId, response_code: update.responseCode, template_card: templateCardJson(reply.card, 'app') },
        },
      ],
    };
  }
  if (reply.kind === 'card') {
    return {
      passive: '',
      sends: [
        {
          method: 'message/send',
          jobId: `${jobBase}-card`,
          body: { touser: update.userId, msgtype: 'template_card', agentid: agentId, template_card: templateCardJson(reply.card, 'app') },
        },
      ],
    };
  }
  const plain = reply.kind === 'markdown' ? markdownToText(reply.text) : reply.text;
  if (utf8Bytes(plain) <= APP_TEXT_MAX_BYTES) {
    return {
      passive: buildXml({ ToUserName: update.userId, FromUserName: corpId, CreateTime: nowSeconds, MsgType: 'text', Content: plain }),
      sends: [],
    };
  }
  const parts = splitBytes(reply.kind === 'markdown' ? reply.text : plain, APP_TEXT_MAX_BYTES);
  return {
    passive: '',
    sends: parts.map((content, i) => ({
      method: 'message/send' as const,
      jobId: `${jobBase}-p${i + 1}`,
      body: { touser: update.userId, msgtype: 'markdown', agentid: agentId, markdown: { content } },
    })),
  };
}
