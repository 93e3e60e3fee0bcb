/**
 * SQL kept in files under the package's `sql/` (reports). Read at runtime relative to the
 * package root — found from this module's own location, so it works from src/ (tsx, vitest) and
 * from dist/ alike — and cached, as the files do not change while hunt runs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';

const cache = new Map<string, Promise<string>>();

/** The text of `sql/<relative>`, e.g. `reports/risk.sql`. */
export function sqlFileText(relative: string): Promise<string> {
  let text = cache.get(relative);
  if (!text) {
    text = readFile(join(packageRoot(), 'sql', relative), 'utf8');
    // a failed read is not cached: the next call tries again
    text.catch(() => cache.delete(relative));
    cache.set(relative, text);
  }
  return text;
}
