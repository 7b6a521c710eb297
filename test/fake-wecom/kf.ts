import { randomBytes } from 'node:crypto';
import { err, ok, isRecord, FAKE_ERRCODES, type FakeCall, type FakeAnswer } from './types.js';

/** A message or event in the 微信客服 stream, as kf/sync_msg returns it. */
export type KfStreamItem = Record<string, unknown> & { msgid: string; send_time: number; origin: number; msgtype: string };

/** A message the bot sent through kf/send_msg or kf/send_msg_on_event. */
export interface KfSent {
  api: 'send_msg' | 'send_msg_on_event';
  msgid: string;
  open_kfid: string;
  external_userid: string;
  body: Record<string, unknown>;
  at: number;
}

interface Session {
  /** 0 未处理, 1 智能助手接待, 2 排队中, 3 人工接待, 4 已结束/未开始. */
  state: number;
  servicer: string | undefined;
  /** Messages the API may still send before the resident writes again (5 per resident message). */
  quota: number;
  lastCustomerAt: number;
}

interface EventCode {
  open_kfid: string;
  external_userid: string;
  /** The session state the code is bound to (undefined for a welcome code). */
  state: number | undefined;
  expiresAt: number;
  used: boolean;
}

const KF_SEND_TYPES = new Set(['text', 'image', 'voice', 'video', 'file', 'link', 'miniprogram', 'msgmenu', 'location']);
const MSGID_RE = /^[0-9a-zA-Z_-]{1,32}$/;
const SCENE_RE = /^[0-9a-zA-Z_-]{0,32}$/;
const H48 = 48 * 3600_000;

/**
 * 微信客服 endpoints: sync_msg (cursor + has_more over what tests push), send_msg (msgid unique per
 * account, session state 0/1 only, 5 messages per resident message, 48 h window),
 * send_msg_on_event (single-use codes), service_state/get|trans, add_contact_way, account/list.
 */
