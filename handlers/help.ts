import type { Router } from '../bot/router.js';
import type { AppDeps } from './deps.js';

export const HELP_TEXT = [
  '**基层减负助手** 可以帮您查：',
  '',
  '1. **证明事项**：村（社区）能不能开某个证明、不能开的去哪办',
  '   例：`村里能开无犯罪证明吗`、`证明 居住证明`、`村里能开哪些证明`',
  '2. **职责清单**：某项工作是街道/乡镇的基本职责、配合职责还是已收回',
  '   例：`燃气检查是基本职责还是配合`、`谁负责 自建房初审`',
  '3. **岗位**：某个岗位管哪些事',
  '   例：`岗位 物业管理岗`',
  '4. **网格准入**：这件事能不能派给网格员',
  '   例：`准入 出租房信息采集`、`这事能派给网格员吗`',
  '5. **清单总览**：发送 `清单`',
  '',
  '管理员还可以用：`僵尸群`、`扫描`、`规则`、`未答`、`绑定 北城街道`。',
  '在群里请先 @我 再提问。',
].join('\n');

export const WELCOME_TEXT = '您好，我是基层减负助手。可以问我村里能开哪些证明、某项工作归谁负责、能不能派给网格员。发送“帮助”看示例。';

/** 帮助 / help, and the enter_chat welcome. */
export function registerHelp(router: Router<AppDeps>): void {
  router.command(['帮助', 'help', '菜单', '?', '？'], (ctx) => ctx.replyMarkdown(HELP_TEXT));
  router.on('enter_chat', (ctx) => ctx.replyText(WELCOME_TEXT));
}
