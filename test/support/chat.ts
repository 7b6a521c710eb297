import { randomBytes } from 'node:crypto';
import { aibotTextMessage, appTextMessage, openReply, sealCallback } from '../../bot/simulator.js';
import { TEST_CREDS } from './service.js';
import { post } from './http.js';

/** Sends text as WeCom would (encrypted, signed) and returns the decrypted reply object/XML. */
export async function askAibot(base: string, text: string, o: { user?: string; group?: string } = {}): Promise<any> {
  const msg = aibotTextMessage({ text, msgId: `t${randomBytes(6).toString('hex')}`, ...o });
  const res = await post(base, sealCallback(TEST_CREDS, 'aibot', msg));
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body}`);
  const plain = openReply(TEST_CREDS, 'aibot', res.body);
  return plain ? JSON.parse(plain) : undefined;
}

/** The text content of an AI bot stream reply. */
export async function askAibotText(base: string, text: string, o: { user?: string; group?: string } = {}): Promise<string> {
  const r = await askAibot(base, text, o);
  return r?.msgtype === 'stream' ? String(r.stream.content) : JSON.stringify(r);
}

export async function askApp(base: string, text: string, user = 'zhangsan'): Promise<string> {
  const res = await post(base, sealCallback(TEST_CREDS, 'app', appTextMessage(TEST_CREDS, { text, user })));
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body}`);
  const xml = openReply(TEST_CREDS, 'app', res.body);
  const m = /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml);
  return m ? m[1]! : '';
}

/** Sends a raw AI-bot event/message object (encrypted) and returns the decrypted reply. */
export async function sendAibotRaw(base: string, obj: Record<string, unknown>): Promise<any> {
  const res = await post(base, sealCallback(TEST_CREDS, 'aibot', JSON.stringify(obj)));
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body}`);
  const plain = openReply(TEST_CREDS, 'aibot', res.body);
  return plain ? JSON.parse(plain) : undefined;
}
