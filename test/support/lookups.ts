/** Lookup tables for the compiler and semantics tests, as the loader hands them to the compiler. */
import type { LookupTable } from '../../src/plan/lookup-table.js';
import { catalogOf } from '../../src/translate/lookups.js';

const table = (t: Partial<LookupTable> & Pick<LookupTable, 'name' | 'fields' | 'rows'>): LookupTable => ({
  kind: 'csv',
  file: `lookups/${t.name}.yml`,
  caseSensitive: true,
  maxMatches: 1000,
  wildcardFields: [],
  ...t,
});

/** owners: alice twice (file order red, green), bob once; an empty note and a quote in a value. */
const OWNER_ROWS = [
  ['alice', 'red', null],
  ['bob', 'blue', "it's"],
  ['alice', 'green', 'x'],
];

export const TEST_LOOKUPS = catalogOf([
  table({ name: 'owners', fields: ['user', 'team', 'note'], rows: OWNER_ROWS }),
  // case-insensitive, first match only
  table({ name: 'owners_ci', fields: ['user', 'team', 'note'], rows: OWNER_ROWS, caseSensitive: false, maxMatches: 1 }),
  // more rows than max_matches: the matches are ranked per key
  table({
    name: 'owners_two',
    fields: ['user', 'team', 'note'],
    rows: [...OWNER_ROWS, ['alice', 'blue', null]],
    maxMatches: 2,
  }),
  // min_matches 1, default_match none: an event with no match gets "none"
  table({
    name: 'owners_default',
    fields: ['user', 'team', 'note'],
    rows: OWNER_ROWS,
    maxMatches: 1,
    defaultMatch: 'none',
  }),
  table({ name: 'nobody', kind: 'kvstore', fields: ['user', 'team'], rows: [] }),
  table({ name: 'patterns', fields: ['user', 'team'], rows: [['a*', 'red']], wildcardFields: ['user'] }),
]);
