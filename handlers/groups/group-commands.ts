/**
 * Commands used inside a group: `登记群 防汛专班 临时 截止2026-12-31` registers the current chat;
 * `群信息` says what the bot knows about it and why it would or would not be flagged.
 */
import type { BotContext } from '../../bot/context.js';
import type { Router } from '../../bot/router.js';
import type { AppDeps } from '../deps.js';
import { getGroupByChatId, registerGroup } from '../../db/groups/groups.js';
import { evaluateGroups } from '../../jobs/zombie/evaluate.js';
import { shanghaiDate } from '../../jobs/zombie/time.js';
import { parseRegister } from './parse.js';

type Ctx = BotContext<AppDeps>;

const KIND = { standing: '常设', temporary: '临时' } as Record<string, string>;
const VERDICT = { keep: '不会被建议清理', notice: '可能收到温馨提醒', suggest: '会被建议清理' } as Record<string, string>;

async function register(ctx: Ctx): Promise<void> {
  const chatId = ctx.chatId;
  if (ctx.update.chatType !== 'group' || !chatId) return ctx.replyText('请在要登记的群里 @我 发送，例如：登记群 防汛专班 临时 截止2026-12-31');
  const a = parseRegister(ctx.args);
  if (typeof a === 'string') return ctx.replyText(a);
  const existing = await getGroupByChatId(ctx.deps.db, chatId);
  await registerGroup(ctx.deps.db, {
    chatId,
    ...a,
    owner: existing?.owner ?? ctx.userId,
    by: ctx.userId,
    now: ctx.deps.clock.now(),
  });
  // A group only seen through @-mentions or imports counts as newly registered.
  const created = !existing || (!existing.name && (existing.source === 'aibot' || existing.source === 'unknown'));
  const end = a.taskEnd ? `，任务截止 ${a.taskEnd}` : '';
  ctx.replyText(`${created ? '已登记' : '已更新'}本群：「${a.name}」，${KIND[a.kind]}群${end}。${a.kind === 'temporary' ? '任务结束 7 天后会提醒管理员清理。' : ''}`);
}

async function info(ctx: Ctx): Promise<void> {
  const chatId = ctx.chatId;
  if (ctx.update.chatType !== 'group' || !chatId) return ctx.replyText('请在群里 @我 发送「群信息」。');
  const { deps } = ctx;
  const g = await getGroupByChatId(deps.db, chatId);
  if (!g) return ctx.replyText('还没有本群的记录。可发送：登记群 <群名> 常设/临时 截止<日期>');
  const lines = [`本群：${g.name ?? '（未登记群名）'}`];
  lines.push(`类型：${KIND[g.kind] ?? g.kind}${g.taskEnd ? `，任务截止 ${g.taskEnd}` : ''}；来源：${g.source}`);
  if (g.owner) lines.push(`群主/负责人：${g.owner}`);
  if (g.orgUnit) lines.push(`单位：${g.orgUnit}`);
  lines.push(`成员：${g.memberCount === null ? '未知' : `${g.memberCount} 人`}`);
  if (g.status === 'dismissed') {
    lines.push('状态：已登记为解散');
    return ctx.replyText(lines.join('\n'));
  }
  const [v] = await evaluateGroups(deps.db, { now: deps.clock.now(), defaultRegion: deps.config.defaultRegion, groupIds: [g.id] });
  if (v) {
    lines.push(`最后活动：${v.lastActivityMs === null ? '无记录' : shanghaiDate(new Date(v.lastActivityMs))}（只统计 @我 的消息和导入的聊天记录）`);
    lines.push(`结论：${VERDICT[v.verdict] ?? v.verdict}`);
    for (const s of v.signals) lines.push(`· ${s.evidence}`);
    for (const x of v.guards) lines.push(`· 不会被建议：${x.evidence}`);
    if (v.signals.length === 0) lines.push('· 没有发现闲置、过期或重复的迹象');
  }
  ctx.replyText(lines.join('\n'));
}

export function registerGroupCommands(router: Router<AppDeps>): void {
  router.command('登记群', register);
  router.command('群信息', info);
}
