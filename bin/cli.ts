// `npm run cli -- <command>`: the simulator and admin commands. Works while `npm start` runs: it talks to
// the running service over HTTP, or to the same embedded database through its local socket.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../lib/config.js';
import { createLogger } from '../lib/log.js';
import { RedisServerMissingError } from '../lib/redis-server.js';
import { resolveCredentials } from './compose.js';
import { say, chat } from './commands/say.js';
import { openInfra, type Infra } from './infra.js';
import { extraCommands } from './commands/index.js';

const USAGE = `用法 / usage: npm run cli -- <command>
  say "<text>" [--channel aibot|app] [--group CHATID] [--user USERID] [--url http://127.0.0.1:3000]
  chat [--channel aibot|app] [--group CHATID] [--user USERID]
${extraCommands.map((c) => `  ${c.usage}`).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (command === 'say' || command === 'chat') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        channel: { type: 'string', default: 'aibot' },
        group: { type: 'string' },
        user: { type: 'string' },
        url: { type: 'string' },
      },
    });
    if (values.channel !== 'aibot' && values.channel !== 'app') {
      console.error('--channel must be aibot or app');
      return 2;
    }
    const args = {
      baseUrl: values.url ?? `http://127.0.0.1:${config.port}`,
      creds: resolveCredentials(config).creds,
      channel: values.channel,
      group: values.group,
      user: values.user,
    } as const;
    if (command === 'chat') {
      await chat(args);
      return 0;
    }
    const text = positionals.join(' ');
    console.log(await say(text, args));
    return 0;
  }
  const extra = extraCommands.find((c) => c.matches(command, rest));
  if (!extra) {
    console.error(USAGE);
    return command ? 2 : 0;
  }
  const log = createLogger(process.env.CLI_LOG_LEVEL ?? 'warn');
  let infra: Infra | undefined;
  try {
    if (extra.needsInfra) infra = await openInfra(config, log);
    return await extra.run({ config, log, infra, args: rest, print: (s) => console.log(s) });
  } finally {
    await infra?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof RedisServerMissingError) console.error(err.message);
    else console.error(err.message);
    process.exit(1);
  },
);
