/** Shared pieces of the fake WeCom server (see server.ts for the public API). */

/** One HTTP request the fake received. The gettoken `corpsecret` is removed from `query`. */
export interface RecordedRequest {
  /** The API method: the path after `/cgi-bin/`, e.g. `gettoken`, `message/send`, `kf/sync_msg`. */
  method: string;
  httpMethod: string;
  query: Record<string, string>;
  /** Parsed JSON body (undefined for GET or an unparsable body). */
  body: unknown;
  /** What the fake answered (HTTP 200 JSON), or undefined when it stalled or sent an HTTP error. */
  answer: Record<string, unknown> | undefined;
  /** Epoch ms (the fake's clock). */
  at: number;
}

/** The app a token belongs to. */
export interface FakeApp {
  agentId: number;
  secret: string;
}

/** What a method handler receives. */
export interface FakeCall {
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The app of the access token (undefined for gettoken and webhook/send). */
  app: FakeApp | undefined;
  now: number;
}

export type FakeAnswer = Record<string, unknown>;
export type FakeHandler = (call: FakeCall) => FakeAnswer;

/** An error answer. */
export function err(errcode: number, errmsg: string): FakeAnswer {
  return { errcode, errmsg };
}

/** `{errcode: 0, errmsg: 'ok', ...fields}`. */
export function ok(fields: Record<string, unknown> = {}): FakeAnswer {
  return { errcode: 0, errmsg: 'ok', ...fields };
}

/**
 * Error codes the fake uses where the real one is not documented in the pages we read. Real
 * codes (40014, 42001, 45009, 81013, 95000, 95001, 95002, 95013, 95014, 95018, …) are used as is.
 */
export const FAKE_ERRCODES = {
  /** A malformed or unknown parameter (cursor, limit, scene, code…): WeCom's generic 40058. */
  invalidParameter: 40058,
  /** kf/send_msg with a msgid already used on that account (the real code was not found). */
  duplicateKfMsgId: 40058,
} as const;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
