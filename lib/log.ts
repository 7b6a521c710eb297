import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger factory. Secrets are redacted by key name wherever they appear in a log object,
 * so a careless `log.info({ config })` cannot leak a token or an AES key.
 */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          '*.secret', '*.token', '*.aesKey', '*.access_token', '*.appSecret', '*.aibotToken', '*.appToken',
          '*.aibotAesKey', '*.appAesKey', '*.corpsecret', '*.apiToken', '*.authorization', 'config.wecom',
          'wecom', '*.password', '*.key',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
