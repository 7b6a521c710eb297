/**
 * Errors from the WeCom server API and how the sender reacts to them.
 *
 * Every failure of an outbound call — a non-zero `errcode`, an HTTP error, a timeout, a network
 * error — becomes a `WecomApiError`, so callers and the outbox see one shape. Transport failures use
 * errcode `-1` (WeCom's own "system busy, retry") and say what happened in `errmsg` and `transport`.
 */

/** How a transport-level failure happened (absent when WeCom answered with an errcode). */
export type TransportFailure = 'timeout' | 'network' | 'http' | 'bad-json';

export class WecomApiError extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  /** The API method, e.g. `message/send`, `gettoken`, `webhook/send`. */
  readonly method: string;
  readonly transport: TransportFailure | undefined;
  /** HTTP status when the failure was an HTTP error status. */
  readonly httpStatus: number | undefined;

  constructor(
    method: string,
    errcode: number,
    errmsg: string,
    opts: { transport?: TransportFailure; httpStatus?: number; cause?: unknown } = {},
  ) {
    // The message never contains the URL: query strings carry the secret, token or webhook key.
    super(`${method} failed: errcode ${errcode} ${errmsg}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'WecomApiError';
    this.method = method;
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.transport = opts.transport;
    this.httpStatus = opts.httpStatus;
  }
}

/** The token is invalid/expired (40014, 42001) or rejected (40001): refresh once and retry. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 40001]);
/** Frequency (45009) or concurrency (45033) limit: wait, then retry without losing the message. */
export const RATE_LIMIT_ERRCODES: ReadonlySet<number> = new Set([45009, 45033]);
/** WeCom's "system busy" (-1): retry with backoff. */
export const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1]);

/**
 * - `token`: refresh the access token once and retry (the client does this itself);
 * - `rate_limit`: wait (≥ 60 s for minute limits) and retry, not counted as a failed attempt;
 * - `transient`: retry with exponential backoff;
 * - `permanent`: do not retry; record the errcode (e.g. 81013 no valid recipient, 60020 IP not
 *   trusted, 40008 bad msgtype).
 */
export type WecomErrorClass = 'token' | 'rate_limit' | 'transient' | 'permanent';

export function isTokenErrcode(errcode: number): boolean {
  return TOKEN_ERRCODES.has(errcode);
}
export function isRateLimitErrcode(errcode: number): boolean {
  return RATE_LIMIT_ERRCODES.has(errcode);
}
export function isTransientErrcode(errcode: number): boolean {
  return TRANSIENT_ERRCODES.has(errcode);
}

/**
 * Classifies any error thrown by the client. Errors that are not `WecomApiError` (a bug, an
 * unexpected throw in fetch) count as transient so a message is retried rather than dropped.
 * A token error from `gettoken` itself (wrong corp id or secret) is permanent: refreshing cannot fix it.
 */
export function classifyError(err: unknown): WecomErrorClass {
  if (!(err instanceof WecomApiError)) return 'transient';
  if (err.transport === 'http') {
    // 5xx and 429 are the server's trouble; another 4xx (e.g. 404 for a wrong WECOM_API_BASE) is ours.
    const s = err.httpStatus ?? 500;
    return s >= 500 || s === 429 ? 'transient' : 'permanent';
  }
  if (err.transport !== undefined) return 'transient';
  if (isRateLimitErrcode(err.errcode)) return 'rate_limit';
  if (isTransientErrcode(err.errcode)) return 'transient';
  if (err.method === 'gettoken') return 'permanent';
  if (isTokenErrcode(err.errcode)) return 'token';
  return 'permanent';
}
