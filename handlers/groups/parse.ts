/**
 * Parsing of the group commands' arguments. A group may be named with quotes (「防汛 专班」) when its
 * name has spaces; otherwise the first word is the group.
 */
import { isValidDay } from '../../db/groups/import-groups.js';

/** Splits off the group reference: `「a b」 rest` or `a rest`. */
export function splitGroupRef(args: string): { ref: string; rest: string } {
  const s = args.trim();
  const m = /^[「『“"]([^」』”"]+)[」』”"]\s*(.*)$/s.exec(s);
  if (m) return { ref: m[1]!.trim(), rest: m[2]!.trim() };
  const i = s.search(/\s/);
  return i < 0 ? { ref: s, rest: '' } : { ref: s.slice(0, i), rest: s.slice(i).trim() };
}

/** Normalizes 2026-12-31 / 2026/12/31 / 2026年12月31日 to YYYY-MM-DD, or undefined. */
export function parseDay(s: string): string | undefined {
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$/.exec(s.trim());
  if (!m) return undefined;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDay(day) ? day : undefined;
}

export interface RegisterArgs {
  name: string;
  kind: 'standing' | 'temporary';
  taskEnd: string | null;
  orgUnit: string | null;
}

/** `登记群 防汛专班 临时 截止2026-12-31 [单位北城街道]` → RegisterArgs, or a Chinese error. */
export function parseRegister(args: string): RegisterArgs | string {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let kind: RegisterArgs['kind'] = 'standing';
  let taskEnd: string | null = null;
  let orgUnit: string | null = null;
  const name: string[] = [];
  for (const w of words) {
    if (w === '临时' || w === '临时群') kind = 'temporary';
    else if (w === '常设' || w === '常设群') kind = 'standing';
    else if (/^(截止|截至|到期|至)/.test(w)) {
      const d = parseDay(w.replace(/^(截止|截至|到期|至)[:：]?/, ''));
      if (!d) return `截止日期「${w}」看不懂，请写成 截止2026-12-31`;
      taskEnd = d;
    } else if (/^单位[:：]?/.test(w)) orgUnit = w.replace(/^单位[:：]?/, '') || null;
    else name.push(w);
  }
  if (name.length === 0) return '请写上群名，例如：登记群 防汛专班 临时 截止2026-12-31';
  const n = name.join(' ');
  if (n.length > 50) return '群名太长了（最多 50 字）';
  if (kind === 'temporary' && !taskEnd) return '临时群请写上任务截止日期，例如：登记群 防汛专班 临时 截止2026-12-31';
  return { name: n, kind, taskEnd, orgUnit };
}

/** Trailing whole number of days in `rest` (e.g. `理由 60`), with bounds. */
export function splitTrailingDays(rest: string): { text: string; days: number | undefined } {
  const m = /^(.*?)\s*(\d{1,4})\s*天?$/s.exec(rest.trim());
  if (!m) return { text: rest.trim(), days: undefined };
  return { text: m[1]!.trim(), days: Number(m[2]) };
}
