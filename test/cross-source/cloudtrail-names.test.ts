/**
 * CLOUDTRAIL_ON_OCSF (where CloudTrail's raw names are read on Security Lake) is the inverse of
 * src/demo/ocsf.ts (how a CloudTrail event becomes Security Lake's record): every raw path the
 * converter takes into a column must be read back from that column (or be named missing), and
 * every name read from a column must be one the converter takes there, so neither drifts.
 */
import { describe, expect, test } from 'vitest';
import { MAPPED, MAPPED_AUTHENTICATION } from '../../src/demo/ocsf.js';
import { CLOUDTRAIL_ON_OCSF } from '../../src/sources/security-lake/cloudtrail-names.js';
import { securityLakeTable } from '../../src/sources/security-lake/table-v2.js';

const { fields, json, missing } = CLOUDTRAIL_ON_OCSF;
const consumed = [...MAPPED, ...MAPPED_AUTHENTICATION];
/** a path consumed whole as an array of objects: its leaves are read as `path{}.leaf` */
const arrays = consumed.filter((p) => Object.keys(fields).some((f) => f.startsWith(`${p}{}.`)));

describe('CLOUDTRAIL_ON_OCSF and the CloudTrail → OCSF converter', () => {
  test.each(consumed)('%s, taken into a column, is read back', (path) => {
    const read = path in fields || path in json || path in missing || arrays.includes(path);
    expect(read, `${path}: add it to CLOUDTRAIL_ON_OCSF (fields, json or missing)`).toBe(true);
  });

  test.each(Object.keys({ ...fields, ...json, ...missing }).filter((n) => !n.startsWith('_')))(
    '%s, read from a column, is one the converter takes there',
    (name) => {
      const base = name.split('{}')[0] as string;
      expect(MAPPED.has(base) || MAPPED_AUTHENTICATION.has(base), `${name}: not in src/demo/ocsf.ts MAPPED`).toBe(true);
    },
  );

  test('json objects and the rest are columns of the Security Lake table', () => {
    const top = new Set(securityLakeTable.columns.map((c) => c.name));
    for (const column of Object.values(json)) expect(top).toContain(column.split('.')[0]);
    expect(top).toContain(CLOUDTRAIL_ON_OCSF.rest?.field);
  });

  test('the Authentication-only paths still read from unmapped on other classes', () => {
    for (const path of MAPPED_AUTHENTICATION) expect(fields[path]).toContain(`'unmapped.${path}'`);
  });
});
