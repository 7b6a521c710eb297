import { z } from 'zod';

/**
 * Configuration, parsed once from an environment object (default `process.env`).
 * Nothing else in the code base reads `process.env`; tests pass their own object.
 * Every variable is documented in `.env.example`.
 */

const aesKey = z
  .string()
  .regex(/^[A-Za-z0-9]{43}$/, 'must be exactly 43 letters or digits (the EncodingAESKey from the WeCom console)');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString.pipe(z.string().url().optional()),
  REDIS_URL: optionalString.pipe(z.string().url().optional()),
  WECOM_CORP_ID: optionalString,
  WECOM_AIBOT_TOKEN: optionalString,
  WECOM_AIBOT_AES_KEY: optionalString.pipe(aesKey.optional()),
  WECOM_APP_TOKEN: optionalString,
  WECOM_APP_AES_KEY: optionalString.pipe(aesKey.optional()),
  WECOM_APP_AGENT_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).optional()),
  WECOM_APP_SECRET: optionalString,
  WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
  WECOM_ADMIN_USERIDS: z
    .string()
    .default('')
    .transform((v) => v.split(/[,|\s]+/).map((s) => s.trim()).filter(Boolean)),
  DEFAULT_REGION: z.string().default('北城街道'),
  /** Sender ids of the bot itself in chat-archive exports: never counted as group activity. */
  BOT_SENDER_IDS: z
    .string()
    .default('')
    .transform((v) => v.split(/[,|\s]+/).map((s) => s.trim()).filter(Boolean)),
  API_TOKEN: optionalString,
  TZ: z.string().default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Accepted clock skew of callback timestamps, in seconds (default 3600). */
  CALLBACK_MAX_SKEW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Redis key prefix for BullMQ queues and bot keys (tests use a random one). */
  REDIS_PREFIX: z.string().default('jjb'),
  /** Trust X-Forwarded-For (only behind a reverse proxy that sets it), for per-IP limits. */
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false', '']).default('0').transform((v) => v === '1' || v === 'true'),
  /** Public base URL of this service (for QR codes and links), e.g. https://bot.example.gov.cn */
  PUBLIC_BASE_URL: optionalString,
});

export type Env = Record<string, string | undefined>;

export interface WecomCredentials {
  corpId: string;
  aibotToken: string;
  aibotAesKey: string;
  appToken: string;
  appAesKey: string;
  appAgentId: number;
  appSecret: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  wecomApiBase: string;
  /** Credentials given by the environment; undefined when none are set (development mode). */
  wecom: WecomCredentials | undefined;
  adminUserIds: string[];
  defaultRegion: string;
  botSenderIds: string[];
  apiToken: string | undefined;
  tz: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  callbackMaxSkewSeconds: number;
  publicBaseUrl: string | undefined;
  trustProxy: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const WECOM_KEYS = [
  'WECOM_CORP_ID',
  'WECOM_AIBOT_TOKEN',
  'WECOM_AIBOT_AES_KEY',
  'WECOM_APP_TOKEN',
  'WECOM_APP_AES_KEY',
  'WECOM_APP_AGENT_ID',
  'WECOM_APP_SECRET',
] as const;

/** Parses and validates the environment. Throws ConfigError listing every invalid key. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const given = WECOM_KEYS.filter((k) => e[k] !== undefined);
  let wecom: WecomCredentials | undefined;
  if (given.length > 0) {
    const missing = WECOM_KEYS.filter((k) => e[k] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(missing.map((k) => `${k}: required when any WECOM_* credential is set`));
    }
    wecom = {
      corpId: e.WECOM_CORP_ID!,
      aibotToken: e.WECOM_AIBOT_TOKEN!,
      aibotAesKey: e.WECOM_AIBOT_AES_KEY!,
      appToken: e.WECOM_APP_TOKEN!,
      appAesKey: e.WECOM_APP_AES_KEY!,
      appAgentId: e.WECOM_APP_AGENT_ID!,
      appSecret: e.WECOM_APP_SECRET!,
    };
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    wecomApiBase: e.WECOM_API_BASE.replace(/\/+$/, ''),
    wecom,
    adminUserIds: e.WECOM_ADMIN_USERIDS,
    defaultRegion: e.DEFAULT_REGION,
    botSenderIds: e.BOT_SENDER_IDS,
    apiToken: e.API_TOKEN,
    tz: e.TZ,
    logLevel: e.LOG_LEVEL,
    callbackMaxSkewSeconds: e.CALLBACK_MAX_SKEW_SECONDS,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    trustProxy: e.TRUST_PROXY,
  };
}
