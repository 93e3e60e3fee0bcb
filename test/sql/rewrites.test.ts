/**
 * The plan rewrites, as the SQL they leave: eventstats (aggregates as window functions over the
 * BY fields) and batching (many tiled windows in one query, every row numbered by its window).
 */
import { describe } from 'vitest';
import type { DialectName } from '../../src/sql/dialect.js';
import { batchedSql, querySql } from './compile.js';
import { exactRows, fragmentRows, type Row } from './rows.js';

describe('eventstats: each row gets its group aggregate; rows without a BY field get none', () => {
  exactRows(
    [
      [
        '| eventstats count by eventName | table eventName count',
        'with "s1" as (select "t"."eventname" as "eventname", CASE WHEN ("t"."eventname" IS NOT NULL) THEN count(*) OVER (PARTITION BY "t"."eventname") END as "count", {time} as "o1" from {cloudtrail} as "t" where ({window})) select "s1"."eventname" as "eventname", "s1"."count" as "count" from "s1" as "s1" order by "s1"."o1" DESC NULLS LAST',
      ],
      [
        '| eventstats count | table count',
        'with "s1" as (select count(*) OVER () as "count", {time} as "o1" from {cloudtrail} as "t" where ({window})) select "s1"."count" as "count" from "s1" as "s1" order by "s1"."o1" DESC NULLS LAST',
      ],
    ] satisfies Row[],
    querySql,
  );

  fragmentRows(
    [
      // windows take no DISTINCT or FILTER: list functions and CASE instead
      [
        '| eventstats dc(eventSource) as n by eventName | table n',
        {
          athena:
            'CASE WHEN ("t"."eventname" IS NOT NULL) THEN cardinality(array_distinct(filter(array_agg("t"."eventsource") OVER (PARTITION BY "t"."eventname"), e -> e IS NOT NULL))) END as "n"',
          duckdb:
            'CASE WHEN ("t"."eventname" IS NOT NULL) THEN len(list_filter(list_filter(array_agg("t"."eventsource") OVER (PARTITION BY "t"."eventname"), lambda e: e IS NOT NULL), lambda dx, di: list_position(list_filter(array_agg("t"."eventsource") OVER (PARTITION BY "t"."eventname"), lambda e: e IS NOT NULL), dx) = di)) END as "n"',
        },
      ],
      [
        '| eventstats values(awsRegion) as r by eventName | table r',
        {
          athena:
            'array_agg(CASE WHEN ("t"."awsregion" IS NOT NULL) THEN "t"."awsregion" END) OVER (PARTITION BY "t"."eventname")',
          duckdb:
            'array_agg(CASE WHEN ("t"."awsregion" IS NOT NULL) THEN "t"."awsregion" END) OVER (PARTITION BY "t"."eventname")',
        },
      ],
      // earliest(): rows outside the filter get no ordering key, so they are never picked
      [
        '| eventstats earliest(eventSource) as e by awsRegion | table e',
        {
          athena:
            'min_by("t"."eventsource", CASE WHEN ("t"."eventsource" IS NOT NULL) THEN {time} END) OVER (PARTITION BY "t"."awsregion")',
          duckdb:
            'arg_min("t"."eventsource", CASE WHEN ("t"."eventsource" IS NOT NULL) THEN {time} END) OVER (PARTITION BY "t"."awsregion")',
        },
      ],
      // min/max over text or numbers: every aggregate of the CASE becomes a window
      [
        '| eventstats max(eventName) as m by awsRegion | table m',
        'ELSE max("t"."eventname") OVER (PARTITION BY "t"."awsregion") END END as "m"',
      ],
      // a multivalue field counts its values
      [
        '| eval s=split(eventName, ",") | eventstats count(s) as c by awsRegion | table c',
        {
          athena: 'coalesce(sum(cardinality(split("t"."eventname", \',\'))) OVER (PARTITION BY "t"."awsregion"), 0)',
          duckdb: 'coalesce(sum(len(string_split("t"."eventname", \',\'))) OVER (PARTITION BY "t"."awsregion"), 0)',
        },
      ],
      // a lambda inside the aggregate's argument stays as it is, inside the window
      [
        '| eval s=mvfilter(match(eventName, "a")) | eventstats count(s) as c by awsRegion | table c',
        {
          athena: `filter(ARRAY["t"."eventname"], f2 -> coalesce(regexp_like(f2, 'a'), FALSE)) END)) OVER (PARTITION BY "t"."awsregion"), 0)`,
          duckdb: `list_filter(ARRAY["t"."eventname"], lambda f2: coalesce(regexp_matches(f2, 'a'), FALSE)) END)) OVER (PARTITION BY "t"."awsregion"), 0)`,
        },
      ],
    ] satisfies Row[],
    querySql,
  );
});

