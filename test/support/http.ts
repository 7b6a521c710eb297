import type { WecomCredentials } from '../../lib/config.js';
import { sealCallback, type SimulatedRequest } from '../../bot/simulator.js';

export interface RawResponse {
  status: number;
  body: string;
  contentType: string | null;
}

export async function post(base: string, req: SimulatedRequest): Promise<RawResponse> {
  const res = await fetch(`${base}${req.path}?${req.query}`, { method: 'POST', headers: { 'content-type': req.contentType }, body: req.body });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

export async function get(base: string, path: string, query: string): Promise<RawResponse> {
  const res = await fetch(`${base}${path}?${query}`);
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

/** POSTs an arbitrary body with a valid signature over `encrypt` (for malformed-body tests). */
export async function postRaw(base: string, path: string, query: string, body: string | Uint8Array, contentType = 'application/json'): Promise<RawResponse> {
  const res = await fetch(`${base}${path}?${query}`, { method: "POST", headers: { "content-type": contentType }, body: body as BodyInit });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

export function sealed(creds: WecomCredentials, channel: 'aibot' | 'app', plaintext: string, timestamp?: number): SimulatedRequest {
  return sealCallback(creds, channel, plaintext, timestamp);
}
