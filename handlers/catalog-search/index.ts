import type { Catalog } from '../../seeds/schema.js';
import { buildDocs, domainWordsOf, phraseForm, type SearchDoc } from './docs.js';
import { pinyinPhrase } from './pinyin.js';
import { addDomainWords, termsOf, termWeight, type TermBag } from './tokenize.js';

/**
 * A BM25F-style inverted index over catalog items and posts, with field boosts
 * (name > alias > body) and a phrase bonus when a whole name or alias appears in the question —
 * literally or by fuzzy pinyin. Built once per catalog version; searching is allocation-light and
 * deterministic (ties break by catalog order).
 */

/** Field boosts and length normalisation (BM25F). */
const FIELDS = {
  name: { weight: 3.0, b: 0.5 },
  alias: { weight: 2.0, b: 0.3 },
  body: { weight: 0.5, b: 0.75 },
} as const;
type FieldName = keyof typeof FIELDS;
const K1 = 1.2;

/**
 * Phrase bonus: per matched character of the best matched name/alias, in idf-like units, plus a
 * base for a literal match (curated aliases are strong evidence even when short: 狗证, 强拆).
 */
export const PHRASE_EXACT_PER_CHAR = 1.6;
export const PHRASE_EXACT_BASE = 3;
export const PHRASE_PINYIN_PER_CHAR = 1.2;
/** Weight of an unknown character/pinyin bigram in the coverage denominator. */
const UNSEEN_JUNCTION = 0.3;

export interface Posting {
  doc: number;
  /** Length-normalised, field-weighted term frequency. */
  tf: number;
}

export interface SearchHit {
  doc: SearchDoc;
  /** bm25 + phrase. */
  score: number;
  bm25: number;
  phrase: number;
  /** Characters of the matched phrase (0 when none). */
  phraseLen: number;
  /** The matched phrase appears literally (not only by pinyin). */
  phraseExact: boolean;
  /** Share of the question's term weight that this document matched (0…1). */
  coverage: number;
}

export interface CatalogIndex {
  docs: SearchDoc[];
  postings: Map<string, Posting[]>;
  idf: Map<string, number>;
  /** idf given to question terms the catalog does not contain. */
  idfUnseen: number;
  byId: Map<string, SearchDoc>;
  /** Milliseconds the build took. */
  buildMs: number;
}

function bagOfTexts(texts: readonly string[]): TermBag {
  const bag: TermBag = new Map();
  for (const t of texts) for (const [k, v] of termsOf(t)) bag.set(k, (bag.get(k) ?? 0) + v);
  return bag;
}

function bagLength(bag: TermBag): number {
  let n = 0;
  for (const v of bag.values()) n += v;
  return n;
}

/** Builds the index for a catalog; also feeds the segmenter's domain dictionary. */
export function buildIndex(catalog: Catalog): CatalogIndex {
  const t0 = performance.now();
  addDomainWords(domainWordsOf(catalog));
  const docs = buildDocs(catalog);
  const bags: Record<FieldName, TermBag[]> = { name: [], alias: [], body: [] };
  const avg: Record<FieldName, number> = { name: 0, alias: 0, body: 0 };
  for (const d of docs) {
    for (const f of Object.keys(FIELDS) as FieldName[]) {
      const bag = bagOfTexts(d[f]);
      bags[f].push(bag);
      avg[f] += bagLength(bag);
    }
  }
  for (const f of Object.keys(FIELDS) as FieldName[]) avg[f] = Math.max(1, avg[f] / Math.max(1, docs.length));

  const postings = new Map<string, Posting[]>();
  for (const d of docs) {
    const tf = new Map<string, number>();
    for (const f of Object.keys(FIELDS) as FieldName[]) {
      const bag = bags[f][d.idx] as TermBag;
      const { weight, b } = FIELDS[f];
      const norm = 1 - b + (b * bagLength(bag)) / avg[f];
      for (const [t, c] of bag) tf.set(t, (tf.get(t) ?? 0) + (weight * c) / norm);
    }
    for (const [t, v] of tf) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push({ doc: d.idx, tf: v });
    }
  }
  const n = docs.length;
  const idf = new Map<string, number>();
  for (const [t, list] of postings) idf.set(t, Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5)));
  const idfUnseen = Math.log(1 + (n + 0.5) / 0.5);
  const byId = new Map<string, SearchDoc>();
  for (const d of docs) if (!byId.has(d.id.toLowerCase())) byId.set(d.id.toLowerCase(), d);
  return { docs, postings, idf, idfUnseen, byId, buildMs: performance.now() - t0 };
}

