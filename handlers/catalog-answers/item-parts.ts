import type { AnswerEntry } from '../catalog-search/types.js';
import {
  citeLines, entryTag, fieldList, fieldText, needsUnverifiedNote, pointerFor, UNVERIFIED_NOTE,
  type AnswerParts, type ItemAnswer, type Section,
} from './parts.js';

/**
 * The parts of a single-item answer, by what the item is: allowed / banned certificate, basic /
 * cooperating / returned duty, village duty or assisting item, post, grid entry (allowed /
 * refused), and a generic form for rules, indicators, signage and figures.
 */

function push(sections: Section[], label: string, text: string | string[] | undefined): void {
  if (text === undefined) return;
  if (Array.isArray(text) ? text.length === 0 : text.trim() === '') return;
  sections.push({ label, text });
}

function postNames(e: AnswerEntry): string | undefined {
  if (e.posts.length === 0) return undefined;
  return e.posts.map((p) => `${p.name}（${p.id}${p.office ? `，${p.office}` : ''}）`).join('、');
}

function deptNames(e: AnswerEntry): string | undefined {
  return e.departments.length ? e.departments.map((d) => d.name).join('、') : undefined;
}

function certificateParts(e: AnswerEntry, sections: Section[]): string {
  const f = e.item?.fields ?? {};
  if (e.banned) {
    push(sections, '原因', fieldText(f['why']));
    push(sections, '去哪办', fieldText(f['where_to_go']));
    push(sections, '替代方式', fieldText(f['replacement']));
    push(sections, '特别情况', fieldText(f['special_case']));
    return `❌ 村（社区）不出具：${e.name}`;
  }
  if (e.list.kind === 'certificate_rule') return `ℹ️ 出具证明的原则：${e.name}`;
  push(sections, '谁可以申请', fieldText(f['who_may_apply']));
  push(sections, '条件', fieldText(f['conditions']));
  push(sections, '需要材料', fieldList(f['materials']));
  push(sections, '谁来办', fieldText(f['handled_by']));
  push(sections, '办理时限', fieldText(f['time_limit']));
  return `✅ 村（社区）可以出具：${e.name}`;
}

function dutyParts(e: AnswerEntry, sections: Section[]): string {
  const f = e.item?.fields ?? {};
  switch (e.list.kind) {
    case 'township_basic':
      push(sections, '牵头岗位', postNames(e));
      push(sections, '协同部门', fieldText(f['cooperating_departments']));
      return `📌 基本履职事项（街道自己办、负全责）：${e.name}`;
    case 'township_cooperate':
      push(sections, '主责部门', fieldText(f['lead_department']) ?? deptNames(e));
      push(sections, '街道做什么', fieldText(f['our_role']));
      push(sections, '街道对口岗位', postNames(e));
      return `🤝 配合履职事项（县区部门主责，街道配合）：${e.name}`;
    case 'township_returned':
      push(sections, '已收回到', fieldText(f['returned_to']) ?? deptNames(e));
      push(sections, '街道现在', fieldText(f['our_role']));
      return `↩️ 已收回上级部门，街道不再承担：${e.name}`;
    case 'township_deleted':
      push(sections, '状态', fieldText(f['status']));
      push(sections, '街道现在', fieldText(f['our_role']));
      return `🗑️ 已从清单删除：${e.name}`;
    case 'village_duty':
      push(sections, '负责', fieldText(f['responsible']));
      return `📌 村级组织履行职责事项：${e.name}`;
    case 'village_assist':
      push(sections, '主责部门', fieldText(f['department']) ?? deptNames(e));
      push(sections, '村里做什么', '协助办理，主责在上级部门');
      return `🤝 村级组织协助政务服务事项：${e.name}`;
    case 'burden_measure':
      return `🛡️ 减负措施（不得由村级组织承担）：${e.name}`;
    default:
      return `ℹ️ ${e.name}`;
  }
}

function gridParts(e: AnswerEntry, sections: Section[]): string {
  const f = e.item?.fields ?? {};
  if (e.list.kind === 'grid_refused') {
    push(sections, '原因', fieldText(f['why']));
    return `❌ 不得派给网格员：${e.name}`;
  }
  if (e.list.kind === 'grid_allowed') {
    push(sections, '主管部门', fieldText(f['department']) ?? deptNames(e));
    push(sections, '条件', '已列入网格事项准入清单；清单外事项须由部门事先申请、审核纳入，临时事项须限期');
    return `✅ 准入，可以派给网格员：${e.name}`;
  }
  push(sections, '事项类型', fieldList(f['types']));
  return `ℹ️ 网格准入机制：${e.name}`;
}

function postParts(e: AnswerEntry, sections: Section[]): string {
  const p = e.post;
  push(sections, '所属', p?.office);
  push(sections, '职责', p?.duties ?? []);
  push(sections, '对应事项', e.related.map((r) => `${r.id} ${r.name}`));
  return `👤 岗位：${e.name}${p?.isNew ? '（新增岗位）' : ''}`;
}

function genericParts(e: AnswerEntry, sections: Section[]): string {
  const f = e.item?.fields ?? {};
  const labels: Record<string, string> = {
    why: '原因', value: '数值', board: '牌子', position: '位置', note: '说明', scope: '范围', before: '之前',
    types: '类型', categories: '类别', department: '部门', responsible: '负责',
  };
  for (const [k, label] of Object.entries(labels)) {
    const v = fieldText(f[k]);
    if (v !== undefined) push(sections, label, k === 'value' && f['unit'] ? `${v}${fieldText(f['unit'])}` : v);
  }
  const prefix = { indicator: '📊', signage: '🪧', other: 'ℹ️' } as const;
  const p = e.kind === 'indicator' || e.kind === 'signage' ? prefix[e.kind] : prefix.other;
  return `${p} ${e.list.name}：${e.name}`;
}

export function itemParts(a: ItemAnswer): AnswerParts {
  const e = a.item;
  const sections: Section[] = [];
  let headline: string;
  if (e.kind === 'certificate') headline = certificateParts(e, sections);
  else if (e.kind === 'duty') headline = dutyParts(e, sections);
  else if (e.kind === 'grid') headline = gridParts(e, sections);
  else if (e.kind === 'post') headline = postParts(e, sections);
  else headline = genericParts(e, sections);
  push(sections, '依据', e.item?.basis);
  if (e.item?.note) push(sections, '说明', e.item.note);
  const notes: string[] = [];
  if (needsUnverifiedNote(e)) notes.push(UNVERIFIED_NOTE);
  if (a.alsoSee.length) notes.push(`相关：${a.alsoSee.map((c) => `${c.entry.id} ${c.entry.name}〔${entryTag(c.entry)}〕`).join('；')}`);
  return { headline, sections, cite: citeLines(e, a.region), notes, pointer: pointerFor(e) };
}
