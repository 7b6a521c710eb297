import type { SearchHit } from './index.js';

/**
 * Confidence, ambiguity and the banned-certificate safety rule, as pure functions over ranked hits.
 * Thresholds were tuned on bench/eval-set.yaml (never on bench/eval-holdout.yaml).
 */

export interface DecideOptions {
  /** Below this confidence: not found (default 0.3). */
  minConfidence: number;
  /** Below this confidence (but above minConfidence): ask back with the top 3 (default 0.45). */
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
  minConfidence: 0.3,
  askConfidence: 0.45,
  margin: 0.1,
  bannedMargin: 0.3,
};

/**
 * Confidence of a hit in 0…1: the share of the question's term weight the document matched,
 * lifted when a whole name or alias of the document appears in the question.
 * `contentChars` = characters of the question that are not stop words.
 */
export function confidenceOf(hit: SearchHit, contentChars: number): number {
  const phraseShare = hit.phraseLen > 0 ? Math.min(1, hit.phraseLen / Math.max(2, contentChars)) : 0;
  const c = 0.65 * hit.coverage + 0.35 * phraseShare + (hit.phraseLen >= 3 ? 0.15 : 0);
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
  const confidence = confidenceOf(top, contentChars);
  if (confidence < opts.minConfidence) return { kind: 'not_found', confidence };

  // Safety: an allowed certificate must not win narrowly over a banned one.
  if (top.doc.kind === 'certificate' && !top.doc.banned) {
    const rival = ranked.find(
      (h) => h.doc.banned && h.score >= (1 - opts.bannedMargin) * top.score && !(top.phraseLen > h.phraseLen && top.phrase > h.phrase),
    );
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
