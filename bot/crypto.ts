import * as wecom from '@wecom/crypto';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeCom callback crypto (wecom-protocol.md §1), as pure functions: token, key, receiveid and the
 * clock are arguments. `@wecom/crypto` does the AES work; it checks neither the signature nor the
 * receiveid, so we do both here.
 */

/** Stable error codes, mirroring the official library's return codes (§1.8). */
export type CryptoErrorCode =
  | 'signature_mismatch' // -40001
  | 'receiveid_mismatch' // -40005
  | 'decrypt_failed' // -40007
  | 'stale_timestamp'
  | 'bad_timestamp';

export class CallbackCryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackCryptoError';
  }
}

export interface ChannelKeys {
  token: string;
  aesKey: string;
  /** '' for the AI bot, the CorpID for the self-built app. */
  receiveId: string;
}

export function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return wecom.getSignature(token, timestamp, nonce, encrypt);
}

/** Compares the expected signature with the given one in constant time. */
export function verifySignature(token: string, timestamp: string, nonce: string, encrypt: string, given: string): boolean {
  const expected = Buffer.from(signature(token, timestamp, nonce, encrypt), 'utf8');
  const actual = Buffer.from(given.toLowerCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Checks a callback timestamp (unix seconds, as a string) against `nowMs`, allowing `maxSkewSeconds`
 * either way. Throws CallbackCryptoError.
 */
export function checkTimestamp(timestamp: string, nowMs: number, maxSkewSeconds: number): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackCryptoError('bad_timestamp', 'timestamp is not a number');
  const skew = Math.abs(nowMs / 1000 - Number(timestamp));
  if (skew > maxSkewSeconds) {
    throw new CallbackCryptoError('stale_timestamp', `timestamp is ${Math.round(skew)} s away from now (max ${maxSkewSeconds} s)`);
  }
}

/** Decrypts `encrypt` and requires the trailing receiveid to be ours. Returns the plaintext message. */
export function decryptMessage(keys: Pick<ChannelKeys, 'aesKey' | 'receiveId'>, encrypt: string): string {
  let out: { message: string; id: string };
  try {
    if (encrypt.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) throw new Error('not base64');
    out = wecom.decrypt(keys.aesKey, encrypt);
  } catch (err) {
    throw new CallbackCryptoError('decrypt_failed', `could not decrypt: ${(err as Error).message}`);
  }
  if (out.id !== keys.receiveId) {
    throw new CallbackCryptoError('receiveid_mismatch', `receiveid does not match (expected ${keys.receiveId === '' ? 'empty' : 'the configured corp id'})`);
  }
  return out.message;
}

/**
 * Verifies signature (and timestamp) and decrypts: the whole inbound check in one call.
 * `encrypt` is the value exactly as received (after CDATA/JSON unwrapping, no re-encoding).
 */
export function openEnvelope(
  keys: ChannelKeys,
  q: { msgSignature: string; timestamp: string; nonce: string; encrypt: string },
  nowMs: number,
  maxSkewSeconds: number,
): string {
  checkTimestamp(q.timestamp, nowMs, maxSkewSeconds);
  if (!verifySignature(keys.token, q.timestamp, q.nonce, q.encrypt, q.msgSignature)) {
    throw new CallbackCryptoError('signature_mismatch', 'msg_signature does not match');
  }
  return decryptMessage(keys, q.encrypt);
}

export interface SealedReply {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

/** Encrypts a reply with a fresh random prefix (the IV is fixed, so never reuse it) and signs it. */
export function sealReply(keys: ChannelKeys, plaintext: string, timestamp: string, nonce: string): SealedReply {
  const encrypt = wecom.encrypt(keys.aesKey, plaintext, keys.receiveId, randomBytes(16));
  return { encrypt, signature: signature(keys.token, timestamp, nonce, encrypt), timestamp, nonce };
}

/** A random nonce of digits, as WeCom sends them. */
export function randomNonce(): string {
  return String(randomBytes(6).readUIntBE(0, 6));
}

/** A new random EncodingAESKey (43 chars of [A-Za-z0-9]) for development credentials. */
export function generateAesKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(43);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
