/**
 * Loads the facts of many groups set-based and applies the pure rules. Used by the scan job (one
 * batch at a time), the dry-run report, the `群信息` command and the benchmark.
 */
import type { Queryable } from '../../db/groups/sql.js';
import { loadGroupFacts, loadMemberSets, type GroupRow } from '../../db/groups/facts.js';
import { loadStoredRules } from '../../db/groups/rules.js';
import { recordSuggestions, type NewSuggestion } from '../../db/groups/suggestions.js';
import { DAY_MS } from '../../lib/clock.js';
import { findDuplicates } from './duplicates.js';
import { evaluateGroup, mergeRules, type Rules, type Verdict, type Signal, type Guard } from './rules.js';
import { shanghaiDate } from './time.js';

export interface DuplicateInfo {
  name: string;
  chatId: string;
  jaccard: number;
}

export interface GroupVerdict {
  groupId: number;
  chatId: string;
  name: string | null;
  region: string;
  orgUnit: string | null;
  owner: string | null;
  source: string;
  verdict: Verdict;
  signals: Signal[];
  guards: Guard[];
  lastActivityMs: number | null;
  memberCount: number | null;
  webhookKey: string | null;
  lastNoticeAtMs: number | null;
  /** State of the group's open suggestion (queued / pending / approved), if any. */
  openState: string | null;
}

export interface EvaluateOptions {
  now: Date;
  /** Region for groups without one (config DEFAULT_REGION). */
  defaultRegion: string;
  /** Only these groups (a batch); all active groups otherwise. */
  groupIds?: readonly number[];
  /** Precomputed duplicates (by the scan coordinator); computed here when absent. */
  duplicates?: ReadonlyMap<number, DuplicateInfo>;
}

/** Rules of every region that has stored overrides, plus a resolver with defaults. */
export async function loadRules(db: Queryable): Promise<(region: string) => Rules> {
  const stored = await loadStoredRules(db);
  const cache = new Map<string, Rules>();
  return (region) => {
    let r = cache.get(region);
    if (!r) {
      r = mergeRules(stored.get(region));
      cache.set(region, r);
    }
    return r;
  };
}

/**
 * Duplicate groups among active groups (optionally only in some org units), with the lowest Jaccard
 * threshold of any region (each group's own region threshold is applied by the signal).
 */
export async function computeDuplicates(
  db: Queryable,
  o: { threshold: number; orgUnits?: readonly string[] },
): Promise<Map<number, DuplicateInfo>> {
  const sets = await loadMemberSets(db, o.orgUnits);
  const byId = new Map(sets.map((s) => [s.groupId, s]));
  const found = findDuplicates(
    sets.map((s) => ({ groupId: s.groupId, orgUnit: s.orgUnit, createdAt: s.createdAtMs, members: s.members })),
    o.threshold,
  );
  const out = new Map<number, DuplicateInfo>();
  for (const [id, m] of found) {
    const other = byId.get(m.otherId)!;
    out.set(id, { name: other.name ?? other.chatId, chatId: other.chatId, jaccard: m.jaccard });
  }
  return out;
}

/** The lowest duplicate threshold in use (defaults included). */
export async function minDuplicateThreshold(db: Queryable): Promise<number> {
  const stored = await loadStoredRules(db);
  let t = mergeRules(undefined).duplicate_jaccard;
  for (const v of stored.values()) t = Math.min(t, mergeRules(v).duplicate_jaccard);
  return t;
}

