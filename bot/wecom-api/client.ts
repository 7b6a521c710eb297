import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/log.js';
import { WecomApiError, isTokenErrcode } from './errors.js';
import { fetchWecomJson, type FetchFn, type WecomResponse } from './fetch-json.js';
import { TokenCache } from './token-cache.js';

export type { WecomResponse, FetchFn };

export interface WecomApiOptions {
  /** WECOM_API_BASE, e.g. `https://qyapi.weixin.qq.com` (tests: the fake server's URL). */
  baseUrl: string;
  corpId: string;
  /** The self-built app's secret (WECOM_APP_SECRET). Never logged. */
  secret: string;
  /** The app's agent id; filled into `message/send` and `update_template_card` bodies. */
  agentId: number;
  /** Shared Redis: the access token is cached there for every process. */
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  /** Per-request timeout, ms. Default 5 000. */
  timeoutMs?: number;
  /** Defaults to the global fetch. */
  fetch?: FetchFn;
  /** Passed to the token cache (lock and wait timings); mostly for tests. */
  token?: { lockTtlMs?: number; waitTimeoutMs?: number; pollMs?: number; refreshMarginSeconds?: number };
}

/** `message/send` answer. Partial failures still send; all recipients invalid → errcode 81013. */
export interface SendMessageResult extends WecomResponse {
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  msgid?: string;
  /** For interactive template cards: single-use code for update_template_card, valid 72 h. */
  response_code?: string;
}

type Body = Record<string, unknown>;

/**
 * The outbound WeCom server API for one self-built app: every call POSTs JSON to
 * `{baseUrl}/cgi-bin/<method>?access_token=…` with a token shared through Redis. When WeCom says the
 * token is invalid or expired (40014, 42001, 40001) the token is refreshed once and the call retried
 * once; any other failure is thrown as `WecomApiError` for the caller (the `send-message` job)
 * to classify. The client itself never sleeps or retries otherwise.
 */
export class WecomApi {
  readonly agentId: number;
  readonly tokens: TokenCache;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: FetchFn;
  private readonly log: Logger;

  constructor(opts: WecomApiOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.agentId = opts.agentId;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.log = opts.log;
    this.tokens = new TokenCache({
      baseUrl: this.baseUrl,
      corpId: opts.corpId,
      secret: opts.secret,
      redis: opts.redis,
      prefix: opts.prefix,
      log: opts.log,
      timeoutMs: this.timeoutMs,
      fetch: this.fetchFn,
      ...opts.token,
    });
  }

  /**
   * Generic token-authenticated POST, e.g. `call('message/recall', { msgid })`. Returns the JSON
   * answer (errcode 0) or throws `WecomApiError`.
   */
  async call<T extends WecomResponse = WecomResponse>(method: string, body: unknown): Promise<T> {
    const token = await this.tokens.get();
    try {
      return (await this.post(method, token, body)) as T;
    } catch (err) {
      if (!(err instanceof WecomApiError) || !isTokenErrcode(err.errcode) || err.transport) throw err;
      this.log.warn({ method, errcode: err.errcode }, 'wecom token rejected; refreshing once');
      await this.tokens.invalidate(token);
      const fresh = await this.tokens.get();
      return (await this.post(method, fresh, body)) as T;
    }
  }

  /**
   * `message/send` (text, markdown, template_card, …). Fills `agentid` and turns on WeCom's
   * duplicate check (`enable_duplicate_check: 1`, `duplicate_check_interval: 1800` s) unless the
   * body says otherwise.
   */
  sendMessage(body: Body): Promise<SendMessageResult> {
    return this.call<SendMessageResult>('message/send', {
      agentid: this.agentId,
      enable_duplicate_check: 1,
      duplicate_check_interval: 1800,
      ...body,
    });
  }

  /** `message/update_template_card` with a single-use `response_code` (72 h). Fills `agentid`. */
  updateTemplateCard(body: Body): Promise<WecomResponse & { invaliduser?: string[] }> {
    return this.call('message/update_template_card', { agentid: this.agentId, ...body });
  }

