import type { Catalog, CatalogList, ListKind } from '../../seeds/schema.js';
import { parseCommand } from './command.js';
import { DEFAULT_DECIDE, decide, type DecideOptions } from './decide.js';
import type { DocKind } from './docs.js';
import { createEntryResolver, type EntryResolver } from './entries.js';
import { buildIndex, searchIndex, type CatalogIndex, type SearchHit } from './index.js';
import { detectCues, kindBoost, listKindFor, type Cues } from './intent.js';
import { normalizeQuestion } from './normalize.js';
import { findRegion, listsForRegion, regionChain } from './region.js';
import { contentLength } from './tokenize.js';
import type { Answer, Candidate, Intent, RegionUsed } from './types.js';

/**
 * The catalog question-answering engine: normalise → intent cues → region-scoped BM25 ranking →
 * confidence / ambiguity / banned-certificate safety → an Answer (formatting is elsewhere).
 * Works on an in-memory catalog snapshot; no I/O. `ask` never throws.
 */
export interface CatalogEngineOptions {
  /** Region (code, name or alias) for askers without a known region; default: first township with lists. */
  defaultRegion?: string;
  /** Thresholds; see decide.ts for defaults. */
  decide?: Partial<DecideOptions>;
}

export interface AskContext {
  /** The asker's region (code, name or alias); empty/unknown → the default region. */
  region?: string;
}

export interface EngineStats {
  catalogVersion: string;
  docs: number;
  items: number;
  posts: number;
  lists: number;
  regions: number;
  /** Index build time of the current catalog, ms. */
  buildMs: number;
  asked: number;
  byKind: Record<Answer['kind'], number>;
}

export interface CatalogEngine {
  ask(question: string, ctx?: AskContext): Answer;
  /** Swaps in a new catalog (e.g. after an import); in-flight calls finish on the old one. */
  rebuild(catalog: Catalog): void;
  stats(): EngineStats;
}

const INTENT_OF_KIND: Record<DocKind, Intent> = {
  certificate: 'certificate', duty: 'duty', post: 'post', grid: 'grid',
  indicator: 'indicator', signage: 'signage', other: 'unknown',
};

const HINT =
  '可以换个说法，写出事项名称，例如"居住证明能开吗""自建房初审归谁管""网格员能干哪些活"；发送"清单"看全部清单。';

interface State {
  catalog: Catalog;
  index: CatalogIndex;
  entries: EntryResolver;
  scopes: Map<string, { lists: CatalogList[]; localBoost: Map<string, number>; ids: Set<string>; region: Omit<RegionUsed, 'isDefault' | 'unknownRequested'> }>;
  defaultCode: string | undefined;
}

function pickDefault(catalog: Catalog, wanted: string | undefined): string | undefined {
  if (wanted) {
    const r = findRegion(catalog, wanted);
    if (r) return r.code;
  }
  const owners = new Set(catalog.lists.map((l) => l.region));
  return (catalog.regions.find((r) => r.level === 'township' && owners.has(r.code)) ?? catalog.regions[0])?.code;
}

