import type { IncomingMessage } from 'node:http';
import { CallbackRejected } from '../callback/errors.js';

/** Largest callback body accepted (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body as strict UTF-8, refusing more than `limit` bytes (413) and invalid UTF-8 (400).
 * Bounded in time by the server's requestTimeout.
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new CallbackRejected(413, 'body_too_large', `body of ${declared} bytes exceeds ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new CallbackRejected(413, 'body_too_large', `body exceeds ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new CallbackRejected(400, 'not_utf8', 'body is not valid UTF-8');
  }
}

/**
 * Parses a query string decoding each value exactly once with decodeURIComponent, so a raw '+' in
 * base64 stays '+' (URLSearchParams would turn it into a space — wecom-protocol.md pitfall 1).
 */
export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out[decodeURIComponent(k)] = decodeURIComponent(v);
    } catch {
      throw new CallbackRejected(400, 'bad_query', `query parameter ${k} is not valid percent-encoding`);
    }
  }
  return out;
}

/** The signed query of a callback; 400 when a part is missing. */
export function callbackQuery(search: string, withEchostr: boolean): { msgSignature: string; timestamp: string; nonce: string; echostr: string } {
  const q = parseQuery(search);
  const need = ['msg_signature', 'timestamp', 'nonce', ...(withEchostr ? ['echostr'] : [])];
  const missing = need.filter((k) => !q[k]);
  if (missing.length) throw new CallbackRejected(400, 'missing_query', `missing query parameter(s): ${missing.join(', ')}`);
  return { msgSignature: q.msg_signature!, timestamp: q.timestamp!, nonce: q.nonce!, echostr: q.echostr ?? '' };
}
