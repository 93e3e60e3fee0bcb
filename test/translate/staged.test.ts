/**
 * Searches with outputlookup as steps (src/translate/staged.ts): the part up to each
 * outputlookup is a query of its own, and the rest is planned from the rows it stored.
 */
import { describe, expect, test } from 'vitest';
import { translateStaged, writesLookup, type Staged } from '../../src/translate/staged.js';
import { translateSearch } from '../../src/translate/translate.js';
import { macrosWith } from '../support/hunt.js';
import { TEST_LOOKUPS } from '../support/lookups.js';

const opts = { dialect: 'duckdb' as const, macros: macrosWith(), zone: 'UTC', lookups: TEST_LOOKUPS };
const write = (s: Staged) => {
  if (s.kind !== 'write') throw new Error(`expected a step, got the final query ${s.translation.sql}`);
  return s;
};

describe('steps', () => {
  test('the query up to outputlookup, then the rest over the rows it stored', () => {
    const s = write(
      translateStaged('`cloudtrail` | stats count by userName | outputlookup counts | where count > 1', opts),
    );
    expect([s.lookup, s.append]).toEqual(['counts', false]);
    expect(s.translation.fields.map((f) => f.name)).toEqual(['userName', 'count']);
    const final = s.next({
      fields: ['userName', 'count'],
      rows: [
        ['alice', '2'],
        ['bob', '1'],
      ],
    });
    expect(final.kind).toBe('final');
    // the rest reads the rows written in: no table, and the rows as VALUES
    expect(final.translation.sql).toContain("(VALUES ('alice', '2', 1), ('bob', '1', 2))");
    expect(final.translation.sql).not.toContain('cloudtrail');
    expect(final.translation.sql).toContain('"count"');
  });

  test('the lookup written is read back by what follows, appended with append=t', () => {
    const s = write(
      translateStaged(
        '`cloudtrail` | stats count by userName | outputlookup append=t nobody | inputlookup append=t nobody | stats count',
        opts,
      ),
    );
    expect([s.lookup, s.append]).toEqual(['nobody', true]);
    const final = s.next({ fields: ['userName', 'count'], rows: [['alice', '2']] });
    // `nobody` (user, team) now also has the written fields, and the written row
    expect(final.translation.sql).toContain(
      "(VALUES (CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), 'alice', '2', 1)) as \"l",
    );
  });

  test('a subsearch first, then the search that holds it; each outputlookup a step', () => {
    let s: Staged = translateStaged(
      '`cloudtrail` [search `cloudtrail` | stats count by userName | outputlookup a | table userName] | stats count by userName | outputlookup b',
      opts,
    );
    const order: string[] = [];
    while (s.kind === 'write') {
      order.push(s.lookup);
      s = s.next({ fields: ['userName', 'count'], rows: [] });
    }
    expect(order).toEqual(['a', 'b']);
  });

  test('a search without outputlookup is one query; one planned alone says it needs steps', () => {
    expect(writesLookup('`cloudtrail` | stats count', opts)).toBe(false);
    expect(translateStaged('`cloudtrail` | stats count', opts).kind).toBe('final');
    expect(() => translateSearch('`cloudtrail` | stats count | outputlookup x', opts)).toThrow(
      /`outputlookup x` writes a lookup, which one query cannot: the search runs in steps .* \(at line 1, column 30 of the search\)/,
    );
  });

  test('refused: outputlookup with nothing before it, options hunt does not implement', () => {
    expect(() => translateStaged('| outputlookup x', opts)).toThrow(
      /`outputlookup` needs rows before it \(at line 1, column 3/,
    );
    expect(() => translateStaged('`cloudtrail` | outputlookup key_field=a x', opts)).toThrow(
      /`outputlookup` key_field= is not supported/,
    );
  });
});
