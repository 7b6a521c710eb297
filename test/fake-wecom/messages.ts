import { randomBytes } from 'node:crypto';
import { err, ok, isRecord, FAKE_ERRCODES, type FakeCall, type FakeAnswer } from './types.js';

const APP_MSGTYPES = new Set([
  'text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown', 'miniprogram_notice', 'template_card',
]);
const WEBHOOK_MSGTYPES = new Set(['text', 'markdown', 'markdown_v2', 'image', 'news', 'file', 'voice', 'template_card']);
const INTERACTIVE_CARDS = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

/** A message/send WeCom accepted and delivered (duplicates suppressed by the duplicate check are not here). */
export interface DeliveredAppMessage {
  msgid: string;
  agentid: number;
  /** Valid recipients (lower-cased). */
  touser: string[];
  msgtype: string;
  body: Record<string, unknown>;
  responseCode: string | undefined;
  at: number;
}

export interface WebhookMessage {
  key: string;
  msgtype: string;
  body: Record<string, unknown>;
  at: number;
}

export interface CardUpdate {
  responseCode: string;
  body: Record<string, unknown>;
  at: number;
}

/** State and handlers for message/send, message/update_template_card and webhook/send. */
export class FakeMessages {
  readonly delivered: DeliveredAppMessage[] = [];
  readonly webhookMessages: WebhookMessage[] = [];
  readonly cardUpdates: CardUpdate[] = [];
  /** response_code → expiry (epoch ms) and whether it was used. */
  private readonly responseCodes = new Map<string, { expiresAt: number; used: boolean }>();
  private readonly webhookTimes = new Map<string, number[]>();

  constructor(
    private readonly opts: {
      /** When set, other userids are reported in `invaliduser`; all invalid → 81013. */
      knownUsers: Set<string> | undefined;
      webhookPerMinute: number;
      /** Webhook keys that answer 93000 (robot removed). */
      deadWebhookKeys: Set<string>;
    },
  ) {}

