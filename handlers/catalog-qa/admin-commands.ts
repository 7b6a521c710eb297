import type { Router } from '../../bot/router.js';
import { findRegion, saveCatalog } from '../../db/catalog/index.js';
import { appendAudit } from '../../db/groups/audit.js';
import { setBinding, unansweredSummary } from '../../db/qa.js';
import { DAY_MS } from '../../lib/clock.js';
import type { AppDeps } from '../deps.js';
import { isAdmin, NOT_ADMIN_TEXT } from '../admin.js';
import type { CatalogService } from './service.js';
import { forgetBinding } from './region.js';

/** 绑定 <地区> [userid], 未答, 补充别名 <条目> <别名> — admin only, every decision audited. */
export function registerCatalogAdmin(router: Router<AppDeps>, catalog: CatalogService, flushQuestions: () => Promise<void>): void {
  router.command(['绑定', '绑定地区'], async (ctx) => {
    if (!(await isAdmin(ctx.deps, ctx.userId))) return ctx.replyText(NOT_ADMIN_TEXT);
    const [regionText, userArg] = ctx.args.split(/\s+/).filter(Boolean);
    if (!regionText) return ctx.replyText('用法：在群里发送“绑定 北城街道”把本群绑定到地区；私聊发送“绑定 北城街道 <成员账号>”绑定某位成员。');
    const region = findRegion(catalog.catalog, regionText);
    if (!region) {
      const known = catalog.catalog.regions.map((r) => r.name).slice(0, 12).join('、');
      return ctx.replyText(`没有找到地区“${regionText}”。目录里的地区有：${known}${catalog.catalog.regions.length > 12 ? '等' : ''}。`);
    }
    const scope = ctx.chatId ? 'group' : 'user';
    const subject = ctx.chatId ?? userArg ?? ctx.userId;
    const now = ctx.deps.clock.now();
    await setBinding(ctx.deps.db, scope, subject, region.code, ctx.userId, now);
    await appendAudit(ctx.deps.db, [{ actor: ctx.userId, action: 'region.bind', detail: { scope, subject, region: region.code, name: region.name } }], now);
    forgetBinding(scope, subject);
    ctx.replyText(
      scope === 'group'
        ? `已把本群绑定到“${region.name}”，以后本群的提问按${region.name}的清单回答。`
        : `已把${subject === ctx.userId ? '您' : `成员 ${subject}`}绑定到“${region.name}”。`,
    );
  });

  router.command(['未答', '未答问题'], async (ctx) => {
    if (!(await isAdmin(ctx.deps, ctx.userId))) return ctx.replyText(NOT_ADMIN_TEXT);
    const days = Math.min(Math.max(Number(ctx.args) || 30, 1), 365);
    const since = new Date(ctx.deps.clock.now().getTime() - days * DAY_MS);
    await flushQuestions();
    const rows = await unansweredSummary(ctx.deps.db, since);
    if (rows.length === 0) return ctx.replyText(`近${days}天没有未答、需追问或被点“不准确”的问题。`);
    const lines = rows.map((r, i) => {
      const parts = [r.notFound && `没找到${r.notFound}`, r.ambiguous && `追问${r.ambiguous}`, r.lowConfidence && `低置信${r.lowConfidence}`, r.thumbsDown && `👎${r.thumbsDown}`].filter(Boolean);
      return `${i + 1}. “${r.sample}” ×${r.count}（${parts.join('，')}）`;
    });
    ctx.replyMarkdown(
      [`**近${days}天需要补充的问题**（按次数排序）`, ...lines, '', '可以用“补充别名 <条目编号> <别名>”让以后的同类问题直接命中。'].join('\n'),
    );
  });

  router.command(['补充别名', '添加别名'], async (ctx) => {
    if (!(await isAdmin(ctx.deps, ctx.userId))) return ctx.replyText(NOT_ADMIN_TEXT);
    const [itemText, ...aliasParts] = ctx.args.split(/\s+/).filter(Boolean);
    const alias = aliasParts.join('');
    if (!itemText || !alias) return ctx.replyText('用法：补充别名 <条目编号或名称> <别名>，例如“补充别名 C07 开个住址证明”。');
    if (Array.from(alias).length > 40) return ctx.replyText('别名太长了，请控制在40个字以内。');
    const current = catalog.catalog;
    const target =
      current.items.find((i) => i.id.toUpperCase() === itemText.toUpperCase()) ??
      current.items.find((i) => i.name === itemText) ??
      current.items.find((i) => i.aliases.includes(itemText));
    if (!target) return ctx.replyText(`没有找到条目“${itemText}”。请写条目编号（如 C07、N05、T26）或完整名称。`);
    if (target.name === alias || target.aliases.includes(alias)) return ctx.replyText(`“${alias}”已经是 ${target.id} ${target.name} 的名称或别名了。`);
    const owner = current.items.find((i) => i.id !== target.id && (i.name === alias || i.aliases.includes(alias)));
    if (owner) return ctx.replyText(`“${alias}”已经是 ${owner.id} ${owner.name} 的别名，不能再给 ${target.id}。`);
    const next = { ...current, items: current.items.map((i) => (i.id === target.id ? { ...i, aliases: [...i.aliases, alias] } : i)) };
    const now = ctx.deps.clock.now();
    const versionId = await saveCatalog(ctx.deps.db, next, { source: 'alias', note: `${ctx.userId}: ${target.id} + ${alias}` });
    await appendAudit(ctx.deps.db, [{ actor: ctx.userId, action: 'catalog.alias_add', detail: { item: target.id, alias, versionId } }], now);
    await catalog.publishChanged(versionId);
    ctx.replyText(`已为 ${target.id} ${target.name} 添加别名“${alias}”，立即生效（目录版本 #${versionId}）。`);
  });
}
