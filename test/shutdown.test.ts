import { describe, it, expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { startFakeWecom } from './fake-wecom/server.js';
import { startTestService, TEST_CREDS } from './support/service.js';
import { outbox } from '../db/schema/index.js';
import { connectDb } from '../db/client.js';

describe('graceful shutdown', () => {
  it('finishes an in-flight send before closing: the message is sent, not lost', async () => {
    const fake = await startFakeWecom({ corpId: TEST_CREDS.corpId, secret: TEST_CREDS.appSecret, agentId: TEST_CREDS.appAgentId });
    const svc = await startTestService({ apiBase: fake.url });
    const dbUrl = (svc.infra.db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    try {
      fake.stallNext('message/send', 1500);
      await svc.runtime.outbound.enqueue({ method: 'message/send', jobId: 'shutdown-1', body: { touser: 'lisi', msgtype: 'text', text: { content: '关停前的消息' } } });
      // Wait until WeCom has the request in hand (the job is running)…
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && !fake.requests.some((r) => r.method === 'message/send')) await new Promise((r) => setTimeout(r, 20));
      expect(fake.requests.some((r) => r.method === 'message/send')).toBe(true);
      // …then shut down (HTTP → workers → queues): the worker waits for the job.
      await svc.runtime.close();
      const check = connectDb(dbUrl);
      const [row] = await check.db.select().from(outbox).where(eq(outbox.jobId, 'shutdown-1'));
      await check.close();
      expect(row?.status).toBe('sent');
      expect(fake.messages.delivered).toHaveLength(1);
    } finally {
      await svc.infra.close();
      await fake.close();
    }
  }, 30_000);
});
