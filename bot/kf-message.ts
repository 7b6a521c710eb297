/**
 * 微信客服 messages as `kf/sync_msg` returns them (protocol doc §9.3), normalised into one shape.
 * For events WeCom puts `open_kfid` / `external_userid` inside `event`, not at the top level; the
 * parser lifts them so handlers never have to care. Dispatch on `msgtype` / `event_type`, not on
 * `origin` (implementers report origin 0 on enter_session).
 */

/** 3 = the resident (WeChat user), 4 = system event, 5 = a servicer in the WeCom client. */
export type KfOrigin = number;

export interface KfEventBody {
  event_type: string;
  open_kfid?: string;
  external_userid?: string;
  scene?: string;
  scene_param?: string;
  welcome_code?: string;
  fail_msgid?: string;
  fail_type?: number;
  servicer_userid?: string;
  status?: number;
  change_type?: number;
  old_servicer_userid?: string;
  new_servicer_userid?: string;
  msg_code?: string;
  [k: string]: unknown;
}

export interface KfMsg {
  msgId: string;
  openKfId: string;
  /** The resident (`wm…`); '' for events without one (e.g. servicer_status_change). */
  externalUserId: string;
  /** Unix seconds. */
  sendTime: number;
  origin: KfOrigin;
  msgType: string;
  /** Text content (msgtype text), '' otherwise. */
  text: string;
  /** Set when the text is the reply produced by tapping a msgmenu `click` item. */
  menuId: string | undefined;
  servicerUserId: string | undefined;
  event: KfEventBody | undefined;
  /** The raw item (for the log table). */
  raw: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Parses one `msg_list` item; undefined when it has no usable msgid. */
export function parseKfMsg(raw: unknown, fallbackOpenKfId: string): KfMsg | undefined {
  if (!isRecord(raw)) return undefined;
  const msgId = str(raw.msgid);
  if (!msgId || msgId.length > 256) return undefined;
  const msgType = str(raw.msgtype) || 'unknown';
  const ev = msgType === 'event' && isRecord(raw.event) ? (raw.event as KfEventBody) : undefined;
  const body = isRecord(raw[msgType]) ? (raw[msgType] as Record<string, unknown>) : {};
  const sendTime = Number(raw.send_time);
  return {
    msgId,
    openKfId: str(raw.open_kfid) || str(ev?.open_kfid) || fallbackOpenKfId,
    externalUserId: str(raw.external_userid) || str(ev?.external_userid),
    sendTime: Number.isFinite(sendTime) ? sendTime : 0,
    origin: Number(raw.origin) || 0,
    msgType,
    text: msgType === 'text' ? str(body.content) : '',
    menuId: msgType === 'text' && str(body.menu_id) ? str(body.menu_id) : undefined,
    servicerUserId: str(raw.servicer_userid) || undefined,
    event: ev ? { ...ev, event_type: str(ev.event_type) } : undefined,
    raw,
  };
}
