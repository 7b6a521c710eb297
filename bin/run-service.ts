import { loadConfig, ConfigError } from '../lib/config.js';
import { createLogger } from '../lib/log.js';
import { RedisServerMissingError } from '../lib/redis-server.js';
import { openInfra } from './infra.js';
import { compose, resolveCredentials } from './compose.js';

/**
 * Boots a service process: `all` (web + worker, what `npm start` runs), `web` or `worker`.
 * Shutdown on SIGINT/SIGTERM: HTTP → workers → queues → Redis → database, in that order.
 */
export async function runService(role: 'all' | 'web' | 'worker'): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let infra;
  try {
    infra = await openInfra(config, log);
  } catch (err) {
    if (err instanceof RedisServerMissingError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error(`Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  const credentials = resolveCredentials(config);
  const runtime = await compose(config, infra, log, credentials, { web: role !== 'worker', worker: role !== 'web' });

  const address = runtime.server?.address();
  const port = address && typeof address === 'object' ? address.port : undefined;
  log.info({ role, port, database: infra.describe.database, redis: infra.describe.redis }, 'service started');
  if (credentials.dev && role !== 'worker') {
    const c = credentials.creds;
    console.log(
      [
        '',
        'No WECOM_* credentials set: running with development credentials (outbound messages go to the outbox as "dry").',
        `  kept in ${credentials.file}${credentials.created ? ' (new)' : ''}`,
        `  corp id ${c.corpId}, agent id ${c.appAgentId}`,
        `  AI bot callback  http://127.0.0.1:${port}/wecom/aibot  token ${c.aibotToken}  EncodingAESKey ${c.aibotAesKey}`,
        `  app callback     http://127.0.0.1:${port}/wecom/app    token ${c.appToken}  EncodingAESKey ${c.appAesKey}`,
        '  Try it:  npm run cli -- say "帮助"      or  npm run cli -- chat',
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    await runtime.close();
    await infra.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
