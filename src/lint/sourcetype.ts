import type { Check } from './check.js';

/**
 * The test data (`tests[].attack_data[].sourcetype`) must be of the sourcetype the search reads
 * (selected by its `cloudtrail` / `amazon_security_lake` macro); otherwise the detection's
 * tests replay events it never looks at.
 */
export const testSourcetype: Check = ({ detection, translation }) =>
  detection.testSourcetypes
    .filter((s) => s.toLowerCase() !== translation.sourcetype.toLowerCase())
    .map((s) => ({
      rule: 'test-sourcetype-mismatch' as const,
      message: `the test data is sourcetype ${s}, but the search reads ${translation.sourcetype}`,
      position: 'tests[].attack_data[].sourcetype',
    }));
