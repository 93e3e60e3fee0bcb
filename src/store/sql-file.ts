import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type QuerySqlToken, type ValueExpression } from 'slonik';
import type { ZodTypeAny } from 'zod';
import { packageRoot } from '../paths.js';

const cache = new Map<string, string>();

/**
 * A query kept in sql/*.sql, with `:name` placeholders bound as slonik values (never spliced).
 * The file is split at its placeholders into the template strings slonik's tag expects.
 */
export function sqlFile<Y extends ZodTypeAny>(
  relative: string,
  parser: Y,
  params: Record<string, ValueExpression>,
): QuerySqlToken<Y> {
  let text = cache.get(relative);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), 'sql', relative), 'utf8');
    cache.set(relative, text);
  }
  const strings: string[] = [];
  const values: ValueExpression[] = [];
  let last = 0;
  // `:name`, but not the `::` of a cast
  for (const m of text.matchAll(/(?<![:\w]):([a-z_][a-z0-9_]*)/g)) {
    const name = m[1] as string;
    if (!(name in params)) throw new Error(`sql/${relative}: no value for :${name}`);
    strings.push(text.slice(last, m.index));
    values.push(params[name] as ValueExpression);
    last = (m.index ?? 0) + m[0].length;
  }
  strings.push(text.slice(last));
  const template = templateOf(strings);
  return sql.type(parser)(template, ...values);
}

/** A TemplateStringsArray as a tagged template would pass it (slonik checks the shape). */
export function templateOf(strings: string[]): TemplateStringsArray {
  return Object.freeze(Object.assign([...strings], { raw: Object.freeze([...strings]) })) as unknown as TemplateStringsArray;
}
