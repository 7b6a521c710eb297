/**
 * The zombie-group capability's handlers. bin/ (or handlers/index.ts) calls:
 *   router.use(recordGroupActivity)      — first, before any other handler
 *   registerGroupHandlers(router)        — commands, card clicks, change_external_chat
 */
import type { Router } from '../../bot/router.js';
import type { AppDeps } from '../deps.js';
import { registerAdminCommands } from './admin-commands.js';
import { handleZombieCardClick } from './card-click.js';
import { handleExternalChatChange } from './external-chat.js';
import { registerGroupCommands } from './group-commands.js';

export { recordGroupActivity } from './activity.js';

export function registerGroupHandlers(router: Router<AppDeps>): void {
  router.on('card_click', handleZombieCardClick);
  router.on('external_chat_change', handleExternalChatChange);
  registerGroupCommands(router);
  registerAdminCommands(router);
}
