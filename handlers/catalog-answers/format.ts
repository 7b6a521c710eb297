import { truncateBytes, utf8Bytes } from '../../bot/reply.js';
import type { Answer } from '../catalog-search/types.js';
import { itemParts } from './item-parts.js';
import { ambiguousParts, commandParts, listParts, notFoundParts } from './other-parts.js';
import type { AnswerParts, Section } from './parts.js';

/**
 * Answer → Chinese text, in two flavours:
 *  - markdown for the AI bot (≤ MARKDOWN_MAX_BYTES);
 *  - plain text for the app (≤ TEXT_MAX_BYTES), shortened with a pointer such as
 *    "完整内容请发送：证明 居住证明" when the full text does not fit.
 * Pure; never throws for any Answer.
 */

/** AI-bot markdown limit (bytes). */
export const MARKDOWN_MAX_BYTES = 20_480;
/** App text message limit (bytes). */
export const TEXT_MAX_BYTES = 2_048;

export function answerParts(a: Answer): AnswerParts {
  switch (a.kind) {
    case 'item':
      return itemParts(a);
    case 'list':
      return listParts(a);
    case 'ambiguous':
      return ambiguousParts(a);
    case 'not_found':
      return notFoundParts(a);
    case 'command':
      return commandParts(a);
  }
}

function sectionMarkdown(s: Section): string[] {
  if (Array.isArray(s.text)) {
    const head = s.label ? [`**${s.label}**`] : [];
    return [...head, ...s.text.map((t) => (/^\d+\. /.test(t) ? t : `- ${t}`))];
  }
  return [s.label ? `> **${s.label}**：${s.text}` : s.text];
}

function sectionText(s: Section): string[] {
  if (Array.isArray(s.text)) {
    const head = s.label ? [`${s.label}：`] : [];
    return [...head, ...s.text.map((t) => (/^\d+\. /.test(t) ? t : `· ${t}`))];
  }
  return [s.label ? `${s.label}：${s.text}` : s.text];
}

/** Markdown for the AI bot. */
export function formatAnswerMarkdown(a: Answer): string {
  const p = answerParts(a);
  const lines = [`**${p.headline}**`, ...p.sections.flatMap(sectionMarkdown)];
  if (p.notes.length) lines.push('', ...p.notes.map((n) => `<font color="warning">${n}</font>`));
  const cite = p.cite.length ? ['', ...p.cite.map((c) => `<font color="comment">${c}</font>`)] : [];
  return fit(lines, MARKDOWN_MAX_BYTES, p.pointer, cite);
}

/** Plain text for the app (and any channel without markdown). */
export function formatAnswerText(a: Answer): string {
  const p = answerParts(a);
  const lines = [p.headline, ...p.sections.flatMap(sectionText)];
  if (p.notes.length) lines.push(...p.notes.map((n) => `※ ${n}`));
  return fit(lines, TEXT_MAX_BYTES, p.pointer, p.cite);
}

/**
 * Joins `lines` + `keep` within `max` bytes. When they do not fit, keeps the head of `lines`
 * (headline first), drops the rest, adds the pointer to the full content, and always keeps `keep`
 * (the citation: list, item id, region).
 */
export function fit(lines: string[], max: number, pointer?: string, keep: string[] = []): string {
  const full = [...lines, ...keep].join('\n');
  if (utf8Bytes(full) <= max) return full;
  const marker = `……（内容较长，已省略${pointer ? `；完整内容请发送：${pointer}` : ''}）`;
  const tail = [marker, ...keep.filter((k) => k !== '')];
  const budget = max - utf8Bytes(tail.join('\n')) - 1;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const b = utf8Bytes(line) + 1;
    if (used + b > budget) break;
    kept.push(line);
    used += b;
  }
  if (kept.length === 0) kept.push(truncateBytes(lines[0] ?? '', Math.max(16, budget)));
  return truncateBytes([...kept, ...tail].join('\n'), max);
}
