import { parseArgs } from 'node:util';
import type { CliCommand } from './index.js';
import os from 'node:os';
import { catalogExport, catalogImport, catalogTemplate } from '../../seeds/commands.js';
import { appendAudit } from '../../db/groups/audit.js';

/**
 * `catalog import <file.yaml|file.xlsx|dir>`, `catalog export --format yaml|xlsx [--out P]`,
 * `catalog template [--out P]`. An import is one transaction and a new version; running services
 * are told to reload through Redis.
 */
export const catalogCommand: CliCommand = {
  usage: 'catalog import <file.yaml|file.xlsx|dir> | catalog export --format yaml|xlsx [--out P] | catalog template [--out P]',
  needsInfra: true,
  matches: (c, rest) => c === 'catalog' && ['import', 'export', 'template'].includes(rest[0] ?? ''),
  async run({ infra, config, args, print }) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'xlsx' }, out: { type: 'string' }, note: { type: 'string' } },
    });
    const db = infra!.db.db;
    if (sub === 'template') {
      const r = await catalogTemplate(values.out);
      print(r.message);
      return r.ok ? 0 : 1;
    }
    if (sub === 'export') {
      if (values.format !== 'yaml' && values.format !== 'xlsx') {
        print('--format 只能是 yaml 或 xlsx');
        return 2;
      }
      const r = await catalogExport(db, { format: values.format, ...(values.out ? { out: values.out } : {}) });
      print(r.message);
      return r.ok ? 0 : 1;
    }
    const target = positionals[0];
    if (!target) {
      print('用法：npm run cli -- catalog import <文件.yaml|文件.xlsx|文件夹>');
      return 2;
    }
    let last = -1;
    const r = await catalogImport(db, target, {
      log: print,
      ...(values.note ? { note: values.note } : {}),
      onProgress: (done, total) => {
        const pct = total ? Math.floor((done / total) * 100) : 100;
        if (pct >= last + 10 || done === total) {
          last = pct;
          process.stderr.write(`\r进度 ${done}/${total}（${pct}%）`);
          if (done === total) process.stderr.write('\n');
        }
      },
    });
    print(r.message);
    if (r.ok && r.versionId !== undefined) {
      await appendAudit(db, [{ actor: `cli:${os.userInfo().username}`, action: 'catalog.import', detail: { file: target, versionId: r.versionId } }], new Date());
      await infra!.redis.publish(`${config.redisPrefix}:catalog-changed`, String(r.versionId)).catch(() => {
        print('（未能通知正在运行的服务；它会在重启后使用新版本）');
      });
    }
    return r.ok ? 0 : 1;
  },
};
