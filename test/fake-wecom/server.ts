/**
 * A fake WeCom server API on 127.0.0.1 — real HTTP, behaving like `qyapi.weixin.qq.com` closely
 * enough for our client, jobs and local trials. Point `WECOM_API_BASE` (or `WecomApi.baseUrl`) at `url`.
 *
 * ```ts
 * const fake = await startFakeWecom({ corpId: 'wwcorp', secret: 's3cret', agentId: 1000002 });
 * // … run code with baseUrl = fake.url …
 * fake.requests                        // every request: { method, httpMethod, query (no corpsecret), body, answer, at }
 * fake.callsTo('message/send')         // the same, one method
 * fake.failNext('message/send', 45009) // the next call answers errcode 45009 (times = 1)
 * fake.failNext('gettoken', -1, 3)     // the next 3 gettoken calls answer -1
 * fake.httpErrorNext('message/send', 502)  // HTTP 502 once
 * fake.stallNext('message/send', 2000) // answer (and act) only after 2 s — the client should time out first
 * fake.setTokenTtl(2); fake.expireTokens() // tokens issued later live 2 s; all issued tokens are expired now (42001)
 * fake.messages.delivered              // app messages actually delivered (duplicate-checked), with response_code
 * fake.messages.webhookMessages        // webhook posts accepted (20/min per key, then 45009)
 * fake.messages.cardUpdates            // update_template_card calls accepted
 * fake.groups.load([...])              // customer groups for externalcontact/groupchat/list|get
 * fake.kf.pushCustomerText(kfid, ext, '你好') / pushEnterSession / scan(url, ext) / sent / sessionState
 * await fake.close()
 * ```
 *
 * Endpoints (all `POST` JSON with `?access_token=` except where noted):
 * - `GET gettoken?corpid=&corpsecret=` → `{access_token, expires_in}`; wrong corp id 40013, wrong secret 40001.
 *   Tokens expire after the TTL (42001); unknown tokens 40014; missing 41001; a token of another app → 301002.
 * - `message/send`: checks agentid (40056/301002), msgtype (40008), empty content (44004), recipients
 *   (81013 when none valid, with `knownUsers`); returns `msgid` and, for interactive template cards,
 *   a single-use `response_code` (72 h). `enable_duplicate_check` suppresses delivery of repeats.
 * - `message/update_template_card`: needs a known, unused response_code.
 * - `webhook/send?key=` (no token): 20/min per key → 45009; `deadWebhookKeys` → 93000.
 * - `externalcontact/groupchat/list` (cursor paging, status/owner filters) and `/get` (40050 unknown chat).
 * - `kf/sync_msg`, `kf/send_msg`, `kf/send_msg_on_event`, `kf/service_state/get|trans`, `kf/add_contact_way`, `kf/account/list`
 *   (see kf.ts for the rules).
 * Unknown methods → HTTP 404. Codes the fake had to choose are listed in FAKE_ERRCODES (types.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { FakeMessages } from './messages.js';
import { FakeGroupChats } from './groupchat.js';
import { FakeKf } from './kf.js';
import { err, ok, type FakeApp, type FakeHandler, type RecordedRequest, type FakeAnswer } from './types.js';

export type { RecordedRequest, FakeApp } from './types.js';
export type { FakeGroupChat } from './groupchat.js';
export type { KfStreamItem, KfSent } from './kf.js';
export type { DeliveredAppMessage, WebhookMessage, CardUpdate } from './messages.js';
export { FAKE_ERRCODES } from './types.js';

export interface FakeWecomOptions {
  /** Default `wwfake0000000000001`. */
  corpId?: string;
  /** Secret of the main app. Default `fake-app-secret`. */
  secret?: string;
  /** Agent id of the main app. Default 1000002. */
  agentId?: number;
  /** More apps (secret → agent id), e.g. to test a token used for another app's agentid. */
  apps?: FakeApp[];
  /** Lifetime of issued tokens, seconds. Default 7200. */
  tokenTtlSeconds?: number;
  /** Webhook messages per key per minute before 45009. Default 20. */
  webhookPerMinute?: number;
  /** When set, message/send recipients outside this list are invalid (all invalid → 81013). */
  knownUsers?: string[];
  deadWebhookKeys?: string[];
  /** The fake's clock (epoch ms). Default Date.now. */
  now?: () => number;
}

export interface FakeWecom {
  /** e.g. `http://127.0.0.1:43817` — use as WECOM_API_BASE. */
  url: string;
  corpId: string;
  secret: string;
  agentId: number;
  requests: RecordedRequest[];
  callsTo(method: string): RecordedRequest[];
  /** The next `times` calls to `method` answer `{errcode, errmsg}` without acting. */
  failNext(method: string, errcode: number, times?: number, errmsg?: string): void;
  /** The next `times` calls to `method` answer with this HTTP status. */
  httpErrorNext(method: string, status: number, times?: number): void;
  /** The next `times` calls to `method` are answered (and acted on) only after `ms`. */
  stallNext(method: string, ms: number, times?: number): void;
  /** Lifetime of tokens issued from now on. */
  setTokenTtl(seconds: number): void;
  /** Expires every token issued so far (their next use answers 42001). */
  expireTokens(): void;
  messages: FakeMessages;
  groups: FakeGroupChats;
  kf: FakeKf;
  close(): Promise<void>;
}

