/**
 * Admin commands in 1:1 chats: 僵尸群, 保留, 暂缓, 解散, 豁免, 扫描, 撤销, 规则. In a group these words
 * are passed on (they may be part of a question); in 1:1 a non-admin gets "无权限". Every decision
 * goes through applyDecision (audit-logged); a group that does not exist gets a clear answer and
 * nothing is written.
 */
import type { BotContext } from '../../bot/context.js';
import type { Next, Router } from '../../bot/router.js';
import type { AppDeps } from '../deps.js';
import type { Decision } from '../../db/groups/decisions.js';
import { undoDecision } from '../../db/groups/decisions.js';
import { findGroups, type GroupInfo } from '../../db/groups/groups.js';
import { listSuggestions } from '../../db/groups/suggestions.js';
import { appendAudit } from '../../db/groups/audit.js';
import { setStoredRule } from '../../db/groups/rules.js';
import { loadAdmins } from '../../jobs/zombie/admins.js';
import { decidedText } from '../../jobs/zombie/cards.js';
import { scanGroups } from '../../jobs/zombie/evaluate.js';
import { formatTable } from '../../jobs/zombie/report.js';
import { DEFAULT_RULES, RULE_LABELS, isRuleKey, parseRuleValue, type Rules } from '../../jobs/zombie/rules.js';
import { shanghaiDate, shanghaiMidnight } from '../../jobs/zombie/time.js';
import { DAY_MS } from '../../lib/clock.js';
import { applyDecision, daysFrom, rulesForRegion } from './decide.js';
import { parseDay, splitGroupRef, splitTrailingDays } from './parse.js';

type Ctx = BotContext<AppDeps>;
type H = (ctx: Ctx) => Promise<void>;

const NO_PERMISSION = '无权限：只有群清理管理员可以使用这个命令。';
const STATE_WORDS: Record<string, string> = { queued: '待发卡片', pending: '待决定', approved: '待群主解散' };

/** Runs `h` for admins in 1:1; in groups passes on; non-admins in 1:1 get 无权限. */
function adminOnly(h: H) {
  return async (ctx: Ctx, next: Next) => {
    if (ctx.update.chatType === 'group') return next();
    const admins = await loadAdmins(ctx.deps.db, ctx.deps.config.adminUserIds);
    if (!admins.isAdmin(ctx.userId)) return ctx.replyText(NO_PERMISSION);
    return h(ctx);
  };
}

/** Resolves the group named in a command, or answers why it cannot. */
async function resolveGroup(ctx: Ctx, ref: string, usage: string): Promise<GroupInfo | undefined> {
  if (!ref) {
    ctx.replyText(`用法：${usage}`);
    return undefined;
  }
  const found = await findGroups(ctx.deps.db, ref);
  if (found.length === 0) {
    ctx.replyText(`没有找到群「${ref}」，未做任何更改。可发送「僵尸群」查看待处理的群，或使用群 ID。`);
    return undefined;
  }
  if (found.length > 1) {
    const list = found.map((g) => `· ${g.name ?? '（无名）'}（${g.chatId}）`).join('\n');
    ctx.replyText(`「${ref}」对应多个群，未做任何更改。请写完整群名或群 ID：\n${list}`);
    return undefined;
  }
  return found[0];
}

function label(g: GroupInfo): string {
  return g.name ? `「${g.name}」` : `（${g.chatId}）`;
}

async function decideByCommand(ctx: Ctx, g: GroupInfo, decision: Decision, reason: string | undefined, until: Date | undefined, done: string): Promise<void> {
  const now = ctx.deps.clock.now();
  const out = await applyDecision(ctx.deps, { groupId: g.id, decision, actor: ctx.userId, reason, until, now });
  const r = out.result;
  if (r.kind === 'not_found') return ctx.replyText(`没有找到群${label(g)}，未做任何更改。`);
  if (r.kind === 'dismissed') return ctx.replyText(`群${label(g)}已登记为解散，无需再处理。`);
  if (r.kind === 'already') {
    const s = r.suggestion;
    const what = s.decision && s.decidedBy && s.decidedAtMs ? decidedText(s.decision, s.decidedBy, new Date(s.decidedAtMs)) : '已在处理中';
    return ctx.replyText(`群${label(g)}${what}，本次未做更改。`);
  }
  const extra = out.ownerUnknown ? '\n注意：不知道群主是谁，请您直接联系群主解散。' : '';
  ctx.replyText(`${done}${extra}\n如需撤销，24 小时内发送「撤销 ${g.name ?? g.chatId}」。`);
}

