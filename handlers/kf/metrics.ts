import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../../db/client.js';
import { kfFailureCounts } from '../../db/kf/residents.js';

/**
 * Registers `wecom_kf_failures{kind,code}` on a Prometheus registry, read from the database at scrape
 * time (so failures seen by a separate worker process show up on the web process's /metrics):
 * - kind `msg_send_fail`, code = fail_type (4 = 48 h passed, 6 = over 5 messages …);
 * - kind `send_error`, code 95001 (quota) / 95002 (48 h) / 95018 (session not with the bot);
 * - kind `cursor_rejected` / `trans_error`, code = errcode.
 * Alert when any of them grows: residents are not getting the bot's replies.
 */
export function registerKfMetrics(registry: Registry, db: Db): Gauge<'kind' | 'code'> {
  return new Gauge({
    name: 'wecom_kf_failures',
    help: '微信客服 failures by kind and code (msg_send_fail fail_type, send errcodes 95001/95002/95018, rejected cursors, hand-over errors)',
    labelNames: ['kind', 'code'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const r of await kfFailureCounts(db)) this.set({ kind: r.kind, code: String(r.code) }, r.n);
      } catch {
        /* database unavailable: leave empty */
      }
    },
  });
}
