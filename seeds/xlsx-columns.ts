import type { CatalogSection } from './yaml-format.js';

/**
 * The spreadsheet layout of the catalog: one sheet per entity, one row per record, Chinese
 * column headers (English keys are accepted too), and how each cell is written and read.
 *
 * Cell conventions (written by export, expected by import):
 * - list columns (别名, 岗位 …): entries separated by "、" (also accepted: ，,;； and new lines)
 * - line columns (来源, 职责 …): one entry per line
 * - item fields (去哪办, 材料 …): plain text, or a list as lines starting with "• "
 * - yes/no: 是 / 否 (also true/false, 1/0); dates: YYYY-MM-DD
 * - 细节标记: `route=否；in_yuncheng_list=unknown`; 参考资料: one per line, `名称 | 来源 | 数量 | 已核实`
 */

export type CellKind = 'text' | 'list' | 'lines' | 'value' | 'bool' | 'int' | 'date' | 'checks' | 'refs' | 'check';

export interface Column {
  key: string;
  label: string;
  kind: CellKind;
  required?: boolean;
  /** Shown as a cell note on the header (template and export). */
  note?: string;
}

export type SheetKey = CatalogSection;

export interface SheetDef {
  key: SheetKey;
  name: string;
  columns: Column[];
}

const c = (key: string, label: string, kind: CellKind, opts: Partial<Column> = {}): Column => ({ key, label, kind, ...opts });

export const SHEETS: SheetDef[] = [
  { key: 'version', name: '版本', columns: [c('version', '版本', 'text', { required: true, note: '这套数据的版本标签，如"2025年第2版"' })] },
  {
    key: 'regions',
    name: '地区',
    columns: [
      c('code', '代码', 'text', { required: true, note: '行政区划代码，唯一' }),
      c('name', '名称', 'text', { required: true }),
      c('level', '级别', 'text', { required: true, note: 'province / city / county / township / village（或 省 / 市 / 县 / 乡镇 / 村）' }),
      c('parent', '上级代码', 'text', { note: '上级地区的代码；省级留空' }),
      c('aliases', '别名', 'list'),
      c('example', '示例数据', 'bool'),
    ],
  },
  {
    key: 'lists',
    name: '清单',
    columns: [
      c('id', '清单编号', 'text', { required: true }),
      c('kind', '类型', 'text', { required: true, note: '清单类型，如 certificate_allowed、township_basic（或中文：可出具证明事项、基本履职事项 …）' }),
      c('name', '名称', 'text', { required: true }),
      c('region', '地区代码', 'text', { required: true }),
      c('officialSize', '官方条数', 'int', { note: '官方清单共多少项（不论已录入多少）' }),
      c('officialCategories', '官方类别数', 'int'),
      c('docNumber', '文号', 'text'),
      c('effectiveDate', '生效日期', 'date', { note: 'YYYY-MM-DD' }),
      c('version', '清单版本', 'text', { required: true }),
      c('source', '来源', 'lines'),
      c('verified', '已核实', 'bool'),
      c('note', '备注', 'text'),
      c('references', '参考资料', 'refs', { note: '每行一条：名称 | 来源 | 数量 | 已核实' }),
    ],
  },
  {
    key: 'items',
    name: '事项',
    columns: [
      c('id', '编号', 'text', { required: true, note: '事项编号，全表唯一，如 C01、N05、T17' }),
      c('listId', '清单编号', 'text', { required: true, note: '"清单"表中的清单编号' }),
      c('name', '名称', 'text', { required: true }),
      c('aliases', '别名', 'list', { note: '群众和干部的常见说法，用"、"分隔' }),
      c('category', '类别', 'text'),
      c('basis', '依据', 'text'),
      c('source', '来源', 'lines'),
      c('sourceNote', '来源说明', 'text'),
      c('verified', '已核实', 'bool', { required: true }),
      c('detailsVerified', '细节已核实', 'bool'),
      c('checks', '细节标记', 'checks'),
      c('posts', '岗位', 'list', { note: '岗位编号，如 P40' }),
      c('departments', '部门', 'list', { note: '部门编号，如 dep-gongan' }),
      c('related', '关联事项', 'list'),
      c('note', '备注', 'text'),
    ],
  },
  {
    key: 'posts',
    name: '岗位',
    columns: [
      c('id', '岗位编号', 'text', { required: true }),
      c('listId', '清单编号', 'text', { required: true, note: '类型为 post 的清单编号' }),
      c('name', '名称', 'text', { required: true }),
      c('aliases', '别名', 'list'),
      c('office', '科室', 'text'),
      c('duties', '职责', 'lines', { note: '每行一条' }),
      c('isNew', '新增岗位', 'bool'),
      c('items', '关联事项', 'list'),
      c('exampleQuestions', '示例问题', 'lines'),
      c('source', '来源', 'lines'),
      c('verified', '已核实', 'bool', { required: true }),
      c('dutiesVerified', '职责已核实', 'check', { note: '是 / 否 / partial / unknown' }),
      c('note', '备注', 'text'),
    ],
  },
  {
    key: 'departments',
    name: '部门',
    columns: [c('id', '编号', 'text', { required: true }), c('name', '名称', 'text', { required: true }), c('aliases', '别名', 'list'), c('level', '层级', 'text')],
  },
  {
    key: 'contacts',
    name: '联系人',
    columns: [
      c('id', '编号', 'text', { required: true }),
      c('region', '地区代码', 'text', { required: true }),
      c('name', '名称', 'text', { required: true }),
      c('role', '负责', 'text', { required: true }),
      c('phone', '电话', 'text'),
      c('hours', '办公时间', 'text'),
      c('example', '示例数据', 'bool'),
    ],
  },
];

/** Chinese headers of the structured item fields (事项 sheet, after the fixed columns). */
export const FIELD_LABELS: Record<string, string> = {
  who_may_apply: '申请人',
  conditions: '条件',
  materials: '材料',
  handled_by: '经办',
  time_limit: '办理时限',
  why: '原因',
  where_to_go: '去哪办',
  replacement: '替代方式',
  special_case: '特殊情况',
  in_lists: '所列清单',
  responsible: '责任主体',
  department: '对口部门',
  responsible_post: '责任岗位',
  cooperating_departments: '协同部门',
  new_post_related: '相关新增岗位',
  lead_department: '主责部门',
  our_role: '街道职责',
  returned_to: '收回至',
  status: '状态',
  position: '位置',
  board: '牌子',
  value: '数值',
  unit: '单位',
  scope: '范围',
  before: '调整前',
  types: '事项类型',
  categories: '类别数',
  departments: '部门数',
  note: '说明',
  posts: '岗位名单',
  villages: '村数',
  communities: '社区数',
  population: '人口',
  basic: '基本事项数',
  cooperation: '配合事项数',
  recovered: '收回事项数',
};

/** Header text of an item field column; unknown keys are written as `字段:key`. */
export function fieldHeader(key: string): string {
  return FIELD_LABELS[key] ?? `字段:${key}`;
}

/** The field key a header names, if it names one. */
export function fieldKeyOf(header: string): string | undefined {
  const h = header.trim();
  const m = /^字段[:：]\s*([a-z][a-z0-9_]*)$/i.exec(h);
  if (m) return m[1];
  return Object.entries(FIELD_LABELS).find(([, label]) => label === h)?.[0];
}

export const REGION_LEVEL_WORDS: Record<string, string> = { 省: 'province', 市: 'city', 县: 'county', 区: 'county', 乡镇: 'township', 街道: 'township', 村: 'village', 社区: 'village' };
