import type { CatalogItem, CatalogList, Contact, Department, ListKind, Post } from '../../seeds/schema.js';
import type { DocKind } from './docs.js';

/** What the question is about. */
export type Intent =
  | 'certificate'
  | 'duty'
  | 'post'
  | 'grid'
  | 'indicator'
  | 'signage'
  | 'list_overview'
  | 'command'
  | 'unknown';

/**
 * How the question is asked: a list question ("村里能开哪些证明"), eligibility about one item
 * ("能开无犯罪证明吗"), responsibility ("自建房初审归谁管"), or a plain lookup.
 */
export type QuestionForm = 'list' | 'eligibility' | 'responsibility' | 'info';

/** The region an answer was scoped to. */
export interface RegionUsed {
  code: string;
  name: string;
  /** The names of the region and its ancestors, most specific first (e.g. 北城街道 › 盐湖区 › 运城市). */
  chain: string[];
  /** True when the asker had no (known) region and the configured default was used. */
  isDefault: boolean;
  /** The region the asker asked for when it was not found in the catalog. */
  unknownRequested?: string;
}

/** One catalog entry (item or post) with its references resolved, ready for formatting. */
export interface AnswerEntry {
  id: string;
  name: string;
  type: 'item' | 'post';
  /** Set when type is 'item'. */
  item?: CatalogItem;
  /** Set when type is 'post'. */
  post?: Post;
  list: CatalogList;
  kind: DocKind;
  /** On the banned-certificate list: the answer must be a clear no. */
  banned: boolean;
  verified: boolean;
  /** Posts responsible for the item (item.posts) or, for a post, none. */
  posts: Post[];
  departments: Department[];
  /** Related entries (e.g. a post's duty items), id + name + list kind only. */
  related: Array<{ id: string; name: string; listKind: ListKind }>;
}

/** A list with its entries, for list answers. */
export interface ListBlock {
  list: CatalogList;
  entries: AnswerEntry[];
  /** Entries loaded for this list (= entries.length). */
  loaded: number;
}

export interface Candidate {
  entry: AnswerEntry;
  score: number;
}

interface AnswerBase {
  /** The question as received (trimmed, bounded). */
  question: string;
  /** The normalised question the engine worked on. */
  normalized: string;
  intent: Intent;
  form: QuestionForm;
  region: RegionUsed;
  /** The catalog's version label the answer comes from. */
  catalogVersion: string;
}

/** The engine's answer: a discriminated union on `kind`. Formatting lives in handlers/catalog-answers. */
export type Answer =
  | (AnswerBase & {
      kind: 'item';
      item: AnswerEntry;
      list: CatalogList;
      score: number;
      /** 0…1; below the engine's threshold the answer would have been 'ambiguous' or 'not_found'. */
      confidence: number;
      /** Runner-up entries worth a "see also" line (never a banned/allowed mix-up: just ids). */
      alsoSee: Candidate[];
    })
  | (AnswerBase & {
      kind: 'list';
      /** The list kind asked for, or 'overview' for "which lists are there". */
      listKind: ListKind | 'overview';
      lists: ListBlock[];
    })
  | (AnswerBase & {
      kind: 'ambiguous';
      /** Top candidates (at most 3), best first. */
      candidates: Candidate[];
      /** Why we ask back: too close to call, or an allowed and a banned certificate compete. */
      reason: 'margin' | 'banned_conflict' | 'low_confidence';
    })
  | (AnswerBase & {
      kind: 'not_found';
      contacts: Contact[];
      /** A short rephrasing hint in Chinese. */
      hint: string;
      reason: 'empty' | 'no_match' | 'low_confidence' | 'no_lists';
    })
  | (AnswerBase & {
      kind: 'command';
      /** Command word without a leading '/': 帮助, 未答, 补充别名, 绑定 … */
      command: string;
      args: string;
    });

export type AnswerKind = Answer['kind'];
