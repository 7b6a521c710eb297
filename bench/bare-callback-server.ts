// Benchmark baseline (a): a bare koa handler that only verifies, decrypts and encrypts an AI-bot callback.
import http from 'node:http';
import Koa from 'koa';
import { openEnvelope, sealReply } from '../bot/crypto.js';
import { callbackQuery, readBody } from '../bot/http/body.js';

const creds = JSON.parse(process.argv[2] ?? '{}') as { aibotToken: string; aibotAesKey: string };
const keys = { token: creds.aibotToken, aesKey: creds.aibotAesKey, receiveId: '' };
const app = new Koa();
app.use(async (ctx) => {
  const q = callbackQuery(ctx.querystring, false);
  const { encrypt } = JSON.parse(await readBody(ctx.req)) as { encrypt: string };
  const plain = openEnvelope(keys, { ...q, encrypt }, Date.now(), 3600);
  const msg = JSON.parse(plain) as { msgid: string };
  const reply = JSON.stringify({ msgtype: 'stream', stream: { id: `s-${msg.msgid}`, finish: true, content: 'ok' } });
  const sealed = sealReply(keys, reply, String(Math.floor(Date.now() / 1000)), q.nonce);
  ctx.type = 'application/json';
  ctx.body = JSON.stringify({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp: Number(sealed.timestamp), nonce: sealed.nonce });
});
const server = http.createServer(app.callback());
server.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
