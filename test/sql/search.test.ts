/**
 * Search-term semantics, as the condition each search adds to the first stage (SEMANTICS.md,
 * "Base search and | search" and "where and eval"): OR binds tighter than AND, values are
 * case-insensitive, `*` is a wildcard, f!=v needs the field, NOT f=v does not.
 */
import { describe } from 'vitest';
import { filterSql } from './compile.js';
import { exactRows, fragmentRows, type Row } from './rows.js';

describe('search terms', () => {
  exactRows(
    [
      ['eventName=PutImage', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'putimage'))`],
      ['eventName="Put Image"', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'put image'))`],
      ['eventName=Put*', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") LIKE 'put%' ESCAPE '\\'))`],
      ['eventName=*Image', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") LIKE '%image' ESCAPE '\\'))`],
      // LIKE's own wildcards in a value are literal
      ['eventName=a_b%*', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") LIKE 'a\\_b\\%%' ESCAPE '\\'))`],
      ['eventName=a_b%c', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'a_b%c'))`],
      ['eventName=*', '("t"."eventname" IS NOT NULL)'],
      ['eventName!=*', 'FALSE'],
      ['NOT eventName=*', '(NOT ("t"."eventname" IS NOT NULL))'],
      // f!=v: the field exists and differs; NOT f=v: also events without the field
      [
        'eventName!=PutImage',
        `(("t"."eventname" IS NOT NULL) AND (NOT (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'putimage'))))`,
      ],
      ['NOT eventName=PutImage', `(NOT (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'putimage')))`],
      // OR binds tighter than the implied AND
      [
        'eventName=A eventSource=B OR awsRegion=C',
        `((("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'a')) AND ((("t"."eventsource" IS NOT NULL) AND (lower("t"."eventsource") = 'b')) OR (("t"."awsregion" IS NOT NULL) AND (lower("t"."awsregion") = 'c'))))`,
      ],
      [
        'eventName=A OR eventSource=B awsRegion=C',
        `(((("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'a')) OR (("t"."eventsource" IS NOT NULL) AND (lower("t"."eventsource") = 'b'))) AND (("t"."awsregion" IS NOT NULL) AND (lower("t"."awsregion") = 'c')))`,
      ],
      [
        '(eventName=A eventSource=B) OR awsRegion=C',
        `(((("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'a')) AND (("t"."eventsource" IS NOT NULL) AND (lower("t"."eventsource") = 'b'))) OR (("t"."awsregion" IS NOT NULL) AND (lower("t"."awsregion") = 'c')))`,
      ],
      // NOT binds tightest: to the next term only
      [
        'NOT eventName=A OR eventSource=B',
        `((NOT (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'a'))) OR (("t"."eventsource" IS NOT NULL) AND (lower("t"."eventsource") = 'b')))`,
      ],
      [
        'eventName IN (A, b*)',
        `((("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'a')) OR (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") LIKE 'b%' ESCAPE '\\')))`,
      ],
      // a word that is no number compares as text
      ['eventName<=abc', `(("t"."eventname" IS NOT NULL) AND ("t"."eventname" <= 'abc'))`],
      ['| search eventName=X', `(("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'x'))`],
    ] satisfies Row[],
    filterSql,
  );

  fragmentRows(
    [
      // a number compares numerically when the field's value is a number, else as text
      [
        'eventName>5',
        {
          athena: `THEN CAST(trim("t"."eventname") AS DOUBLE) END > 5) ELSE ("t"."eventname" > '5') END)`,
          duckdb: `THEN CAST(trim("t"."eventname") AS DOUBLE) END > 5) ELSE ("t"."eventname" > '5') END)`,
        },
      ],
    ] satisfies Row[],
    filterSql,
  );
});

describe('where: eval conditions, case-sensitive, AND before OR', () => {
  exactRows(
    [
      ['| where eventName="A"', `("t"."eventname" = 'A')`],
      [
        '| where eventName="A" OR eventSource="B" AND awsRegion="C"',
        `(("t"."eventname" = 'A') OR (("t"."eventsource" = 'B') AND ("t"."awsregion" = 'C')))`,
      ],
      ['| where NOT eventName="a"', `(NOT ("t"."eventname" = 'a'))`],
      ['| where eventName!="a"', `("t"."eventname" <> 'a')`],
      ['| where eventName>"a"', `("t"."eventname" > 'a')`],
      ['| where eventName IN ("a", "b")', `(("t"."eventname" = 'a') OR ("t"."eventname" = 'b'))`],
      ['| where isnull(eventName)', '("t"."eventname" IS NULL)'],
      ['| where isnotnull(eventName)', '("t"."eventname" IS NOT NULL)'],
      ['| where like(eventName, "Put%")', `("t"."eventname" LIKE 'Put%' ESCAPE '\\')`],
      [
        '| where match(eventName, "^Put")',
        { athena: `regexp_like("t"."eventname", '^Put')`, duckdb: `regexp_matches("t"."eventname", '^Put')` },
      ],
      ['| where _time > 5', '({time} > 5)'],
      // RE2 (DuckDB) takes no (?<name>...): names go, group numbers stay
      [
        '| where match(eventName, "(?<verb>Put)(?\'what\'\\w+)")',
        {
          athena: `regexp_like("t"."eventname", '(Put)(\\w+)')`,
          duckdb: `regexp_matches("t"."eventname", '(Put)(\\w+)')`,
        },
      ],
    ] satisfies Row[],
    filterSql,
  );

  fragmentRows(
    [
      // two fields compare as numbers when both are numbers, else as text
      ['| where eventName=eventSource', `ELSE ("t"."eventname" = "t"."eventsource") END`],
      ['| where cidrmatch("10.0.0.0/8", sourceIPAddress)', 'END >= 167772160) AND (CASE WHEN'],
      ['| where cidrmatch("10.0.0.0/8", sourceIPAddress)', 'END <= 184549375)), FALSE) ELSE FALSE END'],
      [
        '| where isnum(eventName)',
        {
          athena: `coalesce(regexp_like("t"."eventname", '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'), FALSE)`,
          duckdb: `coalesce(regexp_matches("t"."eventname", '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'), FALSE)`,
        },
      ],
    ] satisfies Row[],
    filterSql,
  );
});
