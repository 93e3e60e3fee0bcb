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

  test("the ESCU detection's own base search, through its macro, is refused with the reason", () => {
    // The whole detection also needs `inputlookup` / `outputlookup` (a lookup of previously
    // seen addresses) and `iplocation` (a GeoIP database); today parsing stops at the first.
    const escu = new LayeredMacros([loadMacroDir(shared('escu-more', 'macros'))]);
    const search = detection.search.replace(/\[search[^\]]*\]/, '').replace(/\| iplocation remote_ip /, '');
    expect(search).not.toMatch(/lookup|iplocation/);
    expect(() => translateSearch(search, { dialect: 'athena', macros: escu, zone: 'UTC' })).toThrow(
      /^sourcetype "?aws:s3:accesslogs"? cannot be read: S3 server access logs are in no Security Lake table/,
    );
  });

  test('compiling the ESCU detection fails: it is not compiled', () => {
    const [outcome] = compileTarget({ kind: 'rule', rule: file }, config, { dialect: 'athena' });
    expect(outcome?.translation).toBeUndefined();
    expect(lintOutcome(outcome!).map((f) => f.severity)).toContain('error');
  });

  test('no readable sourcetype is also listed as unreadable', () => {
    for (const s of SOURCES) expect(UNREADABLE_SOURCETYPES[s.sourcetype]).toBeUndefined();
  });
});
