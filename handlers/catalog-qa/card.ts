import type { ButtonCard } from '../../bot/reply.js';

/** The "您是想问" card after a choice: buttons greyed out with the choice shown. */
export function templateCardReplaced(taskId: string, text: string): ButtonCard {
  return { cardType: 'button_interaction', taskId, title: '您是想问……', buttons: [{ text: '已选择', key: 'done' }], replaceText: text };
}
