import type { OutboundRequest } from '../bot/outbound.js';

/**
 * Every job name and its payload type. Each name is its own BullMQ queue with one processor file
 * (`jobs/<name>.ts`). Add new jobs here first.
 */
export interface JobMap {
  /** One outbound WeCom call (message/send, update_template_card, webhook, kf). */
  'send-message': OutboundRequest;
}

export type JobName = keyof JobMap;

export const JOB_NAMES: JobName[] = ['send-message'];
