import { Queue, Worker, type Processor, type WorkerOptions, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../lib/log.js';
import type { JobMap, JobName } from './job-map.js';

export type Queues = { [K in JobName]: Queue<JobMap[K]> };
export type Processors = { [K in JobName]?: Processor<JobMap[K]> };

/** Opens one queue per job name, with an `error` listener on each (an unhandled error would crash). */
export function createQueues(connection: ConnectionOptions, prefix: string, log: Logger, names: readonly JobName[]): Queues {
  const queues = {} as Record<JobName, Queue>;
  for (const name of names) {
    const q = new Queue(name, { connection, prefix });
    q.on('error', (err) => log.error({ err, queue: name }, 'queue error'));
    queues[name] = q;
  }
  return queues as unknown as Queues;
}

export interface WorkerSettings {
  concurrency?: Partial<Record<JobName, number>>;
  /** Extra options per job (e.g. a BullMQ limiter). */
  options?: Partial<Record<JobName, Partial<WorkerOptions>>>;
}

/** Starts a worker for each processor given, with error/failed listeners that log. */
export function createWorkers(
  connection: ConnectionOptions,
  prefix: string,
  processors: Processors,
  log: Logger,
  settings: WorkerSettings = {},
): Worker[] {
  const workers: Worker[] = [];
  for (const [name, processor] of Object.entries(processors) as [JobName, Processor][]) {
    if (!processor) continue;
    const w = new Worker(name, processor, {
      connection,
      prefix,
      concurrency: settings.concurrency?.[name] ?? 4,
      ...settings.options?.[name],
    });
    w.on('error', (err) => log.error({ err, queue: name }, 'worker error'));
    w.on('failed', (job, err) =>
      log.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    workers.push(w);
  }
  return workers;
}
