import * as OpenCC from 'opencc-js';

/**
 * Question normalisation for the catalog engine (no LLM): what a cadre or resident types in a
 * chat — full-width letters, traditional characters, an @mention, emoji, dialect (俺/咋/中不中),
 * fillers (嘛/呀/呢) — becomes one canonical simplified string the tokenizer and the intent step
 * both work on. Pure, deterministic, never throws.
 */

/** Characters of the question that are considered at all (after cleaning). */
export const MAX_QUESTION_CHARS = 200;
/** Raw input is cut to this many UTF-16 units before any work, so a huge paste costs nothing. */
const MAX_RAW_UNITS = 2_000;

/** Created once per process: building the traditional → simplified converter takes ~10 ms. */
let t2s: ((s: string) => string) | undefined;
function toSimplified(s: string): string {
  const conv = t2s ?? (t2s = OpenCC.Converter({ from: 'tw', to: 'cn' }));
  return conv(s);
}

/**
 * Dialect and colloquial forms → the standard form, applied in order (longer patterns first).
 * Kept small and general: anything item-specific belongs in the item's aliases, not here.
 */
const DIALECT: ReadonlyArray<readonly [RegExp, string]> = [
  [/能不能|中不中|行不行|成不成|可不可以|可以不可以|能否|是否可以|可否|(?:能|中|行|可以)不$/g, '能不能'],
  [/干嘛|弄啥|干什么/g, '干什么'],
  [/咱们|俺们|我们/g, '我'],
  [/俺|咱/g, '我'],
  [/咋个|咋样|咋/g, '怎么'],
  [/啥子|啥|甚么|什么样/g, '什么'],
  [/(?<=[干做要])甚(?!至)/g, '什么'],
  [/去哪儿|去哪里|上哪儿|上哪里|上哪|哪儿|哪里|哪块|哪搭/g, '哪里'],
  [/谁来管|谁管|谁负责|归谁|谁的事|谁干/g, '谁负责'],
  [/娃娃|娃子|娃儿|娃/g, '孩子'],
  [/老汉|老头子/g, '老人'],
  [/开个|开张|开一个|开一张|打个|打张|出个|出张|出一个/g, '开'],
  [/盖个章|盖一下章|盖下章|盖章子/g, '盖章'],
];

/** Sentence-final and filler particles that only add noise. */
const FILLERS = /[嘛呀哈呢啊哦噢吧啦咧嘞哇呐]+/g;

/** A leading @mention of the bot, as WeCom leaves it in group text ("@机器人 村里…"). */
const MENTION_WITH_SPACE = /^\s*@\S{1,32}[\s\u2005\u00a0]+/u;
const MENTION_BARE = /^\s*@(机器人|助手|小助手|基层减负助手|减负助手|bot)/iu;

/** Everything that is not a Han character, a latin letter or a digit. */
const NOISE = /[^\p{Script=Han}a-z0-9]+/gu;

export interface NormalizedQuestion {
  /** The raw question after trimming (for logs). */
  raw: string;
  /** Canonical text: simplified, lowercase, no punctuation; spaces only between latin/digit runs. */
  text: string;
  /** True when the input had no usable characters (empty, only an @mention, only emoji …). */
  empty: boolean;
  /** True when the input was longer than what is considered. */
  truncated: boolean;
}

/** Removes a leading @mention (repeatedly: "@机器人 @张三 问题"). */
export function stripMention(s: string): string {
  let out = s;
  for (let i = 0; i < 3; i += 1) {
    const next = out.replace(MENTION_WITH_SPACE, '').replace(MENTION_BARE, '');
    if (next === out) break;
    out = next;
  }
  return out.trim() === '@' ? '' : out;
}

/** Full-width → half-width, traditional → simplified, lowercase; keeps punctuation. */
export function canonicalChars(s: string): string {
  return toSimplified(s.normalize('NFKC')).toLowerCase();
}

/** Applies dialect replacements and drops filler particles. Expects canonical, noise-free text. */
export function normalizeDialect(s: string): string {
  let out = s;
  for (const [re, to] of DIALECT) out = out.replace(re, to);
  return out.replace(FILLERS, '');
}

/**
 * The one entry point: any string (or garbage) → a NormalizedQuestion. Never throws.
 *
 * Order: cut raw length → strip @mention → NFKC (full-width → half-width) → traditional →
 * simplified → lowercase → noise (punctuation, emoji, whitespace) removed → dialect and fillers →
 * first MAX_QUESTION_CHARS characters.
 */
export function normalizeQuestion(input: unknown): NormalizedQuestion {
  const raw = typeof input === 'string' ? input.slice(0, MAX_RAW_UNITS).trim() : '';
  const rawTruncated = typeof input === 'string' && input.length > MAX_RAW_UNITS;
  const noMention = stripMention(raw);
  let s = canonicalChars(noMention);
  // The mention may have been full-width or traditional: try once more after canonicalising.
  s = stripMention(s);
  s = s.replace(NOISE, ' ');
  // Spaces are meaningful only between latin/digit runs ("sql select"); drop them around Han.
  s = s.replace(/ +/g, ' ').replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, '').trim();
  s = normalizeDialect(s);
  const chars = Array.from(s);
  const truncated = rawTruncated || chars.length > MAX_QUESTION_CHARS;
  const text = chars.slice(0, MAX_QUESTION_CHARS).join('').trim();
  return { raw, text, empty: text.length === 0, truncated };
}

/**
 * Normalises catalog text (names, aliases) exactly like questions (so both sides agree, e.g. an
 * alias "开个居住证明" and a question "开个居住证明" give the same text), minus the length bound.
 */
export function normalizeCatalogText(s: string): string {
  const cleaned = canonicalChars(s)
    .replace(NOISE, ' ')
    .replace(/ +/g, ' ')
    .replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, '')
    .trim();
  return normalizeDialect(cleaned);
}