export class FakeKf {
  readonly accounts = new Map<string, { name: string }>();
  readonly servicers = new Set<string>();
  /** Everything pushed into the stream, in order. */
  readonly stream: KfStreamItem[] = [];
  readonly sent: KfSent[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly cursors = new Map<string, number>();
  private readonly usedMsgIds = new Map<string, Set<string>>();
  private readonly codes = new Map<string, EventCode>();
  private readonly contactWays = new Map<string, string>(); // kfc id → open_kfid
  private emptyPages = 0;

  constructor(private readonly now: () => number) {}

  addAccount(openKfid: string, name = '村务服务'): void {
    this.accounts.set(openKfid, { name });
  }

  /** A cadre who may be named in service_state/trans to state 3. */
  addServicer(userid: string): void {
    this.servicers.add(userid);
  }

  /** Appends a raw item to the stream (tests of unusual messages). */
  push(item: Omit<KfStreamItem, 'msgid' | 'send_time'> & { msgid?: string; send_time?: number }): KfStreamItem {
    const full = { ...item, msgid: item.msgid ?? newId('msg'), send_time: item.send_time ?? Math.floor(this.now() / 1000) } as KfStreamItem;
    this.stream.push(full);
    return full;
  }

  /** A resident writes: origin 3. Opens the session (state 0) if it was ended, and restores the 5-message quota. */
  pushCustomerText(openKfid: string, externalUserId: string, content: string, opts: { menuId?: string } = {}): KfStreamItem {
    if (!this.accounts.has(openKfid)) this.addAccount(openKfid);
    const s = this.session(openKfid, externalUserId);
    if (s.state === 4) {
      s.state = 0;
      s.servicer = undefined;
    }
    s.quota = 5;
    s.lastCustomerAt = this.now();
    return this.push({
      open_kfid: openKfid,
      external_userid: externalUserId,
      origin: 3,
      msgtype: 'text',
      text: opts.menuId ? { content, menu_id: opts.menuId } : { content },
    });
  }

  /** A cadre writes from the WeCom client: origin 5. */
  pushServicerText(openKfid: string, externalUserId: string, servicerUserId: string, content: string): KfStreamItem {
    return this.push({ open_kfid: openKfid, external_userid: externalUserId, servicer_userid: servicerUserId, origin: 5, msgtype: 'text', text: { content } });
  }

  /**
   * The resident opens the chat: an `enter_session` event (origin 4; ids only inside `event`).
   * A `welcome_code` (20 s, single use) is included unless `welcome: false`.
   */
  pushEnterSession(
    openKfid: string,
    externalUserId: string,
    opts: { scene?: string; sceneParam?: string; welcome?: boolean } = {},
  ): { item: KfStreamItem; welcomeCode: string | undefined } {
    if (!this.accounts.has(openKfid)) this.addAccount(openKfid);
    let welcomeCode: string | undefined;
    if (opts.welcome !== false) {
      welcomeCode = newId('wc');
      this.codes.set(welcomeCode, { open_kfid: openKfid, external_userid: externalUserId, state: undefined, expiresAt: this.now() + 20_000, used: false });
    }
    const event: Record<string, unknown> = { event_type: 'enter_session', open_kfid: openKfid, external_userid: externalUserId };
    if (opts.scene !== undefined) event.scene = opts.scene;
    if (opts.sceneParam !== undefined) event.scene_param = opts.sceneParam;
    if (welcomeCode) event.welcome_code = welcomeCode;
    return { item: this.push({ origin: 4, msgtype: 'event', event }), welcomeCode };
  }

  /**
   * A cadre ends the session in the WeCom client: state 4 and a `session_status_change` event
   * (change_type 3, with a 20-second closing msg_code) in the stream.
   */
  endSession(openKfid: string, externalUserId: string): KfStreamItem {
    const s = this.session(openKfid, externalUserId);
    const old = s.servicer ?? '';
    s.state = 4;
    s.servicer = undefined;
    const msgCode = newId('mc');
    this.codes.set(msgCode, { open_kfid: openKfid, external_userid: externalUserId, state: 4, expiresAt: this.now() + 20_000, used: false });
    return this.push({
      origin: 4,
      msgtype: 'event',
      event: { event_type: 'session_status_change', open_kfid: openKfid, external_userid: externalUserId, change_type: 3, old_servicer_userid: old, msg_code: msgCode },
    });
  }

  /** A resident scans a link from add_contact_way (with `&scene_param=` appended or not). */
  scan(url: string, externalUserId: string): { item: KfStreamItem; welcomeCode: string | undefined } {
    const u = new URL(url);
    const kfc = u.pathname.split('/').pop() ?? '';
    const openKfid = this.contactWays.get(kfc);
    if (!openKfid) throw new Error(`fake kf: unknown contact way ${kfc}`);
    const enc = u.searchParams.get('enc_scene') ?? '';
    const scene = enc ? Buffer.from(enc.replace(/^ENC/, ''), 'base64url').toString('utf8') : undefined;
    const sceneParam = u.searchParams.get('scene_param') ?? undefined;
    return this.pushEnterSession(openKfid, externalUserId, { scene, sceneParam });
  }

  /** The next `n` sync_msg calls answer an empty list with has_more = 1 (WeCom does this). */
  emptyPagesNext(n = 1): void {
    this.emptyPages += n;
  }

  sessionState(openKfid: string, externalUserId: string): { state: number; servicer: string | undefined } {
    const s = this.sessions.get(key(openKfid, externalUserId));
    return { state: s?.state ?? 4, servicer: s?.servicer };
  }

  setSessionState(openKfid: string, externalUserId: string, state: number, servicer?: string): void {
    const s = this.session(openKfid, externalUserId);
    s.state = state;
    s.servicer = servicer;
  }

  syncMsg = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    const limit = b.limit === undefined ? 1000 : Number(b.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return err(FAKE_ERRCODES.invalidParameter, 'limit must be 1..1000');
    const kfid = typeof b.open_kfid === 'string' && b.open_kfid !== '' ? b.open_kfid : undefined;
    if (kfid && !this.accounts.has(kfid)) return err(95000, 'invalid open_kfid');
    let pos = 0;
    if (typeof b.cursor === 'string' && b.cursor !== '') {
      const p = this.cursors.get(b.cursor);
      if (p === undefined) return err(FAKE_ERRCODES.invalidParameter, 'invalid cursor');
      pos = p;
    }
    const matches = (m: KfStreamItem) => !kfid || (m.open_kfid ?? (isRecord(m.event) ? m.event.open_kfid : undefined)) === kfid;
    const list: KfStreamItem[] = [];
    if (this.emptyPages > 0) {
      this.emptyPages--;
    } else {
      while (pos < this.stream.length && list.length < limit) {
        const m = this.stream[pos++]!;
        if (matches(m)) list.push(m);
      }
    }
    const hasMore = this.emptyPages > 0 || this.stream.slice(pos).some(matches);
    const next = newId('cur');
    this.cursors.set(next, pos);
    return ok({ next_cursor: next, has_more: hasMore ? 1 : 0, msg_list: list });
  };

  sendMsg = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    const kfid = String(b.open_kfid ?? '');
    const ext = String(b.touser ?? '');
    if (!this.accounts.has(kfid)) return err(95000, 'invalid open_kfid');
    if (!ext) return err(FAKE_ERRCODES.invalidParameter, 'touser required');
    const msgtype = String(b.msgtype ?? '');
    if (!KF_SEND_TYPES.has(msgtype) || !isRecord(b[msgtype])) return err(40008, 'invalid message type');
    const msgid = this.claimMsgId(kfid, b.msgid);
    if (typeof msgid !== 'string') return msgid;
    const s = this.sessions.get(key(kfid, ext));
    if (!s || this.now() - s.lastCustomerAt > H48) return err(95002, 'send time limit (48 h) passed');
    if (s.state !== 0 && s.state !== 1) return err(95018, 'send msg session status invalid');
    if (s.quota <= 0) return err(95001, 'send msg count limit');
    s.quota--;
    this.usedMsgIds.get(kfid)!.add(msgid);
    this.sent.push({ api: 'send_msg', msgid, open_kfid: kfid, external_userid: ext, body: b, at: this.now() });
    return ok({ msgid });
  };

