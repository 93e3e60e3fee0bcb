/**
 * The commands and eval functions beyond the ECR detections (regex, rex, eventstats, append,
 * join, subsearches, dedup, sort, head/tail, multivalue stats, eval functions), one test per
 * rule, each run through the real importer and DuckDB over our own events. Expected rows are
 * worked out by hand from Splunk's documented semantics. Every search is also compiled for
 * Athena and must parse as Trino SQL.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { translateSearch } from '../../src/translate/translate.js';
import { assumedRole, ct, iamUser } from '../support/events.js';
import { macrosWith, makeLake, runSearch, type SearchOptions, type TestLake } from '../support/hunt.js';

const at = (iso: string): number => Date.parse(iso) / 1000;

// Results of a search without stats come newest first: E6, E5, E4, E3, E2, E1.
const events = [
  // E1
  ct({
    time: '2026-11-18T07:00:00Z',
    who: iamUser('alice'),
    name: 'PutImage',
    ip: '10.0.0.5',
    request: { repositoryName: 'web', tags: ['b', 'a', '10'], size: '9' },
  }),
  // E2
  ct({
    time: '2026-11-18T08:00:00Z',
    who: iamUser('bob'),
    name: 'PutImage',
    ip: '10.0.0.6',
    request: { repositoryName: 'api', tags: ['9', 'b'], size: '10' },
  }),
  // E3
  ct({
    time: '2026-11-18T09:00:00Z',
    who: iamUser('alice'),
    name: 'ListImages',
    ip: '192.168.1.1',
    request: { repositoryName: 'web' },
  }),
  // E4: an assumed role; userName is the role's name
  ct({
    time: '2026-11-18T10:00:00Z',
    who: assumedRole('deployer', 's1'),
    name: 'ListImages',
    ip: '10.0.0.5',
    request: { repositoryName: 'api', note: 'x' },
  }),
  // E5
  ct({
    time: '2026-11-18T11:00:00Z',
    who: iamUser('carol'),
    name: 'DeleteRepository',
    ip: '203.0.113.9',
    request: { repositoryName: 'old' },
    extra: { errorCode: 'AccessDenied' },
  }),
  // E6
  ct({
    time: '2026-11-18T12:00:00Z',
    who: iamUser('alice'),
    name: 'ListImages',
    ip: '10.0.0.5',
    request: { repositoryName: 'web' },
  }),
];
const T = {
  E1: at('2026-11-18T07:00:00Z'),
  E2: at('2026-11-18T08:00:00Z'),
  E3: at('2026-11-18T09:00:00Z'),
  E4: at('2026-11-18T10:00:00Z'),
  E5: at('2026-11-18T11:00:00Z'),
  E6: at('2026-11-18T12:00:00Z'),
};

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events });
});
afterAll(() => lake.close());

const trino = new TrinoSQL();

/** Runs `cloudtrail <search>` on DuckDB; the Athena rendering of the same search must parse as Trino. */
async function run(search: string, opts: SearchOptions = {}) {
  const spl = `\`cloudtrail\` ${search}`;
  const athena = translateSearch(spl, { dialect: 'athena', macros: macrosWith(opts.macros), zone: opts.zone ?? 'UTC' });
  expect(trino.validate(athena.sql), athena.sql).toEqual([]);
  return runSearch(lake, spl, opts);
}
const rows = async (search: string, opts: SearchOptions = {}) => (await run(search, opts)).rows;
const warnings = async (search: string) => (await run(search)).translation.warnings.map((w) => w.message);
const refusal = (search: string): string => {
  try {
    translateSearch(`\`cloudtrail\` ${search}`, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${search} to be refused`);
};
const col = async (search: string, field: string) => (await rows(search)).map((r) => r[field]);

describe('regex', () => {
  test('field="re" keeps events where the field matches anywhere (unanchored)', async () => {
    expect(await col('| regex userName="^a" | table userName', 'userName')).toEqual(['alice', 'alice', 'alice']);
    // unanchored: "li" inside alice
    expect(await col('| regex userName="li" | table _time', '_time')).toEqual([T.E6, T.E3, T.E1]);
  });

  test('field!="re" keeps the other events, including those without the field', async () => {
    expect(await col('| regex userName!="^a" | table userName', 'userName')).toEqual(['carol', 'deployer', 'bob']);
    // only E4 has requestParameters.note: = keeps it alone, != keeps all the others
    expect(await col('| regex requestParameters.note="x" | table _time', '_time')).toEqual([T.E4]);
    expect(await col('| regex requestParameters.note!="x" | table _time', '_time')).toEqual([
      T.E6,
      T.E5,
      T.E3,
      T.E2,
      T.E1,
    ]);
  });

  test('a multivalue field matches when any of its values does', async () => {
    // E1 tags b,a,10 and E2 tags 9,b both have a number; only E1 has "a"
    expect(await col('| regex requestParameters.tags{}="^[0-9]+$" | table _time', '_time')).toEqual([T.E2, T.E1]);
    expect(await col('| regex requestParameters.tags{}="^a$" | table _time', '_time')).toEqual([T.E1]);
    expect(await col('| regex requestParameters.tags{}!="^a$" | table _time', '_time')).toEqual([
      T.E6,
      T.E5,
      T.E4,
      T.E3,
      T.E2,
    ]);
  });

  test('a field nothing defines: = keeps nothing, != keeps everything, with a warning', async () => {
    expect(await col('| regex nosuch="." | table _time', '_time')).toEqual([]);
    expect(await col('| regex nosuch!="." | stats count', 'count')).toEqual([6]);
    expect(await warnings('| regex nosuch="." | stats count')).toContain(
      'regex nosuch=: no source field or earlier command defines nosuch, so no event is kept',
    );
  });

  test('regex without a field reads _raw: the event rebuilt as JSON text (test/semantics/raw-text.test.ts)', async () => {
    // the quotes are JSON's: only E4's requestParameters has the key "note"
    expect(await col('| regex "\\"note\\":\\"x\\"" | table _time', '_time')).toEqual([T.E4]);
    expect(refusal('| stats count by userName | regex "x"')).toBe(
      '`regex` over _raw is not supported: the raw events are gone at this point (after stats or table); name the field (regex field=...) (at line 1, column 42 of the search)',
    );
  });
});

describe('rex', () => {
  test('named groups of the first match become fields', async () => {
    const r = await rows(
      'eventName=PutImage | rex field=userAgent "^(?<client>[a-z]+)/(?<ver>[0-9.]+)" | table client ver',
    );
    expect(r).toEqual([
      { client: 'docker', ver: '24.0.7' },
      { client: 'docker', ver: '24.0.7' },
    ]);
  });

  test('where the regex does not match, the field keeps its value', async () => {
    // IPs starting with 10. get "10", the others keep "none"
    const r = await rows('| eval net="none" | rex field=sourceIPAddress "^(?<net>10)\\." | table net');
    expect(r.map((x) => x.net)).toEqual(['10', 'none', '10', 'none', '10', '10']);
  });

  test('unnamed groups count: the named group after them is still found', async () => {
    expect(
      await col(
        'eventName=DeleteRepository | rex field=sourceIPAddress "(\\d+)\\.(?:\\d+)\\.(?<third>\\d+)" | table third',
        'third',
      ),
    ).toEqual(['113']);
  });

  test('max_match=0 takes every match as a multivalue field; max_match=N the first N', async () => {
    expect(
      await col(
        'eventName=DeleteRepository | rex field=sourceIPAddress max_match=0 "(?<oct>[0-9]+)" | table oct',
        'oct',
      ),
    ).toEqual([['203', '0', '113', '9']]);
    expect(
      await col(
        'eventName=DeleteRepository | rex max_match=2 field=sourceIPAddress "(?<oct>[0-9]+)" | table oct',
        'oct',
      ),
    ).toEqual([['203', '0']]);
  });

  test('a field only some events have: the others extract nothing', async () => {
    expect(await rows('| rex field=requestParameters.note "(?<n>.)" | stats count by n')).toEqual([
      { n: 'x', count: 1 },
    ]);
  });

  test('mode=sed is refused by name; rex over _raw only while the events are there', () => {
    expect(refusal('| rex field=userName mode=sed "s/a/b/g"')).toMatch(/^`rex` mode=sed is not supported/);
    expect(refusal('| table userName | rex "(?<x>.)"')).toMatch(
      /^`rex` over _raw is not supported: the raw events are gone at this point/,
    );
  });
});

describe('match() and the . operator', () => {
  test('match() takes a regex computed per event', async () => {
    expect(
      await col('| eval p=if(userName="alice", "^al", "^zz") | where match(userName, p) | table _time', '_time'),
    ).toEqual([T.E6, T.E3, T.E1]);
  });

  test('match(a.b, c.d) of unquoted dotted names: concatenations of fields that do not exist, so if() gives 0 for every event', async () => {
    // as aws_createaccesskey writes it: userIdentity and requestParameters are no fields
    const search =
      '| eval match=if(match(userIdentity.userName,requestParameters.userName),1,0) | stats count by match';
    expect(await rows(search)).toEqual([{ match: 0, count: 6 }]);
    const w = await warnings(search);
    expect(w).toContain(
      "unquoted userIdentity.userName in eval is the . concatenation of the fields userIdentity and userName, and userIdentity is not a field, so it is always empty; 'userIdentity.userName' (single quotes) would read the field (a content bug: hunt keeps Splunk's result)",
    );
    expect(w).toContain(
      'match(userIdentity.userName,requestParameters.userName) is never true: its text and its regex are always empty, so it is null for every event (if() takes its else branch, where drops the event)',
    );
    // quoted, the same comparison reads the fields: alice's events match their own name
    expect(await rows("| eval m=if(match('userIdentity.userName', userName),1,0) | stats count by m")).toEqual([
      { m: 0, count: 1 },
      { m: 1, count: 5 },
    ]);
  });
});

describe('stats over multivalue fields and _raw', () => {
  test('values(), dc() and count() see every value of every event', async () => {
    // tags: E1 b,a,10 and E2 9,b; values sorted as text ("10" < "9" < "a")
    expect(
      await rows(
        '| stats values(requestParameters.tags{}) as v dc(requestParameters.tags{}) as d count(requestParameters.tags{}) as c',
      ),
    ).toEqual([{ v: ['10', '9', 'a', 'b'], d: 4, c: 5 }]);
    expect(
      await rows('| stats values(requestParameters.tags{}) as v count(requestParameters.tags{}) as c by userName'),
    ).toEqual([
      { userName: 'alice', v: ['10', 'a', 'b'], c: 3 },
      { userName: 'bob', v: ['9', 'b'], c: 2 },
      // no tags: no values field, a count of 0
      { userName: 'carol', c: 0 },
      { userName: 'deployer', c: 0 },
    ]);
  });

  test('dc(_raw) counts distinct events (the event id stands for the raw text)', async () => {
    expect(await rows('| stats dc(_raw) as n count by userName')).toEqual([
      { userName: 'alice', n: 3, count: 3 },
      { userName: 'bob', n: 1, count: 1 },
      { userName: 'carol', n: 1, count: 1 },
      { userName: 'deployer', n: 1, count: 1 },
    ]);
    expect(refusal('| stats count by userName | stats dc(_raw)')).toMatch(
      /^dc\(_raw\): the raw events are gone at this point/,
    );
  });
});

describe('more stats functions', () => {
  test('list() keeps the values in result order, duplicates included; first() and last() the first and last of them', async () => {
    // alice's events newest first: E6 10.0.0.5, E3 192.168.1.1, E1 10.0.0.5
    expect(
      await rows(
        'userName=alice | stats list(sourceIPAddress) as ips first(sourceIPAddress) as newest last(sourceIPAddress) as oldest',
      ),
    ).toEqual([{ ips: ['10.0.0.5', '192.168.1.1', '10.0.0.5'], newest: '10.0.0.5', oldest: '10.0.0.5' }]);
    expect(await rows('userName=alice | sort _time | stats list(eventName) as names first(_time) as t')).toEqual([
      { names: ['PutImage', 'ListImages', 'ListImages'], t: T.E1 },
    ]);
    // every value of a multivalue field, in order
    expect(await rows('| sort _time | stats list(requestParameters.tags{}) as tags')).toEqual([
      { tags: ['b', 'a', '10', '9', 'b'] },
    ]);
    expect(refusal('| eventstats list(userName) as l')).toMatch(
      /^list\(\), first\(\) and last\(\) are not supported in eventstats/,
    );
  });

  test('var() is the sample variance, range() max - min', async () => {
    // sizes 9 and 10
    expect(await rows('| stats var(requestParameters.size) as v range(requestParameters.size) as r')).toEqual([
      { v: 0.5, r: 1 },
    ]);
  });
});

describe('eventstats', () => {
  test("adds each group's aggregates to every row, keeping the rows and their order", async () => {
    expect(
      await rows('| eventstats count as n dc(eventName) as kinds by userName | table userName eventName n kinds'),
    ).toEqual([
      { userName: 'alice', eventName: 'ListImages', n: 3, kinds: 2 },
      { userName: 'carol', eventName: 'DeleteRepository', n: 1, kinds: 1 },
      { userName: 'deployer', eventName: 'ListImages', n: 1, kinds: 1 },
      { userName: 'alice', eventName: 'ListImages', n: 3, kinds: 2 },
      { userName: 'bob', eventName: 'PutImage', n: 1, kinds: 1 },
      { userName: 'alice', eventName: 'PutImage', n: 3, kinds: 2 },
    ]);
  });

  test('rows whose BY field is missing are kept and get no aggregate', async () => {
    // only E4 has requestParameters.note
    expect(await rows('| eventstats count as n by requestParameters.note | table eventName n')).toEqual([
      { eventName: 'ListImages' },
      { eventName: 'DeleteRepository' },
      { eventName: 'ListImages', n: 1 },
      { eventName: 'ListImages' },
      { eventName: 'PutImage' },
      { eventName: 'PutImage' },
    ]);
  });

  test('without BY, over all rows: avg, stdev, sum, min, max, values', async () => {
    // sizes 9 (E1) and 10 (E2): avg 9.5, sample stdev sqrt(0.5), min/max numeric
    const r = await rows(
      '| eventstats avg(requestParameters.size) as a stdev(requestParameters.size) as sd sum(requestParameters.size) as s min(requestParameters.size) as lo max(requestParameters.size) as hi values(requestParameters.size) as v | search eventName=DeleteRepository | table a sd s lo hi v',
    );
    expect(r).toEqual([{ a: 9.5, sd: Math.sqrt(0.5), s: 19, lo: '9', hi: '10', v: ['10', '9'] }]);
  });

  test('a later filter does not change the groups', async () => {
    // alice has 3 events; after keeping only her PutImage, the count is still 3
    expect(
      await rows('| eventstats count as n by userName | search eventName=PutImage userName=alice | table n'),
    ).toEqual([{ n: 3 }]);
  });

  test('over stats results (the failed-authentications outlier pattern)', async () => {
    expect(
      await rows(
        '| stats count by userName | eventstats avg(count) as avg max(count) as top | where count >= top | table userName count avg',
      ),
    ).toEqual([{ userName: 'alice', count: 3, avg: 1.5 }]);
  });
});

describe('append', () => {
  test("the subsearch's rows come after the main rows; field sets may differ", async () => {
    const r = await rows(
      'eventName=PutImage | table userName eventName | append [search `cloudtrail` eventName=ListImages | stats count by sourceIPAddress] | table userName eventName sourceIPAddress count',
    );
    expect(r).toEqual([
      { userName: 'bob', eventName: 'PutImage' },
      { userName: 'alice', eventName: 'PutImage' },
      // stats output, ordered by its BY field
      { sourceIPAddress: '10.0.0.5', count: 2 },
      { sourceIPAddress: '192.168.1.1', count: 1 },
    ]);
  });

  test('later commands see the union', async () => {
    expect(
      await rows('eventName=PutImage | append [search `cloudtrail` eventName=ListImages] | stats count by eventName'),
    ).toEqual([
      { eventName: 'ListImages', count: 3 },
      { eventName: 'PutImage', count: 2 },
    ]);
    // fillnull sees the fields of every row: requestParameters.note (E4, appended) is filled in the main rows
    expect(
      await rows(
        'eventName=PutImage | append [search `cloudtrail` eventName=ListImages userName=deployer] | fillnull | stats count by requestParameters.note',
      ),
    ).toEqual([
      { 'requestParameters.note': '0', count: 2 },
      { 'requestParameters.note': 'x', count: 1 },
    ]);
  });

  test('dc(_raw) after append counts the events of both searches', async () => {
    // E1 is in both: append does not deduplicate
    expect(
      await rows('eventName=PutImage | append [search `cloudtrail` userName=alice] | stats dc(_raw) as distinct count'),
    ).toEqual([{ distinct: 4, count: 5 }]);
  });

  test('a subsearch without rows adds nothing', async () => {
    expect(await rows('eventName=PutImage | append [search `cloudtrail` eventName=Nope] | stats count')).toEqual([
      { count: 2 },
    ]);
  });
});

describe('join', () => {
  test('inner join: matching rows get the subsearch fields, which overwrite; unmatched rows are dropped', async () => {
    // alice's PutImage (10.0.0.5) joins her newest ListImages (E6, 10.0.0.5); bob has no ListImages
    expect(
      await rows(
        'eventName=PutImage | table userName sourceIPAddress | join userName [search `cloudtrail` eventName=ListImages | eval where=sourceIPAddress | table userName where]',
      ),
    ).toEqual([{ userName: 'alice', sourceIPAddress: '10.0.0.5', where: '10.0.0.5' }]);
    // overwrite: the subsearch's sourceIPAddress replaces the main one; E6 comes first in the subsearch
    expect(
      await rows(
        'eventName=PutImage | table userName sourceIPAddress | join userName [search `cloudtrail` eventName=ListImages | table userName sourceIPAddress]',
      ),
    ).toEqual([{ userName: 'alice', sourceIPAddress: '10.0.0.5' }]);
    expect(
      await rows(
        'eventName=PutImage | table userName sourceIPAddress | join userName [search `cloudtrail` eventName=ListImages | sort _time | table userName sourceIPAddress]',
      ),
    ).toEqual([{ userName: 'alice', sourceIPAddress: '192.168.1.1' }]);
    expect(
      await rows(
        'eventName=PutImage | table userName sourceIPAddress | join overwrite=false userName [search `cloudtrail` eventName=ListImages | sort _time | table userName sourceIPAddress]',
      ),
    ).toEqual([{ userName: 'alice', sourceIPAddress: '10.0.0.5' }]);
  });

  test('max=1 (the default) joins the first matching subsearch row; max=0 all of them, in subsearch order', async () => {
    const sub = '[search `cloudtrail` | table requestParameters.repositoryName eventName]';
    // PutImage E2 (api) and E1 (web); newest api row is E4 ListImages, newest web row E6 ListImages
    expect(
      await rows(
        `eventName=PutImage | table _time requestParameters.repositoryName | join requestParameters.repositoryName ${sub}`,
      ),
    ).toEqual([
      { _time: T.E2, 'requestParameters.repositoryName': 'api', eventName: 'ListImages' },
      { _time: T.E1, 'requestParameters.repositoryName': 'web', eventName: 'ListImages' },
    ]);
    expect(
      (
        await rows(
          `eventName=PutImage | table _time requestParameters.repositoryName | join max=0 requestParameters.repositoryName ${sub}`,
        )
      ).map((r) => [r._time, r.eventName]),
    ).toEqual([
      // api: E4, E2; web: E6, E3, E1
      [T.E2, 'ListImages'],
      [T.E2, 'PutImage'],
      [T.E1, 'ListImages'],
      [T.E1, 'ListImages'],
      [T.E1, 'PutImage'],
    ]);
  });

  test('rows missing a join field match nothing; type=left keeps unmatched rows as they are', async () => {
    // only E4 has requestParameters.note
    const sub = '[search `cloudtrail` | table requestParameters.note userName]';
    expect(
      await rows(`eventName=PutImage | table userName requestParameters.note | join requestParameters.note ${sub}`),
    ).toEqual([]);
    expect(
      await rows(
        `eventName=PutImage | table userName | join type=left userName [search \`cloudtrail\` eventName=ListImages | table userName sourceIPAddress]`,
      ),
    ).toEqual([{ userName: 'bob' }, { userName: 'alice', sourceIPAddress: '10.0.0.5' }]);
  });

  test('join without field names is refused', () => {
    expect(refusal('| join [search `cloudtrail` | table userName]')).toMatch(
      /^`join` without field names .* is not supported; name the fields/,
    );
  });
});

