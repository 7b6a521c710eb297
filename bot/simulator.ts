import { randomBytes } from 'node:crypto';
import * as wecom from '@wecom/crypto';
import type { WecomCredentials } from '../lib/config.js';
import { signature, decryptMessage, randomNonce } from './crypto.js';
import { buildXml, parseXml, xmlString } from './callback/xml.js';

/**
 * Builds callbacks exactly as WeCom sends them (encrypted, signed) and opens the replies. Used by
 * `npm run cli -- say|chat`, the tests and the benchmarks.
 */
export interface SimulatedRequest {
  path: string;
  /** Query string without '?', percent-encoded. */
  query: string;
  body: string;
  contentType: string;
}

export interface SayOptions {
  channel: 'aibot' | 'app';
  text?: string;
  user?: string;
  group?: string;
  msgId?: string;
  /** Unix seconds (default now). */
  timestamp?: number;
  /** A raw decrypted message object/XML to send instead of a text message. */
  raw?: string;
}

let counter = 0;
function newMsgId(channel: 'aibot' | 'app'): string {
  counter += 1;
  return channel === 'aibot' ? `sim${Date.now().toString(36)}${randomBytes(4).toString('hex')}${counter}` : `${7_300_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(counter % 1000)}`;
}

export function aibotTextMessage(o: { text: string; user?: string; group?: string; msgId?: string; botName?: string }): string {
  return JSON.stringify({
    msgid: o.msgId ?? newMsgId('aibot'),
    aibotid: 'aibSIMULATOR',
    ...(o.group ? { chatid: o.group, chattype: 'group' } : { chattype: 'single' }),
    from: { userid: o.user ?? 'zhangsan' },
    response_url: 'http://127.0.0.1/aibot/response?response_code=SIM',
    msgtype: 'text',
    text: { content: o.group ? `@${o.botName ?? '基层减负助手'} ${o.text}` : o.text },
  });
}

export function appTextMessage(creds: WecomCredentials, o: { text: string; user?: string; msgId?: string; timestamp?: number }): string {
  return buildXml({
    ToUserName: creds.corpId,
    FromUserName: o.user ?? 'zhangsan',
    CreateTime: o.timestamp ?? Math.floor(Date.now() / 1000),
    MsgType: 'text',
    Content: o.text,
    MsgId: o.msgId ?? newMsgId('app'),
    AgentID: creds.appAgentId,
  });
}

/** Encrypts and signs `plaintext` for a channel, returning the HTTP request WeCom would make. */
export function sealCallback(creds: WecomCredentials, channel: 'aibot' | 'app', plaintext: string, timestamp = Math.floor(Date.now() / 1000), nonce = randomNonce()): SimulatedRequest {
  const aesKey = channel === 'aibot' ? creds.aibotAesKey : creds.appAesKey;
  const token = channel === 'aibot' ? creds.aibotToken : creds.appToken;
  const receiveId = channel === 'aibot' ? '' : creds.corpId;
  const encrypt = wecom.encrypt(aesKey, plaintext, receiveId, randomBytes(16));
  const sig = signature(token, String(timestamp), nonce, encrypt);
  const query = `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`;
  return channel === 'aibot'
    ? { path: '/wecom/aibot', query, body: JSON.stringify({ encrypt }), contentType: 'application/json' }
    : {
        path: '/wecom/app',
        query,
        body: buildXml({ ToUserName: creds.corpId, AgentID: String(creds.appAgentId), Encrypt: encrypt }),
        contentType: 'application/xml',
      };
}

/** A URL-verification GET as WeCom sends it (echostr percent-encoded). */
export function verificationRequest(creds: WecomCredentials, channel: 'aibot' | 'app', echo: string, timestamp = Math.floor(Date.now() / 1000)): { path: string; query: string } {
  const aesKey = channel === 'aibot' ? creds.aibotAesKey : creds.appAesKey;
  const token = channel === 'aibot' ? creds.aibotToken : creds.appToken;
  const echostr = wecom.encrypt(aesKey, echo, channel === 'aibot' ? '' : creds.corpId, randomBytes(16));
  const nonce = randomNonce();
  const sig = signature(token, String(timestamp), nonce, echostr);
  return { path: `/wecom/${channel}`, query: `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}` };
}

/** Decrypts a passive reply body (checks its signature). Returns '' for an empty body. */
export function openReply(creds: WecomCredentials, channel: 'aibot' | 'app', body: string): string {
  if (!body) return '';
  const token = channel === 'aibot' ? creds.aibotToken : creds.appToken;
  const keys = { aesKey: channel === 'aibot' ? creds.aibotAesKey : creds.appAesKey, receiveId: channel === 'aibot' ? '' : creds.corpId };
  let encrypt: string, sig: string, ts: string, nonce: string;
  if (channel === 'aibot') {
    const j = JSON.parse(body) as { encrypt: string; msgsignature: string; timestamp: number; nonce: string };
    [encrypt, sig, ts, nonce] = [j.encrypt, j.msgsignature, String(j.timestamp), j.nonce];
  } else {
    const x = parseXml(body);
    [encrypt, sig, ts, nonce] = [xmlString(x, 'Encrypt'), xmlString(x, 'MsgSignature'), xmlString(x, 'TimeStamp'), xmlString(x, 'Nonce')];
  }
  if (signature(token, ts, nonce, encrypt) !== sig) throw new Error('reply signature does not match');
  return decryptMessage(keys, encrypt);
}

/** The human-readable text of a decrypted reply (stream content, text, card title + buttons). */
export function replyText(channel: 'aibot' | 'app', plaintext: string): string {
  if (!plaintext) return '';
  if (channel === 'app') {
    const x = parseXml(plaintext);
    return xmlString(x, 'Content');
  }
  const j = JSON.parse(plaintext) as Record<string, any>;
  if (j.msgtype === 'stream') return String(j.stream?.content ?? '');
  if (j.msgtype === 'text') return String(j.text?.content ?? '');
  const card = j.template_card ?? j.template_card;
  if (card) {
    const buttons = (card.button_list ?? []).map((b: { text: string; key: string }, i: number) => `  [${i + 1}] ${b.text}`).join('\n');
    return `${card.main_title?.title ?? ''}${card.sub_title_text ? `\n${card.sub_title_text}` : ''}\n${buttons}`;
  }
  return plaintext;
}
