/**
 * The two pure halves of reading Athena results: the streaming CSV parser (Athena's result file:
 * every value quoted, `""` inside, NULL an empty unquoted field) and typing text by ColumnInfo
 * type. The engine tests run both end to end; here each rule is pinned on its own, including
 * every chunk boundary, so a value split across network reads is parsed the same.
 */
import { describe, expect, test } from 'vitest';
import { csvRows, CsvParser, CsvSyntaxError } from '../../src/engines/athena/csv.js';
import { athenaValue } from '../../src/engines/athena/values.js';
import { EngineError } from '../../src/engines/engine.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function parse(text: string, size = 1 << 20): Promise<(string | null)[][]> {
  const rows: (string | null)[][] = [];
  for await (const r of csvRows(chunksOf(text, size))) rows.push(r);
  return rows;
}

describe('result CSV', () => {
  // written by hand the way Athena writes it
  const csv = [
    '"name","n","note"',
    '"plain","1","a"',
    '"comma, inside","2",""', // '' is "" ...
    '"quote ""q"" inside","3",', // ... and NULL is nothing at all
    '"multi',
    'line',
    '","4","x"',
    '"ünï 🙂","5","tab\there"',
    ',,',
    '',
  ].join('\n');
  const expected = [
    ['name', 'n', 'note'],
    ['plain', '1', 'a'],
    ['comma, inside', '2', ''],
    ['quote "q" inside', '3', null],
    ['multi\nline\n', '4', 'x'],
    ['ünï 🙂', '5', 'tab\there'],
    [null, null, null],
  ];

  test('quotes, doubled quotes, commas and newlines inside values; "" is empty, nothing is NULL', async () => {
    expect(await parse(csv)).toEqual(expected);
  });

  test('the same rows whatever the chunk size (every boundary, inside multi-byte characters too)', async () => {
    for (let size = 1; size <= 12; size++) expect(await parse(csv, size)).toEqual(expected);
  });

  test('CRLF line ends', async () => {
    expect(await parse('"a","b"\r\n"1",\r\n,"2"\r\n')).toEqual([
      ['a', 'b'],
      ['1', null],
      [null, '2'],
    ]);
  });

  test('a one-column result: an empty line is a row with NULL; the final newline ends the last row', async () => {
    expect(await parse('"x"\n"1"\n\n"3"\n')).toEqual([['x'], ['1'], [null], ['3']]);
    expect(await parse('"x"\n"1"')).toEqual([['x'], ['1']]);
  });

  test.each([
    ['"a","b\n', /line 1: the file ends inside the quoted value that starts there/],
    ['"a"x,"b"\n', /line 1: text after a closing quote/],
    ['"a"\nab"c\n', /line 2: a quote inside an unquoted field/],
  ])('malformed %j is refused with its line', async (text, message) => {
    await expect(parse(text)).rejects.toThrow(CsvSyntaxError);
    await expect(parse(text)).rejects.toThrow(message);
  });

  test('invalid UTF-8 is refused, not replaced', async () => {
    async function* bad(): AsyncGenerator<Uint8Array> {
      yield Buffer.from([0x22, 0xff, 0x22, 0x0a]);
    }
    const rows = async (): Promise<unknown[]> => {
      const out: unknown[] = [];
      for await (const r of csvRows(bad())) out.push(r);
      return out;
    };
    await expect(rows()).rejects.toThrow(TypeError);
  });

  test('the parser keeps state between pushes', () => {
    const p = new CsvParser();
    expect(p.push('"a')).toEqual([]);
    expect(p.push('""b","c')).toEqual([]);
    expect(p.push('"\n"d"')).toEqual([['a"b', 'c']]);
    expect(p.end()).toEqual([['d']]);
  });
});

describe('typing by ColumnInfo type', () => {
  const at = { column: 'c', row: 1 };
  test.each([
    ['varchar', 'x', 'x'],
    ['varchar', '', ''],
    ['varchar', null, null],
    ['bigint', undefined, null],
    ['bigint', '42', 42],
    ['bigint', '-7', -7],
    ['bigint', '9007199254740991', 9007199254740991],
    // beyond 2^53 a number would be wrong: the exact text, as DuckDB's rows give bigints
    ['bigint', '9223372036854775807', '9223372036854775807'],
    ['integer', '3', 3],
    ['smallint', '-3', -3],
    ['tinyint', '1', 1],
    ['double', '1.5', 1.5],
    ['double', '100.0', 100],
    ['double', '1.0E7', 1e7],
    ['double', '1.5E-4', 1.5e-4],
    ['double', 'NaN', NaN],
    ['double', 'Infinity', Infinity],
    ['double', '-Infinity', -Infinity],
    ['real', '0.25', 0.25],
    ['decimal', '12.50', '12.50'],
    ['decimal(10,2)', '0.10', '0.10'],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['json', '{"a":[1,"x"]}', { a: [1, 'x'] }],
    ['array', '[]', []],
    ['array', '[a, b, c d]', ['a', 'b', 'c d']],
    ['array', '[a, null]', ['a', null]],
    ['array(varchar)', '[a,b, c]', ['a,b', 'c']],
    ['array(bigint)', '[1, 2]', [1, 2]],
    ['array(array(varchar))', '[[a, b], [c]]', [['a', 'b'], ['c']]],
    ['timestamp', '2026-11-20 10:00:00.000', '2026-11-20 10:00:00.000'],
    ['date', '2026-11-20', '2026-11-20'],
    ['map', '{a=1, b=2}', '{a=1, b=2}'],
    ['row', '{x=1}', '{x=1}'],
    ['varbinary', '61 62', '61 62'],
  ])('%s %j is %j', (type, text, value) => {
    expect(athenaValue(text, type, at)).toEqual(value);
  });

  test.each([
    ['bigint', '1.5'],
    ['bigint', ''],
    ['integer', '1e3'],
    ['double', 'one'],
    ['double', ''],
    ['boolean', 'yes'],
    ['json', '{not json'],
    ['array', 'a, b'],
  ])('%s %j is refused, naming the row and column', (type, text) => {
    expect(() => athenaValue(text, type, { column: 'count', row: 7 })).toThrow(EngineError);
    expect(() => athenaValue(text, type, { column: 'count', row: 7 })).toThrow(/row 7, column count: .* is not a/);
  });
});