describe('[search ...] as a search term', () => {
  test("the subsearch's rows become an OR of field=value terms", async () => {
    // ListImages users: alice, deployer
    expect(
      await rows('[search `cloudtrail` eventName=ListImages | table userName] | stats count by eventName userName'),
    ).toEqual([
      { eventName: 'ListImages', userName: 'alice', count: 2 },
      { eventName: 'ListImages', userName: 'deployer', count: 1 },
      { eventName: 'PutImage', userName: 'alice', count: 1 },
    ]);
  });

  test('the fields of one row are ANDed; a field a row lacks is left out of its group', async () => {
    // rows (alice, 10.0.0.5), (alice, 192.168.1.1), (deployer, 10.0.0.5): E1 alice 10.0.0.5 matches, E2 bob does not
    expect(
      await col('[search `cloudtrail` eventName=ListImages | table userName sourceIPAddress] | table _time', '_time'),
    ).toEqual([T.E6, T.E4, T.E3, T.E1]);
    // rows (alice, -), (deployer, note x), (alice, -): deployer AND note=x, or alice
    expect(
      await rows(
        '[search `cloudtrail` eventName=ListImages | table userName requestParameters.note] | stats count by eventName',
      ),
    ).toEqual([
      { eventName: 'ListImages', count: 3 },
      { eventName: 'PutImage', count: 1 },
    ]);
  });

  test('values match as search terms do: any case, * a wildcard', async () => {
    expect(
      await col(
        '[search `cloudtrail` eventName=DeleteRepository | eval userName=upper(userName) | table userName] | table userName',
        'userName',
      ),
    ).toEqual(['carol']);
    expect(
      await col(
        '[search `cloudtrail` eventName=DeleteRepository | eval userName="b*" | table userName] | table userName',
        'userName',
      ),
    ).toEqual(['bob']);
  });

  test('a subsearch without rows makes the search match nothing', async () => {
    expect(await rows('[search `cloudtrail` eventName=Nope | table userName] | stats count')).toEqual([{ count: 0 }]);
  });

  test('its fields must be known: it ends with table, fields or stats', () => {
    expect(refusal('[search `cloudtrail` eventName=Nope] | stats count')).toMatch(
      /must end with table, fields or stats/,
    );
  });
});

