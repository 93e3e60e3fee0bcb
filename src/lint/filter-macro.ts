import { stemOf } from '../detections/load.js';
import type { Check } from './check.js';

/**
 * ESCU ends every search with `<stem>_filter`, the macro users override to tune the detection
 * (an empty `search *` by default). contentctl names it after the detection's name; the file
 * stem is the same name in every ESCU release, and either is accepted.
 */
export const filterMacro: Check = ({ detection }) => {
  const expected = [...new Set([`${stemOf(detection.file)}_filter`, `${nameSlug(detection.name)}_filter`])];
  const want = `\`${expected[0]}\``;
  const search = detection.search.trim();
  const last = /`\s*([A-Za-z0-9_\-.:]+)\s*(?:\([^`]*\))?\s*`$/.exec(search)?.[1];
  if (last !== undefined && expected.includes(last)) return [];
  const position = 'end of the search';
  if (last?.endsWith('_filter')) {
    return [
      {
        rule: 'missing-filter-macro',
        message: `the search ends with \`${last}\`, another detection's filter macro; expected ${want}`,
        position,
      },
    ];
  }
  const calls = [...search.matchAll(/`\s*([A-Za-z0-9_\-.:]+)/g)].map((m) => m[1] as string);
  if (calls.some((c) => expected.includes(c))) {
    return [
      {
        rule: 'missing-filter-macro',
        message: `${want} is not at the end of the search: what comes after it cannot be tuned`,
        position,
      },
    ];
  }
  return [
    {
      rule: 'missing-filter-macro',
      message: `the search does not end with ${want}, so users cannot tune it without editing the detection`,
      position,
    },
  ];
};

/** contentctl's macro name for a detection name: lower case, spaces and - . / as underscores. */
export const nameSlug = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[ \-./]/g, '_');
