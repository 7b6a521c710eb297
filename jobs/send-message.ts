import { createHash } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job, type JobsOptions, type Processor, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { OutboundPort, OutboundRequest } from '../bot/outbound.js';
import type { WecomApi } from '../bot/wecom-api/client.js';
import { WecomApiError, classifyError } from '../bot/wecom-api/errors.js';
import { reserveSendSlot, scopesForRequest, type WindowLimit } from '../bot/wecom-api/rate-limit.js';
import type { Db } from '../db/client.js';
import {
  countOutboxAttempt,
  getOutbox,
  markOutboxFailed,
  markOutboxSent,
  noteOutboxError,
  recordOutboxDry,
  upsertOutboxQueued,
} from '../db/queries/outbox.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';

/**
 * Options every `send-message` job is added with: 5 attempts with exponential backoff from 1 s
 * (1, 2, 4, 8 s) for transient failures. Rate-limit waits do not spend attempts. Finished jobs
 * are kept a while so the same job id enqueued again is recognised by BullMQ too (the outbox is the
 * lasting guard: a job id whose row is `sent` is never sent again).
 */
export const SEND_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;

export interface SendMessageDeps {
  /** Undefined without WeCom credentials (development): requests go to the outbox as `dry`. */
  api: WecomApi | undefined;
  db: Db;
  redis: Redis;
  /** Redis key prefix for the rate limiter (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  /** The rate limiter's notion of now (its windows live in Redis). */
  clock: Clock;
  /** Wait after WeCom answers 45009/45033, ms. Default 60 000 (minute limits block for 60 s). */
  rateLimitedDelayMs?: number;
  /** Override the client-side windows (tests). Defaults: 30/min + 1,000/h per member, 20/min per webhook. */
  limits?: { app?: readonly WindowLimit[]; webhook?: readonly WindowLimit[] };
  /** Give up after this many starts (delays included) so a message cannot wait forever. Default 200. */
  maxStarts?: number;
  /** Called once per outcome, e.g. to count outbound sends in Prometheus. */
  onOutcome?: (outcome: SendOutcome, method: OutboundRequest['method']) => void;
}

export type SendOutcome = 'sent' | 'dry' | 'duplicate' | 'delayed' | 'retry' | 'failed';

/** What the processor returns (BullMQ keeps it as the job's return value). */
export type SendJobResult = { status: 'sent' | 'duplicate'; result: unknown } | { status: 'dry' };

/**
 * The `send-message` processor: performs one `OutboundRequest` and keeps its outbox row current.
 *
 * - no API (development) → outbox `dry`, nothing sent;
 * - row already `sent` (the same job id again) → nothing sent;
 * - client-side limit reached, or WeCom says 45009/45033 → the job is moved to delayed and retried
 *   later without spending an attempt (BullMQ's `DelayedError` pattern);
 * - transient failure (-1, timeout, network, HTTP 5xx) → thrown, BullMQ retries with backoff; the
 *   last attempt marks the row `failed` with the reason;
 * - permanent failure (e.g. 81013, 60020, 40008) → row `failed` with errcode/errmsg and
 *   `UnrecoverableError` (no retry).
 */
