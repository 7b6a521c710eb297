import type { WecomApi } from '../../bot/wecom-api/client.js';
import { WecomApiError } from '../../bot/wecom-api/errors.js';
import type { CustomerGroup } from '../../db/groups/groups.js';

/**
 * The customer-group (客户群) API as the zombie jobs need it: paged list and details. Narrow on
 * purpose so tests and bin/ can wire anything that speaks it.
 */
export interface GroupChatApi {
  /** One page of `externalcontact/groupchat/list`; `nextCursor` '' when done. */
  list(cursor: string, limit: number): Promise<{ chatIds: string[]; nextCursor: string }>;
  /** `externalcontact/groupchat/get`; undefined when WeCom no longer knows the group (dissolved). */
  get(chatId: string): Promise<CustomerGroup | undefined>;
}

/** errcode of groupchat/get for an unknown (e.g. dissolved) chat id. */
export const UNKNOWN_CHAT_ERRCODES: ReadonlySet<number> = new Set([40050]);

/** Adapts the WeCom client to GroupChatApi. */
export function createGroupChatApi(api: WecomApi): GroupChatApi {
  return {
    async list(cursor, limit) {
      const r = await api.groupchatList({ status_filter: 0, cursor, limit });
      return { chatIds: (r.group_chat_list ?? []).map((g) => g.chat_id), nextCursor: r.next_cursor ?? '' };
    },
    async get(chatId) {
      try {
        const r = await api.groupchatGet({ chat_id: chatId });
        const g = (r.group_chat ?? {}) as Record<string, unknown>;
        const members = Array.isArray(g.member_list) ? (g.member_list as Record<string, unknown>[]) : null;
        return {
          chatId,
          name: typeof g.name === 'string' && g.name !== '' ? g.name : null,
          owner: typeof g.owner === 'string' ? g.owner : null,
          createTime: typeof g.create_time === 'number' ? g.create_time : null,
          members: members
            ? members.map((m) => ({
                userId: String(m.userid),
                type: typeof m.type === 'number' ? m.type : null,
                joinTime: typeof m.join_time === 'number' ? m.join_time : null,
              }))
            : null,
        };
      } catch (err) {
        if (err instanceof WecomApiError && UNKNOWN_CHAT_ERRCODES.has(err.errcode)) return undefined;
        throw err;
      }
    },
  };
}
