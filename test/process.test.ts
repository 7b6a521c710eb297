import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../lib/redis-server.js';
import { spawnTs, runTs, waitForOutput, cleanEnv } from './support/process.js';
import { startEmbeddedDb } from '../db/embedded.js';
import { connectDb } from '../db/client.js';

// `npm start` with no configuration, and the CLI used while it runs, as real processes.
describe('npm start with no configuration', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jjb-start-'));
  let service: ChildProcess | undefined;
  afterAll(() => {
    service?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on embedded defaults, serves the CLI against the same database, and stops cleanly', async () => {
    const port = String(await freePort());
    const env = cleanEnv({ DATA_DIR: dataDir, PORT: port, LOG_LEVEL: 'info' });
    service = spawnTs('bin/start.ts', [], env);
    const banner = await waitForOutput(service, /Try it:/);
    expect(banner).toContain('development credentials');
    expect(fs.existsSync(path.join(dataDir, 'dev-credentials.json'))).toBe(true);

    const said = await runTs('bin/cli.ts', ['say', '帮助'], env);
    expect(said.code).toBe(0);
    expect(said.stdout).toContain('基层减负助手');
    const inGroup = await runTs('bin/cli.ts', ['say', '帮助', '--group', 'wrTEST', '--channel', 'aibot'], env);
    expect(inGroup.stdout).toContain('证明事项');

    // A CLI command that opens the database while the service holds it: it must share, not corrupt.
    const status = await runTs('bin/cli.ts', ['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('served by the running process');
    expect(status.stdout).toMatch(/收到的消息：2/);

    const exited = new Promise<number | null>((resolve) => service!.once('exit', (code) => resolve(code)));
    const stopped = waitForOutput(service, /"msg":"stopped"/);
    service.kill('SIGTERM');
    await stopped;
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'db', 'server.json'))).toBe(false);

    // The data survived: the CLI alone now opens the embedded database itself.
    const after = await runTs('bin/cli.ts', ['status'], env);
    expect(after.stdout).toMatch(/收到的消息：2/);
  }, 120_000);

  it('says in one line how to get redis-server when it is missing, without a stack trace', async () => {
    const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), 'nobin-'));
    const res = await runTs('bin/start.ts', [], { PATH: emptyBin, HOME: os.tmpdir(), DATA_DIR: path.join(dataDir, 'x'), PORT: '0' });
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/redis-server is not installed.*REDIS_URL/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('catalog export / import / template through the CLI: a new version, audited; a bad file changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jjb-cat-'));
    const env = cleanEnv({ DATA_DIR: path.join(dir, 'data'), PORT: '1' });
    const exported = await runTs('bin/cli.ts', ['catalog', 'export', '--format', 'yaml', '--out', path.join(dir, 'yaml')], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('已导出版本 #1');
    const tpl = await runTs('bin/cli.ts', ['catalog', 'template', '--out', path.join(dir, 't.xlsx')], env);
    expect(tpl.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 't.xlsx'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'items:\n  - id: C01\n    listId: no-such-list\n');
    const bad = await runTs('bin/cli.ts', ['catalog', 'import', path.join(dir, 'bad.yaml')], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('数据库未做任何修改');
    const ok = await runTs('bin/cli.ts', ['catalog', 'import', path.join(dir, 'yaml')], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('新版本 #2');
    // The import is in the audit log (opened directly: no service holds the database now).
    const embedded = await startEmbeddedDb(path.join(dir, 'data', 'db'));
    const h = connectDb(embedded.url);
    const audit = await h.pool.query(`select action, detail->>'versionId' as v from audit_log where action = 'catalog.import'`);
    await h.close();
    await embedded.stop();
    expect(audit.rows).toEqual([{ action: 'catalog.import', v: '2' }]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
