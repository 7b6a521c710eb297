import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb } from './support/db.js';
import { importActivity } from '../db/groups/import-activity.js';
import { importGroups } from '../db/groups/import-groups.js';
import { recordMention, getGroupByChatId } from '../db/groups/groups.js';
import { scanGroups } from '../jobs/zombie/evaluate.js';
import { DAY_MS } from '../lib/clock.js';

const NOW = new Date('2026-06-01T01:00:00Z');
const ago = (d: number) => NOW.getTime() - d * DAY_MS;
const j = (o: unknown) => JSON.stringify(o);

describe('group imports and scan (real database)', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.close());

  const count = async (table: string) => Number((await t.db.execute(sql.raw(`select count(*)::int as n from ${table}`))).rows[0]!.n);

  it('imports the registry, idempotently', async () => {
    const lines = [
      j({ chatid: 'wrA', name: '防汛专班', source: 'internal', kind: 'temporary', task_end: '2026-05-01', owner: 'li', org_unit: '北城街道', created_at: '2025-01-01T00:00:00+08:00', members: ['li', 'wang', 'zhao'] }),
      j({ chatid: 'wrB', name: '防汛专班2', kind: '常设', org_unit: '北城街道', created_at: '2025-02-01T00:00:00Z', members: ['li', 'wang', 'zhao'] }),
      '{not json',
      j({ chatid: 'wrC', kind: 'sometimes' }),
      j({ chatid: 'wrD', task_end: '2026-02-30' }),
      j({ chatid: 'wrE', created_at: '2027-01-01T00:00:00Z' }),
      j({ chatid: 'wrF', members: 'li' }),
      '',
      j({ name: 'no id' }),
    ];
    const r1 = await importGroups(t.db, lines, { now: NOW });
    expect(r1).toMatchObject({ lines: 8, inserted: 2, updated: 0, rejected: 6 });
    expect(r1.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 9]);
    expect(r1.errors[3]!.reason).toContain('未来');
    const g = await getGroupByChatId(t.db, 'wrA');
    expect(g).toMatchObject({ name: '防汛专班', kind: 'temporary', taskEnd: '2026-05-01', memberCount: 3, source: 'internal' });
    const before = await t.db.execute(sql`select * from groups order by id`);
    const r2 = await importGroups(t.db, lines, { now: new Date(NOW.getTime() + 1000) });
    expect(r2).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const after = await t.db.execute(sql`select * from groups order by id`);
    expect(after.rows).toEqual(before.rows);
    // a changed member set is an update
    const r3 = await importGroups(t.db, [j({ chatid: 'wrB', members: ['li', 'wang'] })], { now: NOW });
    expect(r3).toMatchObject({ inserted: 0, updated: 1 });
    expect((await getGroupByChatId(t.db, 'wrB'))!.memberCount).toBe(2);
  });

  it('imports activity: bad lines by number, future rejected, unknown chats created, re-import changes nothing', async () => {
    const lines = [
      j({ chatid: 'wrA', msgid: 'm1', from: 'li', msgtime: ago(50) }),
      j({ chatid: 'wrA', msgid: 'm2', from: 'wang', msgtime: ago(40) }),
      'garbage',
      j({ chatid: 'wrA', msgid: 'm3', from: 'li', msgtime: NOW.getTime() + DAY_MS }),
      j({ chatid: 'wrX', msgid: 'x1', from: 'zhou', msgtime: ago(100) }),
      j({ chatid: 'wrA', msgid: 'm4', from: 'li', msgtime: Math.floor(ago(1) / 1000) }),
      j({ chatid: 'wrA', msgid: 'b1', from: 'wbBOT', msgtime: ago(1) }),
      j({ chatid: 'wrA', msgid: 'm1', from: 'li', msgtime: ago(50) }),
    ];
    const r1 = await importActivity(t.db, lines, { now: NOW, botSenderIds: ['wbBOT'], chunkSize: 3 });
    expect(r1).toMatchObject({ lines: 8, imported: 4, duplicates: 1, rejected: 3, groupsCreated: 1 });
    expect(r1.errors.map((e) => e.line)).toEqual([3, 4, 6]);
    expect(r1.errors[1]!.reason).toMatch(/未来/);
    expect(r1.errors[2]!.reason).toMatch(/毫秒/);
    const x = await getGroupByChatId(t.db, 'wrX');
    expect(x).toMatchObject({ source: 'unknown', firstSeenAtMs: ago(100) });
    const n = await count('group_activity');
    const r2 = await importActivity(t.db, lines, { now: NOW, botSenderIds: ['wbBOT'] });
    expect(r2).toMatchObject({ imported: 0, duplicates: 5, groupsCreated: 0 });
    expect(await count('group_activity')).toBe(n);
  });

  it('records @-mentions once per message id', async () => {
    await recordMention(t.db, { chatId: 'wrNew', userId: 'u1', msgId: 'a1', at: new Date(ago(2)) });
    await recordMention(t.db, { chatId: 'wrNew', userId: 'u1', msgId: 'a1', at: new Date(ago(2)) });
    expect((await getGroupByChatId(t.db, 'wrNew'))!.source).toBe('aibot');
    const r = await t.db.execute(sql`select count(*)::int n from group_activity a join groups g on g.id=a.group_id where g.chat_id='wrNew'`);
    expect(r.rows[0]!.n).toBe(1);
  });

  it('scans: verdicts with evidence, the bot never counts, dry run writes nothing', async () => {
    const sug = await count('group_suggestions');
    const audit = await count('audit_log');
    const res = await scanGroups(t.db, { now: NOW, dryRun: true, defaultRegion: '北城街道' });
    const by = new Map(res.verdicts.map((v) => [v.chatId, v]));
    // wrA: last human message 40 days ago (the bot's message yesterday does not count), task ended 2026-05-01
    expect(by.get('wrA')!.verdict).toBe('suggest');
    expect(by.get('wrA')!.signals.map((s) => s.code)).toEqual(['idle', 'task_ended']);
    expect(by.get('wrA')!.signals[0]!.evidence).toContain('40 天');
    // wrB: same members as wrA minus one (2/3 → not duplicate), 2 members → too small + idle since creation
    expect(by.get('wrB')!.signals.map((s) => s.code)).toEqual(['idle', 'too_small']);
    // wrNew: seen 2 days ago → too new
    expect(by.get('wrNew')!.verdict).toBe('keep');
    expect(by.get('wrNew')!.guards[0]!.code).toBe('too_new');
    expect(await count('group_suggestions')).toBe(sug);
    expect(await count('audit_log')).toBe(audit);
    const real = await scanGroups(t.db, { now: NOW, dryRun: false, defaultRegion: '北城街道' });
    expect(real.created.length).toBe(res.verdicts.filter((v) => v.verdict === 'suggest').length);
    const again = await scanGroups(t.db, { now: NOW, dryRun: false, defaultRegion: '北城街道' });
    expect(again.created).toEqual([]);
  });

  it('the audit log is append-only', async () => {
    await expect(t.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(t.db.execute(sql`update audit_log set actor = 'x'`)).rejects.toThrow();
  });
});
