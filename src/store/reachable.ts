/**
 * Can a user (by uid and groups) get to a path? As root the embedded server runs as `postgres`,
 * which needs search (x) permission on every directory from the path up to `/`.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface UserIds {
  uid: number;
  gids: number[];
}

/**
 * The first directory from `dir` up to `/` that `ids` cannot enter, with its mode; undefined when
 * all let it through. `ids` undefined: the user does not exist yet, so it will own nothing and be
 * in none of our groups — only "other" bits count. Directories not there yet are skipped (they
 * are created with the default, enterable, mode).
 */
export function blockedDir(dir: string, ids: UserIds | undefined): { dir: string; mode: number } | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(d);
    } catch {
      if (dirname(d) === d) return undefined;
      continue;
    }
    const mode = st.mode & 0o777;
    // the kernel checks the first class that matches (owner, else group, else other), not the best
    const bit = !ids ? 0o001 : st.uid === ids.uid ? 0o100 : ids.gids.includes(st.gid) ? 0o010 : 0o001;
    const ok = mode & bit;
    if (!ok) return { dir: d, mode };
    if (dirname(d) === d) return undefined;
  }
}
