/**
 * The daily zombie scan as a BullMQ flow:
 *   `zombie-scan` (coordinator) → N × `zombie-scan-batch` (children) → `zombie-dispatch` (parent, runs
 *   when every batch is done and sends the capped cards).
 * Job ids derive from the cycle (`scan-<cycle>-<n>`, `dispatch-<cycle>`); suggestions are unique per
 * (group, cycle) and cards use `suggest:<groupId>:<cycle>`, so a crash, a retry or a second worker never
 * sends a card twice.
 */
import { sql } from 'drizzle-orm';
import type { FlowProducer, Job, JobsOptions } from 'bullmq';
import type { Db } from '../../db/client.js';
import type { OutboundPort } from '../../bot/outbound.js';
import { rows, ts } from '../../db/groups/sql.js';
import { recordSuggestions } from '../../db/groups/suggestions.js';
import type { Clock } from '../../lib/clock.js';
import { DAY_MS } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import { noticeText } from './cards.js';
import { dispatchSuggestions, type DispatchResult } from './dispatch.js';
import { computeDuplicates, cycleOf, evaluateGroups, minDuplicateThreshold, toNewSuggestions, type DuplicateInfo } from './evaluate.js';

export interface ZombieScanPayload {
  /** Evaluate as of this instant (default: the clock). */
  nowIso?: string;
}
export interface ZombieScanBatchPayload {
  cycle: string;
  nowIso: string;
  groupIds: number[];
  duplicates: [number, DuplicateInfo][];
}
export interface ZombieDispatchPayload {
  cycle: string;
  nowIso: string;
}

export interface ScanDeps {
  db: Db;
  outbound: OutboundPort;
  clock: Clock;
  log: Logger;
  /** Opened by bin/ with the queues' connection and prefix. */
  flow: FlowProducer;
  configAdmins: readonly string[];
  defaultRegion: string;
  /** Groups per batch job. Default 1 000. */
  batchSize?: number;
  /** Overrides for the batch and dispatch job options (tests: a short backoff). */
  jobOptions?: Partial<JobsOptions>;
}

const KEEP: JobsOptions = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 14 * 24 * 3600 }, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } };

/** Coordinator: lists active groups, finds duplicates once, adds the batch jobs under a dispatch parent. */
export function createZombieScanProcessor(d: ScanDeps) {
  return async (job: Job<ZombieScanPayload>): Promise<{ cycle: string; groups: number; batches: number }> => {
    const now = job.data?.nowIso ? new Date(job.data.nowIso) : d.clock.now();
    const cycle = cycleOf(now);
    // Once a day, fresh planner statistics (the embedded PGlite has no autovacuum), so each batch's
    // aggregate uses the (group, time) index instead of scanning all activity.
    await d.db.execute(sql`ANALYZE groups, group_members, group_activity, group_suggestions`);
    const ids = (await rows<{ id: number }>(d.db, sql`SELECT id::float8 AS id FROM groups WHERE status = 'active' ORDER BY id`)).map((r) => Number(r.id));
    const dups = await computeDuplicates(d.db, { threshold: await minDuplicateThreshold(d.db) });
    const size = d.batchSize ?? 1_000;
    const children = [];
    for (let i = 0, n = 0; i < ids.length; i += size, n++) {
      const groupIds = ids.slice(i, i + size);
      const duplicates = groupIds.filter((g) => dups.has(g)).map((g) => [g, dups.get(g)!] as [number, DuplicateInfo]);
      children.push({
        name: 'zombie-scan-batch',
        queueName: 'zombie-scan-batch',
        data: { cycle, nowIso: now.toISOString(), groupIds, duplicates } satisfies ZombieScanBatchPayload,
        opts: { ...KEEP, ...d.jobOptions, jobId: `scan-${cycle}-${n}` },
      });
    }
    await d.flow.add({
      name: 'zombie-dispatch',
      queueName: 'zombie-dispatch',
      data: { cycle, nowIso: now.toISOString() } satisfies ZombieDispatchPayload,
      opts: { ...KEEP, ...d.jobOptions, jobId: `dispatch-${cycle}` },
      children,
    });
    d.log.info({ cycle, groups: ids.length, batches: children.length }, 'zombie scan fanned out');
    return { cycle, groups: ids.length, batches: children.length };
  };
}

/** One batch: evaluate, record suggestions (queued), send gentle notices where a webhook key exists. */
export function createZombieScanBatchProcessor(d: Omit<ScanDeps, 'flow'>) {
  return async (job: Job<ZombieScanBatchPayload>): Promise<{ evaluated: number; suggested: number; notices: number }> => {
    const { cycle, groupIds } = job.data;
    const now = new Date(job.data.nowIso);
    const verdicts = await evaluateGroups(d.db, {
      now,
      defaultRegion: d.defaultRegion,
      groupIds,
      duplicates: new Map(job.data.duplicates),
    });
    const created = await recordSuggestions(d.db, toNewSuggestions(verdicts), cycle, now);
    // A gentle notice at most once per 30 days per group, only where a webhook key was registered.
    const noticed: number[] = [];
    for (const v of verdicts) {
      if (v.verdict !== 'notice' || !v.webhookKey) continue;
      if (v.lastNoticeAtMs !== null && now.getTime() - v.lastNoticeAtMs < 30 * DAY_MS) continue;
      await d.outbound.enqueue({
        method: 'webhook/send',
        jobId: `notice:${v.groupId}:${cycle}`,
        webhookKey: v.webhookKey,
        body: { msgtype: 'text', text: { content: noticeText(v.name, v.signals.map((s) => s.evidence)) } },
      });
      noticed.push(v.groupId);
    }
    if (noticed.length > 0) {
      await d.db.execute(sql`UPDATE groups SET last_notice_at = ${ts(now)}
        WHERE id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(noticed)}::json))`);
    }
    return { evaluated: verdicts.length, suggested: created.length, notices: noticed.length };
  };
}

/** Parent of the flow: runs after every batch finished; sends the capped cards. */
export function createZombieDispatchProcessor(d: Omit<ScanDeps, 'flow'>) {
  return async (job: Job<ZombieDispatchPayload>): Promise<DispatchResult> => {
    const r = await dispatchSuggestions(d.db, d.outbound, {
      cycle: job.data.cycle,
      now: new Date(job.data.nowIso),
      configAdmins: d.configAdmins,
      defaultRegion: d.defaultRegion,
      log: d.log,
    });
    d.log.info({ cycle: job.data.cycle, ...r }, 'zombie cards dispatched');
    return r;
  };
}
