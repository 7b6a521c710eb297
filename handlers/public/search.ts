import { formatAnswerResident } from '../catalog-answers/resident.js';
import type { CatalogEngine } from '../catalog-search/engine.js';
import type { AnswerEntry } from '../catalog-search/types.js';
import { toPublicCertificate, type PublicCertificate, type PublicRegion } from './content.js';

/** Longest question accepted (characters); longer → 400 with a reason. */
export const Q_MAX_CHARS = 200;

export type QCheck = { ok: true; q: string } | { ok: false; reason: string };

/** Trims, drops control characters, bounds the length. Empty is fine (an empty result). */
export function checkQuestion(raw: string | undefined): QCheck {
  const q = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (Array.from(q).length > Q_MAX_CHARS) return { ok: false, reason: `问题太长了，请控制在${Q_MAX_CHARS}字以内。` };
  return { ok: true, q };
}

export interface PublicSearchResult {
  q: string;
  kind: 'empty' | 'item' | 'ambiguous' | 'list' | 'not_found' | 'other';
  /** The answer in resident words (plain text). */
  text: string;
  /** Certificates the answer is about (one item, the "您是想问" candidates, or a list). */
  results: PublicCertificate[];
}

const isCertificate = (e: AnswerEntry) => e.kind === 'certificate' && e.item !== undefined && e.list.kind !== 'certificate_rule';
const cert = (e: AnswerEntry) => toPublicCertificate(e.item!, e.list);

/** Answers a visitor's question with the shared catalog engine, scoped to the region. */
export function searchCertificates(engine: Pick<CatalogEngine, 'ask'>, q: string, region: PublicRegion): PublicSearchResult {
  if (!q) return { q, kind: 'empty', text: '', results: [] };
  const a = engine.ask(q, region.code ? { region: region.code } : {});
  const text = a.kind === 'command' ? '请直接输入想办的证明，比如"居住证明"。' : formatAnswerResident(a);
  switch (a.kind) {
    case 'item':
      return { q, kind: 'item', text, results: isCertificate(a.item) ? [cert(a.item)] : [] };
    case 'ambiguous':
      return { q, kind: 'ambiguous', text, results: a.candidates.map((c) => c.entry).filter(isCertificate).slice(0, 3).map(cert) };
    case 'list':
      return { q, kind: 'list', text, results: a.lists.flatMap((b) => b.entries).filter(isCertificate).map(cert) };
    case 'not_found':
      return { q, kind: 'not_found', text, results: [] };
    default:
      return { q, kind: 'other', text, results: [] };
  }
}