export interface SearchOptions {
  /** Only documents whose list id is in this set (region scoping). */
  lists?: ReadonlySet<string>;
  /** Multiplier per document (intent prior); 1 when absent. */
  boost?: (doc: SearchDoc) => number;
  /** How many hits to return (default 10). */
  limit?: number;
}

/**
 * Ranks documents for a normalised question. `text` must come from normalizeQuestion().text.
 */
export function searchIndex(index: CatalogIndex, text: string, opts: SearchOptions = {}): SearchHit[] {
  const n = index.docs.length;
  if (!text || n === 0) return [];
  const q = termsOf(text, { question: true });
  const bm25 = new Float64Array(n);
  const matched = new Float64Array(n);
  let total = 0;
  for (const t of q.keys()) {
    const w = termWeight(t);
    const list = index.postings.get(t);
    const idf = index.idf.get(t) ?? index.idfUnseen;
    // Unknown bigrams are mostly junctions between two words ("员排"): they lower coverage less
    // than an unknown word (which means the question talks about something we do not have).
    total += list || t.startsWith('w:') ? w * idf : UNSEEN_JUNCTION * w * idf;
    if (!list) continue;
    for (const p of list) {
      bm25[p.doc] = (bm25[p.doc] as number) + (w * idf * p.tf * (K1 + 1)) / (p.tf + K1);
      matched[p.doc] = (matched[p.doc] as number) + w * idf;
    }
  }
  const compact = phraseForm(text);
  const qpy = pinyinPhrase(compact);
  const hits: SearchHit[] = [];
  for (const d of index.docs) {
    if (opts.lists && !opts.lists.has(d.list.id)) continue;
    let phrase = 0;
    let phraseLen = 0;
    let phraseExact = false;
    for (const ph of d.phrases) {
      const len = Array.from(ph.text).length;
      let s = 0;
      const exact = compact.includes(ph.text);
      if (exact) s = PHRASE_EXACT_BASE + PHRASE_EXACT_PER_CHAR * len;
      // Two-syllable pinyin look-alikes are too common (租房/住房) to count as a phrase.
      else if (len >= 3 && qpy.includes(ph.py)) s = PHRASE_PINYIN_PER_CHAR * len;
      if (s > phrase) {
        phrase = s;
        phraseLen = len;
        phraseExact = exact;
      }
    }
    const base = bm25[d.idx] as number;
    if (base <= 0 && phrase <= 0) continue;
    const boost = opts.boost ? opts.boost(d) : 1;
    hits.push({
      doc: d,
      score: (base + phrase) * boost,
      bm25: base,
      phrase,
      phraseLen,
      phraseExact,
      coverage: total > 0 ? (matched[d.idx] as number) / total : 0,
    });
  }
  hits.sort((a, b) => b.score - a.score || a.doc.idx - b.doc.idx);
  return hits.slice(0, opts.limit ?? 10);
}

/** The question's own weight (sum of w·idf over its terms) — a scale for confidence. */
export function questionWeight(index: CatalogIndex, text: string): number {
  let total = 0;
  for (const t of termsOf(text, { question: true }).keys()) total += termWeight(t) * (index.idf.get(t) ?? index.idfUnseen);
  return total;
}
