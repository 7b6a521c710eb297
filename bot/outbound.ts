/**
 * Outbound WeCom calls, as data. Handlers and jobs describe what to send; the `send-message` job
 * performs it through the API client (or writes it to the outbox as `dry` in development).
 * `jobId` is the idempotency key: the same id is sent at most once.
 */
export type OutboundRequest =
  | { method: 'message/send'; jobId: string; body: Record<string, unknown> }
  | { method: 'message/update_template_card'; jobId: string; body: Record<string, unknown> }
  | { method: 'webhook/send'; jobId: string; webhookKey: string; body: Record<string, unknown> }
  | { method: 'kf/send_msg'; jobId: string; body: Record<string, unknown> }
  | { method: 'kf/send_msg_on_event'; jobId: string; body: Record<string, unknown> }
  /** AI bot proactive reply through a callback's one-shot `response_url` (valid 1 h, no token). */
  | { method: 'aibot/response'; jobId: string; url: string; body: Record<string, unknown> };

/** Port through which the bot hands outbound work to the queue (wired by bin/). */
export interface OutboundPort {
  enqueue(req: OutboundRequest): Promise<void>;
}
