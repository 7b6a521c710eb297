/**
 * Duplicate groups: member sets with Jaccard similarity ≥ a threshold, within one org unit.
 *
 * A set-similarity self-join with prefix filtering (the "All-Pairs"/PPJoin idea) so it stays close to
 * linear instead of comparing every pair: members are ordered by rarity; two sets with
 * J(A,B) ≥ t must share a member among the first |A| − ⌈t·|A|⌉ + 1 of each, and their sizes must
 * satisfy |B| ≥ t·|A|. Only pairs sharing such a prefix member are compared exactly.
 *
 * Of a duplicate pair, the newer group (later creation, then higher id) is the one flagged — merge the
 * newer into the older.
 */

export interface MemberSet {
  groupId: number;
  orgUnit: string;
  /** Creation time in ms (or first seen). */
  createdAt: number;
  members: string[];
}

export interface DuplicateMatch {
  /** The older group this one duplicates. */
  otherId: number;
  jaccard: number;
}

const EPS = 1e-9;

/** Returns, for each flagged (newer) group id, its most similar older partner. */
export function findDuplicates(sets: readonly MemberSet[], threshold: number): Map<number, DuplicateMatch> {
  const byUnit = new Map<string, MemberSet[]>();
  for (const s of sets) {
    if (!s.orgUnit || s.members.length === 0) continue;
    const list = byUnit.get(s.orgUnit);
    if (list) list.push(s);
    else byUnit.set(s.orgUnit, [s]);
  }
  const out = new Map<number, DuplicateMatch>();
  for (const unit of byUnit.values()) {
    if (unit.length > 1) joinUnit(unit, threshold, out);
  }
  return out;
}

function joinUnit(unit: MemberSet[], t: number, out: Map<number, DuplicateMatch>): void {
  // Rarest members first: short, selective prefixes.
  const freq = new Map<string, number>();
  for (const s of unit) for (const m of new Set(s.members)) freq.set(m, (freq.get(m) ?? 0) + 1);
  const rank = new Map<string, number>(
    [...freq.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([m], i) => [m, i]),
  );
  const records = unit
    .map((s) => ({ s, toks: [...new Set(s.members)].map((m) => rank.get(m)!).sort((a, b) => a - b) }))
    .sort((a, b) => a.toks.length - b.toks.length);

  const index = new Map<number, number[]>(); // token → record indexes (smaller or equal sets)
  for (let i = 0; i < records.length; i++) {
    const a = records[i]!;
    const n = a.toks.length;
    const prefix = n - Math.ceil(t * n - EPS) + 1;
    const minSize = t * n - EPS;
    const seen = new Set<number>();
    for (let p = 0; p < prefix; p++) {
      const cands = index.get(a.toks[p]!);
      if (!cands) continue;
      for (const j of cands) {
        if (seen.has(j)) continue;
        seen.add(j);
        const b = records[j]!;
        if (b.toks.length < minSize) continue;
        const inter = intersectSorted(a.toks, b.toks);
        const jac = inter / (n + b.toks.length - inter);
        if (jac + EPS >= t) record(a.s, b.s, jac, out);
      }
    }
    for (let p = 0; p < prefix; p++) {
      const tok = a.toks[p]!;
      const list = index.get(tok);
      if (list) list.push(i);
      else index.set(tok, [i]);
    }
  }
}

function isNewer(a: MemberSet, b: MemberSet): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.groupId > b.groupId;
}

function record(a: MemberSet, b: MemberSet, jaccard: number, out: Map<number, DuplicateMatch>): void {
  const [newer, older] = isNewer(a, b) ? [a, b] : [b, a];
  const prev = out.get(newer.groupId);
  if (!prev || jaccard > prev.jaccard || (jaccard === prev.jaccard && older.groupId < prev.otherId)) {
    out.set(newer.groupId, { otherId: older.groupId, jaccard });
  }
}

function intersectSorted(a: number[], b: number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** Plain Jaccard similarity of two member lists (for tests and explanations). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 0 : inter / union;
}
