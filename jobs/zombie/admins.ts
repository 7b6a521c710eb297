import type { Queryable } from '../../db/groups/sql.js';
import { listDbAdmins } from '../../db/groups/groups.js';

/**
 * Who may decide: WECOM_ADMIN_USERIDS (every region) plus the group_admins table (a region, or '*').
 * Loaded once per use; cheap (a handful of rows).
 */
export interface AdminDirectory {
  isAdmin(userId: string): boolean;
  /** Admins of a region, config admins first, de-duplicated, sorted for stable recipients. */
  adminsFor(region: string): string[];
  /** A region an admin is responsible for (their first non-'*' region), else undefined. */
  regionOf(userId: string): string | undefined;
}

export async function loadAdmins(db: Queryable, configAdmins: readonly string[]): Promise<AdminDirectory> {
  const rows = await listDbAdmins(db);
  const all = new Set([...configAdmins, ...rows.map((r) => r.userId)]);
  return {
    isAdmin: (u) => all.has(u),
    adminsFor(region) {
      const set = new Set<string>(configAdmins);
      for (const r of rows) if (r.region === '*' || r.region === region) set.add(r.userId);
      return [...set].sort();
    },
    regionOf(u) {
      return rows.find((r) => r.userId === u && r.region !== '*')?.region;
    },
  };
}
