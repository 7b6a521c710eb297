import type { DocKind } from './docs.js';
import { canonicalChars, stripMention } from './normalize.js';
import type { QuestionForm } from './types.js';

/**
 * Command words a cadre may type, with or without a leading '/': `证明 居住证明`,
 * `谁负责 燃气安全检查`, `岗位 物业管理岗`, `准入 出租房信息采集`, `清单`, `帮助` — and the admin
 * commands the router handles (`未答`, `补充别名 …`, `绑定 …`).
 */
export type ParsedCommand =
  /** A lookup command: search `args` with the given kind and form forced. */
  | { type: 'lookup'; word: string; kind: DocKind; form: QuestionForm; args: string }
  /** `清单` (optionally with a topic) → a list answer. */
  | { type: 'lists'; word: string; args: string }
  /** Anything the engine does not answer itself (帮助, 未答, 补充别名, 绑定 …). */
  | { type: 'other'; word: string; args: string };

const LOOKUP: Record<string, { kind: DocKind; form: QuestionForm }> = {
  证明: { kind: 'certificate', form: 'eligibility' },
  开证明: { kind: 'certificate', form: 'eligibility' },
  谁负责: { kind: 'duty', form: 'responsibility' },
  职责: { kind: 'duty', form: 'responsibility' },
  岗位: { kind: 'post', form: 'info' },
  准入: { kind: 'grid', form: 'eligibility' },
  网格: { kind: 'grid', form: 'eligibility' },
  考核: { kind: 'indicator', form: 'info' },
  指标: { kind: 'indicator', form: 'info' },
  牌子: { kind: 'signage', form: 'info' },
};
const LISTS = new Set(['清单', '目录', '列表']);
const OTHER = new Set(['帮助', 'help', '菜单', '未答', '补充别名', '绑定', '解绑', '我的地区', '地区', '反馈', '僵尸群', '扫描', '规则']);

/**
 * Recognises a command. The command word must be followed by whitespace or be the whole text
 * (so "证明居住证明" without a space is a question, not a command).
 */
export function parseCommand(raw: string): ParsedCommand | undefined {
  const s = canonicalChars(stripMention(raw)).trim().replace(/^[/／]\s*/, '');
  const m = /^(\S+?)(?:\s+([\s\S]*))?$/u.exec(s);
  if (!m) return undefined;
  const word = (m[1] ?? '').toLowerCase();
  const args = (m[2] ?? '').trim();
  const lookup = LOOKUP[word];
  if (lookup && args) return { type: 'lookup', word, ...lookup, args };
  if (LISTS.has(word)) return { type: 'lists', word, args };
  if (lookup && !args) return { type: 'lists', word: '清单', args: word };
  if (OTHER.has(word)) return { type: 'other', word, args };
  return undefined;
}