type Injection = { kind: 'errcode'; errcode: number; errmsg: string } | { kind: 'http'; status: number } | { kind: 'stall'; ms: number };

const NO_TOKEN = new Set(['gettoken', 'webhook/send', 'aibot/response']);

export async function startFakeWecom(opts: FakeWecomOptions = {}): Promise<FakeWecom> {
  const now = opts.now ?? Date.now;
  const corpId = opts.corpId ?? 'wwfake0000000000001';
  const mainApp: FakeApp = { secret: opts.secret ?? 'fake-app-secret', agentId: opts.agentId ?? 1000002 };
  const apps = [mainApp, ...(opts.apps ?? [])];
  let tokenTtl = opts.tokenTtlSeconds ?? 7200;
  const tokens = new Map<string, { app: FakeApp; expiresAt: number }>();
  const injections = new Map<string, Injection[]>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const messages = new FakeMessages({
    knownUsers: opts.knownUsers ? new Set(opts.knownUsers.map((u) => u.toLowerCase())) : undefined,
    webhookPerMinute: opts.webhookPerMinute ?? 20,
    deadWebhookKeys: new Set(opts.deadWebhookKeys ?? []),
  });
  const groups = new FakeGroupChats();
  const kf = new FakeKf(now);

  const gettoken: FakeHandler = (call) => {
    if (call.query.get('corpid') !== corpId) return err(40013, 'invalid corpid');
    const app = apps.find((a) => a.secret === call.query.get('corpsecret'));
    if (!app) return err(40001, 'invalid secret');
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { app, expiresAt: call.now + tokenTtl * 1000 });
    return ok({ access_token: token, expires_in: tokenTtl });
  };

  const routes: Record<string, FakeHandler> = {
    gettoken,
    'message/send': messages.send,
    'message/update_template_card': messages.updateTemplateCard,
    'webhook/send': messages.webhookSend,
    'aibot/response': messages.aibotResponse,
    'externalcontact/groupchat/list': groups.list,
    'externalcontact/groupchat/get': groups.get,
    'kf/sync_msg': kf.syncMsg,
    'kf/send_msg': kf.sendMsg,
    'kf/send_msg_on_event': kf.sendMsgOnEvent,
    'kf/service_state/get': kf.stateGet,
    'kf/service_state/trans': kf.stateTrans,
    'kf/add_contact_way': kf.addContactWay,
    'kf/account/list': kf.accountList,
  };

  const answer = (query: URLSearchParams, method: string, handler: FakeHandler, body: unknown): FakeAnswer => {
    const t = now();
    let app: FakeApp | undefined;
    if (!NO_TOKEN.has(method)) {
      const token = query.get('access_token');
      if (!token) return err(41001, 'access_token missing');
      const entry = tokens.get(token);
      if (!entry) return err(40014, 'invalid access_token');
      if (entry.expiresAt <= t) return err(42001, 'access_token expired');
      app = entry.app;
    }
    if (method !== 'gettoken' && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return err(47001, 'data format error');
    }
    return handler({ query, body: (body ?? {}) as Record<string, unknown>, app, now: t });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 2 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const method = u.pathname.replace(/^\/cgi-bin\//, '');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const query = Object.fromEntries([...u.searchParams].filter(([k]) => k !== 'corpsecret'));
      const rec: RecordedRequest = { method, httpMethod: req.method ?? 'GET', query, body, answer: undefined, at: now() };
      requests.push(rec);
      const send = (status: number, payload: unknown) => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(payload));
      };
      const handler = u.pathname.startsWith('/cgi-bin/') ? routes[method] : undefined;
      if (!handler) return send(404, { errcode: 404, errmsg: `fake wecom: no such method ${method}` });
      const inj = injections.get(method)?.shift();
      const act = () => {
        if (raw && body === undefined) return send(200, (rec.answer = err(47001, 'data format error')));
        send(200, (rec.answer = answer(u.searchParams, method, handler, body)));
      };
      if (inj?.kind === 'errcode') return send(200, (rec.answer = err(inj.errcode, inj.errmsg)));
      if (inj?.kind === 'http') return send(inj.status, { error: `fake HTTP ${inj.status}` });
      if (inj?.kind === 'stall') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          act();
        }, inj.ms);
        timers.add(timer);
        return;
      }
      act();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const inject = (method: string, inj: Injection, times: number) => {
    const list = injections.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(inj);
    injections.set(method, list);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    corpId,
    secret: mainApp.secret,
    agentId: mainApp.agentId,
    requests,
    callsTo: (method) => requests.filter((r) => r.method === method),
    failNext: (method, errcode, times = 1, errmsg = `fake error ${errcode}`) => inject(method, { kind: 'errcode', errcode, errmsg }, times),
    httpErrorNext: (method, status, times = 1) => inject(method, { kind: 'http', status }, times),
    stallNext: (method, ms, times = 1) => inject(method, { kind: 'stall', ms }, times),
    setTokenTtl: (seconds) => {
      tokenTtl = seconds;
    },
    expireTokens: () => {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    messages,
    groups,
    kf,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
