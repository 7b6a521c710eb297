import type { CellValue } from 'exceljs';
import type { CellKind } from './xlsx-columns.js';
import { REGION_LEVEL_WORDS } from './xlsx-columns.js';
import { LIST_KIND_LABELS, type Check, type Reference } from './schema.js';

/** What one cell decodes to: a value (undefined = empty) or a Chinese reason. */
export type Decoded = { value: unknown } | { error: string };

const BULLET = '• ';
const YES = new Set(['是', 'true', '1', 'yes', 'y', '√', '✓', '✔', '对']);
const NO = new Set(['否', 'false', '0', 'no', 'n', '×', '✗', '不']);

/** The text of any exceljs cell value (rich text, hyperlinks and formulas included). */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return isoDay(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText((v as { result?: CellValue }).result ?? null);
    if ('error' in v) return '';
  }
  return String(v);
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function parseBool(t: string): boolean | undefined {
  const s = t.trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return undefined;
}

function parseCheck(t: string): Check | undefined {
  const s = t.trim().toLowerCase();
  if (s === 'partial' || s === '部分') return 'partial';
  if (s === 'unknown' || s === '未知') return 'unknown';
  return parseBool(s);
}

function checkText(v: Check): string {
  return v === true ? '是' : v === false ? '否' : v;
}

/** Writes a value for a cell of the given kind. */
export function encodeCell(kind: CellKind, v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  switch (kind) {
    case 'list':
      return (v as string[]).length ? (v as string[]).join('、') : null;
    case 'lines':
      return (v as string[]).length ? (v as string[]).join('\n') : null;
    case 'value':
      return Array.isArray(v) ? v.map((x) => BULLET + x).join('\n') : String(v);
    case 'bool':
      return v ? '是' : '否';
    case 'check':
      return checkText(v as Check);
    case 'int':
      return v as number;
    case 'checks': {
      const e = Object.entries(v as Record<string, Check>);
      return e.length ? e.map(([k, x]) => `${k}=${checkText(x)}`).join('；') : null;
    }
    case 'refs': {
      const refs = v as Reference[];
      return refs.length ? refs.map((r) => [r.name, r.source ?? '', r.count ?? '', r.verified ? '已核实' : '未核实'].join(' | ')).join('\n') : null;
    }
    default:
      return String(v);
  }
}

const splitList = (t: string) => t.split(/[、，,;；\n]+/).map((s) => s.trim()).filter(Boolean);
const splitLines = (t: string) => t.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

/** Reads a cell of the given kind. Empty cells decode to undefined (the schema decides). */
export function decodeCell(kind: CellKind, raw: CellValue): Decoded {
  if (kind === 'date' && raw instanceof Date) return { value: isoDay(raw) };
  if (kind === 'int' && typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 ? { value: raw } : { error: '应为非负整数' };
  const t = cellText(raw).trim();
  if (!t) return { value: kind === 'list' || kind === 'lines' ? [] : undefined };
  switch (kind) {
    case 'text':
      return { value: t };
    case 'list':
      return { value: splitList(t) };
    case 'lines':
      return { value: splitLines(t) };
    case 'value': {
      const lines = splitLines(t);
      if (lines.length && lines.every((l) => /^[•·]/.test(l))) return { value: lines.map((l) => l.replace(/^[•·]\s*/, '')).filter(Boolean) };
      return { value: t };
    }
    case 'bool': {
      const b = parseBool(t);
      return b === undefined ? { error: `应填"是"或"否"，不是"${t}"` } : { value: b };
    }
    case 'check': {
      const b = parseCheck(t);
      return b === undefined ? { error: `应填"是"、"否"、partial 或 unknown，不是"${t}"` } : { value: b };
    }
    case 'int':
      return /^\d+$/.test(t) ? { value: Number(t) } : { error: `应为非负整数，不是"${t}"` };
    case 'date': {
      const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
      return { value: m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : t };
    }
    case 'checks': {
      const out: Record<string, Check> = {};
      for (const part of t.split(/[;；\n]+/).map((s) => s.trim()).filter(Boolean)) {
        const m = /^([A-Za-z_][\w]*)\s*[=:：]\s*(.+)$/.exec(part);
        const v = m ? parseCheck(m[2]!) : undefined;
        if (!m || v === undefined) return { error: `细节标记应写成"route=否；category=是"，这一段看不懂："${part}"` };
        out[m[1]!] = v;
      }
      return { value: out };
    }
    case 'refs': {
      const refs = splitLines(t).map((line) => {
        const [name = '', source = '', count = '', ver = ''] = line.split('|').map((s) => s.trim());
        return { name, ...(source ? { source } : {}), ...(count ? { count } : {}), verified: ver === '已核实' || parseBool(ver) === true };
      });
      return { value: refs };
    }
  }
}

/** Accepts Chinese names for region levels and list kinds as well as the English values. */
export function normaliseEnum(key: 'level' | 'kind', v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (key === 'level') return REGION_LEVEL_WORDS[v] ?? v;
  const hit = Object.entries(LIST_KIND_LABELS).find(([, label]) => label === v);
  return hit ? hit[0] : v;
}
