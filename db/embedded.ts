import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import path from 'node:path';
import { pidAlive, portOpen } from '../lib/local-service.js';

/**
 * The embedded database: PGlite (Postgres in WASM) owned by one process and served over a local
 * TCP socket, so that every process — the service, its CLI, a worker — speaks the Postgres protocol
 * to it, and none opens the data files a second time (PGlite is single-process).
 *
 * The owner writes `<dir>/server.json` with its port and pid; others read it to connect.
 * PGlite runs on a worker thread of the owner (db/embedded-thread.ts): its WASM work never blocks
 * the owner's event loop (HTTP callbacks).
 */
export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

interface ServerInfo {
  port: number;
  pid: number;
}

function infoPath(dir: string): string {
  return path.join(dir, 'server.json');
}

/** Starts PGlite on `dir` (or in memory when dir is undefined) and serves it on 127.0.0.1. */
export async function startEmbeddedDb(dir: string | undefined): Promise<EmbeddedDb> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  // The thread runs TypeScript through tsx, whatever loaded us (tsx, vitest).
  const thread = new Worker(new URL('./embedded-thread.mjs', import.meta.url), { workerData: { dir } });
  const addr = await new Promise<number>((resolve, reject) => {
    thread.once('error', reject);
    thread.once('message', (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(`embedded database failed to start: ${m.error ?? 'unknown error'}`)),
    );
  });
  thread.on('error', () => {});
  if (dir) fs.writeFileSync(infoPath(dir), JSON.stringify({ port: addr, pid: process.pid } satisfies ServerInfo));
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${addr}/postgres?sslmode=disable`,
    async stop() {
      if (dir) {
        try {
          const info = JSON.parse(fs.readFileSync(infoPath(dir), 'utf8')) as ServerInfo;
          if (info.pid === process.pid) fs.rmSync(infoPath(dir), { force: true });
        } catch {
          /* already gone */
        }
      }
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        thread.once('message', done);
        thread.once('exit', done);
        thread.postMessage('stop');
      });
      await thread.terminate();
    },
  };
}


/** The URL of an embedded database already served by another live process, if any. */
export async function findRunningEmbeddedDb(dir: string): Promise<string | undefined> {
  let info: ServerInfo;
  try {
    info = JSON.parse(fs.readFileSync(infoPath(dir), 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
  if (!pidAlive(info.pid) || !(await portOpen(info.port))) return undefined;
  return `postgres://postgres:postgres@127.0.0.1:${info.port}/postgres?sslmode=disable`;
}
