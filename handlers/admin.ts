import { listDbAdmins } from '../db/groups/groups.js';
import type { AppDeps } from './deps.js';

/**
 * Whether `userId` may run admin commands: listed in WECOM_ADMIN_USERIDS, or in the admins table.
 * A database error counts as "no" (refusing is the safe side).
 */
export async function isAdmin(deps: Pick<AppDeps, 'config' | 'db'>, userId: string): Promise<boolean> {
  if (!userId) return false;
  if (deps.config.adminUserIds.includes(userId)) return true;
  try {
    return (await listDbAdmins(deps.db)).some((a) => a.userId === userId);
  } catch {
    return false;
  }
}

export const NOT_ADMIN_TEXT = '抱歉，这个命令只有管理员可以使用。如需开通，请联系街道党工委或系统管理员。';