  send = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    if (typeof b.agentid !== 'number' && typeof b.agentid !== 'string') return err(40056, 'invalid agentid');
    if (Number(b.agentid) !== call.app?.agentId) return err(301002, 'not allow operate another agent with this accesstoken');
    const msgtype = b.msgtype;
    if (typeof msgtype !== 'string' || !APP_MSGTYPES.has(msgtype)) return err(40008, 'invalid message type');
    const content = b[msgtype];
    if (!isRecord(content)) return err(40008, `missing ${msgtype} object`);
    if ((msgtype === 'text' || msgtype === 'markdown') && (typeof content.content !== 'string' || content.content === '')) {
      return err(44004, 'empty content');
    }
    if (typeof b.touser !== 'string' && typeof b.toparty !== 'string' && typeof b.totag !== 'string') {
      return err(40031, 'invalid user list: touser, toparty or totag required');
    }
    const users = typeof b.touser === 'string' ? b.touser.split('|').map((u) => u.trim().toLowerCase()).filter(Boolean) : [];
    const known = this.opts.knownUsers;
    const valid = known && !users.includes('@all') ? users.filter((u) => known.has(u)) : users;
    const invalid = users.filter((u) => !valid.includes(u));
    if (valid.length === 0 && typeof b.toparty !== 'string' && typeof b.totag !== 'string') {
      return err(81013, 'user & party & tag all invalid');
    }
    let responseCode: string | undefined;
    if (msgtype === 'template_card') {
      const card = content as Record<string, unknown>;
      if (INTERACTIVE_CARDS.has(String(card.card_type)) || card.action_menu !== undefined) {
        responseCode = `rc_${randomBytes(12).toString('hex')}`;
        this.responseCodes.set(responseCode, { expiresAt: call.now + 72 * 3600_000, used: false });
      }
    }
    const msgid = `msg_${randomBytes(10).toString('hex')}`;
    if (!this.isDuplicate(b, call.now)) {
      this.delivered.push({ msgid, agentid: Number(b.agentid), touser: valid, msgtype, body: b, responseCode, at: call.now });
    }
    return ok({
      invaliduser: invalid.join('|'),
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid,
      ...(responseCode ? { response_code: responseCode } : {}),
    });
  };

  updateTemplateCard = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    if (Number(b.agentid) !== call.app?.agentId) return err(301002, 'not allow operate another agent with this accesstoken');
    const code = b.response_code;
    const entry = typeof code === 'string' ? this.responseCodes.get(code) : undefined;
    if (typeof code !== 'string' || !entry || entry.used || entry.expiresAt < call.now) {
      return err(FAKE_ERRCODES.invalidParameter, 'invalid response_code (unknown, used or expired)');
    }
    if (!isRecord(b.button) && !isRecord(b.template_card)) return err(FAKE_ERRCODES.invalidParameter, 'button or template_card required');
    entry.used = true;
    this.cardUpdates.push({ responseCode: code, body: b, at: call.now });
    return ok({ invaliduser: [] });
  };

  /** Issues a response_code as the template_card_event callback would (for tests of card updates). */
  issueResponseCode(now: number): string {
    const code = `rc_${randomBytes(12).toString('hex')}`;
    this.responseCodes.set(code, { expiresAt: now + 72 * 3600_000, used: false });
    return code;
  }

  /** AI-bot response_url: one use per response_code; markdown or template_card. */
  aibotResponse = (call: FakeCall): FakeAnswer => {
    const code = call.query.get('response_code') ?? '';
    if (!code) return err(40058, 'missing response_code');
    if (this.usedResponseCodes.has(code)) return err(40058, 'response_code already used');
    const msgtype = call.body.msgtype;
    if (msgtype !== 'markdown' && msgtype !== 'template_card') return err(40008, 'invalid message type');
    this.usedResponseCodes.add(code);
    this.aibotResponses.push({ code, msgtype, body: call.body, at: call.now });
    return ok();
  };

  readonly usedResponseCodes = new Set<string>();
  readonly aibotResponses: { code: string; msgtype: string; body: Record<string, unknown>; at: number }[] = [];

  webhookSend = (call: FakeCall): FakeAnswer => {
    const key = call.query.get('key') ?? '';
    if (!/^[\w-]+$/.test(key) || this.opts.deadWebhookKeys.has(key)) return err(93000, 'invalid webhook url');
    const times = (this.webhookTimes.get(key) ?? []).filter((t) => t > call.now - 60_000);
    this.webhookTimes.set(key, times);
    if (times.length >= this.opts.webhookPerMinute) return err(45009, 'api freq out of limit');
    const msgtype = call.body.msgtype;
    if (typeof msgtype !== 'string' || !WEBHOOK_MSGTYPES.has(msgtype)) return err(40008, 'invalid message type');
    const content = call.body[msgtype];
    if (!isRecord(content)) return err(40008, `missing ${msgtype} object`);
    if ((msgtype === 'text' || msgtype === 'markdown' || msgtype === 'markdown_v2') && !content.content) return err(44004, 'empty content');
    times.push(call.now);
    this.webhookMessages.push({ key, msgtype, body: call.body, at: call.now });
    return ok();
  };

  // enable_duplicate_check: the same content to the same recipients within the interval is not delivered again.
  private isDuplicate(b: Record<string, unknown>, now: number): boolean {
    if (Number(b.enable_duplicate_check) !== 1) return false;
    const interval = Math.min(Number(b.duplicate_check_interval ?? 1800) || 1800, 14_400) * 1000;
    const fingerprint = dupKey(b);
    return this.delivered.some((m) => m.at > now - interval && Number(m.body.enable_duplicate_check) === 1 && dupKey(m.body) === fingerprint);
  }
}

function dupKey(b: Record<string, unknown>): string {
  const { touser, toparty, totag, msgtype, agentid } = b;
  return JSON.stringify([agentid, touser, toparty, totag, msgtype, b[String(msgtype)]]);
}
