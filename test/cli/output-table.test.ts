/** Terminal tables: cli-table3's box, drawn in linear time, capped with a note, cells escaped. */
import { describe, expect, test } from 'vitest';
import { TABLE_ROW_LIMIT, writeRecords, writeTable } from '../../src/cli/output-table.js';

function render(rows: Record<string, unknown>[], columns?: string[], opts = {}): { calls: string[]; text: string } {
  const calls: string[] = [];
  writeRecords((t) => calls.push(t), rows, columns, { empty: '(none)', hint: '--json or --csv', ...opts });
  return { calls, text: calls.join('\n') };
}

describe('writeTable', () => {
  test('the box as cli-table3 drew it: a rule between rows, lists one item per line, numbers right', () => {
    const calls: string[] = [];
    writeTable(
      (t) => calls.push(t),
      [
        { a: 'x', n: 5, l: ['p', 'q'] },
        { a: '日本', n: 123, l: [] },
      ],
      [
        { name: 'a', cell: (r) => r.a },
        { name: 'n', cell: (r) => r.n, right: true },
        { name: 'list', cell: (r) => r.l },
      ],
      { empty: '(none)' },
    );
    expect(calls.join('\n')).toBe(
      [
        '┌──────┬─────┬──────┐',
        '│ a    │ n   │ list │',
        '├──────┼─────┼──────┤',
        '│ x    │   5 │ p    │',
        '│      │     │ q    │',
        '├──────┼─────┼──────┤',
        '│ 日本 │ 123 │      │',
        '└──────┴─────┴──────┘',
      ].join('\n'),
    );
  });

  test('streams: one write per row', () => {
    const { calls } = render([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(calls).toHaveLength(5); // top+head, three rows, bottom
  });

  test('no rows: the empty text', () => {
    expect(render([], ['a']).text).toBe('(none)');
  });

  test(`past ${TABLE_ROW_LIMIT} rows: the first ${TABLE_ROW_LIMIT}, then a note with the total and the hint`, () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ i }));
    const { calls, text } = render(rows);
    expect(text).toContain(`│ ${TABLE_ROW_LIMIT - 1}`);
    expect(text).not.toContain(`│ ${TABLE_ROW_LIMIT} `);
    expect(calls.at(-1)).toBe(`(showing the first ${TABLE_ROW_LIMIT} of 2500 rows; --json or --csv prints them all)`);
    // exactly at the limit: no note
    expect(render(rows.slice(0, TABLE_ROW_LIMIT)).calls.at(-1)).toMatch(/^└/);
  });

  test('100,000 rows render (linear: cli-table3 never finished 110,000)', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      id: i,
      user: `user-${i % 97}`,
      note: 'x'.repeat(i % 40),
    }));
    let lines = 0;
    writeRecords((t) => (lines += t.split('\n').length), rows, undefined, {
      empty: '',
      limit: Number.POSITIVE_INFINITY,
    });
    expect(lines).toBe(3 + 2 * 100_000);
    const capped = render(rows);
    expect(capped.calls.at(-1)).toMatch(/of 100000 rows/);
  }, 60_000);

  test('control characters in cells are escaped, and the box still lines up', () => {
    const { text } = render([{ who: 'evil\u001b[2J\u0007\u202e', n: 1 }]);
    expect(text).toContain('evil\\u001b[2J\\u0007\\u202e');
    expect(new Set(text.split('\n').map((l) => l.length)).size).toBe(1);
  });
});