describe('commands refused by name', () => {
  test.each([
    ['| transaction userName', 'unsupported command `transaction` (at line 1, column 16 of the search)'],
    ['| frobnicate', 'unsupported command `frobnicate` (at line 1, column 16 of the search)'],
    // inside a subsearch, at its own position
    [
      '[search `cloudtrail` | transaction x | table a]',
      'unsupported command `transaction` (at line 1, column 37 of the search)',
    ],
  ])('%s', (search, message) => {
    expect(refusal(search)).toBe(message);
  });
});

describe('time range terms', () => {
  test('earliest= and latest= in a search are refused: the window comes from the schedule', () => {
    expect(refusal('earliest=-24h eventName=PutImage')).toMatch(
      /^earliest=-24h in a search sets the time range, which hunt takes from the schedule/,
    );
    expect(refusal('| search latest=now')).toMatch(/^latest=now in a search sets the time range/);
  });
});

describe('dedup, sort, head, tail', () => {
  test('dedup keeps the first event of each combination, in the current order', async () => {
    expect(await rows('| dedup userName | table userName eventName')).toEqual([
      { userName: 'alice', eventName: 'ListImages' },
      { userName: 'carol', eventName: 'DeleteRepository' },
      { userName: 'deployer', eventName: 'ListImages' },
      { userName: 'bob', eventName: 'PutImage' },
    ]);
    // alice's second event (E3) is kept, her third (E1) is not
    expect(await col('| dedup 2 userName | table _time', '_time')).toEqual([T.E6, T.E5, T.E4, T.E3, T.E2]);
    // after sort, the first is the oldest
    expect(await col('| sort _time | dedup userName eventName | table _time', '_time')).toEqual([
      T.E1,
      T.E2,
      T.E3,
      T.E4,
      T.E5,
    ]);
  });

  test('dedup drops events missing a field; keepempty=true is refused', async () => {
    expect(await col('| dedup requestParameters.note | table _time', '_time')).toEqual([T.E4]);
    expect(refusal('| dedup userName keepempty=true')).toMatch(/^`dedup` keepempty=true is not supported/);
  });

  test('sort: numbers numerically before other text, lexicographically; missing values last; ties keep their order', async () => {
    const search =
      '| eval k=case(userName="alice", "10", userName="bob", "9", userName="carol", "b") | sort k | table _time k';
    expect(await rows(search)).toEqual([
      { _time: T.E2, k: '9' },
      { _time: T.E6, k: '10' },
      { _time: T.E3, k: '10' },
      { _time: T.E1, k: '10' },
      { _time: T.E5, k: 'b' },
      { _time: T.E4 },
    ]);
    expect(await rows(search.replace('sort k', 'sort -k, _time'))).toEqual([
      { _time: T.E5, k: 'b' },
      { _time: T.E1, k: '10' },
      { _time: T.E3, k: '10' },
      { _time: T.E6, k: '10' },
      { _time: T.E2, k: '9' },
      { _time: T.E4 },
    ]);
    // str(): as text "10" < "9" < "b"
    expect(
      await col('| eval k=case(userName="alice", "10", userName="bob", "9") | dedup k | sort str(k) | table k', 'k'),
    ).toEqual(['10', '9']);
  });

  test('sort N keeps the first N; Splunk keeps 10,000 by default, sort 0 keeps all', async () => {
    expect(await col('| sort 2 _time | table _time', '_time')).toEqual([T.E1, T.E2]);
    expect(await col('| sort limit=1 - _time | table _time', '_time')).toEqual([T.E6]);
    const sql = async (s: string) => (await run(s)).translation.sql;
    expect(await sql('| sort _time | table _time')).toMatch(/<= 10000\b/);
    expect(await sql('| sort 0 _time | table _time')).not.toMatch(/10000/);
  });

  test('head N keeps the first N; tail N the last N, in reverse order', async () => {
    expect(await col('| head 2 | table _time', '_time')).toEqual([T.E6, T.E5]);
    expect(await col('| tail 2 | table _time', '_time')).toEqual([T.E1, T.E2]);
    // head's default is 10
    expect(await col('| head | stats count', 'count')).toEqual([6]);
    expect(await rows('| stats count by userName | head 1')).toEqual([{ userName: 'alice', count: 3 }]);
    // after head, a filter keeps only what head kept
    expect(await col('| head 3 | search userName=alice | table _time', '_time')).toEqual([T.E6]);
  });

  test('table and fields take wildcards over a known field list', async () => {
    expect(await rows('| stats count dc(eventName) as events by userName | table user* count | head 1')).toEqual([
      { userName: 'alice', count: 3 },
    ]);
    expect(await rows('| stats count dc(eventName) as events by userName | fields - *s | head 1')).toEqual([
      { userName: 'alice', count: 3 },
    ]);
  });
});

