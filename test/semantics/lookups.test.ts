/**
 * lookup and inputlookup on DuckDB over our own events, with the lookups of
 * test/support/lookups.ts: matching as text (case-sensitive unless the lookup says otherwise),
 * several matches as a multivalue field in file order up to max_matches, OUTPUT and OUTPUTNEW,
 * inputlookup first, appended and in a subsearch. Every search also compiles for Athena and
 * must parse as Trino SQL.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalogOf } from '../../src/translate/lookups.js';
import { translateSearch } from '../../src/translate/translate.js';
import { ct, iamUser } from '../support/events.js';
import { macrosWith, makeLake, runSearch, type TestLake } from '../support/hunt.js';
import { TEST_LOOKUPS } from '../support/lookups.js';

// newest first: carol (E3), ALICE (E2), alice (E1)
const events = [
  ct({ time: '2026-11-18T07:00:00Z', who: iamUser('alice'), name: 'PutImage' }),
  ct({ time: '2026-11-18T08:00:00Z', who: iamUser('ALICE'), name: 'PutImage' }),
  ct({ time: '2026-11-18T09:00:00Z', who: iamUser('carol'), name: 'ListImages' }),
];

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events });
});
afterAll(() => lake.close());

const trino = new TrinoSQL();
const opts = { macros: macrosWith(), zone: 'UTC', lookups: TEST_LOOKUPS };

async function rows(search: string): Promise<Record<string, unknown>[]> {
  const athena = translateSearch(search, { dialect: 'athena', ...opts });
  expect(trino.validate(athena.sql), athena.sql).toEqual([]);
  return (await runSearch(lake, search, { lookups: TEST_LOOKUPS })).rows;
}
const ct_ = (spl: string) => rows(`\`cloudtrail\` ${spl}`);
const refusal = (search: string, dialect: 'duckdb' | 'athena' = 'duckdb', lookups = TEST_LOOKUPS): string => {
  try {
    translateSearch(search, { ...opts, dialect, lookups });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${search} to be refused`);
};

describe('lookup', () => {
  test('without OUTPUT: every other field; several matches in file order; case-sensitive by default', async () => {
    expect(await ct_('| lookup owners user AS userName | table userName team note')).toEqual([
      { userName: 'carol' },
      { userName: 'ALICE' },
      // alice matches rows 1 and 3: red then green; the empty note of row 1 is no value (a
      // multivalue field of one value, as hunt returns every multivalue field)
      { userName: 'alice', team: ['red', 'green'], note: ['x'] },
    ]);
  });

  test('case_sensitive_match: false matches any case; max_matches: 1 keeps the first row', async () => {
    expect(await ct_('| lookup owners_ci user AS userName OUTPUT team | table userName team')).toEqual([
      { userName: 'carol' },
      { userName: 'ALICE', team: 'red' },
      { userName: 'alice', team: 'red' },
    ]);
  });

  test('more rows than max_matches: the first max_matches rows of each key, in file order', async () => {
    // owners_two: alice has red, green, blue; max_matches 2
    expect(await ct_('| lookup owners_two user AS userName OUTPUT team | table userName team')).toEqual([
      { userName: 'carol' },
      { userName: 'ALICE' },
      { userName: 'alice', team: ['red', 'green'] },
    ]);
  });

  test('OUTPUT overwrites (no match: the field is gone); OUTPUTNEW fills only absent fields', async () => {
    expect(
      await ct_('| lookup owners_ci user AS userName OUTPUT team AS eventName | table userName eventName'),
    ).toEqual([
      { userName: 'carol' },
      { userName: 'ALICE', eventName: 'red' },
      { userName: 'alice', eventName: 'red' },
    ]);
    expect(
      await ct_(
        '| eval t=if(userName="alice", null(), "kept") | lookup owners_ci user AS userName OUTPUTNEW team AS t | table userName t',
      ),
    ).toEqual([
      { userName: 'carol', t: 'kept' },
      { userName: 'ALICE', t: 'kept' },
      { userName: 'alice', t: 'red' },
    ]);
  });

  test('min_matches 1 with default_match: an event with no match gets the default', async () => {
    expect(await ct_('| lookup owners_default user AS userName OUTPUT team | table userName team')).toEqual([
      { userName: 'carol', team: 'none' },
      { userName: 'ALICE', team: 'none' },
      { userName: 'alice', team: 'red' },
    ]);
  });

  test('an event without the match field matches nothing; an empty lookup matches nothing', async () => {
    expect(await ct_('| eval u=null() | lookup owners user AS u OUTPUT team | table userName team')).toEqual([
      { userName: 'carol' },
      { userName: 'ALICE' },
      { userName: 'alice' },
    ]);
    expect(await ct_('| lookup nobody user AS userName | stats count by team')).toEqual([]);
  });

  test('refused with the position: unknown lookups and fields, wildcard matching, no lookups at all', () => {
    expect(refusal('`cloudtrail` | lookup owner user')).toMatch(
      /unknown lookup `owner` \(defined: nobody, owners, .*\) \(at line 1, column/,
    );
    expect(refusal('`cloudtrail` | lookup owners usr AS userName')).toMatch(
      /lookup owners has no field usr \(fields: user, team, note\) \(at line 1, column/,
    );
    expect(refusal('`cloudtrail` | lookup owners user OUTPUT colour')).toMatch(/lookup owners has no field colour/);
    expect(refusal('`cloudtrail` | lookup patterns user AS userName')).toMatch(
      /lookup patterns matches user as a WILDCARD pattern \(match_type in lookups\/patterns\.yml\)/,
    );
    expect(refusal('`cloudtrail` | lookup owners user', 'duckdb', catalogOf([]))).toMatch(
      /unknown lookup `owners`: no lookups are configured/,
    );
    expect(refusal('`cloudtrail` | lookup local=t owners user')).toMatch(/`lookup` local= is not supported/);
  });
});

describe('inputlookup', () => {
  test('first: the rows in file order; where is a search (case-insensitive values)', async () => {
    expect(await rows('| inputlookup owners | table user team')).toEqual([
      { user: 'alice', team: 'red' },
      { user: 'bob', team: 'blue' },
      { user: 'alice', team: 'green' },
    ]);
    expect(await rows('| inputlookup owners where team=RED OR note=* | table user team note')).toEqual([
      { user: 'alice', team: 'red' },
      { user: 'bob', team: 'blue', note: "it's" },
      { user: 'alice', team: 'green', note: 'x' },
    ]);
    expect(await rows('| inputlookup owners where team=blue | table user')).toEqual([{ user: 'bob' }]);
  });

  test('append=t: the rows after the results, fields the union', async () => {
    expect(await ct_('| stats count by userName | inputlookup append=t owners | table userName user count')).toEqual([
      { userName: 'ALICE', count: 1 },
      { userName: 'alice', count: 1 },
      { userName: 'carol', count: 1 },
      { user: 'alice' },
      { user: 'bob' },
      { user: 'alice' },
    ]);
    // the option may follow the name, as ESCU writes it
    expect(await ct_('| stats count by userName | inputlookup nobody append=t | stats count')).toEqual([{ count: 3 }]);
  });

  test('a subsearch may start with it', async () => {
    expect(
      await ct_('[| inputlookup owners where team=red | rename user AS userName | table userName] | table userName'),
    ).toEqual([{ userName: 'ALICE' }, { userName: 'alice' }]);
  });

  test('refused: not first without append=t, options hunt does not implement, outputlookup (for now)', () => {
    expect(refusal('`cloudtrail` | inputlookup owners')).toMatch(
      /`inputlookup` must be the first command, unless it has append=t \(at line 1, column 16 of the search\)/,
    );
    expect(refusal('| inputlookup max=5 owners')).toMatch(/`inputlookup` max= is not supported/);
    expect(refusal('| inputlookup append=maybe owners')).toMatch(/append= must be true or false, found "maybe"/);
    expect(refusal('| inputlookup ghosts')).toMatch(/unknown lookup `ghosts`/);
  });
});

test('Athena refuses a lookup above its inline limit, naming the lookup and the limit', () => {
  const big = catalogOf([
    {
      name: 'big',
      kind: 'csv',
      file: 'big.yml',
      fields: ['v'],
      rows: Array.from({ length: 1400 }, (_, i) => [`${'x'.repeat(96)}${String(i).padStart(4, '0')}`]),
      caseSensitive: true,
      maxMatches: 1000,
      wildcardFields: [],
    },
  ]);
  expect(refusal('| inputlookup big', 'athena', big)).toMatch(
    /lookup big has 140,000 characters of values; athena takes at most 131,072 written into one query/,
  );
  // DuckDB takes it inline
  expect(translateSearch('| inputlookup big', { ...opts, dialect: 'duckdb', lookups: big }).sql).toContain('VALUES');
});

describe('stats with wildcards (ESCU baselines: stats values(*) as * by f)', () => {
  test('one aggregate per known field the pattern matches, BY fields aside, named by the AS pattern', async () => {
    expect(
      await ct_(
        '| stats count as n by userName | eval n2=n*2 | stats values(*) as * by userName | table userName n n2',
      ),
    ).toEqual([
      { userName: 'ALICE', n: ['1'], n2: ['2'] },
      { userName: 'alice', n: ['1'], n2: ['2'] },
      { userName: 'carol', n: ['1'], n2: ['2'] },
    ]);
    expect(
      await ct_('| stats count as n_a by userName | stats max(n_*) as top_* by userName | table userName top_a'),
    ).toEqual([
      { userName: 'ALICE', top_a: 1 },
      { userName: 'alice', top_a: 1 },
      { userName: 'carol', top_a: 1 },
    ]);
  });

  test('refused where the fields are not known (raw events), naming the aggregate and its position', () => {
    expect(refusal('`cloudtrail` | stats values(*) as * by userName')).toMatch(
      /values\(\*\): a wildcard needs the fields to be known here \(after stats, table, fields or inputlookup\) \(at line 1, column/,
    );
  });
});
