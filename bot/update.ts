/**
 * One Update type for every channel. The AI bot's JSON, the self-built app's XML and (later) 微信客服
 * messages are parsed into this discriminated union, so a handler is written once. Only the parsers
 * know which wire format an update came from; `channel` tells handlers where a reply will go.
 */
export type Channel = 'aibot' | 'app' | 'kf';

interface Base {
  channel: Channel;
  /** Key used to dedupe re-deliveries: the message id, or a composite key for events. */
  dedupeKey: string;
  /** WeCom message id, always a string (app MsgIds exceed 2^53). */
  msgId: string | undefined;
  /** Sender's userid (member) or external_userid (kf). */
  userId: string;
  /** Group chat id when the message came from a group; undefined in 1:1 chats. */
  chatId: string | undefined;
  chatType: 'single' | 'group';
  /** Unix seconds from WeCom when given, else the receive time. */
  createTime: number;
  /** AI bot: one-shot proactive reply URL (valid 1 h). */
  responseUrl?: string;
}

export interface TextUpdate extends Base {
  type: 'text';
  /** The text with a leading `@机器人名` stripped and whitespace trimmed. */
  text: string;
  /** How the text was produced: typed, a mixed (图文) message, or a transcribed voice message. */
  source: 'text' | 'mixed' | 'voice';
  /** Text of a quoted message, if the user quoted one. */
  quote?: string;
}

export interface CardClickUpdate extends Base {
  type: 'card_click';
  eventKey: string;
  taskId: string;
  cardType: string;
  /** App only: single-use code to update the card (72 h). */
  responseCode?: string;
  selected?: { questionKey: string; optionIds: string[] }[];
}

export interface EnterChatUpdate extends Base {
  type: 'enter_chat';
}

export interface FeedbackUpdate extends Base {
  type: 'feedback';
  feedbackId: string;
  /** 1 accurate, 2 inaccurate, 3 cancelled. */
  feedbackType: number;
  content?: string;
  reasons?: number[];
}

export interface ExternalChatChangeUpdate extends Base {
  type: 'external_chat_change';
  externalChatId: string;
  changeType: 'create' | 'update' | 'dismiss' | string;
  updateDetail?: string;
  memberChangeCount?: number;
  memberChangeList?: string[];
}

export interface KfSignalUpdate extends Base {
  type: 'kf_signal';
  /** Short-lived token for kf/sync_msg (10 min). */
  token: string;
  openKfId: string;
}

export interface OtherUpdate extends Base {
  type: 'unsupported';
  /** The raw msgtype / event name, for logs. */
  raw: string;
}

export type Update =
  | TextUpdate
  | CardClickUpdate
  | EnterChatUpdate
  | FeedbackUpdate
  | ExternalChatChangeUpdate
  | KfSignalUpdate
  | OtherUpdate;

export type UpdateType = Update['type'];
