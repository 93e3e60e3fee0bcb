// `npm run sql:update`: rewrites sql/detections/<stem>.sql, the Athena SQL of every shipped
// detection, from the compiler (test/translate/checked-in-sql.test.ts fails when they drift).
// Files of detections that are no longer shipped are removed.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKED_IN_DIR, checkedInSql } from '../src/compile/checked-in.js';
import { loadConfig } from '../src/config/config.js';
import { packageRoot } from '../src/paths.js';

const root = packageRoot();
// hunt's own defaults (config/hunt.yaml), never a user's configuration
const files = checkedInSql(loadConfig(undefined, {}));
mkdirSync(join(root, CHECKED_IN_DIR), { recursive: true });
let changed = 0;
for (const [path, text] of files) {
  const abs = join(root, path);
  let old: string | undefined;
  try {
    old = readFileSync(abs, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) continue;
  writeFileSync(abs, text);
  changed++;
  process.stdout.write(`${old === undefined ? 'added' : 'updated'} ${path}\n`);
}
for (const f of readdirSync(join(root, CHECKED_IN_DIR))) {
  const path = join(CHECKED_IN_DIR, f);
  if (f.endsWith('.sql') && !files.has(path)) {
    rmSync(join(root, path));
    changed++;
    process.stdout.write(`removed ${path}\n`);
  }
}
process.stdout.write(`${files.size} detection SQL files, ${changed} changed\n`);