const list: H = async (ctx) => {
  const open = await listSuggestions(ctx.deps.db, ['pending', 'queued', 'approved'], 50);
  if (open.length === 0) return ctx.replyText('目前没有待处理的群清理建议。');
  const lines = [`待处理的群清理建议 ${open.length} 个：`];
  for (const s of open.slice(0, 20)) {
    lines.push(`· ${s.groupName ?? s.chatId}【${STATE_WORDS[s.state] ?? s.state}】${s.signals[0]?.evidence ?? ''}`);
  }
  if (open.length > 20) lines.push(`……另有 ${open.length - 20} 个`);
  lines.push('可回复：保留 <群> <理由> [天数]、暂缓 <群> <天数>、解散 <群>、豁免 <群> <理由> 至<日期>');
  ctx.replyText(lines.join('\n'));
};

const keep: H = async (ctx) => {
  const usage = '保留 <群> <理由> [天数]';
  const { ref, rest } = splitGroupRef(ctx.args);
  const { text: reason, days } = splitTrailingDays(rest);
  if (ref && !reason) return ctx.replyText(`请写上保留的理由。用法：${usage}`);
  if (days !== undefined && (days < 1 || days > 3650)) return ctx.replyText('天数应在 1 到 3650 之间。');
  const g = await resolveGroup(ctx, ref, usage);
  if (!g) return;
  const rules = await rulesForRegion(ctx.deps, g.region ?? '');
  const n = days ?? rules.keep_days;
  const until = daysFrom(ctx.deps.clock.now(), n);
  await decideByCommand(ctx, g, 'keep', reason, until, `已保留群${label(g)} ${n} 天（至 ${shanghaiDate(until)}），理由：${reason}。`);
};

const snooze: H = async (ctx) => {
  const usage = '暂缓 <群> <天数>';
  const { ref, rest } = splitGroupRef(ctx.args);
  const { days } = splitTrailingDays(rest);
  if (ref && rest && days === undefined) return ctx.replyText(`天数看不懂。用法：${usage}`);
  if (days !== undefined && (days < 1 || days > 365)) return ctx.replyText('暂缓天数应在 1 到 365 之间。');
  const g = await resolveGroup(ctx, ref, usage);
  if (!g) return;
  const n = days ?? (await rulesForRegion(ctx.deps, g.region ?? '')).snooze_days;
  const until = daysFrom(ctx.deps.clock.now(), n);
  await decideByCommand(ctx, g, 'snooze', undefined, until, `已暂缓群${label(g)} ${n} 天，${shanghaiDate(until)} 后重新评估。`);
};

const approve: H = async (ctx) => {
  const g = await resolveGroup(ctx, splitGroupRef(ctx.args).ref, '解散 <群>');
  if (!g) return;
  await decideByCommand(ctx, g, 'approve', undefined, undefined, `已建议解散群${label(g)}，已通知群主处理（3 天后提醒，7 天后告知您）。`);
};

const exempt: H = async (ctx) => {
  const usage = '豁免 <群> <理由> 至<日期>';
  const { ref, rest } = splitGroupRef(ctx.args);
  const m = /^(.*?)\s*(?:至|到|截止)\s*(\S+)$/s.exec(rest);
  if (ref && !m) return ctx.replyText(`请写上理由和截止日期。用法：${usage}，例如：豁免 防汛专班 汛期备用 至2026-10-31`);
  const day = m ? parseDay(m[2]!) : undefined;
  if (m && !day) return ctx.replyText(`日期「${m[2]}」看不懂，请写成 2026-10-31。`);
  if (m && !m[1]!.trim()) return ctx.replyText(`请写上豁免的理由。用法：${usage}`);
  const now = ctx.deps.clock.now();
  if (day && shanghaiMidnight(day).getTime() + DAY_MS <= now.getTime()) return ctx.replyText('截止日期已经过去了，请写一个将来的日期。');
  const g = await resolveGroup(ctx, ref, usage);
  if (!g) return;
  const until = new Date(shanghaiMidnight(day!).getTime() + DAY_MS); // through the end of that day
  await decideByCommand(ctx, g, 'exempt', m![1]!.trim(), until, `已豁免群${label(g)}至 ${day}，理由：${m![1]!.trim()}。`);
};

