import { loadConfig, type WecomCredentials, type Env } from '../../lib/config.js';
import { silentLogger, createLogger } from '../../lib/log.js';
import type { Clock } from '../../lib/clock.js';
import { openInfra, type Infra } from '../../bin/infra.js';
import { compose, type Runtime } from '../../bin/compose.js';
import { startEmbeddedDb } from '../../db/embedded.js';
import { testPrefix, testRedisUrl } from './redis.js';

/** Fixed credentials for tests (the AES key is the protocol document's test vector key). */
export const TEST_CREDS: WecomCredentials = {
  corpId: 'ww1234567890abcdef',
  aibotToken: 'QDG6eK',
  aibotAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appToken: 'AppT0ken',
  appAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg',
  appAgentId: 1000002,
  appSecret: 'test-app-secret',
};

export interface TestService {
  url: string;
  runtime: Runtime;
  infra: Infra;
  prefix: string;
  close(): Promise<void>;
}

/**
 * The whole service as `npm start` builds it (HTTP + workers), on a fresh in-memory database, the test
 * Redis with a random prefix, and WeCom pointed at `apiBase` (a fake server) when given — otherwise in
 * development (dry) mode.
 */
export async function startTestService(o: { env?: Env; clock?: Clock; apiBase?: string; worker?: boolean; logLevel?: string } = {}): Promise<TestService> {
  const embedded = await startEmbeddedDb(undefined);
  const prefix = testPrefix();
  const wecomEnv: Env = {
    WECOM_CORP_ID: TEST_CREDS.corpId,
    WECOM_AIBOT_TOKEN: TEST_CREDS.aibotToken,
    WECOM_AIBOT_AES_KEY: TEST_CREDS.aibotAesKey,
    WECOM_APP_TOKEN: TEST_CREDS.appToken,
    WECOM_APP_AES_KEY: TEST_CREDS.appAesKey,
    WECOM_APP_AGENT_ID: String(TEST_CREDS.appAgentId),
    WECOM_APP_SECRET: TEST_CREDS.appSecret,
  };
  const config = loadConfig({
    DATABASE_URL: embedded.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    WECOM_ADMIN_USERIDS: 'admin01',
    ...wecomEnv,
    ...(o.apiBase ? { WECOM_API_BASE: o.apiBase } : {}),
    ...o.env,
  });
  const log = o.logLevel ? createLogger(o.logLevel) : silentLogger();
  const infra = await openInfra(config, log);
  // Without a fake API base the service runs "dry" (as in development) but with the fixed test credentials.
  const runtime = await compose(config, infra, log, { creds: config.wecom ?? TEST_CREDS, dev: !o.apiBase }, {
    web: true,
    worker: o.worker ?? true,
    ...(o.clock ? { clock: o.clock } : {}),
    port: 0,
  });
  const addr = runtime.server!.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    runtime,
    infra,
    prefix,
    async close() {
      await runtime.close();
      await infra.close();
      await embedded.stop();
    },
  };
}