  /**
   * Group-robot webhook (`webhook/send?key=…`): no access token, 20 messages/min per key.
   * The key is a bearer secret and is never logged.
   */
  /** POSTs to an AI-bot `response_url` (one-shot, valid 1 h; no access token, no crypto). */
  async aibotResponse(url: string, body: Body): Promise<WecomResponse> {
    const started = Date.now();
    try {
      const res = await fetchWecomJson(this.fetchFn, url, 'aibot/response', { httpMethod: 'POST', body, timeoutMs: this.timeoutMs });
      this.log.debug({ method: 'aibot/response', ms: Date.now() - started }, 'wecom call ok');
      return res;
    } catch (err) {
      this.logFailure('aibot/response', err, started);
      throw err;
    }
  }

  async webhookSend(key: string, body: Body): Promise<WecomResponse> {
    const url = `${this.baseUrl}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
    const started = Date.now();
    try {
      const res = await fetchWecomJson(this.fetchFn, url, 'webhook/send', { httpMethod: 'POST', body, timeoutMs: this.timeoutMs });
      this.log.debug({ method: 'webhook/send', ms: Date.now() - started }, 'wecom call ok');
      return res;
    } catch (err) {
      this.logFailure('webhook/send', err, started);
      throw err;
    }
  }

  /** 微信客服 `kf/send_msg`: answer a resident (≤ 5 per resident message, within 48 h). */
  kfSendMsg(body: Body): Promise<WecomResponse & { msgid?: string }> {
    return this.call('kf/send_msg', body);
  }

  /** `kf/send_msg_on_event`: one message per single-use event code (welcome_code, msg_code). */
  kfSendMsgOnEvent(body: Body): Promise<WecomResponse & { msgid?: string }> {
    return this.call('kf/send_msg_on_event', body);
  }

  /** `kf/sync_msg`: `{cursor?, token?, limit?, open_kfid?}` → `{next_cursor, has_more, msg_list}`. */
  kfSyncMsg(body: Body): Promise<WecomResponse & { next_cursor?: string; has_more?: number; msg_list?: Body[] }> {
    return this.call('kf/sync_msg', body);
  }

  /** `kf/service_state/get`: `{open_kfid, external_userid}` → `{service_state, servicer_userid}`. */
  kfServiceStateGet(body: Body): Promise<WecomResponse & { service_state?: number; servicer_userid?: string }> {
    return this.call('kf/service_state/get', body);
  }

  /** `kf/service_state/trans`: `{open_kfid, external_userid, service_state, servicer_userid?}` → `{msg_code?}`. */
  kfServiceStateTrans(body: Body): Promise<WecomResponse & { msg_code?: string }> {
    return this.call('kf/service_state/trans', body);
  }

  /** `kf/add_contact_way`: `{open_kfid, scene?}` → `{url}` (append `&scene_param=` yourself, URL-encoded). */
  kfAddContactWay(body: Body): Promise<WecomResponse & { url?: string }> {
    return this.call('kf/add_contact_way', body);
  }

  /** `externalcontact/groupchat/list`: `{status_filter?, owner_filter?, cursor?, limit}` → `{group_chat_list, next_cursor}`. */
  groupchatList(body: Body): Promise<WecomResponse & { group_chat_list?: { chat_id: string; status: number }[]; next_cursor?: string }> {
    return this.call('externalcontact/groupchat/list', body);
  }

  /** `externalcontact/groupchat/get`: `{chat_id, need_name?}` → `{group_chat}`. */
  groupchatGet(body: Body): Promise<WecomResponse & { group_chat?: Body }> {
    return this.call('externalcontact/groupchat/get', body);
  }

  private async post(method: string, token: string, body: unknown): Promise<WecomResponse> {
    const url = `${this.baseUrl}/cgi-bin/${method}?access_token=${encodeURIComponent(token)}`;
    const started = Date.now();
    try {
      const res = await fetchWecomJson(this.fetchFn, url, method, { httpMethod: 'POST', body, timeoutMs: this.timeoutMs });
      this.log.debug({ method, ms: Date.now() - started }, 'wecom call ok');
      return res;
    } catch (err) {
      this.logFailure(method, err, started);
      throw err;
    }
  }

  private logFailure(method: string, err: unknown, started: number): void {
    const e = err instanceof WecomApiError ? { errcode: err.errcode, errmsg: err.errmsg, transport: err.transport } : { err: String(err) };
    this.log.info({ method, ms: Date.now() - started, ...e }, 'wecom call failed');
  }
}
