import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { WecomCredentials } from './config.js';

function randomAesKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(43), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Development credentials: generated once and kept in `<dataDir>/dev-credentials.json`, so the local
 * simulator (`npm run cli -- say`) and the running service agree. Never used when WECOM_* are set.
 */
export function loadOrCreateDevCredentials(dataDir: string): { creds: WecomCredentials; created: boolean; file: string } {
  const file = path.join(dataDir, 'dev-credentials.json');
  try {
    const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as WecomCredentials;
    if (creds.corpId && creds.aibotAesKey?.length === 43 && creds.appAesKey?.length === 43) return { creds, created: false, file };
  } catch {
    /* create below */
  }
  const creds: WecomCredentials = {
    corpId: `wwdev${randomBytes(6).toString('hex')}`,
    aibotToken: randomBytes(12).toString('hex'),
    aibotAesKey: randomAesKey(),
    appToken: randomBytes(12).toString('hex'),
    appAesKey: randomAesKey(),
    appAgentId: 1000002,
    appSecret: randomBytes(16).toString('hex'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return { creds, created: true, file };
}
