/** Time helpers for the zombie rules. Asia/Shanghai is UTC+8 all year (no DST). */
import { DAY_MS } from '../../lib/clock.js';

/** Whole days between two instants (floored, never negative). */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

/** The calendar date in Asia/Shanghai (UTC+8, no DST) as YYYY-MM-DD. */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Formats an instant as `YYYY-MM-DD HH:mm` in Asia/Shanghai, for users. */
export function shanghaiDateTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Midnight Asia/Shanghai of a YYYY-MM-DD date, as an instant. */
export function shanghaiMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
