import readline from 'node:readline';
import type { WecomCredentials } from '../../lib/config.js';
import { aibotTextMessage, appTextMessage, openReply, replyText, sealCallback } from '../../bot/simulator.js';

export interface SayArgs {
  baseUrl: string;
  creds: WecomCredentials;
  channel: 'aibot' | 'app';
  group?: string | undefined;
  user?: string | undefined;
}

/**
 * Acts exactly like WeCom: encrypts and signs a callback with the configured credentials, posts it to
 * the running server, decrypts and returns the reply text.
 */
export async function say(text: string, a: SayArgs): Promise<string> {
  const plaintext =
    a.channel === 'aibot'
      ? aibotTextMessage({ text, user: a.user, group: a.group })
      : appTextMessage(a.creds, { text, user: a.user });
  const req = sealCallback(a.creds, a.channel, plaintext);
  let res: Response;
  try {
    res = await fetch(`${a.baseUrl}${req.path}?${req.query}`, {
      method: 'POST',
      headers: { 'content-type': req.contentType },
      body: req.body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`Could not reach the service at ${a.baseUrl} (${(err as Error).message}). Is "npm start" running?`);
  }
  const body = await res.text();
  if (res.status !== 200) throw new Error(`The service answered HTTP ${res.status}: ${body}`);
  const reply = replyText(a.channel, openReply(a.creds, a.channel, body));
  return reply || (a.channel === 'app' ? '（没有被动回复：较长的回答或卡片通过 message/send 发出，见 outbox 表）' : '（空回复）');
}

/** A REPL over say(). */
export async function chat(a: SayArgs): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '你> ' });
  console.log(`已连接 ${a.baseUrl}（${a.channel === 'aibot' ? '智能机器人' : '自建应用'}${a.group ? `，群 ${a.group}` : ''}）。输入问题，Ctrl+D 退出。`);
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text) {
      try {
        console.log(`助手> ${await say(text, a)}`);
      } catch (err) {
        console.log(`（${(err as Error).message}）`);
      }
    }
    rl.prompt();
  }
}
