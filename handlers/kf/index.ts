// 微信客服 for residents: callback → kf-sync job (jobs/kf-sync.ts) → this conversation.
export { registerKfHandlers, kfSyncJobId } from './register.js';
export { createKfConversation, type KfConversationDeps, type KfHandledResult } from './conversation.js';
export { handOver, type HandoverApi } from './handover.js';
export { registerKfMetrics } from './metrics.js';
export * from './replies.js';
