import { WecomApiError } from './errors.js';

/** The fetch signature the client uses (global `fetch` by default; tests may wrap it). */
export type FetchFn = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Every WeCom answer carries these two fields; 0 means success. */
export interface WecomResponse {
  errcode: number;
  errmsg: string;
  [k: string]: unknown;
}

/**
 * One HTTP exchange with WeCom, returning the parsed JSON answer with `errcode === 0`, or throwing
 * a `WecomApiError`. `method` only names the call in errors and logs: the URL (which carries the
 * secret, token or webhook key) never appears in an error message.
 */
export async function fetchWecomJson(
  fetchFn: FetchFn,
  url: string,
  method: string,
  init: { httpMethod: 'GET' | 'POST'; body?: unknown; timeoutMs: number },
): Promise<WecomResponse> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: init.httpMethod,
      headers: init.body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new WecomApiError(method, -1, `timeout after ${init.timeoutMs} ms`, { transport: 'timeout' });
    }
    throw new WecomApiError(method, -1, `network error: ${describeNetworkError(err)}`, { transport: 'network' });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    const transport = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
    throw new WecomApiError(method, -1, `${transport} while reading the answer`, { transport });
  }
  if (!res.ok) {
    throw new WecomApiError(method, -1, `HTTP ${res.status}`, { transport: 'http', httpStatus: res.status });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WecomApiError(method, -1, 'answer is not JSON', { transport: 'bad-json' });
  }
  if (typeof json !== 'object' || json === null) {
    throw new WecomApiError(method, -1, 'answer is not a JSON object', { transport: 'bad-json' });
  }
  const out = json as Partial<WecomResponse>;
  const errcode = typeof out.errcode === 'number' ? out.errcode : 0; // gettoken and a few others may omit it on success
  const errmsg = typeof out.errmsg === 'string' ? out.errmsg : '';
  if (errcode !== 0) throw new WecomApiError(method, errcode, errmsg);
  return { ...out, errcode, errmsg } as WecomResponse;
}

/** A short reason without the URL (undici puts the cause's code, e.g. ECONNREFUSED, in `cause`). */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return cause.code;
  if (err instanceof Error) return err.message.replace(/https?:\/\/\S+/g, '<url>');
  return 'unknown';
}
