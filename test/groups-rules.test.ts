import { describe, it, expect } from 'vitest';
import {
  idleSignal,
  taskEndedSignal,
  duplicateSignal,
  tooSmallSignal,
  broadcastOnlySignal,
  tooNewGuard,
  exemptGuard,
  snoozedGuard,
  type GroupFacts,
} from '../jobs/zombie/signals.js';
import { DEFAULT_RULES, evaluateGroup, mergeRules, parseRuleValue } from '../jobs/zombie/rules.js';
import { findDuplicates, jaccard, type MemberSet } from '../jobs/zombie/duplicates.js';
import { DAY_MS } from '../lib/clock.js';

const NOW = new Date('2026-06-01T01:00:00Z'); // 09:00 in Asia/Shanghai
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const R = { ...DEFAULT_RULES };

function facts(p: Partial<GroupFacts> = {}): GroupFacts {
  return {
    chatId: 'wrA',
    name: '测试群',
    kind: 'standing',
    taskEnd: null,
    createdAt: ago(400),
    memberCount: 10,
    lastActivityAt: ago(1),
    recentMessages: 5,
    recentSenders: 2,
    soleSender: null,
    duplicateOf: null,
    exemption: null,
    snoozedUntil: null,
    ...p,
  };
}

describe('idle signal', () => {
  it('is silent under the notice threshold', () => {
    expect(idleSignal(facts({ lastActivityAt: ago(29) }), R, NOW)).toBeNull();
  });
  it('gives a notice from 30 days and a suggestion from 45 days, with the date as evidence', () => {
    const n = idleSignal(facts({ lastActivityAt: ago(30) }), R, NOW);
    expect(n).toMatchObject({ code: 'idle', level: 'notice' });
    expect(n!.evidence).toContain('30 天');
    expect(idleSignal(facts({ lastActivityAt: ago(44) }), R, NOW)?.level).toBe('notice');
    const s = idleSignal(facts({ lastActivityAt: ago(45) }), R, NOW);
    expect(s?.level).toBe('suggest');
    expect(s!.evidence).toBe('已 45 天无人发言（最后一次 2026-04-17）');
  });
  it('counts from creation when the group never had a message', () => {
    const s = idleSignal(facts({ lastActivityAt: null, createdAt: ago(60) }), R, NOW);
    expect(s?.evidence).toBe('建群以来没有任何发言记录（已 60 天）');
  });
  it('follows the region rule', () => {
    expect(idleSignal(facts({ lastActivityAt: ago(50) }), { ...R, idle_days: 60 }, NOW)?.level).toBe('notice');
  });
});

describe('task_ended signal', () => {
  it('flags a temporary group whose task ended more than 7 days ago', () => {
    const s = taskEndedSignal(facts({ kind: 'temporary', taskEnd: '2026-05-24' }), R, NOW);
    expect(s).toEqual({ code: 'task_ended', evidence: '临时任务已于 2026-05-24 结束（8 天前）', level: 'suggest' });
  });
  it('waits out the grace period, and ignores standing groups', () => {
    expect(taskEndedSignal(facts({ kind: 'temporary', taskEnd: '2026-05-25' }), R, NOW)).toBeNull();
    expect(taskEndedSignal(facts({ kind: 'temporary', taskEnd: '2026-12-31' }), R, NOW)).toBeNull();
    expect(taskEndedSignal(facts({ kind: 'standing', taskEnd: '2020-01-01' }), R, NOW)).toBeNull();
    expect(taskEndedSignal(facts({ kind: 'temporary', taskEnd: null }), R, NOW)).toBeNull();
  });
});

describe('duplicate signal', () => {
  it('names the other group', () => {
    const s = duplicateSignal(facts({ duplicateOf: { name: '防汛一群', chatId: 'wrB', jaccard: 0.95 } }), R, NOW);
    expect(s).toEqual({ code: 'duplicate', evidence: '与「防汛一群」成员重合 95%，建议合并到该群', level: 'suggest' });
  });
  it('respects the threshold', () => {
    expect(duplicateSignal(facts({ duplicateOf: { name: 'x', chatId: 'wrB', jaccard: 0.89 } }), R, NOW)).toBeNull();
    expect(duplicateSignal(facts(), R, NOW)).toBeNull();
  });
});

describe('too_small and broadcast_only signals', () => {
  it('too_small at ≤ 2 members, unknown member lists are not judged', () => {
    expect(tooSmallSignal(facts({ memberCount: 2 }), R, NOW)).toEqual({ code: 'too_small', evidence: '仅 2 名成员', level: 'notice' });
    expect(tooSmallSignal(facts({ memberCount: 3 }), R, NOW)).toBeNull();
    expect(tooSmallSignal(facts({ memberCount: null }), R, NOW)).toBeNull();
  });
  it('broadcast_only needs ≥ 10 messages all from one sender', () => {
    const s = broadcastOnlySignal(facts({ recentMessages: 10, recentSenders: 1, soleSender: 'zhangsan' }), R, NOW);
    expect(s?.evidence).toBe('近 30 天 10 条消息均由 zhangsan 发出，无人回应');
    expect(broadcastOnlySignal(facts({ recentMessages: 9, recentSenders: 1, soleSender: 'a' }), R, NOW)).toBeNull();
    expect(broadcastOnlySignal(facts({ recentMessages: 50, recentSenders: 2 }), R, NOW)).toBeNull();
  });
});

