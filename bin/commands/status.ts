import { sql } from 'drizzle-orm';
import type { CliCommand } from './index.js';
import { outboxCounts } from '../../db/messages-store.js';

/** `status`: what the database holds (works against the running service's embedded database). */
export const statusCommand: CliCommand = {
  usage: 'status                                   数据库概况（消息数、outbox）',
  needsInfra: true,
  matches: (c) => c === 'status',
  async run({ infra, print }) {
    const db = infra!.db.db;
    const inbound = await db.execute<{ n: number }>(sql`select count(*)::int as n from inbound_messages`);
    print(`数据库：${infra!.describe.database}`);
    print(`收到的消息：${inbound.rows[0]?.n ?? 0}`);
    const out = await outboxCounts(db);
    print(`待发/已发（outbox）：${out.length ? out.map((r) => `${r.method} ${r.status} ${r.n}`).join('，') : '无'}`);
    return 0;
  },
};
