import { describe, it, expect } from 'vitest';
import * as wecom from '@wecom/crypto';
import { checkTimestamp, decryptMessage, openEnvelope, sealReply, signature, verifySignature, CallbackCryptoError } from '../bot/crypto.js';
import { parseQuery } from '../bot/http/body.js';

// The constructed test vector of wecom-protocol.md §1.7.
const V = {
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  token: 'QDG6eK',
  timestamp: '1409659813',
  nonce: '1372623149',
  receiveId: 'ww1234567890abcdef',
  msg: '<xml><ToUserName><![CDATA[ww1234567890abcdef]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>7300000000000000001</MsgId><AgentID>1000002</AgentID></xml>',
  encrypt:
    'f6cZ+BbKh9OoBpd9WPcZwsUuIRIzm1SITjQeV1+hzwHnOZM+UlDMt4VzEceKGgvy5hyqvwWh+D2JgbTKqWaS1ulRtpuBRpBun4CNOCZ5jHIPOU7umKdi18bo3X80dELIWvgq1AcLZnGF5Hl4hxgXo7gHaXJ/c/zrKRuCgK+mpvuM+Czi42heB0YVQJTci93GXmQWK7QOyaeRQCAaPgFeFjHvQBsjY18sxrn0xLAPjh9KI9XKzh1HHkH/qLR1pzmNJ8wwUBwsaptdt/1t9H9xPkrMdS++brM4YM7CmFogrfRmLiSYE6eNqWT5yZszIyK1np5FHwKy4ubgagMWSw3oZGNejw4yorWEznU42FV+l0s4pci3B6+zptGOEWQ5YizoLAdzBiwEsqNX61ET1EpiOL8QQATEXqSyA1DsAa2/c+4=',
  signature: 'cf9ddea53944b2d0633dbca6862306ce88f6b5d2',
  echostr: 'f6cZ+BbKh9OoBpd9WPcZwqFPsybnsrqia0wD4ABJnT7H+jI9Bil8/d+VXToJArk4Akflv+eiTpWHZKt0HwdO+Q==',
  echoWire: 'f6cZ%2BBbKh9OoBpd9WPcZwqFPsybnsrqia0wD4ABJnT7H%2BjI9Bil8%2Fd%2BVXToJArk4Akflv%2BeiTpWHZKt0HwdO%2BQ%3D%3D',
  echoSignature: '9d999232d06141ae5fcb258d8463c2bb6165fd2c',
};
const NOW = 1409659813 * 1000;

describe('callback crypto (protocol test vector)', () => {
  it('computes the documented signature and decrypts the documented message', () => {
    expect(signature(V.token, V.timestamp, V.nonce, V.encrypt)).toBe(V.signature);
    expect(verifySignature(V.token, V.timestamp, V.nonce, V.encrypt, V.signature)).toBe(true);
    expect(decryptMessage({ aesKey: V.aesKey, receiveId: V.receiveId }, V.encrypt)).toBe(V.msg);
  });

  it('opens the percent-encoded echostr of the URL check (+ / = survive one decoding)', () => {
    const q = parseQuery(`msg_signature=${V.echoSignature}&timestamp=${V.timestamp}&nonce=${V.nonce}&echostr=${V.echoWire}`);
    expect(q.echostr).toBe(V.echostr);
    expect(verifySignature(V.token, q.timestamp!, q.nonce!, q.echostr!, q.msg_signature!)).toBe(true);
    expect(decryptMessage({ aesKey: V.aesKey, receiveId: V.receiveId }, q.echostr!)).toBe('6347210571338410958');
  });

  it('keeps a raw + in the query (no form decoding to a space)', () => {
    expect(parseQuery('echostr=a+b%2Bc').echostr).toBe('a+b+c');
  });

  it('rejects a wrong signature, a foreign receiveid and a stale timestamp with distinct codes', () => {
    const keys = { token: V.token, aesKey: V.aesKey, receiveId: V.receiveId };
    const q = { msgSignature: V.signature, timestamp: V.timestamp, nonce: V.nonce, encrypt: V.encrypt };
    expect(openEnvelope(keys, q, NOW, 3600)).toBe(V.msg);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CallbackCryptoError).code;
      }
      return 'none';
    };
    expect(code(() => openEnvelope(keys, { ...q, msgSignature: 'a'.repeat(40) }, NOW, 3600))).toBe('signature_mismatch');
    expect(code(() => openEnvelope(keys, { ...q, msgSignature: 'short' }, NOW, 3600))).toBe('signature_mismatch');
    expect(code(() => openEnvelope({ ...keys, receiveId: '' }, q, NOW, 3600))).toBe('receiveid_mismatch');
    expect(code(() => openEnvelope(keys, q, NOW + 3601_000, 3600))).toBe('stale_timestamp');
    expect(code(() => checkTimestamp('abc', NOW, 10))).toBe('bad_timestamp');
    expect(code(() => decryptMessage(keys, ''))).toBe('decrypt_failed');
    expect(code(() => decryptMessage(keys, 'bm90IGEgYmxvY2s='))).toBe('decrypt_failed');
  });

  it('seals replies with a fresh random prefix each time, decryptable and correctly signed', () => {
    const keys = { token: V.token, aesKey: V.aesKey, receiveId: '' };
    const a = sealReply(keys, '{"x":1}', '100', 'n1');
    const b = sealReply(keys, '{"x":1}', '100', 'n1');
    expect(a.encrypt).not.toBe(b.encrypt);
    expect(a.signature).toBe(signature(V.token, '100', 'n1', a.encrypt));
    expect(wecom.decrypt(V.aesKey, a.encrypt)).toMatchObject({ message: '{"x":1}', id: '' });
  });
});
