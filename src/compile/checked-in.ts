import { join, relative } from 'node:path';
import type { PrepareSettings } from '../translate/prepare.js';
import { stemOf } from '../detections/load.js';
import { packageRoot } from '../paths.js';
import { compileDirectory } from './compile.js';
import { sqlFileText } from './sql-file.js';

/** Where the checked-in SQL of the shipped detections lives, relative to the package root. */
export const CHECKED_IN_DIR = join('sql', 'detections');

export const REGENERATE = 'Generated from the compiler by `npm run sql:update`; do not edit.';

/**
 * The Athena SQL files of every shipped detection (detections/), as `npm run sql:update`
 * writes them: path relative to the package root → text. The caller passes hunt's own defaults
 * (`loadConfig(undefined, {})`, config/hunt.yaml), never a user's configuration. A shipped detection that does not compile
 * is an error: the checked-in SQL must cover all of them.
 */
export function checkedInSql(config: PrepareSettings): Map<string, string> {
  const root = packageRoot();
  const out = new Map<string, string>();
  for (const o of compileDirectory(join(root, 'detections'), config, { dialect: 'athena' })) {
    if (!o.detection || !o.translation) throw new Error(`${relative(root, o.file)} does not compile: ${o.error ?? ''}`);
    const file = relative(root, o.file);
    out.set(
      join(CHECKED_IN_DIR, `${stemOf(o.file)}.sql`),
      sqlFileText(o.detection, o.translation, { file, note: REGENERATE }),
    );
  }
  return out;
}
