import { describe, expect, it } from 'vitest';
import { encodePartitionValue, LOCAL_TABLES, partitionDir } from '../../src/lake/layout.js';
import { visitInput, where } from '../../src/lake/parse-input.js';
import { RecordsSplitter, splitRecordsDocument } from '../../src/lake/split-records.js';
import { ctEvent } from './helpers.js';

/** Feed `text` to a splitter in chunks of `size` bytes; the records it yields, parsed. */
function splitInChunks(text: string, size: number): unknown[] | undefined {
  const bytes = Buffer.from(text);
  const s = new RecordsSplitter();
  const lines: string[] = [];
  for (let i = 0; i < bytes.length && s.ok; i += size) {
    // copy: the splitter modifies chunks in place
    for (const p of s.push(Buffer.from(bytes.subarray(i, i + size)))) {
      const piece = p.ndjson.toString('utf8').split('\n');
      expect(piece).toHaveLength(p.records);
      lines.push(...piece);
    }
  }
  for (const p of s.end()) lines.push(...p.ndjson.toString('utf8').split('\n'));
  return s.ok ? lines.map((l) => JSON.parse(l) as unknown) : undefined;
}

describe('RecordsSplitter', () => {
  const tricky = [
    ctEvent({ requestParameters: { s: 'quote " and backslash \\ and \\" both', brace: '}{][,', nl: 'a\nb' } }),
    ctEvent({ requestParameters: { end: 'ends with backslash \\' } }),
    ctEvent({ userAgent: '\\\\\\"', requestParameters: { deep: [[[{ x: [] }]]] } }),
    ctEvent({ requestParameters: { unicode: 'é中😀', escaped: '\u2028' } }),
  ];

  it('yields every record intact, wherever the chunk boundaries fall', () => {
    const text = JSON.stringify({ Records: tricky });
    for (const size of [1, 2, 3, 5, 7, 64, 1000, text.length]) {
      expect(splitInChunks(text, size)).toEqual(tricky);
    }
  });

  it('handles pretty-printed documents and whitespace around the wrapper', () => {
    const text = `\n  ${JSON.stringify({ Records: tricky }, null, '\t')}\r\n\n`;
    for (const size of [1, 13, text.length]) expect(splitInChunks(text, size)).toEqual(tricky);
    expect(splitInChunks(JSON.stringify({ Records: [] }), 3)).toEqual([]);
  });

  it('gives up on anything but a clean Records document', () => {
    for (const text of [
      JSON.stringify([ctEvent()]), // a bare array
      JSON.stringify({ records: [ctEvent()] }), // other key
      JSON.stringify({ Other: 1, Records: [ctEvent()] }), // Records not first
      JSON.stringify({ Records: [ctEvent()], Other: 1 }), // something after Records
      JSON.stringify({ Records: [1, 2] }), // non-object records
      JSON.stringify({ Records: [ctEvent(), 'x'] }),
      '{"Records":[{"a":1},,{"b":2}]}', // empty element
      '{"Records":[{"a":1},]}', // trailing comma
      '{"Records":[{"a":1}]} extra', // junk after
      '{"Records":[{"a":1}]}}',
      JSON.stringify({ Records: [ctEvent()] }).slice(0, -5), // truncated
      `${JSON.stringify(ctEvent())}\n${JSON.stringify(ctEvent())}`, // NDJSON
      'garbage',
    ]) {
      expect(splitInChunks(text, 4), text.slice(0, 40)).toBeUndefined();
      expect(splitRecordsDocument(Buffer.from(text)), text.slice(0, 40)).toBeUndefined();
    }
  });
});

describe('visitInput', () => {
  function visit(text: string): { items: [unknown, string][]; bad: string[]; shape: string; error?: string } {
    const items: [unknown, string][] = [];
    const bad: string[] = [];
    const r = visitInput(text, {
      item: (v, line, index) => items.push([v, where(line, index)]),
      bad: (line, index, msg) => bad.push(`${where(line, index)}: ${msg}`),
    });
    return { items, bad, shape: r.shape, ...(r.documentError ? { error: r.documentError } : {}) };
  }

  it('finds records in every container shape, with positions', () => {
    expect(visit('{"Records":[{"a":1},{"b":2}]}').items).toEqual([
      [{ a: 1 }, 'record 1'],
      [{ b: 2 }, 'record 2'],
    ]);
    expect(visit('[{"a":1}, 5]').items).toEqual([
      [{ a: 1 }, 'record 1'],
      [5, 'record 2'],
    ]);
    expect(visit('{\n  "a": 1\n}').items).toEqual([[{ a: 1 }, 'record 1']]);
    const lines = visit('{"a":1}\n\n[{"b":2},{"c":3}]\n{"Records":[{"d":4}]}\nnope');
    expect(lines.items).toEqual([
      [{ a: 1 }, 'line 1'],
      [{ b: 2 }, 'line 3, record 1'],
      [{ c: 3 }, 'line 3, record 2'],
      [{ d: 4 }, 'line 4, record 1'],
    ]);
    expect(lines.bad).toEqual([expect.stringMatching(/^line 5: not valid JSON \(/)]);
    expect(lines.shape).toBe('lines');
    expect(lines.error).toBeDefined();
  });

  it('treats whitespace and a BOM alone as empty', () => {
    expect(visit('  \n\t ').shape).toBe('empty');
    expect(visit('\uFEFF').shape).toBe('empty');
  });
});

describe('partition paths', () => {
  it('encodes values so they stay one safe path segment', () => {
    expect(encodePartitionValue('us-east-1')).toBe('us-east-1');
    expect(encodePartitionValue('2024-01-31')).toBe('2024-01-31');
    expect(encodePartitionValue('../x')).toBe('..%2Fx');
    expect(encodePartitionValue('a b=c')).toBe('a%20b%3Dc');
    expect(encodePartitionValue('é*')).toBe('%C3%A9%2A');
    expect(encodePartitionValue(null)).toBe('__HIVE_DEFAULT_PARTITION__');
    expect(partitionDir(LOCAL_TABLES.cloudtrail, ['us-east-1', '2024', '01', '31'])).toBe(
      'region=us-east-1/year=2024/month=01/day=31',
    );
    expect(partitionDir(LOCAL_TABLES.securityLake, ['eu-west-1', '123', '2024-01-31'])).toBe(
      'region=eu-west-1/accountid=123/time_dt_day=2024-01-31',
    );
    expect(() => partitionDir(LOCAL_TABLES.cloudtrail, ['us-east-1'])).toThrow();
  });
});
