import type { Answer } from '../catalog-search/types.js';
import { fit, formatAnswerText, TEXT_MAX_BYTES } from './format.js';
import { askOptions } from './other-parts.js';
import { fieldList, fieldText, needsUnverifiedNote, regionLine } from './parts.js';

/**
 * The resident flavour (微信客服, the public page): plain words about what a resident can get,
 * where, and what to bring — no list ids up front, no officialese. Plain text ≤ TEXT_MAX_BYTES.
 * Cadre-only answers (duties, posts, grid entry) fall back to the plain-text flavour.
 */
export function formatAnswerResident(a: Answer): string {
  if (a.kind === 'item' && a.item.kind === 'certificate' && a.item.list.kind !== 'certificate_rule') {
    const e = a.item;
    const f = e.item?.fields ?? {};
    const lines: string[] = [];
    if (e.banned) {
      lines.push(`村（社区）不开"${e.name}"。`);
      const where = fieldText(f['where_to_go']);
      if (where) lines.push(`您可以这样办：${where}`);
      const instead = fieldList(f['replacement']);
      if (instead.length) lines.push(`找这些地方：${instead.join('、')}`);
    } else {
      lines.push(`"${e.name}"可以在村（社区）开。`);
      const who = fieldText(f['who_may_apply']);
      if (who) lines.push(`谁能开：${who}`);
      const bring = fieldList(f['materials']);
      if (bring.length) lines.push(`要带：${bring.join('、')}`);
      const handled = fieldText(f['handled_by']);
      if (handled) lines.push(`找谁：${handled}`);
      const time = fieldText(f['time_limit']);
      if (time) lines.push(`多久：${time}`);
    }
    if (needsUnverifiedNote(e)) lines.push('（以当地最新规定为准，拿不准可以先打电话问村委会/居委会。）');
    return fit(lines, TEXT_MAX_BYTES, `证明 ${e.id}`, [`依据：${e.list.name}，编号 ${e.id}；${regionLine(a.region)}`]);
  }
  if (a.kind === 'list' && (a.listKind === 'certificate_allowed' || a.listKind === 'certificate_banned')) {
    const allowed = a.listKind === 'certificate_allowed';
    const names = a.lists.flatMap((b) => b.entries.map((e) => e.name));
    const lines = [
      allowed ? '村（社区）能开的证明有：' : '这些证明村（社区）不开，要到相关部门办或用本人承诺代替：',
      ...names.map((n, i) => `${i + 1}. ${n}`),
      '想知道某一项怎么办，直接发证明的名字就行，比如"无犯罪记录证明"。',
    ];
    return fit(lines, TEXT_MAX_BYTES, allowed ? '村里能开哪些证明' : '哪些证明不能开', [regionLine(a.region)]);
  }
  if (a.kind === 'not_found') {
    const lines = [
      a.reason === 'empty' ? '您好，请问想办什么证明或事情？' : '抱歉，没找到相关内容。',
      '可以换个说法，比如"开居住证明要带什么""无犯罪记录证明去哪开"。',
    ];
    const c = a.contacts[0];
    if (c) lines.push(`也可以联系：${c.name}${c.phone ? `，电话 ${c.phone}` : ''}${c.hours ? `（${c.hours}）` : ''}`);
    return fit(lines, TEXT_MAX_BYTES);
  }
  if (a.kind === 'ambiguous') {
    const lines = ['您想问的是哪一个？', ...askOptions(a).map((o) => `${o.n}. ${o.label}`), '回复序号就行。'];
    return fit(lines, TEXT_MAX_BYTES);
  }
  return formatAnswerText(a);
}
