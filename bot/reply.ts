/**
 * What a handler answers, independent of the channel. The channel renderers turn it into the
 * AI bot's passive `stream`/`template_card` JSON or the app's passive XML (or an outbound send).
 */
export interface CardButton {
  text: string;
  /** Callback key (≤ 1024 bytes). */
  key: string;
  /** 1 blue, 2 grey, 3 red, 4 blue text. */
  style?: 1 | 2 | 3 | 4;
}

/** A `button_interaction` template card (the shape shared by the AI bot and the app). */
export interface ButtonCard {
  cardType: 'button_interaction';
  /** `[0-9A-Za-z_\-@]`, ≤ 128 bytes, unique per bot/app. */
  taskId: string;
  title: string;
  description?: string;
  subtitle?: string;
  fields?: { key: string; value: string }[];
  buttons: CardButton[];
  /** For a card update: text shown instead of the buttons (e.g. "已由张三选择保留"). */
  replaceText?: string;
}

export type Reply =
  /** Plain text. AI bot: rendered as a finished stream (text is only legal for enter_chat). */
  | { kind: 'text'; text: string }
  /** Markdown. App: sent as text passively when short, else as markdown via message/send. */
  | { kind: 'markdown'; text: string; feedbackId?: string }
  | { kind: 'card'; card: ButtonCard; fallbackText: string }
  /** Answer to a card click: replace the clicked card. */
  | { kind: 'card_update'; card: ButtonCard }
  | { kind: 'none' };

export const NO_REPLY: Reply = { kind: 'none' };

/** Byte length in UTF-8 (WeCom limits are in bytes). */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Cuts `s` to at most `maxBytes` UTF-8 bytes on a character boundary, appending `suffix`
 * (which counts towards the limit) when something was cut.
 */
export function truncateBytes(s: string, maxBytes: number, suffix = '…'): string {
  if (utf8Bytes(s) <= maxBytes) return s;
  const budget = maxBytes - utf8Bytes(suffix);
  let out = '';
  let used = 0;
  for (const ch of s) {
    const b = utf8Bytes(ch);
    if (used + b > budget) break;
    out += ch;
    used += b;
  }
  return out + suffix;
}

/** Splits `s` into parts of at most `maxBytes` bytes, preferring line breaks. */
export function splitBytes(s: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const line of s.split('\n')) {
    const candidate = cur === '' ? line : `${cur}\n${line}`;
    if (utf8Bytes(candidate) <= maxBytes) {
      cur = candidate;
      continue;
    }
    if (cur !== '') parts.push(cur);
    if (utf8Bytes(line) <= maxBytes) {
      cur = line;
    } else {
      let rest = line;
      while (utf8Bytes(rest) > maxBytes) {
        const head = truncateBytes(rest, maxBytes, '');
        parts.push(head);
        rest = rest.slice(head.length);
      }
      cur = rest;
    }
  }
  if (cur !== '') parts.push(cur);
  return parts;
}
