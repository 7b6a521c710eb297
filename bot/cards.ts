import type { ButtonCard } from './reply.js';
import type { Channel } from './update.js';

/** The template_card JSON (wecom-protocol.md §3.7) for a ButtonCard; the AI bot and the app share the shape. */
export function templateCardJson(card: ButtonCard, channel: Channel): Record<string, unknown> {
  const titleMax = channel === 'aibot' ? 26 : 36;
  const subMax = channel === 'aibot' ? 112 : 160;
  const out: Record<string, unknown> = {
    card_type: card.cardType,
    main_title: { title: clip(card.title, titleMax), ...(card.description ? { desc: clip(card.description, 44) } : {}) },
    task_id: card.taskId,
  };
  if (card.subtitle) out.sub_title_text = clip(card.subtitle, subMax);
  if (card.fields?.length) {
    out.horizontal_content_list = card.fields.slice(0, 6).map((f) => ({ keyname: clip(f.key, 8), value: clip(f.value, 30) }));
  }
  if (card.replaceText) {
    out.replace_text = card.replaceText;
    out.button_list = card.buttons.slice(0, 6).map((b) => ({ text: clip(b.text, 10), style: 2, key: b.key }));
  } else {
    out.button_list = card.buttons.slice(0, 6).map((b) => ({ text: clip(b.text, 10), style: b.style ?? 1, key: b.key }));
  }
  return out;
}

function clip(s: string, maxChars: number): string {
  const chars = Array.from(s);
  return chars.length <= maxChars ? s : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** Markdown → readable plain text for channels that only take text (app passive replies, kf). */
export function markdownToText(md: string): string {
  return md
    .replace(/<font[^>]*>(.*?)<\/font>/g, '$1')
    .replace(/^#{1,6}\s*/gm, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 $2')
    .replace(/^>\s?/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
