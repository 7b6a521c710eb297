import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance over TCP to many Postgres clients, safely.
 *
 * PGlite is a single session. A multiplexer that interleaves clients message by message (as
 * pglite-socket 0.2 does) lets one client's Parse/Bind/Execute run between another's, and lets a
 * client's statements run inside someone else's transaction — under load that corrupts statements and
 * can hang. Here a client holds the session from its first message until PGlite answers ReadyForQuery
 * with status 'I' (idle, outside any transaction): an extended-protocol round up to Sync, or a whole
 * transaction, runs alone. A client that disconnects while holding the session has its transaction
 * rolled back.
 */
export interface PgliteServer {
  port: number;
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

class SessionLock {
  private owner: Connection | undefined;
  private readonly waiters: { conn: Connection; resolve: () => void }[] = [];

  async acquire(conn: Connection): Promise<void> {
    if (this.owner === conn) return;
    if (!this.owner) {
      this.owner = conn;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push({ conn, resolve }));
  }

  release(conn: Connection): void {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn;
    next?.resolve();
  }

  /** Drops a connection that is waiting (it went away). */
  forget(conn: Connection): void {
    const i = this.waiters.findIndex((w) => w.conn === conn);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  holds(conn: Connection): boolean {
    return this.owner === conn;
  }
}

/** Status byte of the last ReadyForQuery ('Z') in a protocol byte stream, if any. */
function lastReadyStatus(buf: Buffer): string | undefined {
  let status: string | undefined;
  let pos = 0;
  while (pos + 5 <= buf.length) {
    const type = buf[pos]!;
    const len = buf.readInt32BE(pos + 1);
    if (len < 4) break;
    if (type === 0x5a /* Z */ && pos + 6 <= buf.length) status = String.fromCharCode(buf[pos + 5]!);
    pos += 1 + len;
  }
  return status;
}

class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly db: PGlite,
    private readonly lock: SessionLock,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.chain = this.chain.then(() => this.drain()).catch(() => {
        this.socket.destroy();
      });
    });
    socket.on('close', () => void this.onClose());
    socket.on('error', () => socket.destroy());
  }

  /** Takes complete messages off the buffer and runs them in order. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const len = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (this.buffer.length < len) return;
        const msg = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        if (code === SSL_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          this.socket.destroy();
          return;
        }
        this.started = true;
        await this.run(msg, true);
        continue;
      }
      if (this.buffer.length < 5) return;
      const len = this.buffer.readInt32BE(1) + 1;
      if (this.buffer.length < len) return;
      const msg = this.buffer.subarray(0, len);
      this.buffer = this.buffer.subarray(len);
      const type = msg[0]!;
      if (type === 0x58 /* X: Terminate */) {
        await this.finish();
        this.socket.end();
        return;
      }
      // Sync ('S') and simple Query ('Q') end a round: PGlite answers ReadyForQuery.
      await this.run(msg, type === 0x53 || type === 0x51);
    }
  }

  private async run(msg: Buffer, endsRound: boolean): Promise<void> {
    await this.lock.acquire(this);
    if (this.closed) {
      await this.finish();
      return;
    }
    const out: Buffer[] = [];
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(new Uint8Array(msg), {
        onRawData: (chunk: Uint8Array) => {
          const b = Buffer.from(chunk);
          out.push(b);
          if (!this.closed) this.socket.write(b);
        },
      }),
    );
    if (endsRound && lastReadyStatus(Buffer.concat(out)) === 'I') this.lock.release(this);
  }

  /** Leaves the session clean for the next client. */
  private async finish(): Promise<void> {
    if (!this.lock.holds(this)) {
      this.lock.forget(this);
      return;
    }
    try {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    } catch {
      /* nothing more to do */
    }
    this.lock.release(this);
  }

  private async onClose(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => {});
    await this.finish();
  }
}

export async function servePglite(db: PGlite, host = '127.0.0.1', port = 0): Promise<PgliteServer> {
  await db.waitReady;
  const lock = new SessionLock();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, db, lock);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