export async function evaluateGroups(db: Queryable, o: EvaluateOptions): Promise<GroupVerdict[]> {
  const rulesFor = await loadRules(db);
  const stored = await loadStoredRules(db);
  const windows = [...stored.keys()].map((region) => ({
    region,
    since: new Date(o.now.getTime() - rulesFor(region).broadcast_window_days * DAY_MS),
  }));
  const defaultSince = new Date(o.now.getTime() - rulesFor(o.defaultRegion).broadcast_window_days * DAY_MS);
  const rows = await loadGroupFacts(db, {
    now: o.now,
    groupIds: o.groupIds,
    defaultRegion: o.defaultRegion,
    windows,
    defaultSince,
  });
  let dups = o.duplicates;
  if (!dups) {
    const units = o.groupIds ? [...new Set(rows.map((r) => r.orgUnit).filter((u): u is string => !!u))] : undefined;
    dups = units && units.length === 0 ? new Map() : await computeDuplicates(db, { threshold: await minDuplicateThreshold(db), orgUnits: units });
  }
  return rows.map((r) => verdictOf(r, rulesFor(r.region ?? o.defaultRegion), o.now, r.region ?? o.defaultRegion, dups.get(r.id) ?? null));
}

function verdictOf(r: GroupRow, rules: Rules, now: Date, region: string, dup: DuplicateInfo | null): GroupVerdict {
  const e = evaluateGroup(
    {
      chatId: r.chatId,
      name: r.name,
      kind: r.kind,
      taskEnd: r.taskEnd,
      createdAt: new Date(r.createdAtMs ?? r.firstSeenAtMs),
      memberCount: r.memberCount,
      lastActivityAt: r.lastActivityMs === null ? null : new Date(r.lastActivityMs),
      recentMessages: r.recentMessages,
      recentSenders: r.recentSenders,
      soleSender: r.soleSender,
      duplicateOf: dup,
      exemption: r.exemptUntilMs === null ? null : { reason: r.exemptReason ?? '', until: new Date(r.exemptUntilMs) },
      snoozedUntil: r.snoozedUntilMs === null ? null : new Date(r.snoozedUntilMs),
    },
    rules,
    now,
  );
  return {
    groupId: r.id,
    chatId: r.chatId,
    name: r.name,
    region,
    orgUnit: r.orgUnit,
    owner: r.owner,
    source: r.source,
    verdict: e.verdict,
    signals: e.signals,
    guards: e.guards,
    lastActivityMs: r.lastActivityMs,
    memberCount: r.memberCount,
    webhookKey: r.webhookKey,
    lastNoticeAtMs: r.lastNoticeAtMs,
    openState: r.openState,
  };
}

/** The scan cycle of an instant: its Asia/Shanghai date. */
export function cycleOf(now: Date): string {
  return shanghaiDate(now);
}

/** Suggestion rows for the `suggest` verdicts of a batch (groups with an open suggestion are skipped). */
export function toNewSuggestions(verdicts: readonly GroupVerdict[]): NewSuggestion[] {
  return verdicts
    .filter((v) => v.verdict === 'suggest' && v.openState === null)
    .map((v) => ({
      groupId: v.groupId,
      region: v.region,
      signals: v.signals.map((s) => ({ code: s.code, evidence: s.evidence })),
      snapshot: {
        chatId: v.chatId,
        name: v.name,
        owner: v.owner,
        orgUnit: v.orgUnit,
        memberCount: v.memberCount,
        lastActivityMs: v.lastActivityMs,
        source: v.source,
      },
    }));
}

export interface ScanResult {
  cycle: string;
  verdicts: GroupVerdict[];
  /** Ids of suggestions created (empty on a dry run). */
  created: number[];
}

/**
 * Evaluates every active group in one pass. With `dryRun` nothing is written; otherwise `suggest`
 * verdicts become queued suggestions of this cycle (cards are sent by the dispatch job).
 */
export async function scanGroups(
  db: Queryable,
  o: { now: Date; dryRun: boolean; defaultRegion?: string },
): Promise<ScanResult> {
  const cycle = cycleOf(o.now);
  const verdicts = await evaluateGroups(db, { now: o.now, defaultRegion: o.defaultRegion ?? '' });
  const created = o.dryRun ? [] : await recordSuggestions(db, toNewSuggestions(verdicts), cycle, o.now);
  return { cycle, verdicts, created };
}
