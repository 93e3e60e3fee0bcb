/**
 * lookup and inputlookup as SQL: the lookup's rows written in as VALUES (literals, quotes
 * doubled, missing values typed NULLs, the row's file position last), the match as a LEFT JOIN
 * on the grouped rows. The lookups are test/support/lookups.ts.
 */
import { describe } from 'vitest';
import { translateSearch } from '../../src/translate/translate.js';
import { macrosWith } from '../support/hunt.js';
import { TEST_LOOKUPS } from '../support/lookups.js';
import { batchedSql, querySql } from './compile.js';
import { exactRows, fragmentRows } from './rows.js';

const OWNERS =
  "(VALUES ('alice', 'red', CAST(NULL AS VARCHAR), 1), ('bob', 'blue', 'it''s', 2), ('alice', 'green', 'x', 3)) as \"l1\"(\"user\", \"team\", \"note\", \"hunt_row\")";

describe('inputlookup first: the rows in file order', () => {
  exactRows(
    [
      [
        '| inputlookup owners where team=red | table user',
        `select "l1"."user" as "user" from ${OWNERS} where (("l1"."team" IS NOT NULL) AND (lower("l1"."team") = 'red')) order by "l1"."hunt_row" ASC NULLS LAST`,
      ],
      [
        // an empty lookup: one row of typed NULLs, kept by nothing
        '| inputlookup nobody | table user',
        'select "l1"."user" as "user" from (VALUES (CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), 0)) as "l1"("user", "team", "hunt_row") where FALSE order by "l1"."hunt_row" ASC NULLS LAST',
      ],
    ],
    (spl, dialect) => translateSearch(spl, { dialect, macros: macrosWith(), zone: 'UTC', lookups: TEST_LOOKUPS }).sql,
  );
});

describe('lookup: grouped rows joined to each event', () => {
  fragmentRows(
    [
      [
        // case-sensitive: the key as it is; every match's values in file order
        '| lookup owners user AS userName | table team',
        '"s2" as (select "l2"."user" as "k1", array_agg("l2"."team" ORDER BY "l2"."hunt_row" ASC NULLS LAST) FILTER (WHERE ("l2"."team" IS NOT NULL)) as "o1"',
      ],
      ['| lookup owners user AS userName | table team', 'left join "s2" as "s2" on ("s1"."username" = "s2"."k1")'],
      [
        // case-insensitive and max_matches 1: lower-cased keys, ranked, the first value
        '| lookup owners_ci user AS userName OUTPUT team | table team',
        {
          athena:
            '"s2" as (select row_number() OVER (PARTITION BY lower("l2"."user") ORDER BY "l2"."hunt_row" ASC NULLS LAST) as "hunt_rank", lower("l2"."user") as "k1", "l2"."hunt_row" as "hunt_row", "l2"."team" as "f2" from',
          duckdb:
            '"s2" as (select count(*) OVER (PARTITION BY lower("l2"."user") ORDER BY "l2"."hunt_row" ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) as "hunt_rank", lower("l2"."user") as "k1", "l2"."hunt_row" as "hunt_row", "l2"."team" as "f2" from',
        },
      ],
      [
        '| lookup owners_ci user AS userName OUTPUT team | table team',
        {
          athena:
            'element_at(array_agg("s2"."f2" ORDER BY "s2"."hunt_row" ASC NULLS LAST) FILTER (WHERE (("s2"."f2" IS NOT NULL) AND ("s2"."hunt_rank" <= 1))), 1) as "o1" from "s2" as "s2" group by "s2"."k1")',
          duckdb:
            'list_extract(array_agg("s2"."f2" ORDER BY "s2"."hunt_row" ASC NULLS LAST) FILTER (WHERE (("s2"."f2" IS NOT NULL) AND ("s2"."hunt_rank" <= 1))), 1) as "o1" from "s2" as "s2" group by "s2"."k1")',
        },
      ],
      [
        '| lookup owners_ci user AS userName OUTPUT team | table team',
        'left join "s3" as "s3" on (lower("s1"."username") = "s3"."k1")',
      ],
      [
        // OUTPUTNEW: the event's own value first
        '| lookup owners user AS userName OUTPUTNEW team AS eventName | table eventName',
        {
          athena: 'select CAST(coalesce(ARRAY["s1"."eventname"], "s2"."o1") AS JSON) as "eventname"',
          duckdb: 'select coalesce(ARRAY["s1"."eventname"], "s2"."o1") as "eventname"',
        },
      ],
    ],
    querySql,
  );
});

describe('lookup rows in a batched query: the same for every window, joined without a window number', () => {
  fragmentRows(
    [
      [
        '| lookup owners user AS userName | stats count by team',
        'left join "s2" as "s2" on (("s1"."username" = "s2"."k1")))',
      ],
      [
        '[| inputlookup owners | rename user AS userName | table userName] | stats count by userName',
        "LIKE replace(replace(replace(replace(lower(\"s3\".\"username\"), '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%') ESCAPE '\\')))))",
      ],
    ],
    (spl, d) => batchedSql(spl, d),
  );
});
