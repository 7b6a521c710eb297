import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyinKeys } from './pinyin.js';

/**
 * Turns normalised text into weighted search terms. Three kinds, so that each backs up the others:
 *  - `w:` jieba words (default dictionary + a domain dictionary of item names, aliases, posts,
 *    departments) — precise;
 *  - `b:` character bigrams — recall when segmentation goes wrong (typos, unknown words);
 *  - `p:` fuzzy-pinyin syllable bigrams — recall for homophone typos (居柱证明, 网格源).
 * Latin/digit runs become `w:` terms as they are.
 */

/** Term kind weights: a correctly spelt word matches all three kinds, a homophone typo only `p:`. */
export const TERM_WEIGHTS = { w: 1.0, b: 0.6, p: 0.45 } as const;

/** Weight of a term by its kind prefix (applied on the question side only). */
export function termWeight(term: string): number {
  const k = term.charCodeAt(0);
  if (k === 119 /* w */) return TERM_WEIGHTS.w;
  if (k === 98 /* b */) return TERM_WEIGHTS.b;
  return TERM_WEIGHTS.p;
}

let jieba: Jieba | undefined;
const domainWords = new Set<string>();

/** The process-wide segmenter; the default dictionary (~175 ms) is loaded on first use only. */
export function getJieba(): Jieba {
  if (!jieba) jieba = Jieba.withDict(dict);
  return jieba;
}

/**
 * Adds domain words (item names, aliases, post and department names) to the segmenter. Additive
 * and idempotent: a word already added is skipped; words from an older catalog version stay (harmless).
 */
export function addDomainWords(words: Iterable<string>): number {
  const lines: string[] = [];
  for (const w of words) {
    const word = w.trim();
    if (word.length < 2 || word.length > 16 || /\s/.test(word) || domainWords.has(word)) continue;
    domainWords.add(word);
    lines.push(`${word} 20000 n`);
  }
  if (lines.length > 0) getJieba().loadDict(Buffer.from(lines.join('\n'), 'utf8'));
  return lines.length;
}

/**
 * Question words that carry no topic: skipped when forming terms from a question (the intent step
 * still sees them). Matched greedily, longest first, as character spans.
 */
const STOP_PHRASES = [
  '请问一下', '请问', '你好', '您好', '我想问一下', '我想问', '想问一下', '想问', '问一下', '问下', '一下',
  '我想', '我要', '想要', '需要', '能不能', '可以', '是不是', '有没有', '怎么办', '怎么', '什么', '哪些',
  '哪里', '在哪', '去哪', '哪个', '谁负责', '谁', '村里', '咱村', '本村', '我村', '我家', '我', '你',
  '吗', '的', '了', '是', '还是', '要', '给', '能', '会', '都', '和', '跟', '也', '就', '还', '这个', '那个',
  '一个', '个', '吧', '去', '找', '办理', '办', '开', '出具', '弄', '问', '知道', '不知道', '现在',
];
const STOP_SORTED = [...STOP_PHRASES].sort((a, b) => b.length - a.length);

/** Per character: is it covered by a stop phrase? */
export function stopMask(chars: readonly string[]): boolean[] {
  const mask = new Array<boolean>(chars.length).fill(false);
  const text = chars.join('');
  // chars are code points; map code-unit offsets back to indices.
  const unitToIdx: number[] = [];
  chars.forEach((c, i) => {
    for (let k = 0; k < c.length; k += 1) unitToIdx.push(i);
  });
  for (const sp of STOP_SORTED) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(sp, from);
      if (at < 0) break;
      const start = unitToIdx[at] ?? 0;
      const end = unitToIdx[at + sp.length - 1] ?? start;
      let free = true;
      for (let i = start; i <= end; i += 1) if (mask[i]) free = false;
      if (free) for (let i = start; i <= end; i += 1) mask[i] = true;
      from = at + sp.length;
    }
  }
  return mask;
}

function isHan(ch: string): boolean {
  return /\p{Script=Han}/u.test(ch);
}

/** A bag of terms: term → count. */
export type TermBag = Map<string, number>;

function add(bag: TermBag, term: string): void {
  bag.set(term, (bag.get(term) ?? 0) + 1);
}

/**
 * Terms of a normalised text. For questions pass `question: true` so stop phrases are skipped
 * (bigrams are formed only inside runs of non-stop characters; stop words are not terms).
 */
export function termsOf(text: string, opts: { question?: boolean } = {}): TermBag {
  const bag: TermBag = new Map();
  if (!text) return bag;
  const chars = Array.from(text);
  const mask = opts.question ? stopMask(chars) : new Array<boolean>(chars.length).fill(false);
  const keys = pinyinKeys(text);
  for (let i = 0; i + 1 < chars.length; i += 1) {
    const a = chars[i] as string;
    const b = chars[i + 1] as string;
    if (!isHan(a) || !isHan(b)) continue;
    // Question side: bigrams only inside runs of content characters (not across a stop word).
    if (mask[i] || mask[i + 1]) continue;
    add(bag, `b:${a}${b}`);
    add(bag, `p:${keys[i]}_${keys[i + 1]}`);
  }
  // Words: jieba over the text (documents) or over each run of content characters (questions),
  // so generic verb phrases around stop words ("开证明") never become question terms.
  const pieces: string[] = [];
  if (opts.question) {
    let run = '';
    chars.forEach((c, i) => {
      if (mask[i] || c === ' ') {
        if (run) pieces.push(run);
        run = '';
      } else run += c;
    });
    if (run) pieces.push(run);
  } else pieces.push(...text.split(' '));
  for (const piece of pieces) {
    if (!piece) continue;
    if (!/\p{Script=Han}/u.test(piece)) {
      if (piece.length >= 2) add(bag, `w:${piece}`);
      continue;
    }
    for (const word of getJieba().cutForSearch(piece, false)) {
      const han = Array.from(word);
      if (han.length < 2 || !isHan(han[0] as string)) {
        if (/^[a-z0-9]{2,}$/.test(word)) add(bag, `w:${word}`);
        continue;
      }
      add(bag, `w:${word}`);
    }
  }
  return bag;
}

/** Number of characters of the text that are not stop characters (how much the question "says"). */
export function contentLength(text: string): number {
  const chars = Array.from(text);
  return stopMask(chars).filter((m) => !m).length;
}