const KEY = 'CAST(floor((CAST(({time} - 0) AS DOUBLE) / 3600)) AS BIGINT)';
const NOW = `CAST((0 + ((${KEY} + 1) * 3600)) AS DOUBLE)`;

describe('batching: hourly windows in one query', () => {
  fragmentRows(
    [
      // the window number is one more grouping key, and leads the final order
      ['| stats count by eventName', `${KEY} as "hunt_window" from {cloudtrail} as "t" where ({window})`],
      ['| stats count by eventName', 'group by "s1"."hunt_window", "s1"."eventname"'],
      ['| stats count by eventName', 'order by "s2"."hunt_window" ASC NULLS LAST, "s2"."eventname" ASC NULLS LAST'],
      // window functions: per window
      [
        '| eventstats count by eventName | table eventName count',
        `count(*) OVER (PARTITION BY ${KEY}, "t"."eventname")`,
      ],
      [
        '| dedup eventName | table eventName',
        `OVER (PARTITION BY ${KEY}, "t"."eventname" ORDER BY {time} DESC NULLS LAST`,
      ],
      // anomalydetection's frequencies are per window: its events over the window's events
      [
        '| anomalydetection eventName pthresh=0.05 | table eventName',
        `(CAST(count(*) OVER (PARTITION BY ${KEY}, "t"."eventname") AS DOUBLE) / count(*) OVER (PARTITION BY ${KEY}))`,
      ],
      // now() is the end of the row's window, also inside a lambda
      ['| eval n=now() | table n', `select ${NOW} as "n"`],
      ['| eval s=split(eventName, ",") | eval t=mvfilter(tonumber(s) < now()) | table t', `END < ${NOW}), FALSE)`],
      // a joined or EXISTS subsearch row must be of the same window
      [
        '| join eventName [search `cloudtrail` | stats count by eventName] | table eventName count',
        'on ((("s1"."eventname" = "s6"."eventname") AND ("s6"."k5" <= 1)) AND ("s6"."hunt_window" = "s1"."hunt_window"))',
      ],
      [
        '| search [search `cloudtrail` eventSource=s3 | table eventName] | table eventName',
        `AND ("s3"."hunt_window" = ${KEY}))))`,
      ],
    ] satisfies Row[],
    (spl, d) => batchedSql(spl, d),
  );

  // what cannot be made per window exactly is refused, and the runner goes window by window
  exactRows(
    [
      [
        '| stats count',
        'refused: an aggregate without BY (stats/chart over all events gives one row even for an empty window)',
      ],
      // lookup rows appended to each window's rows would have to be copied per window
      [
        '| stats count by userName | inputlookup append=t owners',
        'refused: lookup rows combined with the rows of every window (inputlookup append=t)',
      ],
    ] satisfies Row[],
    (spl, d) => batchedSql(spl, d),
  );
});

describe('batching: daily windows starting 5 minutes past midnight', () => {
  const daily = (spl: string, d: DialectName) => batchedSql(spl, d, { windowSeconds: 86400, offsetSeconds: 300 });
  fragmentRows(
    [
      [
        '| eval n=now() | table n',
        'select CAST((300 + ((CAST(floor((CAST(({time} - 300) AS DOUBLE) / 86400)) AS BIGINT) + 1) * 86400)) AS DOUBLE) as "n"',
      ],
    ] satisfies Row[],
    daily,
  );
  exactRows(
    [
      ['| stats count by eventName', 'refused: windows of 90.5 s starting at offset 0 s cannot be numbered'],
    ] satisfies Row[],
    (spl, d) => batchedSql(spl, d, { windowSeconds: 90.5, offsetSeconds: 0 }),
  );
});
