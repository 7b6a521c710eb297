import { pinyin } from 'pinyin-pro';

/**
 * Toneless, "fuzzy" pinyin keys so that homophone typos typed with a pinyin IME still match
 * (居柱证明 → ju zhu zheng ming = 居住证明; 吴犯罪 = 无犯罪; 证名 = 证明).
 *
 * Each Han character gets its default reading (not context-dependent): what matters is that the
 * question and the catalog get the SAME key for the same character. The fuzzy step folds the
 * confusions common in northern dialects and IME typing: zh/z, ch/c, sh/s, l/n, and the nasal
 * finals an/ang, en/eng, in/ing.
 */

const cache = new Map<string, string>();

/** Folds a toneless syllable into its fuzzy class. */
export function fuzzySyllable(py: string): string {
  let s = py.replace(/ü/g, 'v');
  s = s.replace(/^([zcs])h/, '$1').replace(/^l/, 'n');
  s = s.replace(/ang$/, 'an').replace(/eng$/, 'en').replace(/ing$/, 'in');
  return s;
}

/** Fuzzy syllable of one Han character; the character itself when it has no reading. */
export function charKey(ch: string): string {
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  let key = ch;
  if (/\p{Script=Han}/u.test(ch)) {
    const py = pinyin(ch, { toneType: 'none', type: 'array' })[0];
    if (py && /^[a-zü]+$/.test(py)) key = fuzzySyllable(py);
  }
  cache.set(ch, key);
  return key;
}

/**
 * Fuzzy syllables of a (normalised) string, one per character; latin/digit characters are kept as
 * themselves so that alignment with the text stays one-to-one.
 */
export function pinyinKeys(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) out.push(charKey(ch));
  return out;
}

/**
 * A string form for substring tests: syllables joined and wrapped by '|', so that
 * "|ju|zhu|" is found inside "|wo|xian|kai|ju|zhu|zhen|min|" only on syllable boundaries.
 */
export function pinyinPhrase(text: string): string {
  return `|${pinyinKeys(text).join('|')}|`;
}
