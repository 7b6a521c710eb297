import { templateCardJson } from '../cards.js';
import { truncateBytes, type Reply } from '../reply.js';
import type { Update } from '../update.js';

/** Max bytes of AI-bot stream content (§3.4). */
export const AIBOT_STREAM_MAX_BYTES = 20_480;

/**
 * The plaintext JSON of the AI bot's passive reply for `reply` ('' = empty body), following the
 * allowed-reply table of wecom-protocol.md §3.4: text only for enter_chat, stream/card for messages,
 * update_template_card for card clicks, nothing for feedback.
 */
export function renderAibotReply(update: Update, reply: Reply): string {
  if (reply.kind === 'none' || update.type === 'feedback') return '';
  if (update.type === 'card_click') {
    if (reply.kind !== 'card_update') return '';
    return JSON.stringify({ response_type: 'update_template_card', template_card: templateCardJson(reply.card, 'aibot') });
  }
  if (reply.kind === 'card') {
    return JSON.stringify({ msgtype: 'template_card', template_card: templateCardJson(reply.card, 'aibot') });
  }
  if (reply.kind === 'card_update') return '';
  if (update.type === 'enter_chat' && reply.kind === 'text') {
    return JSON.stringify({ msgtype: 'text', text: { content: truncateBytes(reply.text, 2_048) } });
  }
  const content = truncateBytes(reply.text, AIBOT_STREAM_MAX_BYTES);
  const stream: Record<string, unknown> = { id: streamId(update), finish: true, content };
  if (reply.kind === 'markdown' && reply.feedbackId) stream.feedback = { id: reply.feedbackId };
  return JSON.stringify({ msgtype: 'stream', stream });
}

/** Our stream id for an update: stable, so a re-delivery gets the same id. */
export function streamId(update: Update): string {
  return `s-${(update.msgId ?? update.dedupeKey).replace(/[^0-9A-Za-z_-]/g, '').slice(0, 60)}`;
}
