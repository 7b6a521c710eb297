import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface PreparedRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** Runs autocannon for `seconds` at fixed `connections`, cycling through prepared requests (each used once where possible). */
export async function runLoad(label: string, url: string, requests: PreparedRequest[], o: { seconds: number; connections: number }): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: o.connections,
    duration: o.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: ((req: Record<string, unknown>) => {
          const r = requests[i++ % requests.length]!;
          return { ...req, method: 'POST', path: r.path, body: r.body, headers: r.headers };
        }) as never,
      },
    ],
  });
  return {
    label,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function formatLoad(r: LoadResult): string {
  return `${r.label.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   (${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx)`;
}
