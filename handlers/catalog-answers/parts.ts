import { LIST_KIND_LABELS, type CatalogList, type FieldValue } from '../../seeds/schema.js';
import type { Answer, AnswerEntry, RegionUsed } from '../catalog-search/types.js';

/**
 * Channel-neutral pieces of an answer (headline, labelled sections, citation), shared by the
 * markdown, plain-text and resident renderers. Pure; every text a user reads is Chinese.
 */

export interface Section {
  /** Short label ("需要材料"); absent for a free line. */
  label?: string;
  /** One line, or several (rendered as a list). */
  text: string | string[];
}

export interface AnswerParts {
  /** First line, starting with ✅ / ❌ / ℹ️ where it applies. */
  headline: string;
  sections: Section[];
  /** Citation lines: list, version, item id, region. */
  cite: string[];
  /** "以当地最新清单为准" and similar notes. */
  notes: string[];
  /** What to send to get the full answer (used when the text had to be shortened). */
  pointer?: string;
}

export const UNVERIFIED_NOTE = '以当地最新清单为准';

export function fieldText(v: FieldValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join('；') : v;
}

export function fieldList(v: FieldValue | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** "运城口径重构 2025（种子），民发〔2020〕20号，2024-01-01起施行" */
export function listVersion(list: CatalogList): string {
  const bits = [list.version];
  if (list.docNumber) bits.push(list.docNumber);
  if (list.effectiveDate) bits.push(`${list.effectiveDate}起施行`);
  return bits.join('，');
}

/** "本清单共141项，已录入24项" — the honest count. */
export function listCount(list: CatalogList, loaded: number): string {
  if (list.officialSize === undefined) return `已录入${loaded}项，官方总数未知`;
  if (list.officialSize === loaded) return `本清单共${loaded}项`;
  return `本清单共${list.officialSize}项，已录入${loaded}项`;
}

/** "地区：北城街道（未绑定地区，按默认地区回答）" */
export function regionLine(region: RegionUsed): string {
  if (!region.code) return '地区：未设置';
  if (region.unknownRequested) return `地区：${region.name}（没找到"${region.unknownRequested}"，按默认地区回答）`;
  if (region.isDefault) return `地区：${region.name}（未绑定地区，按默认地区回答）`;
  return `地区：${region.name}`;
}

export function citeLines(entry: AnswerEntry, region: RegionUsed): string[] {
  return [`来源：${entry.list.name}（${listVersion(entry.list)}）· 编号 ${entry.id}`, regionLine(region)];
}

export function needsUnverifiedNote(entry: AnswerEntry): boolean {
  if (!entry.verified || !entry.list.verified) return true;
  if (entry.item && entry.item.detailsVerified === false) return true;
  return false;
}

/** A short name for commands: the name without its parenthetical, or the id when that is long. */
export function shortName(entry: Pick<AnswerEntry, 'id' | 'name'>): string {
  const outer = entry.name.replace(/[（(][^）)]*[）)]/g, '').trim();
  return outer && Array.from(outer).length <= 12 ? outer : entry.id;
}

/** The command that shows this entry in full ("证明 居住证明", "谁负责 T17", "岗位 物业管理岗"). */
export function pointerFor(entry: Pick<AnswerEntry, 'id' | 'name' | 'kind'>): string {
  const word = { certificate: '证明', duty: '谁负责', post: '岗位', grid: '准入', indicator: '考核', signage: '牌子', other: '清单' }[entry.kind];
  return word === '清单' ? entry.id : `${word} ${shortName(entry)}`;
}

/** What kind of answer an entry gets, in a few words (used in lists and "您是想问"). */
export function entryTag(entry: AnswerEntry): string {
  switch (entry.list.kind) {
    case 'certificate_allowed':
      return '可出具';
    case 'certificate_banned':
      return '不出具';
    case 'township_basic':
      return '基本职责';
    case 'township_cooperate':
      return '配合职责';
    case 'township_returned':
      return '已收回';
    case 'grid_allowed':
      return '可派网格员';
    case 'grid_refused':
      return '不得派网格员';
    default:
      return LIST_KIND_LABELS[entry.list.kind];
  }
}

/** One line per entry for list answers: "✅ C01 在职党员干部到居住地报到情况反馈". */
export function entryLine(entry: AnswerEntry): string {
  const mark = entry.banned || entry.list.kind === 'grid_refused' ? '❌ ' : entry.list.kind === 'certificate_allowed' || entry.list.kind === 'grid_allowed' ? '✅ ' : '';
  const extra = entry.post?.isNew ? '（新增）' : '';
  return `${mark}${entry.id} ${entry.name}${extra}`;
}

export type ItemAnswer = Extract<Answer, { kind: 'item' }>;
