import type { Update } from '../update.js';
import { CallbackRejected } from './errors.js';
import { stripLeadingMentions } from './mention.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function textOf(msgtype: string, m: Json): string | undefined {
  switch (msgtype) {
    case 'text':
      return str(obj(m.text).content);
    case 'voice':
      return str(obj(m.voice).content);
    case 'mixed': {
      const items = Array.isArray(obj(m.mixed).msg_item) ? (obj(m.mixed).msg_item as unknown[]) : [];
      return items
        .map((i) => obj(i))
        .filter((i) => i.msgtype === 'text')
        .map((i) => str(obj(i.text).content))
        .join(' ');
    }
    default:
      return undefined;
  }
}

/**
 * Turns a decrypted AI-bot callback (JSON, wecom-protocol.md §3.2–3.3) into an Update.
 * Unknown message or event types become `unsupported` (answered with an empty 200).
 */
export function parseAibotMessage(plaintext: string, nowSeconds: number): Update {
  let m: Json;
  try {
    const v: unknown = JSON.parse(plaintext);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    m = v as Json;
  } catch {
    throw new CallbackRejected(400, 'json_malformed', 'decrypted AI-bot message is not a JSON object');
  }
  const msgtype = str(m.msgtype);
  const msgId = str(m.msgid) || undefined;
  const chatType = m.chattype === 'group' ? 'group' : 'single';
  const base = {
    channel: 'aibot' as const,
    msgId,
    userId: str(obj(m.from).userid),
    chatId: chatType === 'group' ? str(m.chatid) || undefined : undefined,
    chatType: chatType as 'single' | 'group',
    createTime: typeof m.create_time === 'number' ? m.create_time : nowSeconds,
    responseUrl: str(m.response_url) || undefined,
  };

  if (msgtype === 'event') {
    const event = obj(m.event);
    const eventType = str(event.eventtype);
    const body = obj(event[eventType]);
    const dedupeKey =
      msgId ?? ['evt', base.userId, base.createTime, eventType, str(body.event_key), str(body.task_id), str(body.id)].join('|');
    switch (eventType) {
      case 'enter_chat':
        return { ...base, type: 'enter_chat', dedupeKey };
      case 'template_card_event': {
        const selected = Array.isArray(obj(body.selected_items).selected_item)
          ? (obj(body.selected_items).selected_item as unknown[]).map((s) => ({
              questionKey: str(obj(s).question_key),
              optionIds: (Array.isArray(obj(obj(s).option_ids).option_id) ? (obj(obj(s).option_ids).option_id as unknown[]) : []).map(str),
            }))
          : undefined;
        return {
          ...base,
          type: 'card_click',
          dedupeKey,
          eventKey: str(body.event_key),
          taskId: str(body.task_id),
          cardType: str(body.card_type),
          ...(selected ? { selected } : {}),
        };
      }
      case 'feedback_event':
        return {
          ...base,
          type: 'feedback',
          dedupeKey,
          feedbackId: str(body.id),
          feedbackType: Number(body.type) || 0,
          ...(typeof body.content === 'string' ? { content: body.content } : {}),
          ...(Array.isArray(body.inaccurate_reason_list) ? { reasons: (body.inaccurate_reason_list as unknown[]).map(Number) } : {}),
        };
      default:
        return { ...base, type: 'unsupported', dedupeKey, raw: `event:${eventType}` };
    }
  }

  const dedupeKey = msgId ?? ['msg', base.userId, base.createTime, msgtype].join('|');
  const text = textOf(msgtype, m);
  if (text === undefined) return { ...base, type: 'unsupported', dedupeKey, raw: msgtype || 'unknown' };
  const quote = m.quote ? textOf(str(obj(m.quote).msgtype), obj(m.quote)) : undefined;
  return {
    ...base,
    type: 'text',
    dedupeKey,
    text: stripLeadingMentions(text),
    source: msgtype === 'voice' ? 'voice' : msgtype === 'mixed' ? 'mixed' : 'text',
    ...(quote ? { quote } : {}),
  };
}
