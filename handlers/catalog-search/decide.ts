import type { SearchHit } from './index.js';

/**
 * Confidence, ambiguity and the banned-certificate safety rule, as pure functions over ranked hits.
 * Thresholds were tuned on bench/eval-set.yaml (never on bench/eval-holdout.yaml).
 */

export interface DecideOptions {
  /** The top hit matched less than this share of the question's term weight: not found (default 0.3). */
  minCoverage: number;
  /** Below this confidence: not found (default 0.2). */
  minConfidence: number;
  /** Below this confidence (but above minConfidence): ask back with the top 3 (default 0.3). */
  askConfidence: number;
  /** (s1 − s2) / s1 below this: too close to call → ask back (default 0.1). */
  margin: number;
  /**
   * An allowed certificate on top with a banned certificate scoring ≥ (1 − bannedMargin)·s1
   * → ask back rather than risk a wrong yes (default 0.3).
   */
  bannedMargin: number;
}

export const DEFAULT_DECIDE: DecideOptions = {
  minCoverage: 0.3,
  minConfidence: 0.2,
  askConfidence: 0.3,
  margin: 0.1,
  bannedMargin: 0.3,
};

/**
 * Confidence of the top hit in 0…1, from three signals:
 *  - coverage: the share of the question's term weight the document matched;
 *  - phrase: a whole name or alias of the document appears in the question (share of its content);
 *  - gap: how far ahead of the runner-up it is ((s1 − s2) / s1).
 * `contentChars` = characters of the question that are not stop words.
 */
export function confidenceOf(hit: SearchHit, contentChars: number, runnerUp?: SearchHit): number {
  const phraseShare = hit.phraseLen > 0 ? Math.min(1, hit.phraseLen / Math.max(2, contentChars)) : 0;
  const gap = runnerUp ? Math.max(0, (hit.score - runnerUp.score) / hit.score) : 1;
  const c = 0.5 * hit.coverage + 0.25 * phraseShare + 0.25 * gap + (hit.phraseLen >= 3 ? 0.1 : 0);
  return Math.max(0, Math.min(1, c));
}

export type Decision =
  | { kind: 'item'; hit: SearchHit; confidence: number }
  | { kind: 'ambiguous'; hits: SearchHit[]; reason: 'margin' | 'banned_conflict' | 'low_confidence'; confidence: number }
  | { kind: 'not_found'; confidence: number };

/** Two hits name the same thing when they are the same document. */
function distinct(hits: SearchHit[]): SearchHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => (seen.has(h.doc.id) ? false : (seen.add(h.doc.id), true)));
}

/** Top 3 for "您是想问…", making sure a competing banned certificate is among them. */
function askList(hits: SearchHit[], banned?: SearchHit): SearchHit[] {
  const top = hits.slice(0, 3);
  if (banned && !top.includes(banned)) top[top.length >= 3 ? 2 : top.length] = banned;
  return top;
}

/** Decides between an answer, asking back and not found. */
export function decide(hits: SearchHit[], contentChars: number, opts: DecideOptions = DEFAULT_DECIDE): Decision {
  const ranked = distinct(hits);
  const top = ranked[0];
  if (!top) return { kind: 'not_found', confidence: 0 };
  const confidence = confidenceOf(top, contentChars, ranked[1]);
  if (confidence < opts.minConfidence || top.coverage < opts.minCoverage) return { kind: 'not_found', confidence };

  // Safety: an allowed certificate must not win narrowly over a banned one.
  if (top.doc.kind === 'certificate' && !top.doc.banned) {
    // The allowed one is clearly named when its name/alias is in the question literally and the
    // banned one's is not (or is shorter): "租房证明" vs a pinyin look-alike "住房证明".
    const clearlyNamed = (h: SearchHit): boolean =>
      top.phraseExact && top.phraseLen >= 3 && (!h.phraseExact || top.phraseLen > h.phraseLen) && top.phraseLen >= h.phraseLen;
    const rival = ranked.find((h) => h.doc.banned && h.score >= (1 - opts.bannedMargin) * top.score && !clearlyNamed(h));
    if (rival) return { kind: 'ambiguous', hits: askList(ranked, rival), reason: 'banned_conflict', confidence };
  }
  const second = ranked[1];
  if (second) {
    const gap = (top.score - second.score) / top.score;
    const clearPhrase = top.phraseLen > second.phraseLen && top.phraseLen >= 3;
    if (gap < opts.margin && !clearPhrase) return { kind: 'ambiguous', hits: askList(ranked), reason: 'margin', confidence };
  }
  if (confidence < opts.askConfidence) return { kind: 'ambiguous', hits: askList(ranked), reason: 'low_confidence', confidence };
  return { kind: 'item', hit: top, confidence };
}