export function createSendMessageProcessor(deps: SendMessageDeps): Processor<OutboundRequest, SendJobResult> {
  const rateLimitedDelayMs = deps.rateLimitedDelayMs ?? 60_000;
  const maxStarts = deps.maxStarts ?? 200;
  const outcome = (o: SendOutcome, m: OutboundRequest['method']) => deps.onOutcome?.(o, m);

  return async (job: Job<OutboundRequest, SendJobResult>, token?: string): Promise<SendJobResult> => {
    const req = job.data;
    const log = deps.log.child({ jobId: req.jobId, method: req.method });
    const { db, api } = deps;

    if (!api) {
      await recordOutboxDry(db, req.jobId, req.method, req.body);
      log.info('no WeCom credentials: outbound request written to the outbox as dry');
      outcome('dry', req.method);
      return { status: 'dry' };
    }

    const existing = await getOutbox(db, req.jobId);
    if (existing?.status === 'sent') {
      log.info('already sent; not sending again');
      outcome('duplicate', req.method);
      return { status: 'duplicate', result: existing.result };
    }
    await upsertOutboxQueued(db, req.jobId, req.method, req.body);

    const delay = async (waitMs: number, why: string): Promise<never> => {
      if (job.attemptsStarted > maxStarts) {
        const msg = `gave up after ${job.attemptsStarted} starts (${why})`;
        await markOutboxFailed(db, req.jobId, 45009, msg);
        outcome('failed', req.method);
        throw new UnrecoverableError(msg);
      }
      log.info({ waitMs, why }, 'send delayed');
      outcome('delayed', req.method);
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    };

    const scopes = scopesForRequest(req, api.agentId, deps.limits);
    const wait = await reserveSendSlot(deps.redis, deps.prefix, scopes, deps.clock.now().getTime(), req.jobId);
    if (wait > 0) return delay(wait, 'client-side rate limit');

    await countOutboxAttempt(db, req.jobId);
    let result: unknown;
    try {
      result = await perform(api, req);
    } catch (err) {
      const kind = classifyError(err);
      const errcode = err instanceof WecomApiError ? err.errcode : -1;
      const errmsg = err instanceof WecomApiError ? err.errmsg : err instanceof Error ? err.message : String(err);
      if (kind === 'rate_limit') {
        await noteOutboxError(db, req.jobId, errcode, errmsg);
        return delay(rateLimitedDelayMs, `wecom errcode ${errcode}`);
      }
      if (kind === 'permanent') {
        await markOutboxFailed(db, req.jobId, errcode, errmsg);
        log.warn({ errcode, errmsg }, 'send failed permanently');
        outcome('failed', req.method);
        throw new UnrecoverableError(`${req.method} errcode ${errcode}: ${errmsg}`);
      }
      // transient (or a token error that survived one refresh): BullMQ retries with backoff.
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        await markOutboxFailed(db, req.jobId, errcode, `${errmsg} (after ${attempts} attempts)`);
        log.warn({ errcode, errmsg, attempts }, 'send failed after the last attempt');
        outcome('failed', req.method);
      } else {
        await noteOutboxError(db, req.jobId, errcode, errmsg);
        outcome('retry', req.method);
      }
      throw err;
    }
    await markOutboxSent(db, req.jobId, result);
    log.info('sent');
    outcome('sent', req.method);
    return { status: 'sent', result };
  };
}

async function perform(api: WecomApi, req: OutboundRequest): Promise<unknown> {
  switch (req.method) {
    case 'message/send':
      return api.sendMessage(req.body);
    case 'message/update_template_card':
      return api.updateTemplateCard(req.body);
    case 'webhook/send':
      return api.webhookSend(req.webhookKey, req.body);
    case 'kf/send_msg':
      // A msgid unique per account makes a retry after a lost answer fail instead of sending twice.
      return api.kfSendMsg({ msgid: kfMsgId(req.jobId), ...req.body });
    case 'kf/send_msg_on_event':
      return api.kfSendMsgOnEvent({ msgid: kfMsgId(req.jobId), ...req.body });
    case 'aibot/response':
      return api.aibotResponse(req.url, req.body);
    default: {
      const never: never = req;
      throw new UnrecoverableError(`unknown outbound method ${(never as { method: string }).method}`);
    }
  }
}

/** A 微信客服 msgid (≤ 32 bytes of `[0-9a-zA-Z_-]`) derived from the job id. */
export function kfMsgId(jobId: string): string {
  if (/^[0-9a-zA-Z_-]{1,32}$/.test(jobId)) return jobId;
  return createHash('sha256').update(jobId).digest('base64url').slice(0, 32);
}

/**
 * Maps a request's job id to an id BullMQ accepts. BullMQ 6 rejects ids that are only digits and
 * ids containing `:` unless they have exactly three `:`-separated parts (its legacy repeat-job format).
 * `%` and `:` are percent-encoded and an all-digit id gets a `%N` prefix, so the mapping is one-to-one
 * and readable ids stay unchanged.
 */
export function toBullJobId(jobId: string): string {
  const encoded = jobId.replace(/%/g, '%25').replace(/:/g, '%3A');
  return `${parseInt(encoded, 10)}` === encoded ? `%N${encoded}` : encoded;
}

/**
 * The OutboundPort bin/ hands to the bot: adds one `send-message` job per request, with the
 * request's `jobId` as the job id (the same id twice → one job) and SEND_JOB_OPTIONS.
 * `overrides` is for tests (e.g. a shorter backoff).
 */
export function createOutboundPort(queue: Queue<OutboundRequest>, overrides: Partial<JobsOptions> = {}): OutboundPort {
  return {
    async enqueue(req: OutboundRequest): Promise<void> {
      if (!req.jobId) throw new Error('OutboundRequest.jobId is required (it is the idempotency key)');
      await (queue as Queue).add(req.method, req, { ...SEND_JOB_OPTIONS, ...overrides, jobId: toBullJobId(req.jobId) });
    },
  };
}
