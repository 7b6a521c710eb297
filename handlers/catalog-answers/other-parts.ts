import { LIST_KIND_LABELS } from '../../seeds/schema.js';
import type { Answer, Candidate } from '../catalog-search/types.js';
import { entryLine, entryTag, listCount, listVersion, pointerFor, regionLine, type AnswerParts } from './parts.js';

/** Parts of list, not-found and command answers, and the "您是想问……" options. */

type ListAnswer = Extract<Answer, { kind: 'list' }>;
type NotFoundAnswer = Extract<Answer, { kind: 'not_found' }>;
type AmbiguousAnswer = Extract<Answer, { kind: 'ambiguous' }>;

const LIST_POINTER: Partial<Record<string, string>> = {
  certificate_allowed: '查看某项请发送：证明 名称（如：证明 居住证明）',
  certificate_banned: '查看某项去哪办请发送：证明 名称（如：证明 无犯罪记录证明）',
  township_basic: '查看某项请发送：谁负责 名称',
  township_cooperate: '查看某项请发送：谁负责 名称',
  township_returned: '查看某项请发送：谁负责 名称',
  post: '查看岗位职责请发送：岗位 名称（如：岗位 物业管理岗）',
  grid_allowed: '查看某项请发送：准入 名称',
  grid_refused: '查看某项请发送：准入 名称',
};

export function listParts(a: ListAnswer): AnswerParts {
  if (a.listKind === 'overview') {
    const lines = a.lists.map((b) => `${b.list.name}：${listCount(b.list, b.loaded)}`);
    return {
      headline: `📚 ${a.region.name}适用的清单（${a.lists.length}张）`,
      sections: [{ text: lines.length ? lines : ['暂无适用的清单'] }],
      cite: [regionLine(a.region), `数据版本：${a.catalogVersion}`],
      notes: ['查看某张清单请发送：清单 证明 / 清单 基本职责 / 清单 岗位 / 清单 网格准入'],
    };
  }
  const label = LIST_KIND_LABELS[a.listKind];
  if (a.lists.length === 0) {
    return {
      headline: `📚 ${a.region.name}暂无"${label}"清单`,
      sections: [],
      cite: [regionLine(a.region)],
      notes: ['发送"清单"查看本地区适用的全部清单'],
    };
  }
  const sections = a.lists.map((b) => ({
    label: `${b.list.name}（${listCount(b.list, b.loaded)}）`,
    text: b.entries.length ? b.entries.map(entryLine) : ['（条目尚未录入）'],
  }));
  const cite = [...a.lists.map((b) => `来源：${b.list.name}（${listVersion(b.list)}）`), regionLine(a.region)];
  const notes: string[] = [];
  if (a.lists.some((b) => !b.list.verified || b.entries.some((e) => !e.verified))) notes.push('部分条目未经核实，以当地最新清单为准');
  const hint = LIST_POINTER[a.listKind];
  if (hint) notes.push(hint);
  return { headline: `📚 ${label}`, sections, cite, notes, pointer: `清单 ${label}` };
}

export function notFoundParts(a: NotFoundAnswer): AnswerParts {
  const headline =
    a.reason === 'empty'
      ? '您好，请直接输入要查的问题。'
      : a.reason === 'no_lists'
        ? `没找到：${a.region.name}还没有录入清单。`
        : `没找到和"${a.question.slice(0, 30)}"直接相关的清单条目。`;
  const contacts = a.contacts.slice(0, 3).map((c) => {
    const extra = [c.phone ? `电话 ${c.phone}` : '', c.hours ? c.hours : ''].filter(Boolean).join('，');
    return `${c.name}（${c.role}${extra ? `；${extra}` : ''}）`;
  });
  const sections = [{ label: '换个问法', text: a.hint }];
  if (contacts.length) sections.push({ label: '也可以联系', text: contacts.join('；') });
  return { headline, sections, cite: [regionLine(a.region)], notes: [] };
}

export function commandParts(a: Extract<Answer, { kind: 'command' }>): AnswerParts {
  return { headline: `"${a.command}"是管理命令，请发送"帮助"查看用法。`, sections: [], cite: [], notes: [] };
}

/** One option of "您是想问……": what to show and what to send (or put in a button key) to pick it. */
export interface AskOption {
  /** 1-based. */
  n: number;
  id: string;
  /** "居住情况证明（居住证明）〔可出具〕" */
  label: string;
  /** The query that answers this option directly ("证明 C07"). */
  query: string;
}

export function askOptions(a: AmbiguousAnswer): AskOption[] {
  return a.candidates.slice(0, 3).map((c: Candidate, i) => {
    const pointer = pointerFor(c.entry);
    const word = pointer.includes(' ') ? pointer.split(' ')[0] : '';
    return { n: i + 1, id: c.entry.id, label: `${c.entry.name}〔${entryTag(c.entry)}〕`, query: word ? `${word} ${c.entry.id}` : c.entry.id };
  });
}

export function ambiguousParts(a: AmbiguousAnswer): AnswerParts {
  const opts = askOptions(a);
  return {
    headline: '您是想问……',
    sections: [{ text: opts.map((o) => `${o.n}. ${o.label}`) }],
    cite: [regionLine(a.region)],
    notes: [
      ...(a.reason === 'banned_conflict' ? ['这几项里有村（社区）能开的，也有不能开的，请选一下，免得答错。'] : []),
      '请回复序号 1/2/3，或换个说法再问。',
    ],
  };
}
