/**
 * Collects items and flushes them together: when `maxItems` are waiting or `maxDelayMs` after the first
 * one, whichever comes first. Used for write-behind analytics rows (one multi-row INSERT instead of one
 * per request). `close()` flushes what is left; a failed flush is reported to `onError`, never thrown.
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly flushFn: (items: T[]) => Promise<void>,
    private readonly opts: { maxItems?: number; maxDelayMs?: number; onError?: (err: unknown, count: number) => void } = {},
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= (this.opts.maxItems ?? 200)) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.maxDelayMs ?? 50);
    }
  }

  /** Writes everything waiting now; resolves when it (and earlier flushes) are done. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.items;
    this.items = [];
    if (batch.length > 0) {
      this.inflight = this.inflight.then(() =>
        this.flushFn(batch).catch((err) => this.opts.onError?.(err, batch.length)),
      );
    }
    return this.inflight;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
