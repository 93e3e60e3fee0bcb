/**
 * hunt lint's rules, each with a detection of our own that triggers it and one that does not
 * (real YAML files, compiled by the real compiler against the source schema), then the
 * shipped detections (no false alarms) and the upstream bugs it exists for.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, test } from 'vitest';
import { compileDirectory, compileTarget } from '../../src/compile/compile.js';
import { loadConfig } from '../../src/config/config.js';
import { compilerWarnings } from '../../src/lint/compiler-warnings.js';
import { nameSlug } from '../../src/lint/filter-macro.js';
import { lintDocument, lintOutcome } from '../../src/lint/lint.js';
import { RULES, type Finding, type RuleId } from '../../src/lint/rules.js';
import { AWS_CLOUDTRAIL_ON_ASL } from '../../src/sources/security-lake/fields.js';
import { shared } from '../support/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-lint-'));
const config = loadConfig(undefined, {});
let n = 0;

interface Spec {
  search: string;
  message?: string;
  riskObjects?: string[];
  threatObjects?: string[];
  testSourcetype?: string;
  /** default: the search ends with the detection's own filter macro */
  filter?: boolean;
  techniques?: string[];
}

/** Writes a detection file (current ESCU schema) and lints it (against `against`'s tables). */
function lint(spec: Spec, against = config): Finding[] {
  const name = `Lint Case ${++n}`;
  const stem = nameSlug(name);
  const doc = {
    name,
    id: `lint-case-${n}`,
    version: 1,
    search: spec.filter === false ? spec.search : `${spec.search} | \`${stem}_filter\``,
    rba: {
      message: spec.message ?? 'something by $user$',
      risk_objects: (spec.riskObjects ?? ['user']).map((field) => ({ field, type: 'user', score: 10 })),
      threat_objects: (spec.threatObjects ?? []).map((field) => ({ field, type: 'ip_address' })),
    },
    ...(spec.techniques ? { tags: { mitre_attack_id: spec.techniques } } : {}),
    ...(spec.testSourcetype
      ? { tests: [{ name: 'True Positive Test', attack_data: [{ data: 'x.json', sourcetype: spec.testSourcetype }] }] }
      : {}),
  };
  const file = join(dir, `${stem}.yml`);
  writeFileSync(file, YAML.stringify(doc));
  return compileTarget({ kind: 'rule', rule: file }, against, { dialect: 'athena' }).flatMap((o) =>
    lintOutcome(o, dir),
  );
}

const rules = (fs: Finding[]): RuleId[] => fs.map((f) => f.rule);
const CT =
  '`cloudtrail` eventName=PutImage | stats count min(_time) as firstTime by userName src | rename userName as user';
const ASL =
  '`amazon_security_lake` api.operation=PutImage | stats count by actor.user.uid | rename actor.user.uid as user';