  sendMsgOnEvent = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    const code = typeof b.code === 'string' ? this.codes.get(b.code) : undefined;
    if (!code || code.used || code.expiresAt < this.now()) return err(FAKE_ERRCODES.invalidParameter, 'invalid code (unknown, used or expired)');
    const msgtype = String(b.msgtype ?? '');
    if ((msgtype !== 'text' && msgtype !== 'msgmenu') || !isRecord(b[msgtype])) return err(40008, 'only text and msgmenu are allowed');
    if (code.state !== undefined && this.sessionState(code.open_kfid, code.external_userid).state !== code.state) {
      return err(95018, 'session is no longer in the state of this code');
    }
    const msgid = this.claimMsgId(code.open_kfid, b.msgid);
    if (typeof msgid !== 'string') return msgid;
    code.used = true;
    this.usedMsgIds.get(code.open_kfid)!.add(msgid);
    this.sent.push({ api: 'send_msg_on_event', msgid, open_kfid: code.open_kfid, external_userid: code.external_userid, body: b, at: this.now() });
    return ok({ msgid });
  };

  stateGet = (call: FakeCall): FakeAnswer => {
    const kfid = String(call.body.open_kfid ?? '');
    if (!this.accounts.has(kfid)) return err(95000, 'invalid open_kfid');
    const { state, servicer } = this.sessionState(kfid, String(call.body.external_userid ?? ''));
    return ok({ service_state: state, servicer_userid: state === 3 ? servicer : '' });
  };

  stateTrans = (call: FakeCall): FakeAnswer => {
    const b = call.body;
    const kfid = String(b.open_kfid ?? '');
    const ext = String(b.external_userid ?? '');
    if (!this.accounts.has(kfid)) return err(95000, 'invalid open_kfid');
    const to = Number(b.service_state);
    const s = this.sessions.get(key(kfid, ext));
    const from = s?.state ?? 4;
    if (from === 4) return err(95013, 'session already ended');
    const allowed: Record<number, number[]> = { 0: [1, 2, 3, 4], 1: [1, 2, 3, 4], 2: [3, 4], 3: [3, 4] };
    if (!allowed[from]?.includes(to)) return err(FAKE_ERRCODES.invalidParameter, `cannot change state ${from} → ${to}`);
    const servicer = typeof b.servicer_userid === 'string' ? b.servicer_userid : undefined;
    if (to === 3 && (!servicer || !this.servicers.has(servicer))) return err(95014, 'servicer not usable (not on duty or not activated)');
    s!.state = to;
    s!.servicer = to === 3 ? servicer : undefined;
    if (to === 2 || to === 4 || (to === 3 && from !== 3)) {
      const msgCode = newId('mc');
      this.codes.set(msgCode, { open_kfid: kfid, external_userid: ext, state: to, expiresAt: this.now() + (to === 4 ? 20_000 : H48), used: false });
      return ok({ msg_code: msgCode });
    }
    return ok();
  };

  /** `kf/account/list` `{offset?, limit?}` → `account_list[{open_kfid, name, avatar, manage_privilege}]`. */
  accountList = (call: FakeCall): FakeAnswer => {
    const offset = call.body.offset === undefined ? 0 : Number(call.body.offset);
    const limit = call.body.limit === undefined ? 100 : Number(call.body.limit);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      return err(FAKE_ERRCODES.invalidParameter, 'offset ≥ 0, limit 1..100');
    }
    const all = [...this.accounts].map(([open_kfid, a]) => ({ open_kfid, name: a.name, avatar: '', manage_privilege: true }));
    return ok({ account_list: all.slice(offset, offset + limit) });
  };

  addContactWay = (call: FakeCall): FakeAnswer => {
    const kfid = String(call.body.open_kfid ?? '');
    if (!this.accounts.has(kfid)) return err(95000, 'invalid open_kfid');
    const scene = call.body.scene === undefined ? '' : String(call.body.scene);
    if (!SCENE_RE.test(scene)) return err(FAKE_ERRCODES.invalidParameter, 'scene must be ≤ 32 bytes of [0-9a-zA-Z_-]');
    const kfc = `kfc${randomBytes(9).toString('hex')}`;
    this.contactWays.set(kfc, kfid);
    const enc = scene ? `?enc_scene=ENC${Buffer.from(scene).toString('base64url')}` : '';
    return ok({ url: `https://work.weixin.qq.com/kf/${kfc}${enc}` });
  };

  private session(openKfid: string, externalUserId: string): Session {
    const k = key(openKfid, externalUserId);
    let s = this.sessions.get(k);
    if (!s) {
      s = { state: 4, servicer: undefined, quota: 0, lastCustomerAt: 0 };
      this.sessions.set(k, s);
    }
    return s;
  }

  // Returns the msgid to use, or an error answer (bad format, already used on this account).
  private claimMsgId(kfid: string, given: unknown): string | FakeAnswer {
    if (!this.usedMsgIds.has(kfid)) this.usedMsgIds.set(kfid, new Set());
    if (given === undefined || given === '') return newId('kf');
    if (typeof given !== 'string' || !MSGID_RE.test(given)) return err(FAKE_ERRCODES.invalidParameter, 'msgid must be ≤ 32 bytes of [0-9a-zA-Z_-]');
    if (this.usedMsgIds.get(kfid)!.has(given)) return err(FAKE_ERRCODES.duplicateKfMsgId, 'msgid duplicated');
    return given;
  }
}

const key = (kfid: string, ext: string) => `${kfid}\u0000${ext}`;
const newId = (p: string) => `${p}_${randomBytes(10).toString('hex')}`;