describe('eval functions', () => {
  const e1 = (expr: string) => rows(`eventName=PutImage userName=alice | eval ${expr} | table x`).then((r) => r[0]?.x);

  test('case() is null when nothing matches; like() takes % and _', async () => {
    expect(await col('| eval x=case(userName="bob", "b", userName="alice", "a") | table x', 'x')).toEqual([
      'a',
      undefined,
      undefined,
      'a',
      'b',
      'a',
    ]);
    expect(await col('| where like(userName, "_l%") | table _time', '_time')).toEqual([T.E6, T.E3, T.E1]);
  });

  test('mvcount, mvappend, mvindex, mvjoin, mvzip, mvfilter, mvdedup', async () => {
    const tags = "'requestParameters.tags{}'";
    expect(await e1(`x=mvcount(${tags})`)).toBe(3);
    expect(await e1(`x=mvappend(${tags}, "z")`)).toEqual(['b', 'a', '10', 'z']);
    expect(await e1(`x=mvindex(${tags}, 1)`)).toBe('a');
    expect(await e1(`x=mvindex(${tags}, -1)`)).toBe('10');
    expect(await e1(`x=mvindex(${tags}, 0, 1)`)).toEqual(['b', 'a']);
    expect(await e1(`x=mvindex(${tags}, 1, 9)`)).toEqual(['a', '10']);
    expect(await e1(`x=mvindex(${tags}, 5, 9)`)).toBeUndefined();
    expect(await e1(`x=mvjoin(${tags}, ";")`)).toBe('b;a;10');
    // as long as the shorter list
    expect(await e1(`x=mvzip(${tags}, split("1,2", ","), "=")`)).toEqual(['b=1', 'a=2']);
    expect(await e1(`x=mvzip(${tags}, ${tags})`)).toEqual(['b,b', 'a,a', '10,10']);
    expect(await e1(`x=mvfilter(match(${tags}, "^[0-9]+$"))`)).toEqual(['10']);
    expect(await e1(`x=mvfilter(${tags}="nope")`)).toBeUndefined();
    // first occurrences, in order
    expect(await e1(`x=mvdedup(mvappend("z", ${tags}, "b", "z"))`)).toEqual(['z', 'b', 'a', '10']);
    // a missing field: no count
    expect(await col(`eventName=ListImages | eval x=mvcount(${tags}) | table x`, 'x')).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('len, lower, upper, substr, replace, round, tonumber, tostring', async () => {
    expect(await e1('x=len(userName)')).toBe(5);
    expect(await e1('x=upper(userName).lower("B")')).toBe('ALICEb');
    expect(await e1('x=substr(userName, 2, 3)')).toBe('lic');
    expect(await e1('x=substr(userName, -3)')).toBe('ice');
    // every match; \\1 is the first group
    expect(await e1('x=replace(userName, "([aeiou])", "<\\1>")')).toBe('<a>l<i>c<e>');
    expect(await e1('x=replace(userName, "^(\\w)", "$\\1")')).toBe('$alice');
    expect(await e1('x=round(2.567, 2)')).toBe(2.57);
    expect(await e1('x=round(2.5)')).toBe(3);
    expect(await e1('x=tonumber("12") + 1')).toBe(13);
    expect(await e1('x=tostring(12) . "x"')).toBe('12x');
  });

  test('cidrmatch, isnum, isstr, typeof', async () => {
    expect(await col('| eval x=if(cidrmatch("10.0.0.0/24", sourceIPAddress), "in", "out") | table x', 'x')).toEqual([
      'in',
      'out',
      'in',
      'out',
      'in',
      'in',
    ]);
    expect(await col('| eval x=if(cidrmatch("10.0.0.4/31", sourceIPAddress), "in", "out") | table x', 'x')).toEqual([
      'in',
      'out',
      'in',
      'out',
      'out',
      'in',
    ]);
    expect(
      await e1(
        `x=if(isnum('requestParameters.size'), "n", "s") . if(isstr(userName), "s", "n") . if(isstr('requestParameters.size'), "s", "n")`,
      ),
    ).toBe('nsn');
    expect(
      await e1(`x=typeof('requestParameters.size') . "/" . typeof(userName) . "/" . typeof(nosuch) . "/" . typeof(1)`),
    ).toBe('Number/String/Invalid/Number');
    expect(refusal('| eval x=if(cidrmatch("2001:db8::/32", sourceIPAddress), 1, 0)')).toMatch(
      /is not an IPv4 CIDR block/,
    );
  });

  test('strftime and strptime in the configured zone; relative_time snaps there', async () => {
    expect(await e1('x=strftime(_time, "%Y-%m-%d %H:%M")')).toBe('2026-11-18 07:00');
    expect(await e1('x=strptime("2026-11-18 07:00:00", "%Y-%m-%d %H:%M:%S")')).toBe(T.E1);
    expect(await e1('x=strptime("not a time", "%Y-%m-%d")')).toBeUndefined();
    expect(await e1('x=relative_time(_time, "-1d@d")')).toBe(at('2026-11-17T00:00:00Z'));
    // 2026-11-18 is a Wednesday: @w1 is Monday the 16th
    expect(await e1('x=relative_time(_time, "@w1")')).toBe(at('2026-11-16T00:00:00Z'));
    expect(await e1('x=relative_time(_time, "+1mon@mon")')).toBe(at('2026-12-01T00:00:00Z'));
    expect(await e1('x=relative_time(_time, "-90m@h")')).toBe(at('2026-11-18T05:00:00Z'));
    // in Tokyo (UTC+9) 07:00Z is 16:00 on the 18th: the day starts at 15:00Z on the 17th
    const tokyo = await rows(
      'eventName=PutImage userName=alice | eval x=relative_time(_time, "@d"), y=strptime("2026-11-18 16:00:00", "%Y-%m-%d %H:%M:%S") | table x y',
      { zone: 'Asia/Tokyo' },
    );
    expect(tokyo).toEqual([{ x: at('2026-11-17T15:00:00Z'), y: T.E1 }]);
  });

  test("now() is the searched window's latest bound", async () => {
    const r = await rows('eventName=PutImage userName=alice | eval x=now() - _time | table x', {
      latest: '2026-11-19T00:00:00Z',
    });
    expect(r).toEqual([{ x: at('2026-11-19T00:00:00Z') - T.E1 }]);
  });
});
