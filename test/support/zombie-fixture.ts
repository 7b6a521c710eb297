/**
 * Fifty groups with known fates, as registry + activity ndjson lines (what the imports read).
 * `expected` says which groups must get a card, a notice, or nothing.
 */
import { DAY_MS } from '../../lib/clock.js';

export interface Fixture {
  registry: string[];
  activity: string[];
  /** chat ids that must get a suggestion card. */
  suggest: string[];
  /** chat ids that must get a notice verdict; those with a webhook key get a webhook message. */
  notice: string[];
  withWebhook: string[];
  /** chat ids to exempt by command before the scan (idle, but kept). */
  exempt: string[];
  names: Map<string, string>;
}

export function buildFixture(now: Date): Fixture {
  const t = now.getTime();
  const ago = (d: number) => t - d * DAY_MS;
  const registry: string[] = [];
  const activity: string[] = [];
  const f: Fixture = { registry, activity, suggest: [], notice: [], withWebhook: [], exempt: [], names: new Map() };
  let n = 0;
  const members = (k: number, base = `m${n}`) => Array.from({ length: k }, (_, i) => `${base}-${i}`);
  const add = (
    kind: string,
    o: { name?: string; members?: string[]; kindOf?: string; taskEnd?: string; createdDaysAgo?: number; webhook?: string; orgUnit?: string; owner?: string; source?: string },
  ) => {
    n++;
    const chatid = `wr${kind}${String(n).padStart(2, '0')}`;
    const name = o.name ?? `${kind}群${n}`;
    f.names.set(chatid, name);
    registry.push(
      JSON.stringify({
        chatid,
        name,
        source: o.source ?? 'internal',
        kind: o.kindOf ?? 'standing',
        task_end: o.taskEnd,
        owner: o.owner ?? `owner${n}`,
        org_unit: o.orgUnit ?? '北城街道',
        created_at: new Date(ago(o.createdDaysAgo ?? 300)).toISOString(),
        members: o.members ?? members(6),
        webhook_key: o.webhook,
      }),
    );
    return chatid;
  };
  const talk = (chatid: string, daysAgo: number[], from: (i: number) => string = (i) => `u${i % 3}`) => {
    daysAgo.forEach((d, i) => activity.push(JSON.stringify({ chatid, msgid: `${chatid}-${i}`, from: from(i), msgtime: ago(d) })));
  };

  // 10 idle for 60 days → suggest
  for (let i = 0; i < 10; i++) {
    const id = add('Idle', {});
    talk(id, [90, 70, 60]);
    // the bot itself posted yesterday: that is not activity
    if (i === 0) activity.push(JSON.stringify({ chatid: id, msgid: `${id}-bot`, from: 'wbBOT', msgtime: ago(1) }));
    f.suggest.push(id);
  }
  // 5 temporary groups whose task ended 20 days ago, still chatting → suggest
  for (let i = 0; i < 5; i++) {
    const id = add('Task', { kindOf: 'temporary', taskEnd: new Date(ago(20) + 8 * 3600_000).toISOString().slice(0, 10) });
    talk(id, [3, 2, 1]);
    f.suggest.push(id);
  }
  // 2 duplicate pairs (same org unit, same members); the newer of each pair → suggest
  for (let i = 0; i < 2; i++) {
    const m = members(12, `dup${i}`);
    const older = add('DupA', { members: m, orgUnit: '南城社区', createdDaysAgo: 400 });
    const newer = add('DupB', { members: [...m], orgUnit: '南城社区', createdDaysAgo: 200 });
    talk(older, [2, 1]);
    talk(newer, [2, 1]);
    f.suggest.push(newer);
  }
  // 5 quiet for 35 days → notice; two have a webhook key
  for (let i = 0; i < 5; i++) {
    const id = add('Quiet', { webhook: i < 2 ? `hook-${i}` : undefined });
    talk(id, [50, 35]);
    f.notice.push(id);
    if (i < 2) f.withWebhook.push(id);
  }
  // 3 active but tiny (2 members) → notice
  for (let i = 0; i < 3; i++) {
    const id = add('Tiny', { members: members(2) });
    talk(id, [2, 1]);
    f.notice.push(id);
  }
  // 3 broadcast-only: 12 messages in the last 30 days, all from one sender → notice
  for (let i = 0; i < 3; i++) {
    const id = add('Cast', {});
    talk(id, Array.from({ length: 12 }, (_, k) => 1 + k * 2), () => 'boss');
    f.notice.push(id);
  }
  // 3 idle but exempted by an admin before the scan → keep
  for (let i = 0; i < 3; i++) {
    const id = add('Exempt', {});
    talk(id, [80]);
    f.exempt.push(id);
  }
  // 2 created 5 days ago, silent → protected (keep)
  for (let i = 0; i < 2; i++) add('New', { createdDaysAgo: 5 });
  // 15 healthy groups (the bot's own messages are in the archive too, and never count)
  for (let i = 0; i < 15; i++) {
    const id = add('Ok', {});
    talk(id, [20, 10, 3, 1]);
    activity.push(JSON.stringify({ chatid: id, msgid: `${id}-bot`, from: 'wbBOT', msgtime: ago(0.5) }));
  }
  if (n !== 50) throw new Error(`fixture has ${n} groups`);
  return f;
}