export function createCatalogEngine(catalog: Catalog, opts: CatalogEngineOptions = {}): CatalogEngine {
  const thresholds: DecideOptions = { ...DEFAULT_DECIDE, ...opts.decide };
  const build = (c: Catalog): State => {
    const index = buildIndex(c);
    return { catalog: c, index, entries: createEntryResolver(c, index.docs), scopes: new Map(), defaultCode: pickDefault(c, opts.defaultRegion) };
  };
  let state = build(catalog);
  let asked = 0;
  const byKind: Record<Answer['kind'], number> = { item: 0, list: 0, ambiguous: 0, not_found: 0, command: 0 };

  const scope = (st: State, code: string | undefined) => {
    const key = code ?? '';
    let s = st.scopes.get(key);
    if (!s) {
      const chain = code ? regionChain(st.catalog, code) : [];
      const lists = code ? listsForRegion(st.catalog, code) : [];
      // Local lists speak first: the most specific region owning lists ×1.1, the next ×1.05.
      const depthOf = new Map(chain.map((r, i) => [r.code, i] as const));
      const depths = [...new Set(lists.map((l) => depthOf.get(l.region) ?? 99))].sort((a, b) => a - b);
      const localBoost = new Map<string, number>();
      for (const l of lists) localBoost.set(l.id, [1.1, 1.05][depths.indexOf(depthOf.get(l.region) ?? 99)] ?? 1);
      s = {
        lists,
        localBoost,
        ids: new Set(lists.map((l) => l.id)),
        region: { code: chain[0]?.code ?? '', name: chain[0]?.name ?? '（未设置地区）', chain: chain.map((r) => r.name) },
      };
      st.scopes.set(key, s);
    }
    return s;
  };

  const resolveRegion = (st: State, requested: string | undefined) => {
    const want = requested?.trim();
    const found = want ? findRegion(st.catalog, want) : undefined;
    const sc = scope(st, found?.code ?? st.defaultCode);
    const region: RegionUsed = { ...sc.region, isDefault: !found };
    if (want && !found) region.unknownRequested = want.slice(0, 40);
    return { sc, region };
  };

  const answer = (question: string, ctx: AskContext): Answer => {
    const st = state;
    const norm = normalizeQuestion(question);
    const { sc, region } = resolveRegion(st, ctx.region);
    const base = { question: norm.raw.slice(0, 500), normalized: norm.text, region, catalogVersion: st.catalog.version };
    const notFound = (reason: 'empty' | 'no_match' | 'low_confidence' | 'no_lists', intent: Intent, form: Cues['form']): Answer => ({
      ...base, kind: 'not_found', intent, form, reason, hint: HINT,
      contacts: contactsFor(st, region.code),
    });
    const listAnswer = (listKind: ListKind | 'overview', intent: Intent): Answer => {
      const lists = listKind === 'overview' ? sc.lists : sc.lists.filter((l) => l.kind === listKind);
      const blocks = lists.map((list) => {
        const entries = st.entries.entriesOfList(list);
        return { list, entries: listKind === 'overview' ? [] : entries, loaded: entries.length };
      });
      return { ...base, kind: 'list', intent, form: 'list', listKind, lists: blocks };
    };

    const cmd = parseCommand(norm.raw);
    if (cmd?.type === 'other') return { ...base, kind: 'command', intent: 'command', form: 'info', command: cmd.word, args: cmd.args };
    if (norm.empty) return notFound('empty', 'unknown', 'info');
    if (sc.lists.length === 0) return notFound('no_lists', 'unknown', 'info');

    let text = norm.text;
    let cues: Cues;
    if (cmd?.type === 'lookup') {
      text = normalizeQuestion(cmd.args).text;
      cues = detectCues(text);
      cues.kinds.set(cmd.kind, 3);
      if (cues.form !== 'list') cues.form = cmd.form;
    } else if (cmd?.type === 'lists') {
      const t = normalizeQuestion(cmd.args).text;
      const c = detectCues(t);
      const kind = t ? listKindFor(t, c.kinds, c.negative) : 'overview';
      return listAnswer(kind ?? 'overview', kind && kind !== 'overview' ? intentOfListKind(kind) : 'list_overview');
    } else {
      cues = detectCues(text);
    }

    // An item id on its own ("n05", or "证明 N05" from a pointer / button) answers that item directly.
    const byId = /^[a-z]{1,3}\d{1,3}$/.test(text) ? st.index.byId.get(text) : undefined;
    if (byId && sc.ids.has(byId.list.id)) {
      const entry = st.entries.fromDoc(byId);
      return { ...base, kind: 'item', intent: INTENT_OF_KIND[byId.kind], form: cues.form, item: entry, list: entry.list, score: 0, confidence: 1, alsoSee: [] };
    }

    const hits = searchIndex(st.index, text, { lists: sc.ids, boost: (d) => (sc.localBoost.get(d.list.id) ?? 1) * (cmd?.type === 'lookup' && d.kind !== cmd.kind ? 0.5 : kindBoost(cues, d)), limit: 10 });
    const top: SearchHit | undefined = hits[0];
    if (cues.form === 'list' && cues.listKind) {
      // "居住证明需要哪些…" names one item: a literal name/alias covering most of what is asked.
      const namesOne = top !== undefined && top.phraseExact && top.phraseLen >= 4 && top.phraseLen >= 0.6 * contentLength(text);
      if (!namesOne) return listAnswer(cues.listKind, cues.listKind === 'overview' ? 'list_overview' : intentOfListKind(cues.listKind));
    }
    const guessIntent = (): Intent => {
      let best: Intent = 'unknown';
      let s = 0;
      for (const [k, v] of cues.kinds) if (v > s) ((best = INTENT_OF_KIND[k]), (s = v));
      return best;
    };
    const d = decide(hits, contentLength(text), thresholds);
    const cand = (h: SearchHit): Candidate => ({ entry: st.entries.fromDoc(h.doc), score: round(h.score) });
    if (d.kind === 'not_found') return notFound(hits.length ? 'low_confidence' : 'no_match', guessIntent(), cues.form);
    if (d.kind === 'ambiguous') {
      return { ...base, kind: 'ambiguous', intent: guessIntent(), form: cues.form, reason: d.reason, candidates: d.hits.map(cand) };
    }
    const entry = st.entries.fromDoc(d.hit.doc);
    const alsoSee = hits.filter((h) => h.doc.id !== entry.id && h.score >= 0.6 * d.hit.score).slice(0, 2).map(cand);
    return {
      ...base, kind: 'item', intent: INTENT_OF_KIND[d.hit.doc.kind], form: cues.form,
      item: entry, list: entry.list, score: round(d.hit.score), confidence: round(d.confidence), alsoSee,
    };
  };

  return {
    ask(question, ctx = {}) {
      asked += 1;
      let a: Answer;
      try {
        a = answer(typeof question === 'string' ? question : '', ctx ?? {});
      } catch {
        // Defensive: the engine must never throw at a chat handler; an internal bug becomes "not found".
        a = {
          kind: 'not_found', intent: 'unknown', form: 'info', reason: 'no_match', hint: HINT, contacts: [],
          question: '', normalized: '', catalogVersion: state.catalog.version,
          region: { code: '', name: '（未设置地区）', chain: [], isDefault: true },
        };
      }
      byKind[a.kind] += 1;
      return a;
    },
    rebuild(next) {
      state = build(next);
    },
    stats() {
      const c = state.catalog;
      return {
        catalogVersion: c.version, docs: state.index.docs.length, items: c.items.length, posts: c.posts.length,
        lists: c.lists.length, regions: c.regions.length, buildMs: round(state.index.buildMs), asked, byKind: { ...byKind },
      };
    },
  };
}

/** Contacts serving the region or its ancestors, most specific first. */
function contactsFor(st: State, code: string): Catalog['contacts'] {
  const chain = regionChain(st.catalog, code).map((r) => r.code);
  const rank = (c: { region: string }): number => chain.indexOf(c.region);
  return st.catalog.contacts.filter((c) => rank(c) >= 0).sort((a, b) => rank(a) - rank(b));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function intentOfListKind(kind: ListKind): Intent {
  if (kind.startsWith('certificate')) return 'certificate';
  if (kind.startsWith('grid')) return 'grid';
  if (kind === 'post') return 'post';
  if (kind === 'signage') return 'signage';
  if (kind.startsWith('indicator') || kind === 'assessment_rule') return 'indicator';
  if (kind === 'figure') return 'list_overview';
  return 'duty';
}
