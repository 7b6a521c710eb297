import { Counter, Histogram, Registry, Gauge, collectDefaultMetrics } from 'prom-client';

export interface BotMetrics {
  registry: Registry;
  callbacks: Counter<'channel' | 'outcome'>;
  latency: Histogram<'channel'>;
  duplicates: Counter<'channel'>;
  outbound: Gauge<'method' | 'status'>;
  /** Extra counters capabilities may add (e.g. kf send failures). */
  counter(name: string, help: string, labels?: string[]): Counter<string>;
}

/**
 * Prometheus metrics for one process. `outboundCounts` is read at scrape time (from the outbox table),
 * so sends made by a separate worker process still show up on the web process's /metrics.
 */
export function createMetrics(outboundCounts?: () => Promise<{ method: string; status: string; n: number }[]>): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counters = new Map<string, Counter<string>>();
  return {
    registry,
    callbacks: new Counter({ name: 'wecom_callbacks_total', help: 'Callbacks by channel and outcome', labelNames: ['channel', 'outcome'], registers: [registry] }),
    latency: new Histogram({
      name: 'wecom_callback_duration_seconds',
      help: 'Callback handling time',
      labelNames: ['channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    duplicates: new Counter({ name: 'wecom_duplicates_dropped_total', help: 'Re-deliveries answered from the dedupe store', labelNames: ['channel'], registers: [registry] }),
    outbound: new Gauge({
      name: 'wecom_outbound_sends',
      help: 'Outbound WeCom calls by method and result (from the outbox)',
      labelNames: ['method', 'status'],
      registers: [registry],
      async collect() {
        if (!outboundCounts) return;
        this.reset();
        try {
          for (const r of await outboundCounts()) this.set({ method: r.method, status: r.status }, r.n);
        } catch {
          /* database unavailable: leave empty */
        }
      },
    }),
    counter(name, help, labels = []) {
      let c = counters.get(name);
      if (!c) {
        c = new Counter({ name, help, labelNames: labels, registers: [registry] });
        counters.set(name, c);
      }
      return c;
    },
  };
}
