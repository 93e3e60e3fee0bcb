/**
 * A security_content `lookups/` directory: definitions validated, CSV rows read as RFC 4180,
 * and every refusal naming the file and the field or line at fault.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../src/detections/csv.js';
import { loadLookupDir } from '../../src/detections/lookups.js';
import { lookupCatalog, lookupsDirOf } from '../../src/translate/lookups.js';
import { shared } from '../support/shared.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'hunt-lookups-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('the ESCU lookups', () => {
  test('CSV lookups with their header, kvstore lookups with their fields and no rows', () => {
    const lookups = loadLookupDir(shared('escu-more', 'lookups'));
    expect(lookups.map((l) => [l.name, l.kind, l.fields, l.rows.length])).toEqual([
      ['aws_service_accounts', 'csv', ['identity'], 0],
      [
        'baseline_blocked_outbound_connections',
        'csv',
        ['src_ip', 'numDataPoints', 'latestCount', 'avgBlockedConnections', 'stdevBlockedConnections'],
        0,
      ],
      ['s3_deletion_baseline', 'kvstore', ['arn', 'latestCount', 'numDataPoints', 'avgApiCalls', 'stdevApiCalls'], 0],
    ]);
    const baseline = lookups.find((l) => l.name === 's3_deletion_baseline');
    expect(baseline).toMatchObject({ caseSensitive: true, maxMatches: 1000, wildcardFields: [] });
  });

  test('the default directory is `lookups` beside the detections; a missing one has no lookups', () => {
    const settings = { detectionsDir: shared('escu-more', 'detections') };
    expect(lookupsDirOf(settings)).toBe(shared('escu-more', 'lookups'));
    expect([...lookupCatalog(settings).keys()]).toContain('s3_deletion_baseline');
    expect(lookupCatalog({ detectionsDir: '/nonexistent/detections' }).size).toBe(0);
  });
});

describe('definitions', () => {
  test('case sensitivity, max_matches, WILDCARD match types and quoted CSV fields', () => {
    const d = dir({
      'hosts.yml':
        'name: hosts\nlookup_type: csv\nfilename: hosts.csv\ncase_sensitive_match: false\nmax_matches: 2\nmatch_type: WILDCARD(host)\n',
      'hosts.csv': 'host,owner,note\r\n"web-*",alice,"says ""hi"", twice"\r\nweb-1,,"two\nlines"\r\n',
    });
    const [hosts] = loadLookupDir(d);
    expect(hosts).toMatchObject({
      name: 'hosts',
      caseSensitive: false,
      maxMatches: 2,
      wildcardFields: ['host'],
      fields: ['host', 'owner', 'note'],
      rows: [
        ['web-*', 'alice', 'says "hi", twice'],
        ['web-1', null, 'two\nlines'],
      ],
    });
  });

  test('min_matches 1 and default_match: the value for events with no match', () => {
    const d = dir({ 'x.yml': 'name: x\nfilename: x.csv\nmin_matches: 1\ndefault_match: unknown\n', 'x.csv': 'a,b\n' });
    expect(loadLookupDir(d)[0]?.defaultMatch).toBe('unknown');
    // without min_matches, default_match is never used
    const e = dir({ 'x.yml': 'name: x\nfilename: x.csv\ndefault_match: unknown\n', 'x.csv': 'a,b\n' });
    expect(loadLookupDir(e)[0]?.defaultMatch).toBeUndefined();
  });

  test.each([
    [
      'a field of the wrong type',
      { 'x.yml': 'name: x\nlookup_type: csv\nmax_matches: lots\n' },
      /x\.yml: field `max_matches`: expected number, got string/,
    ],
    ['an unknown lookup type', { 'x.yml': 'name: x\nlookup_type: geo\n' }, /x\.yml: field `lookup_type`/],
    [
      'a missing CSV file',
      { 'x.yml': 'name: x\nlookup_type: csv\nfilename: gone.csv\n' },
      /gone\.csv: cannot read: ENOENT/,
    ],
    ['a kvstore without fields', { 'x.yml': 'name: x\nlookup_type: kvstore\n' }, /x\.yml: field `fields`/],
    [
      'a CIDR match type',
      { 'x.yml': 'name: x\nfilename: x.csv\nmatch_type: CIDR(ip)\n', 'x.csv': 'ip\n' },
      /x\.yml: field `match_type`: CIDR\(ip\) is not supported/,
    ],
    [
      'a wildcard on no column',
      { 'x.yml': 'name: x\nfilename: x.csv\nmatch_type: WILDCARD(ip)\n', 'x.csv': 'host\n' },
      /x\.yml: field `match_type`: ip is not a column/,
    ],
    [
      'a short CSV row',
      { 'x.yml': 'name: x\nfilename: x.csv\n', 'x.csv': 'a,b\n1,2\n3\n' },
      /x\.csv: line 3: 1 fields, the header has 2/,
    ],
    [
      'an unclosed quote',
      { 'x.yml': 'name: x\nfilename: x.csv\n', 'x.csv': 'a,b\n1,2\n"3,4\n' },
      /x\.csv: line 3: a quoted field is never closed/,
    ],
    [
      'a repeated column',
      { 'x.yml': 'name: x\nfilename: x.csv\n', 'x.csv': 'a,a\n' },
      /x\.csv: line 1: column a appears twice/,
    ],
    [
      'min_matches above 1',
      { 'x.yml': 'name: x\nfilename: x.csv\nmin_matches: 2\n', 'x.csv': 'a\n' },
      /x\.yml: field `min_matches`: more than 1 is not supported/,
    ],
    ['malformed YAML', { 'x.yml': 'name: [x\n' }, /x\.yml: malformed YAML: line/],
    [
      'one name twice',
      { 'x.yml': 'name: x\nfields: [a]\n', 'y.yml': 'name: x\nfields: [a]\n' },
      /y\.yml: lookup x is defined in .*x\.yml too/,
    ],
  ])('refused: %s', (_what, files, message) => {
    expect(() => loadLookupDir(dir(files))).toThrow(message);
  });
});

describe('the CSV reader', () => {
  test('records and the line each starts on', () => {
    expect(parseCsv('\ufeffa,b\n"x\ny",2\n,\n')).toEqual({
      records: [
        ['a', 'b'],
        ['x\ny', '2'],
        ['', ''],
      ],
      lines: [1, 2, 4],
    });
  });
  test('a quote inside an unquoted field is refused with its line', () => {
    expect(() => parseCsv('a\nb"c\n')).toThrow('line 2: a quote inside an unquoted field');
  });
});

test('a lookups directory in configuration is relative to the file; a missing one is refused', async () => {
  const { loadConfig } = await import('../../src/config/config.js');
  const d = mkdtempSync(join(tmpdir(), 'hunt-lookups-config-'));
  mkdirSync(join(d, 'lk'));
  writeFileSync(join(d, 'hunt.yaml'), 'lookups: lk\n');
  expect(loadConfig(join(d, 'hunt.yaml'), {}).lookupsDir).toBe(join(d, 'lk'));
  writeFileSync(join(d, 'bad.yaml'), 'lookups: nope\n');
  expect(() => loadConfig(join(d, 'bad.yaml'), {})).toThrow(/bad\.yaml: field `lookups`: .*nope does not exist/);
});
