import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Bot } from '../bot.js';
import { CallbackCryptoError, decryptMessage, openEnvelope, sealReply, verifySignature, checkTimestamp, type ChannelKeys } from '../crypto.js';
import { CallbackRejected } from '../callback/errors.js';
import { parseAibotMessage } from '../callback/parse-aibot.js';
import { parseAppMessage } from '../callback/parse-app.js';
import { renderAibotReply } from '../callback/render-aibot.js';
import { planAppReply } from '../callback/render-app.js';
import { buildXml, parseXml, xmlString } from '../callback/xml.js';
import type { Deduper } from '../dedupe.js';
import type { BotMetrics } from '../metrics.js';
import type { OutboundPort } from '../outbound.js';
import type { Update } from '../update.js';
import { callbackQuery, readBody } from './body.js';

export interface WecomRoutesOptions {
  aibot: ChannelKeys;
  app: ChannelKeys & { agentId: number };
  bot: Bot<unknown>;
  deduper: Deduper;
  outbound: OutboundPort;
  metrics: BotMetrics;
  log: Logger;
  clock: Clock;
  maxSkewSeconds: number;
}

type ChannelName = 'aibot' | 'app';

const HINTS: Record<ChannelName, string> = {
  aibot: 'check WECOM_AIBOT_TOKEN / WECOM_AIBOT_AES_KEY (the AI bot API-mode settings)',
  app: 'check WECOM_APP_TOKEN / WECOM_APP_AES_KEY / WECOM_CORP_ID (the app 接收消息 settings)',
};

function cryptoToRejection(err: CallbackCryptoError, channel: ChannelName): CallbackRejected {
  const status = err.code === 'decrypt_failed' ? 400 : 401;
  return new CallbackRejected(status as 400 | 401, err.code, err.message, HINTS[channel]);
}

/**
 * The two WeCom callback endpoints. The route only receives: verify + decrypt → Update → dedupe →
 * handler → reply → encrypt, inside WeCom's window; slow work goes to the outbound queue.
 */
export function registerWecomRoutes(router: Router, o: WecomRoutesOptions): void {
  const keysOf = (c: ChannelName) => (c === 'aibot' ? o.aibot : o.app);

  const guard = (channel: ChannelName, fn: (ctx: Context) => Promise<void>) => async (ctx: Context) => {
    const end = o.metrics.latency.startTimer({ channel });
    try {
      await fn(ctx);
      o.metrics.callbacks.inc({ channel, outcome: ctx.state.outcome ?? 'ok' });
    } catch (e) {
      const err = e instanceof CallbackCryptoError ? cryptoToRejection(e, channel) : e;
      if (!(err instanceof CallbackRejected)) throw err;
      o.metrics.callbacks.inc({ channel, outcome: err.code });
      o.log.warn({ channel, code: err.code, reason: err.message, ...(err.hint ? { hint: err.hint } : {}) }, 'callback rejected');
      ctx.status = err.status;
      ctx.type = 'text/plain';
      ctx.body = err.status === 401 ? 'unauthorized' : err.status === 413 ? 'payload too large' : `bad request: ${err.code}`;
    } finally {
      end();
    }
  };

  // URL verification: answer the bare plaintext (no quotes, newline or BOM) within 1 s.
  const verify = (channel: ChannelName) =>
    guard(channel, async (ctx) => {
      const q = callbackQuery(ctx.querystring, true);
      const keys = keysOf(channel);
      checkTimestamp(q.timestamp, o.clock.now().getTime(), o.maxSkewSeconds);
      if (!verifySignature(keys.token, q.timestamp, q.nonce, q.echostr, q.msgSignature)) {
        throw new CallbackCryptoError('signature_mismatch', 'msg_signature does not match');
      }
      const plain = decryptMessage(keys, q.echostr);
      ctx.state.outcome = 'verified';
      ctx.type = 'text/plain';
      ctx.body = Buffer.from(plain, 'utf8');
    });

  router.get('/wecom/aibot', verify('aibot'));
  router.get('/wecom/app', verify('app'));

  router.post(
    '/wecom/aibot',
    guard('aibot', async (ctx) => {
      const q = callbackQuery(ctx.querystring, false);
      const raw = await readBody(ctx.req);
      let encrypt: unknown;
      try {
        encrypt = (JSON.parse(raw) as { encrypt?: unknown }).encrypt;
      } catch {
        throw new CallbackRejected(400, 'json_malformed', 'body is not JSON');
      }
      if (typeof encrypt !== 'string' || !encrypt) throw new CallbackRejected(400, 'no_encrypt', 'body has no "encrypt" field');
      const now = o.clock.now().getTime();
      const plain = openEnvelope(o.aibot, { ...q, encrypt }, now, o.maxSkewSeconds);
      const update = parseAibotMessage(plain, Math.floor(now / 1000));
      const reply = await handle(ctx, update, async () => renderAibotReply(update, await o.bot.handleUpdate(update)));
      if (!reply) {
        ctx.status = 200;
        ctx.body = '';
        return;
      }
      const sealed = sealReply(o.aibot, reply, String(Math.floor(o.clock.now().getTime() / 1000)), q.nonce);
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp: Number(sealed.timestamp), nonce: sealed.nonce });
    }),
  );

  router.post(
    '/wecom/app',
    guard('app', async (ctx) => {
      const q = callbackQuery(ctx.querystring, false);
      const raw = await readBody(ctx.req);
      const envelope = parseXml(raw);
      const encrypt = xmlString(envelope, 'Encrypt');
      if (!encrypt) throw new CallbackRejected(400, 'no_encrypt', 'XML has no <Encrypt> element');
      const now = o.clock.now().getTime();
      const plain = openEnvelope(o.app, { ...q, encrypt }, now, o.maxSkewSeconds);
      const update = parseAppMessage(parseXml(plain), Math.floor(now / 1000));
      const reply = await handle(ctx, update, async () => {
        const r = await o.bot.handleUpdate(update);
        const plan = planAppReply(update, r, o.app.receiveId, o.app.agentId, Math.floor(o.clock.now().getTime() / 1000));
        for (const send of plan.sends) await o.outbound.enqueue(send);
        return plan.passive;
      });
      if (!reply) {
        ctx.status = 200;
        ctx.body = '';
        return;
      }
      const ts = String(Math.floor(o.clock.now().getTime() / 1000));
      const sealed = sealReply(o.app, reply, ts, q.nonce);
      ctx.type = 'application/xml';
      ctx.body = buildXml({ Encrypt: sealed.encrypt, MsgSignature: sealed.signature, TimeStamp: Number(ts), Nonce: sealed.nonce });
    }),
  );

  async function handle(ctx: Context, update: Update, run: () => Promise<string>): Promise<string> {
    if (update.type === 'unsupported') {
      ctx.state.outcome = 'unsupported';
      o.log.info({ channel: update.channel, raw: update.raw }, 'unsupported message or event type: empty 200');
      return '';
    }
    const result = await o.deduper.run(`${update.channel}|${update.dedupeKey}`, run);
    if (result.duplicate) {
      ctx.state.outcome = 'duplicate';
      o.metrics.duplicates.inc({ channel: update.channel });
      o.log.info({ channel: update.channel, key: update.dedupeKey }, 'duplicate delivery answered from the dedupe store');
    }
    return result.reply;
  }
}