const undo: H = async (ctx) => {
  const g = await resolveGroup(ctx, splitGroupRef(ctx.args).ref, '撤销 <群>');
  if (!g) return;
  const r = await undoDecision(ctx.deps.db, { groupId: g.id, actor: ctx.userId, now: ctx.deps.clock.now() });
  if (r.kind === 'none') return ctx.replyText(`群${label(g)}没有可撤销的决定。`);
  if (r.kind === 'dismissed') return ctx.replyText(`群${label(g)}已确认解散，无法撤销。`);
  if (r.kind === 'too_late') return ctx.replyText(`群${label(g)}的决定已超过 24 小时，不能撤销；可以重新「保留」或「暂缓」。`);
  ctx.replyText(`已撤销对群${label(g)}的决定，下次扫描会重新评估。`);
};

const scan: H = async (ctx) => {
  const res = await scanGroups(ctx.deps.db, { now: ctx.deps.clock.now(), dryRun: true, defaultRegion: ctx.deps.config.defaultRegion });
  ctx.replyText(`扫描预览（未发送任何卡片）\n${formatTable(res.verdicts, { maxRows: 15 })}`);
};

function showRules(region: string, rules: Rules): string {
  const lines = [`「${region}」的群清理规则：`];
  for (const k of Object.keys(DEFAULT_RULES) as (keyof Rules)[]) {
    const mark = rules[k] === DEFAULT_RULES[k] ? '' : '（已调整）';
    lines.push(`· ${k} = ${rules[k]}  ${RULE_LABELS[k]}${mark}`);
  }
  lines.push('管理员可修改，例如：规则 idle_days 60');
  return lines.join('\n');
}

/** 规则 (anyone may read; admins change): `规则`, `规则 idle_days 60`. */
async function rulesCommand(ctx: Ctx, next: Next): Promise<void> {
  const { deps } = ctx;
  const admins = await loadAdmins(deps.db, deps.config.adminUserIds);
  const region = admins.regionOf(ctx.userId) ?? deps.config.defaultRegion;
  const words = ctx.args.split(/\s+/).filter(Boolean);
  if (words.length === 0) return ctx.replyText(showRules(region, await rulesForRegion(deps, region)));
  if (ctx.update.chatType === 'group') return next();
  if (!admins.isAdmin(ctx.userId)) return ctx.replyText(NO_PERMISSION);
  const [key, value] = words;
  if (!key || !isRuleKey(key) || value === undefined || words.length > 2) {
    return ctx.replyText(`用法：规则 <名称> <数值>，名称可以是：${Object.keys(DEFAULT_RULES).join('、')}`);
  }
  const v = parseRuleValue(key, value);
  if (typeof v === 'string') return ctx.replyText(`未修改：${v}`);
  const now = deps.clock.now();
  const before = (await rulesForRegion(deps, region))[key];
  await setStoredRule(deps.db, region, key, v, ctx.userId, now);
  await appendAudit(deps.db, [{ actor: ctx.userId, action: 'rule', detail: { region, key, before, after: v } }], now);
  ctx.replyText(`已将「${region}」的 ${key}（${RULE_LABELS[key]}）从 ${before} 改为 ${v}。`);
}

export function registerAdminCommands(router: Router<AppDeps>): void {
  router.command('僵尸群', adminOnly(list));
  router.command('保留', adminOnly(keep));
  router.command('暂缓', adminOnly(snooze));
  router.command('解散', adminOnly(approve));
  router.command('豁免', adminOnly(exempt));
  router.command('撤销', adminOnly(undo));
  router.command('扫描', adminOnly(scan));
  router.command('规则', rulesCommand);
}
