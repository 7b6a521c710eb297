import type { Update } from '../update.js';
import { xmlString, type XmlObject } from './xml.js';

/**
 * Turns a decrypted self-built-app callback (XML root children, wecom-protocol.md §2, §6, §9.2) into an
 * Update. Event dedupe keys are richer than FromUserName+CreateTime (pitfall 6).
 */
export function parseAppMessage(x: XmlObject, nowSeconds: number): Update {
  const s = (k: string) => xmlString(x, k);
  const msgType = s('MsgType');
  const createTime = /^\d+$/.test(s('CreateTime')) ? Number(s('CreateTime')) : nowSeconds;
  const msgId = s('MsgId') || undefined;
  const base = {
    channel: 'app' as const,
    msgId,
    userId: s('FromUserName'),
    chatId: undefined,
    chatType: 'single' as const,
    createTime,
  };

  if (msgType === 'text') {
    return { ...base, type: 'text', dedupeKey: msgId ?? `msg|${base.userId}|${createTime}`, text: s('Content').trim(), source: 'text' };
  }
  if (msgType !== 'event') {
    return { ...base, type: 'unsupported', dedupeKey: msgId ?? `msg|${base.userId}|${createTime}|${msgType}`, raw: msgType || 'unknown' };
  }

  const event = s('Event');
  const dedupeKey = [
    'evt', base.userId, createTime, event, s('EventKey'), s('TaskId'), s('ChangeType'), s('ChatId'), s('OpenKfId'), s('Token'), s('AgentID'),
  ].join('|');
  switch (event) {
    case 'enter_agent':
      return { ...base, type: 'enter_chat', dedupeKey };
    case 'template_card_event': {
      const selectedRaw = (x.SelectedItems as XmlObject | undefined)?.SelectedItem;
      const selected = Array.isArray(selectedRaw)
        ? selectedRaw.map((it) => {
            const item = it as XmlObject;
            const ids = (item.OptionIds as XmlObject | undefined)?.OptionId;
            return { questionKey: xmlString(item, 'QuestionKey'), optionIds: Array.isArray(ids) ? ids.map(String) : [] };
          })
        : undefined;
      return {
        ...base,
        type: 'card_click',
        dedupeKey,
        eventKey: s('EventKey'),
        taskId: s('TaskId'),
        cardType: s('CardType'),
        ...(s('ResponseCode') ? { responseCode: s('ResponseCode') } : {}),
        ...(selected ? { selected } : {}),
      };
    }
    case 'change_external_chat': {
      const list = (x.MemChangeList as XmlObject | undefined)?.Item;
      return {
        ...base,
        type: 'external_chat_change',
        dedupeKey,
        externalChatId: s('ChatId'),
        changeType: s('ChangeType'),
        ...(s('UpdateDetail') ? { updateDetail: s('UpdateDetail') } : {}),
        ...(/^\d+$/.test(s('MemChangeCnt')) ? { memberChangeCount: Number(s('MemChangeCnt')) } : {}),
        ...(Array.isArray(list) ? { memberChangeList: list.map(String) } : {}),
      };
    }
    case 'kf_msg_or_event':
      return { ...base, type: 'kf_signal', dedupeKey, token: s('Token'), openKfId: s('OpenKfId') };
    default:
      return { ...base, type: 'unsupported', dedupeKey, raw: `event:${event || 'unknown'}` };
  }
}
