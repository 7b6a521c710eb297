import { randomBytes } from 'node:crypto';
import { err, ok, isRecord, FAKE_ERRCODES, type FakeCall, type FakeAnswer } from './types.js';

/** A customer group as `externalcontact/groupchat/get` returns it, plus its list `status`. */
export interface FakeGroupChat {
  chat_id: string;
  name: string;
  owner: string;
  /** Unix seconds. */
  create_time: number;
  notice?: string;
  member_list: Array<{
    userid: string;
    /** 1 member of the corp, 2 external contact. */
    type: 1 | 2;
    join_time: number;
    join_scene: 1 | 2 | 3;
    invitor?: { userid: string };
    group_nickname?: string;
    /** Only returned with `need_name: 1`. */
    name?: string;
    unionid?: string;
  }>;
  admin_list?: Array<{ userid: string }>;
  /** 0 normal, 1 owner left (to inherit), 2 inheriting, 3 inherited. Default 0. */
  status?: 0 | 1 | 2 | 3;
}

/** `externalcontact/groupchat/list` (cursor paging) and `/get` over groups a test loaded. */
export class FakeGroupChats {
  private readonly groups = new Map<string, FakeGroupChat>();
  private readonly cursors = new Map<string, number>();

  /** Adds or replaces groups (by chat_id), keeping insertion order for paging. */
  load(groups: FakeGroupChat[]): void {
    for (const g of groups) this.groups.set(g.chat_id, structuredClone(g));
  }

  clear(): void {
    this.groups.clear();
    this.cursors.clear();
  }

  get size(): number {
    return this.groups.size;
  }

  list = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    const limit = Number(b.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return err(FAKE_ERRCODES.invalidParameter, 'limit must be 1..1000');
    const statusFilter = Number(b.status_filter ?? 0);
    const owners = isRecord(b.owner_filter) && Array.isArray(b.owner_filter.userid_list) ? new Set(b.owner_filter.userid_list.map(String)) : undefined;
    if (owners && owners.size > 100) return err(FAKE_ERRCODES.invalidParameter, 'owner_filter.userid_list over 100');
    let start = 0;
    if (typeof b.cursor === 'string' && b.cursor !== '') {
      const pos = this.cursors.get(b.cursor);
      if (pos === undefined) return err(FAKE_ERRCODES.invalidParameter, 'invalid cursor');
      start = pos;
    }
    const all = [...this.groups.values()].filter(
      (g) => (statusFilter === 0 || (g.status ?? 0) === statusFilter) && (!owners || owners.has(g.owner)),
    );
    const page = all.slice(start, start + limit);
    let next = '';
    if (start + limit < all.length) {
      next = randomBytes(8).toString('hex');
      this.cursors.set(next, start + limit);
    }
    return ok({ group_chat_list: page.map((g) => ({ chat_id: g.chat_id, status: g.status ?? 0 })), next_cursor: next });
  };

  get = (call: FakeCall): FakeAnswer => {
    const id = call.body.chat_id;
    const g = typeof id === 'string' ? this.groups.get(id) : undefined;
    if (!g) return err(40050, 'chatid not found');
    const needName = Number(call.body.need_name) === 1;
    const { status: _status, ...rest } = structuredClone(g);
    const group_chat = {
      ...rest,
      notice: rest.notice ?? '',
      admin_list: rest.admin_list ?? [],
      member_list: rest.member_list.map(({ name, ...m }) => (needName && name !== undefined ? { ...m, name } : m)),
    };
    return ok({ group_chat });
  };
}
