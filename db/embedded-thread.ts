// Runs PGlite and its socket server on a worker thread (started by db/embedded.ts), so the WASM
// database never blocks the HTTP event loop. Talks to the parent with two messages: the port when
// ready, and 'stopped' after a 'stop' request.
import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { servePglite } from './pglite-server.js';

const { dir } = workerData as { dir: string | undefined };
try {
  const pglite = await PGlite.create(dir ? path.join(dir, 'pgdata') : undefined);
  const server = await servePglite(pglite);
  parentPort!.on('message', (m: unknown) => {
    if (m !== 'stop') return;
    void (async () => {
      await server.stop();
      await pglite.close();
      parentPort!.postMessage({ stopped: true });
    })();
  });
  parentPort!.postMessage({ port: server.port });
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
}