describe('each rule: a detection that triggers it, and one that does not', () => {
  test('a clean detection has no findings', () => {
    expect(lint({ search: CT })).toEqual([]);
    expect(lint({ search: ASL })).toEqual([]);
  });

  test('compile-error: SPL the compiler does not support, with its position', () => {
    const [f, ...rest] = lint({
      search:
        '`cloudtrail` eventName=PutImage | transaction userName | stats count by userName | rename userName as user',
    });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'compile-error',
      severity: 'error',
      message: 'unsupported command `transaction`',
      position: 'line 1, column 35 of the search',
    });
  });

  test('stats-by-unknown-field: a BY field no event has drops every row', () => {
    const found = lint({
      search:
        '`amazon_security_lake` api.operation=PutImage | stats count by actor.user.uid bucketName | rename actor.user.uid as user',
    });
    expect(found).toEqual([
      {
        rule: 'stats-by-unknown-field',
        severity: 'error',
        file: `${nameSlug(`Lint Case ${n}`)}.yml`,
        detection: `Lint Case ${n}`,
        message:
          'stats BY bucketName: no source field or earlier command defines bucketName, so every event is dropped and the search returns nothing',
        position: 'line 1, column 79 of the search',
      },
    ]);
    expect(
      lint({
        search:
          '`amazon_security_lake` api.operation=PutImage | stats count by actor.user.uid api.operation | rename actor.user.uid as user',
      }),
    ).toEqual([]);
  });

  test('bare-word-field: where compares with a field named Saturday; its dead comparison is part of the finding', () => {
    const search = (day: string): string =>
      `\`amazon_security_lake\` api.operation=PutImage | eval weekday=strftime(time/1000, "%A") | where weekday=${day} | stats count by actor.user.uid | rename actor.user.uid as user`;
    const [f, ...rest] = lint({ search: search('Saturday') });
    expect(rest).toEqual([]);
    expect(f?.rule).toBe('bare-word-field');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(
      /^bare word Saturday names a field .* \(did you mean the string "Saturday"\?\); so the comparison weekday=Saturday can never be true/,
    );
    expect(f?.position).toBe('line 1, column 104 of the search');
    expect(lint({ search: search('"Saturday"') })).toEqual([]);
  });

  test('unknown-field: an OCSF rc.2 name on aws:asl, and an spath path CloudTrail events do not have', () => {
    const rc2 = lint({
      search:
        '`amazon_security_lake` actor.user.account_uid=111122223333 | stats count by actor.user.uid | rename actor.user.uid as user',
    });
    expect(rc2).toMatchObject([
      {
        rule: 'unknown-field',
        severity: 'warning',
        message: expect.stringMatching(/^search term actor\.user\.account_uid=111122223333 can never match/),
      },
    ]);
    expect(
      lint({
        search:
          '`amazon_security_lake` actor.user.account.uid=111122223333 | stats count by actor.user.uid | rename actor.user.uid as user',
      }),
    ).toEqual([]);

    const spath = (path: string): Finding[] =>
      lint({
        search: `\`cloudtrail\` eventName=PutImage | spath path=${path} output=repo | stats count by userName | rename userName as user`,
      });
    expect(rules(spath('requestParameters{}.repositoryName'))).toEqual(['unknown-field']);
    expect(spath('requestParameters.repositoryName')).toEqual([]);
  });

  test('dead-comparison: a comparison with null() that no field warning explains', () => {
    expect(rules(lint({ search: `${CT} | where user=null()` }))).toEqual(['dead-comparison']);
    expect(lint({ search: `${CT} | where isnotnull(user)` })).toEqual([]);
  });

  test('dead-search-term: f!=* matches nothing', () => {
    expect(
      rules(lint({ search: '`cloudtrail` eventName!=* | stats count by userName | rename userName as user' })),
    ).toEqual(['dead-search-term']);
    expect(lint({ search: '`cloudtrail` eventName=* | stats count by userName | rename userName as user' })).toEqual(
      [],
    );
  });

  test("no-source-home: a CloudTrail field Security Lake's mapping does not keep", () => {
    const storage = config.athenaStorage;
    const asl = storage['aws:asl'];
    if (!asl) throw new Error('no Security Lake binding');
    const onSecurityLake = {
      ...config,
      athenaStorage: { ...storage, 'aws:cloudtrail': { tables: asl.tables, source: AWS_CLOUDTRAIL_ON_ASL } },
    };
    const by = (field: string): string =>
      `\`cloudtrail\` eventName=AssumeRole | stats count by ${field} | rename ${field} as user`;
    // the field has no value there, so grouping by it drops every event too
    expect(lint({ search: by('userIdentity.sessionContext.attributes.creationDate') }, onSecurityLake)).toMatchObject([
      {
        rule: 'no-source-home',
        message: expect.stringMatching(/^userIdentity\.sessionContext\.attributes\.creationDate has no value on /),
      },
      { rule: 'stats-by-unknown-field' },
    ]);
    // on the CloudTrail table the field is there; on Security Lake a field it keeps is fine
    expect(lint({ search: by('userIdentity.sessionContext.attributes.creationDate') })).toEqual([]);
    expect(lint({ search: by('userIdentity.arn') }, onSecurityLake)).toEqual([]);
  });

  test('hunt-limitation: a Splunk internal field hunt does not define yet', () => {
    const found = lint({
      search:
        '`cloudtrail` eventName=PutImage | stats max(_indextime) as indexed by userName | rename userName as user',
    });
    expect(found).toMatchObject([
      { rule: 'hunt-limitation', severity: 'warning', message: expect.stringMatching(/^max\(_indextime\)/) },
    ]);
    expect(
      lint({
        search: '`cloudtrail` eventName=PutImage | stats max(_time) as last by userName | rename userName as user',
      }),
    ).toEqual([]);
  });

  test('compiler-warning: a warning without a code is still reported', () => {
    const [o] = compileTarget({ kind: 'rule', rule: 'detections/aws_ecr_container_upload_unknown_user.yml' }, config, {
      dialect: 'athena',
    });
    if (!o?.detection || !o.translation) throw new Error('shipped detection did not compile');
    expect(compilerWarnings({ detection: o.detection, translation: o.translation })).toEqual([]);
    const translation = {
      ...o.translation,
      warnings: [{ message: 'something the planner noticed', at: 'line 1, column 2 of the search' }],
    };
    expect(compilerWarnings({ detection: o.detection, translation })).toEqual([
      {
        rule: 'compiler-warning',
        message: 'something the planner noticed',
        position: 'line 1, column 2 of the search',
      },
    ]);
  });

  test("missing-filter-macro: missing, another detection's, or not at the end", () => {
    const missing = lint({ search: CT, filter: false });
    expect(missing).toMatchObject([
      {
        rule: 'missing-filter-macro',
        severity: 'warning',
        message: expect.stringMatching(/does not end with `lint_case_\d+_filter`/),
      },
    ]);
    const other = lint({ search: `${CT} | \`aws_ecr_container_upload_unknown_user_filter\``, filter: false });
    expect(other[0]?.message).toMatch(
      /ends with `aws_ecr_container_upload_unknown_user_filter`, another detection's filter macro/,
    );
    const early = lint({
      search: `\`cloudtrail\` eventName=PutImage | \`lint_case_${n + 1}_filter\` | stats count by userName | rename userName as user`,
      filter: false,
    });
    expect(early[0]?.message).toMatch(/is not at the end of the search/);
    expect(lint({ search: CT })).toEqual([]);
  });

  test('risk-message-field: a $token$ the results lack', () => {
    const found = lint({ search: CT, message: 'upload by $user$ from $src_ip$' });
    expect(found).toMatchObject([
      {
        rule: 'risk-message-field',
        severity: 'warning',
        position: 'risk message',
        message: expect.stringMatching(/names \$src_ip\$, but the results have no field src_ip/),
      },
    ]);
    expect(lint({ search: CT, message: 'upload by $user$ from $src$' })).toEqual([]);
  });

  test('risk-object-field: an error, no risk is ever raised on it', () => {
    const found = lint({ search: CT, riskObjects: ['user', 'dest'] });
    expect(found).toMatchObject([
      {
        rule: 'risk-object-field',
        severity: 'error',
        position: 'risk object 2',
        message: expect.stringMatching(/^risk object dest \(user\): the results have no field dest/),
      },
    ]);
    expect(lint({ search: CT, riskObjects: ['user', 'src'] })).toEqual([]);
  });

  test("unknown-attack-technique: an id with no tactic; a sub-technique counts its parent's tactics, so only T9999 is flagged", () => {
    expect(lint({ search: CT, techniques: ['T1204.003', 'T1204.03', 'T9999'] })).toMatchObject([
      {
        rule: 'unknown-attack-technique',
        severity: 'warning',
        position: 'tags.mitre_attack_id[2]',
        message: expect.stringMatching(/^ATT&CK technique T9999 has no tactic/),
      },
    ]);
    expect(lint({ search: CT, techniques: ['T1078.004', 'T1530'] })).toEqual([]);
  });

  test('threat-object-field: the upstream ASL concurrent-sessions pattern (src renamed away by stats)', () => {
    const search =
      '`amazon_security_lake` api.operation=PutImage | stats values(src_endpoint.ip) as src_ip by actor.user.uid | rename actor.user.uid as user src_endpoint.ip as src';
    expect(lint({ search, threatObjects: ['src'] })).toMatchObject([
      { rule: 'threat-object-field', severity: 'warning', position: 'threat object 1' },
    ]);
    expect(lint({ search, threatObjects: ['src_ip'] })).toEqual([]);
  });

  test('test-sourcetype-mismatch: ASL search, CloudTrail test data', () => {
    expect(lint({ search: ASL, testSourcetype: 'aws:cloudtrail' })).toMatchObject([
      {
        rule: 'test-sourcetype-mismatch',
        message: 'the test data is sourcetype aws:cloudtrail, but the search reads aws:asl',
      },
    ]);
    expect(lint({ search: ASL, testSourcetype: 'aws:asl' })).toEqual([]);
  });

  test('invalid-detection: a malformed file among good ones is a finding, the others are still linted', () => {
    const d = join(dir, 'mixed');
    mkdirSync(d);
    writeFileSync(join(d, 'broken.yml'), 'name: x\nid: [unclosed\n');
    writeFileSync(join(d, 'nosearch.yml'), 'name: y\nid: y1\nversion: 1\n');
    writeFileSync(
      join(d, 'good.yml'),
      YAML.stringify({
        name: 'Good',
        id: 'g1',
        version: 1,
        search: `${CT} | \`good_filter\``,
        rba: { message: '$user$', risk_objects: [{ field: 'user', type: 'user', score: 5 }] },
      }),
    );
    const doc = lintDocument(compileDirectory(d, config, { dialect: 'athena' }), d);
    expect(doc).toMatchObject({ total: 3, errors: 2, warnings: 0, not_compiled: 2 });
    expect(doc.findings.map((f) => [f.file, f.rule, f.detection])).toEqual([
      ['broken.yml', 'invalid-detection', null],
      ['nosearch.yml', 'invalid-detection', null],
    ]);
    expect(doc.findings[0]?.message).toMatch(/^malformed YAML: line \d+, column \d+: /);
    expect(doc.findings[1]?.message).toBe('field `search`: is required');
  });

  test('every rule has a test above that triggers it', () => {
    const tested: RuleId[] = [
      'invalid-detection',
      'compile-error',
      'stats-by-unknown-field',
      'risk-object-field',
      'bare-word-field',
      'unknown-field',
      'dead-comparison',
      'dead-search-term',
      'compiler-warning',
      'hunt-limitation',
      'no-source-home',
      'missing-filter-macro',
      'risk-message-field',
      'threat-object-field',
      'test-sourcetype-mismatch',
      'unknown-attack-technique',
    ];
    expect(Object.keys(RULES).sort()).toEqual([...tested].sort());
  });
});