describe('guards', () => {
  it('protects groups younger than 14 days', () => {
    expect(tooNewGuard(facts({ createdAt: ago(13) }), R, NOW)?.code).toBe('too_new');
    expect(tooNewGuard(facts({ createdAt: ago(14) }), R, NOW)).toBeNull();
  });
  it('exemptions apply until they expire', () => {
    expect(exemptGuard(facts({ exemption: { reason: '汛期备用', until: ago(-1) } }), R, NOW)?.evidence).toContain('汛期备用');
    expect(exemptGuard(facts({ exemption: { reason: 'x', until: ago(0) } }), R, NOW)).toBeNull();
  });
  it('snoozes apply until they end', () => {
    expect(snoozedGuard(facts({ snoozedUntil: ago(-3) }), R, NOW)?.code).toBe('snoozed');
    expect(snoozedGuard(facts({ snoozedUntil: ago(1) }), R, NOW)).toBeNull();
  });
});

describe('verdict', () => {
  it('keep / notice / suggest', () => {
    expect(evaluateGroup(facts(), R, NOW).verdict).toBe('keep');
    expect(evaluateGroup(facts({ lastActivityAt: ago(35) }), R, NOW).verdict).toBe('notice');
    expect(evaluateGroup(facts({ lastActivityAt: ago(50) }), R, NOW).verdict).toBe('suggest');
    // two notice-level signals make a suggestion
    expect(evaluateGroup(facts({ lastActivityAt: ago(35), memberCount: 2 }), R, NOW).verdict).toBe('suggest');
  });
  it('a guard always keeps, but the signals stay visible', () => {
    const e = evaluateGroup(facts({ lastActivityAt: null, createdAt: ago(10), memberCount: 1 }), R, NOW);
    expect(e.verdict).toBe('keep');
    expect(e.guards.map((g) => g.code)).toEqual(['too_new']);
    const x = evaluateGroup(facts({ lastActivityAt: ago(100), exemption: { reason: '备用', until: ago(-30) } }), R, NOW);
    expect(x.verdict).toBe('keep');
    expect(x.signals.map((s) => s.code)).toEqual(['idle']);
  });
});

describe('rules', () => {
  it('merges stored values over defaults and ignores junk', () => {
    expect(mergeRules({ idle_days: 60, bogus: 1, notice_days: 'x' })).toMatchObject({ idle_days: 60, notice_days: 30 });
  });
  it('validates values', () => {
    expect(parseRuleValue('idle_days', '60')).toBe(60);
    expect(typeof parseRuleValue('idle_days', '-1')).toBe('string');
    expect(typeof parseRuleValue('idle_days', 'abc')).toBe('string');
    expect(parseRuleValue('duplicate_jaccard', '0.85')).toBe(0.85);
    expect(typeof parseRuleValue('duplicate_jaccard', '2')).toBe('string');
  });
});

describe('duplicate detection', () => {
  const set = (groupId: number, orgUnit: string, members: string[], createdAt = groupId): MemberSet => ({ groupId, orgUnit, createdAt, members });
  const base = Array.from({ length: 20 }, (_, i) => `u${i}`);

  it('flags the newer of two near-identical groups of the same org unit', () => {
    const sets = [set(1, 'A', base), set(2, 'A', [...base.slice(0, 19), 'x']), set(3, 'B', base)];
    const d = findDuplicates(sets, 0.9);
    // 19 shared of 21 → 0.905
    expect([...d.entries()]).toEqual([[2, { otherId: 1, jaccard: 19 / 21 }]]);
  });
  it('ignores pairs below the threshold and other org units', () => {
    const sets = [set(1, 'A', base), set(2, 'A', [...base.slice(0, 18), 'x', 'y']), set(3, 'B', base)];
    expect(findDuplicates(sets, 0.9).size).toBe(0);
  });
  it('agrees with brute force on random data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const sets: MemberSet[] = [];
    for (let i = 0; i < 300; i++) {
      const unit = `U${i % 3}`;
      if (i > 0 && rnd() < 0.4) {
        const src = sets[Math.floor(rnd() * sets.length)]!;
        const m = src.members.filter(() => rnd() > 0.04);
        if (rnd() < 0.5) m.push(`n${i}`);
        sets.push(set(i + 1, src.orgUnit, m, 1000 + i));
      } else {
        const n = 3 + Math.floor(rnd() * 30);
        sets.push(set(i + 1, unit, Array.from({ length: n }, () => `p${Math.floor(rnd() * 200)}`), 1000 + i));
      }
    }
    const fast = findDuplicates(sets, 0.9);
    const slow = new Map<number, { otherId: number; jaccard: number }>();
    for (const a of sets)
      for (const b of sets) {
        if (a.groupId >= b.groupId || a.orgUnit !== b.orgUnit) continue;
        const j = jaccard(a.members, b.members);
        if (j < 0.9 || a.members.length === 0) continue;
        const prev = slow.get(b.groupId);
        if (!prev || j > prev.jaccard) slow.set(b.groupId, { otherId: a.groupId, jaccard: j });
      }
    expect(fast.size).toBeGreaterThan(10);
    expect(new Map([...fast].map(([k, v]) => [k, v.jaccard]))).toEqual(new Map([...slow].map(([k, v]) => [k, v.jaccard])));
  });
});
