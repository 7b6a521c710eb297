import type { Config } from '../../lib/config.js';
import type { Logger } from '../../lib/log.js';
import type { Infra } from '../infra.js';
import { statusCommand } from './status.js';
import { catalogCommand } from './catalog.js';
import { groupsCliCommands } from './groups.js';
import { kfCommand } from './kf.js';

export interface CommandContext {
  config: Config;
  log: Logger;
  infra: Infra | undefined;
  /** Arguments after the command word(s). */
  args: string[];
  print(s: string): void;
}

export interface CliCommand {
  usage: string;
  /** Whether the command needs the database/Redis opened. */
  needsInfra: boolean;
  matches(command: string | undefined, rest: string[]): boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** Commands beyond say/chat; capabilities add theirs here. */
export const extraCommands: CliCommand[] = [statusCommand, catalogCommand, kfCommand, ...groupsCliCommands];