describe('the shipped detections and the upstream corpus', () => {
  test('no findings on the shipped detections, the corrected business-hours copy included', () => {
    const outcomes = compileDirectory('detections', config, { dialect: 'athena' });
    expect(outcomes.map((o) => o.file.replace(/^.*\//, ''))).toContain(
      'asl_aws_ecr_container_upload_outside_business_hours.yml',
    );
    expect(lintDocument(outcomes).findings).toEqual([]);
  });

  const upstream = lintDocument(compileDirectory(shared('escu'), config, { dialect: 'athena' }), shared('escu'));
  const of = (file: string): [RuleId, string | null][] =>
    upstream.findings.filter((f) => f.file === file).map((f) => [f.rule, f.position]);

  test('the upstream ASL business-hours search: two bare words and a BY field no Security Lake event has', () => {
    expect(of('asl/asl_aws_ecr_container_upload_outside_business_hours.yml')).toEqual([
      ['bare-word-field', 'line 1, column 172 of the search'],
      ['bare-word-field', 'line 1, column 192 of the search'],
      ['stats-by-unknown-field', 'line 1, column 428 of the search'],
    ]);
  });

  test('the upstream ASL concurrent sessions: its threat object src is renamed from a field stats removed', () => {
    expect(of('asl/asl_aws_concurrent_sessions_from_different_ips.yml')).toEqual([
      ['threat-object-field', 'threat object 1'],
    ]);
  });

  test('the upstream CloudTrail PutBucketLifecycle: spath walks into requestParameters{} (an object), so both BY fields are missing', () => {
    expect(of('cloudtrail/aws_defense_evasion_putbucketlifecycle.yml').map(([r]) => r)).toEqual([
      'unknown-field',
      'unknown-field',
      'stats-by-unknown-field',
      'stats-by-unknown-field',
    ]);
  });

  test('every corpus file is accounted for: findings only where expected, the rest clean', () => {
    expect(upstream.total).toBe(68);
    const files = [...new Set(upstream.findings.map((f) => f.file))];
    // each detection that does not compile is one compile-error finding
    expect(upstream.findings.filter((f) => f.rule === 'compile-error')).toHaveLength(upstream.not_compiled);
    expect(files.length).toBeLessThan(upstream.total);
  });
});
