/**
 * sql/detections/<stem>.sql holds the Athena SQL of every shipped detection, so reviewers see
 * what a compiler change does to real queries. This test fails when the compiler's output and
 * the files drift apart; `npm run sql:update` rewrites them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, test } from 'vitest';
import { CHECKED_IN_DIR, checkedInSql } from '../../src/compile/checked-in.js';
import { unformatSql } from '../../src/compile/format-sql.js';
import { loadCatalog } from '../../src/detections/catalog.js';
import { loadConfig } from '../../src/config/config.js';
import { macroTable, prepare } from '../../src/translate/prepare.js';

const HOW = 'run `npm run sql:update` and review the diff';
const expected = checkedInSql(loadConfig(undefined, {}));

/** What differs between the expected files and a directory: one message per file. */
function drift(want: Map<string, string>, dir: string): string[] {
  const problems: string[] = [];
  for (const [path, text] of want) {
    const abs = join(dir, path);
    if (!existsSync(abs)) problems.push(`${path} is missing: ${HOW}`);
    else if (readFileSync(abs, 'utf8') !== text) problems.push(`${path} differs from the compiler's output: ${HOW}`);
  }
  const stale = readdirSync(join(dir, CHECKED_IN_DIR)).filter(
    (f) => f.endsWith('.sql') && !want.has(join(CHECKED_IN_DIR, f)),
  );
  for (const f of stale) problems.push(`${join(CHECKED_IN_DIR, f)} belongs to no shipped detection: ${HOW}`);
  return problems;
}

/** `?` placeholders outside '...' strings and "..." identifiers. */
const placeholders = (sql: string): number =>
  (sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '').match(/\?/g) ?? []).length;

describe('checked-in SQL of the shipped detections', () => {
  test('one file per shipped detection', () => {
    expect([...expected.keys()].sort()).toEqual(
      readdirSync('detections')
        .filter((f) => f.endsWith('.yml'))
        .map((f) => join(CHECKED_IN_DIR, f.replace(/\.yml$/, '.sql')))
        .sort(),
    );
  });

  test('the files are the compiler output', () => {
    expect(drift(expected, '.'), HOW).toEqual([]);
  });

  test('the check fails on a changed, a missing and a stale file', () => {
    const [first, second] = [...expected.keys()] as [string, string];
    const tampered = new Map(expected);
    tampered.set(first, `${expected.get(first) ?? ''}-- changed\n`);
    tampered.delete(second);
    tampered.set(join(CHECKED_IN_DIR, 'no_such_detection.sql'), 'select 1\n');
    expect(drift(tampered, '.')).toEqual([
      `${first} differs from the compiler's output: ${HOW}`,
      `${join(CHECKED_IN_DIR, 'no_such_detection.sql')} is missing: ${HOW}`,
      `${second} belongs to no shipped detection: ${HOW}`,
    ]);
  });

  const trino = new TrinoSQL();
  test.each([...expected].map(([path, text]) => [path, text] as const))(
    '%s parses as Trino SQL, header included',
    (_, text) => {
      expect(trino.validate(text)).toEqual([]);
    },
  );

  test('each file is the compiler SQL with line breaks only, and names the version and every parameter slot', () => {
    const config = loadConfig(undefined, {});
    const catalog = loadCatalog('detections');
    const macros = macroTable(config, catalog.macros);
    for (const d of catalog.detections) {
      const t = prepare(d, macros, config, 'athena').translation;
      const text = expected.get(join(CHECKED_IN_DIR, d.file.replace(/^.*\//, '').replace(/\.yml$/, '.sql'))) ?? '';
      const body = text
        .split('\n')
        .filter((l) => !l.startsWith('--'))
        .join('\n')
        .trimEnd();
      expect(unformatSql(body)).toBe(t.sql);
      expect(text.startsWith(`-- ${d.name}, version ${d.version}\n`)).toBe(true);
      const slotLines = text.split('\n').filter((l) => /^-- {3}\?\d+ {2}/.test(l));
      expect(slotLines).toHaveLength(t.slots.length);
      expect(placeholders(t.sql)).toBe(t.slots.length);
    }
  });
});
