/**
 * S3 server access logs (sourcetype aws:s3:accesslogs, ESCU's detect_s3_access_from_a_new_ip)
 * are in no Security Lake table: compiling and linting refuse the search with why, naming the
 * fields Security Lake's S3 table (CloudTrail data events) lacks, instead of "not supported".
 */
import { describe, expect, test } from 'vitest';
import { compileTarget } from '../../src/compile/compile.js';
import { loadConfig } from '../../src/config/config.js';
import { loadDetection } from '../../src/detections/load.js';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import { lintOutcome } from '../../src/lint/lint.js';
import { UNREADABLE_SOURCETYPES } from '../../src/sources/unreadable.js';
import { SOURCES } from '../../src/sources/sources.js';
import { translateSearch } from '../../src/translate/translate.js';
import { macrosWith } from '../support/hunt.js';
import { shared } from '../support/shared.js';

const config = loadConfig(undefined, {});
const file = shared('escu-more', 'detections', 'detect_s3_access_from_a_new_ip.yml');
const detection = loadDetection(file);

describe('aws:s3:accesslogs', () => {
  test('a search naming it is refused with the reason', () => {
    const search = 'sourcetype=aws:s3:accesslogs http_status=200 | stats count by bucket_name remote_ip';
    expect(() => translateSearch(search, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' })).toThrow(
      /^sourcetype aws:s3:accesslogs cannot be read: S3 server access logs are in no Security Lake table: .*no HTTP status \(http_status\), no request URI \(request_uri\)/,
    );
    // any other unknown sourcetype keeps the generic message
    expect(() =>
      translateSearch('sourcetype=aws:nothing | stats count', { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' }),
    ).toThrow(/^sourcetype aws:nothing is not supported \(supported: /);
  });

  test('compiling and linting the ESCU detection give the reason, before its lookups and iplocation', () => {
    // the whole detection also needs inputlookup / outputlookup (previously seen addresses) and
    // iplocation (a GeoIP database): the reason comes first, whatever hunt parses
    expect(detection.search).toMatch(/inputlookup[\s\S]*iplocation/);
    const [outcome] = compileTarget({ kind: 'rule', rule: file }, config, { dialect: 'athena' });
    expect(outcome?.translation).toBeUndefined();
    expect(outcome?.error).toMatch(
      /^sourcetype aws:s3:accesslogs cannot be read: S3 server access logs are in no Security Lake table/,
    );
    const findings = lintOutcome(outcome!);
    expect(
      findings
        .filter((f) => f.severity === 'error')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/sourcetype aws:s3:accesslogs cannot be read/);
  });

  test("through the detection's own macro, with the position of the sourcetype", () => {
    const escu = new LayeredMacros([loadMacroDir(shared('escu-more', 'macros'))]);
    expect(() => translateSearch(detection.search, { dialect: 'duckdb', macros: escu, zone: 'UTC' })).toThrow(
      /cannot be read: .*\(at .*macro `aws_s3_accesslogs`/,
    );
  });

  test('no readable sourcetype is also listed as unreadable', () => {
    for (const s of SOURCES) expect(UNREADABLE_SOURCETYPES[s.sourcetype]).toBeUndefined();
  });
});
