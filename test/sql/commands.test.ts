/**
 * Each command hunt plans, as the whole query (short ones) or the part that is the command's
 * (longer ones). {cloudtrail}, {time} and {window} stand for what every query has (compile.ts).
 */
import { describe } from 'vitest';
import { querySql } from './compile.js';
import { exactRows, fragmentRows, type Row } from './rows.js';

describe('commands, whole queries', () => {
  exactRows(
    [
      [
        '| search eventName=X | table eventName',
        'select "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window} AND (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = \'x\'))) order by {time} DESC NULLS LAST',
      ],
      [
        '| where eventName="X" | table eventName',
        'select "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window} AND ("t"."eventname" = \'X\')) order by {time} DESC NULLS LAST',
      ],
      [
        '| eval n=len(eventName) | table n',
        'select length("t"."eventname") as "n" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| table eventName eventSource',
        'select "t"."eventname" as "eventname", "t"."eventsource" as "eventsource" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| fields eventName',
        'select "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| fields - eventName | table eventSource',
        'select "t"."eventsource" as "eventsource" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| rename eventName as name | table name',
        'select "t"."eventname" as "name" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| rename event* as e* | table eName',
        'select "t"."eventname" as "ename" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| fillnull value=NA eventName | table eventName',
        'select coalesce("t"."eventname", \'NA\') as "eventname" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| fillnull | table eventName',
        'with "s1" as (select CASE WHEN (count("t"."eventname") OVER () > 0) THEN coalesce("t"."eventname", \'0\') ELSE "t"."eventname" END as "eventname", {time} as "o1" from {cloudtrail} as "t" where ({window})) select "s1"."eventname" as "eventname" from "s1" as "s1" order by "s1"."o1" DESC NULLS LAST',
      ],
      [
        '| spath input=eventName path=a.b output=x | table x',
        {
          athena:
            'select coalesce(json_extract_scalar("t"."eventname", \'$.a.b\'), nullif(json_format(json_extract("t"."eventname", \'$.a.b\')), \'null\')) as "x" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
          duckdb:
            'select json_extract_string("t"."eventname", \'$.a.b\') as "x" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
        },
      ],
      [
        '| spath input=eventName | table k',
        {
          athena:
            'select json_extract_scalar("t"."eventname", \'$.k\') as "k" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
          duckdb:
            'select CASE WHEN json_type("t"."eventname", \'$.k\') IN (\'OBJECT\', \'ARRAY\') THEN NULL ELSE json_extract_string("t"."eventname", \'$.k\') END as "k" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
        },
      ],
      [
        '| eval m=split(eventName, ",") | mvexpand m | table m',
        {
          athena:
            'select "u2"."v" as "m" from {cloudtrail} as "t" cross join UNNEST(split("t"."eventname", \',\')) WITH ORDINALITY as "u2"("v", "n") where ({window}) order by {time} DESC NULLS LAST, "u2"."n" ASC NULLS LAST',
          duckdb:
            'select "u2"."v" as "m" from {cloudtrail} as "t" cross join UNNEST(string_split("t"."eventname", \',\')) WITH ORDINALITY as "u2"("v", "n") where ({window}) order by {time} DESC NULLS LAST, "u2"."n" ASC NULLS LAST',
        },
      ],
      [
        '| bin _time span=5m | table _time',
        'select floor({time} / 300) * 300 as "time" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
      ],
      [
        '| bucket _time span=1h | stats count by _time',
        'with "s1" as (select floor({time} / 3600) * 3600 as "time" from {cloudtrail} as "t" where ({window})), "s2" as (select "s1"."time" as "time", count(*) as "count" from "s1" as "s1" where ("s1"."time" IS NOT NULL) group by "s1"."time") select "s2"."time" as "time", "s2"."count" as "count" from "s2" as "s2" order by "s2"."time" ASC NULLS LAST',
      ],
      [
        '| regex eventName="^Put"',
        {
          athena:
            'select {time} as "time", "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window} AND (("t"."eventname" IS NOT NULL) AND coalesce(regexp_like("t"."eventname", \'^Put\'), FALSE))) order by {time} DESC NULLS LAST',
          duckdb:
            'select {time} as "time", "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window} AND (("t"."eventname" IS NOT NULL) AND coalesce(regexp_matches("t"."eventname", \'^Put\'), FALSE))) order by {time} DESC NULLS LAST',
        },
      ],
      [
        '| regex eventName!="^Put"',
        {
          athena:
            'select {time} as "time", "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window} AND (NOT (("t"."eventname" IS NOT NULL) AND coalesce(regexp_like("t"."eventname", \'^Put\'), FALSE)))) order by {time} DESC NULLS LAST',
          duckdb:
            'select {time} as "time", "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window} AND (NOT (("t"."eventname" IS NOT NULL) AND coalesce(regexp_matches("t"."eventname", \'^Put\'), FALSE)))) order by {time} DESC NULLS LAST',
        },
      ],
      [
        '| rex field=eventName "(?<verb>[A-Z][a-z]+)" | table verb',
        {
          athena:
            'select regexp_extract("t"."eventname", \'([A-Z][a-z]+)\', 1) as "verb" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
          duckdb:
            'select CASE WHEN regexp_matches("t"."eventname", \'([A-Z][a-z]+)\') THEN regexp_extract("t"."eventname", \'([A-Z][a-z]+)\', 1) END as "verb" from {cloudtrail} as "t" where ({window}) order by {time} DESC NULLS LAST',
        },
      ],
      [
        '| stats count by eventName',
        'with "s1" as (select "t"."eventname" as "eventname" from {cloudtrail} as "t" where ({window})), "s2" as (select "s1"."eventname" as "eventname", count(*) as "count" from "s1" as "s1" where ("s1"."eventname" IS NOT NULL) group by "s1"."eventname") select "s2"."eventname" as "eventname", "s2"."count" as "count" from "s2" as "s2" order by "s2"."eventname" ASC NULLS LAST',
      ],
      [
        '| stats count',
        'with "s1" as (select 1 as "_" from {cloudtrail} as "t" where ({window})), "s2" as (select count(*) as "count" from "s1" as "s1") select "s2"."count" as "count" from "s2" as "s2"',
      ],
    ] satisfies Row[],
    querySql,
  );
});

describe('commands, the part that is theirs', () => {
  fragmentRows(
    [
      // convert ctime(): numbers become time text (older ESCU format by default); other text stays
      [
        '| convert ctime(eventName) | table eventName',
        {
          athena: '\'%m/%d/%Y %H:%i:%s\') ELSE "t"."eventname" END as "eventname"',
          duckdb: '\'%m/%d/%Y %H:%M:%S\') ELSE "t"."eventname" END as "eventname"',
        },
      ],
      [
        '| rex field=eventName max_match=0 "(?<part>[a-z]+)" | table part',
        {
          athena: 'filter(regexp_extract_all("t"."eventname", \'([a-z]+)\', 1), e -> e IS NOT NULL)',
          duckdb: 'list_filter(regexp_extract_all("t"."eventname", \'([a-z]+)\', 1), lambda e: e IS NOT NULL)',
        },
      ],
      // a group name is dropped for RE2 (DuckDB), the group kept
      [
        '| regex eventName="^(?<verb>Put)"',
        { athena: `regexp_like("t"."eventname", '^(Put)')`, duckdb: `regexp_matches("t"."eventname", '^(Put)')` },
      ],
      // dedup: the first row per value in the current order; rows without the field go
      [
        '| dedup eventName | table eventName',
        {
          athena: 'row_number() OVER (PARTITION BY "t"."eventname" ORDER BY {time} DESC NULLS LAST) as "k2"',
          duckdb:
            'count(*) OVER (PARTITION BY "t"."eventname" ORDER BY {time} DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) as "k2"',
        },
      ],
      [
        '| dedup eventName | table eventName',
        'where ({window} AND ("t"."eventname" IS NOT NULL))) select "s1"."eventname" as "eventname" from "s1" as "s1" where ("s1"."k2" <= 1)',
      ],
      // sort: numbers before text, numerically, then text; at most 10000 rows by default
      ['| sort - eventName | table eventName', 'THEN 0 ELSE 1 END DESC NULLS LAST'],
      ['| sort - eventName | table eventName', '"t"."eventname" DESC NULLS LAST, {time} DESC NULLS LAST'],
      ['| sort - eventName | table eventName', 'where ("s1"."k6" <= 10000)'],
      ['| sort 5 eventName | table eventName', 'where ("s1"."k6" <= 5)'],
      ['| head 3 | table eventName', 'where ("s1"."k2" <= 3) order by "s1"."o1" DESC NULLS LAST'],
      // tail: the last rows, in reverse order
      ['| tail 3 | table eventName', 'ORDER BY {time} ASC NULLS LAST'],
      ['| tail 3 | table eventName', 'where ("s1"."k2" <= 3) order by "s1"."k2" ASC NULLS LAST'],
      [
        '| stats count dc(eventSource) as n values(awsRegion) as r by eventName',
        {
          athena:
            'count(*) as "count", count(DISTINCT "s1"."eventsource") as "n", array_sort(array_distinct(array_agg("s1"."awsregion") FILTER (WHERE ("s1"."awsregion" IS NOT NULL)))) as "r"',
          duckdb:
            'count(*) as "count", count(DISTINCT "s1"."eventsource") as "n", list_sort(list_distinct(array_agg("s1"."awsregion") FILTER (WHERE ("s1"."awsregion" IS NOT NULL)))) as "r"',
        },
      ],
      // stats drops the rows whose BY field is missing
      [
        '| stats count dc(eventSource) as n values(awsRegion) as r by eventName',
        'from "s1" as "s1" where ("s1"."eventname" IS NOT NULL) group by "s1"."eventname"',
      ],
      [
        '| stats avg(eventName) sum(eventName) by eventSource',
        'THEN CAST(trim("s1"."eventname") AS DOUBLE) END) as "avg_eventname", sum(CASE WHEN',
      ],
      [
        '| stats earliest(eventName) latest(eventName) by eventSource',
        {
          athena:
            'min_by("s1"."eventname", "s1"."time") FILTER (WHERE ("s1"."eventname" IS NOT NULL)) as "earliest_eventname", max_by("s1"."eventname", "s1"."time")',
          duckdb:
            'arg_min("s1"."eventname", "s1"."time") FILTER (WHERE ("s1"."eventname" IS NOT NULL)) as "earliest_eventname", arg_max("s1"."eventname", "s1"."time")',
        },
      ],
      // list() and first(): in result order (events newest first); list() keeps 100 values
      [
        '| stats list(eventName) first(eventName) last(eventName) by eventSource',
        {
          athena:
            'slice(array_agg("s1"."eventname" ORDER BY "s1"."o1" DESC NULLS LAST) FILTER (WHERE ("s1"."eventname" IS NOT NULL)), 1, 100) as "list_eventname", element_at(array_agg("s1"."eventname" ORDER BY "s1"."o1" DESC NULLS LAST) FILTER (WHERE ("s1"."eventname" IS NOT NULL)), 1) as "first_eventname"',
          duckdb:
            'list_slice(array_agg("s1"."eventname" ORDER BY "s1"."o1" DESC NULLS LAST) FILTER (WHERE ("s1"."eventname" IS NOT NULL)), 1, 1 + 100 - 1) as "list_eventname", list_extract(array_agg("s1"."eventname" ORDER BY "s1"."o1" DESC NULLS LAST) FILTER (WHERE ("s1"."eventname" IS NOT NULL)), 1) as "first_eventname"',
        },
      ],
      // min/max: numeric when some value is a number, else lexicographic
      ['| stats min(eventName) by eventSource', 'AS VARCHAR) END ELSE min("s1"."eventname") END as "min_eventname"'],
      // _raw (CloudTrail): the columns as one JSON object under CloudTrail's own keys; a map keeps
      // the keys' case in Trino, where a ROW's field names would be lower-cased
      [
        '| eval r=_raw | table r',
        {
          athena:
            "select json_format(CAST(MAP(ARRAY['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID', 'resources', ",
          duckdb:
            'select CAST(json_object(\'eventVersion\', to_json("t"."eventversion"), \'userIdentity\', json_object(\'type\', to_json("t"."useridentity"."type"), \'principalId\', to_json("t"."useridentity"."principalid"), ',
        },
      ],
      // nested structs are objects of their leaves (a multi-table source selects each leaf)
      [
        '| eval r=_raw | table r',
        {
          athena:
            'CAST(MAP(ARRAY[\'mfaAuthenticated\', \'creationDate\'], ARRAY[CAST("t"."useridentity"."sessioncontext"."attributes"."mfaauthenticated" AS JSON), CAST("t"."useridentity"."sessioncontext"."attributes"."creationdate" AS JSON)]) AS JSON)',
          duckdb:
            '\'attributes\', json_object(\'mfaAuthenticated\', to_json("t"."useridentity"."sessioncontext"."attributes"."mfaauthenticated"), \'creationDate\', to_json("t"."useridentity"."sessioncontext"."attributes"."creationdate"))',
        },
      ],
      // the JSON-text columns are embedded as JSON, not as strings
      [
        '| eval r=_raw | table r',
        {
          athena:
            'json_parse("t"."requestparameters"), json_parse("t"."responseelements"), json_parse("t"."additionaleventdata")',
          duckdb:
            '\'requestParameters\', json("t"."requestparameters"), \'responseElements\', json("t"."responseelements"), \'additionalEventData\', json("t"."additionaleventdata")',
        },
      ],
      // a list of structs is an array of objects
      [
        '| eval r=_raw | table r',
        {
          athena:
            'CAST(transform("t"."resources", hunt_raw_e -> CAST(MAP(ARRAY[\'ARN\', \'accountId\', \'type\'], ARRAY[CAST("hunt_raw_e"."arn" AS JSON), CAST("hunt_raw_e"."accountid" AS JSON), CAST("hunt_raw_e"."type" AS JSON)]) AS JSON)) AS JSON)',
          duckdb:
            '\'resources\', to_json(list_transform("t"."resources", lambda hunt_raw_e: json_object(\'ARN\', to_json("hunt_raw_e"."arn"), \'accountId\', to_json("hunt_raw_e"."accountid"), \'type\', to_json("hunt_raw_e"."type"))))',
        },
      ],
      // the ESCU idiom: the JSON text's outermost braces, then spath over it
      [
        '| rex field=_raw "(?<j>{.+})" | spath input=j path=requestParameters.bucketName output=b | table b',
        {
          athena: "AS JSON)]) AS JSON)), '({.+})', 1), '$.requestParameters.bucketName')",
          duckdb: "AS VARCHAR), '({.+})', 1) END, '$.requestParameters.bucketName') as \"b\"",
        },
      ],
      // dc(_raw) counts event ids, not texts
      ['| stats dc(_raw) as n', 'count(DISTINCT "s1"."raw_id") as "n"'],
      // anomalydetection: a value's frequency is its events over all events (window counts)...
      [
        '| anomalydetection eventName pthresh=0.05 | table eventName log_event_prob',
        'CASE WHEN ("t"."eventname" IS NOT NULL) THEN (CAST(count(*) OVER (PARTITION BY "t"."eventname") AS DOUBLE) / count(*) OVER ()) END as "k2"',
      ],
      // ...in a stage of their own; pthresh filters on the log probability
      [
        '| anomalydetection eventName pthresh=0.05 | table eventName log_event_prob',
        'select "s1"."eventname" as "eventname", coalesce(ln("s1"."k2"), 0) as "log_event_prob" from "s1" as "s1" where (coalesce(ln("s1"."k2"), 0) < -2.995732273553991E+0)',
      ],
      // the rarest value's field is the probable cause, the first named on a tie
      [
        '| anomalydetection action=annotate eventName eventSource | table probable_cause max_freq',
        'CASE WHEN ("s1"."k2" = least(coalesce("s1"."k2", 2), coalesce("s1"."k3", 2))) THEN \'eventName\' WHEN ("s1"."k3" = least(coalesce("s1"."k2", 2), coalesce("s1"."k3", 2))) THEN \'eventSource\' END as "probable_cause", CASE WHEN (greatest(coalesce("s1"."k2", 0), coalesce("s1"."k3", 0)) > 0) THEN greatest(coalesce("s1"."k2", 0), coalesce("s1"."k3", 0)) END as "max_freq"',
      ],
      // append: both branches in one union, the first's rows first; the subsearch keeps 50000 rows
      ['| append [search `cloudtrail` eventName=B | table eventName] | table eventName', 'where ("s2"."k4" <= 50000)'],
      [
        '| append [search `cloudtrail` eventName=B | table eventName] | table eventName',
        'from (SELECT "eventname", "hunt_src", "hunt_seq" FROM "s3" UNION ALL SELECT "eventname", "hunt_src", "hunt_seq" FROM "s4") as "a5" order by "a5"."hunt_src" ASC NULLS LAST, "a5"."hunt_seq" ASC NULLS LAST',
      ],
      // join: the first subsearch row per value (max=1), exact (case-sensitive) equality
      [
        '| join eventName [search `cloudtrail` eventSource=s3 | stats count by eventName] | table eventName count',
        'from "s1" as "s1" inner join "s6" as "s6" on (("s1"."eventname" = "s6"."eventname") AND ("s6"."k5" <= 1))',
      ],
      [
        '| join type=left eventName [search `cloudtrail` | stats count by eventName] | table eventName count',
        'from "s1" as "s1" left join "s6" as "s6" on (("s1"."eventname" = "s6"."eventname") AND ("s6"."k5" <= 1))',
      ],
      // a filtering subsearch: its rows (at most 10000) become search terms, wildcards and all
      [
        '| search [search `cloudtrail` eventSource=s3 | table eventName] | table eventName',
        'where (("s2"."k3" <= 10000) AND ("s2"."eventname" IS NOT NULL))',
      ],
      [
        '| search [search `cloudtrail` eventSource=s3 | table eventName] | table eventName',
        `EXISTS (SELECT 1 FROM "s3" AS "s3" WHERE (("s3"."eventname" IS NULL) OR (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") LIKE replace(replace(replace(replace(lower("s3"."eventname"), '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%') ESCAPE '\\'))))`,
      ],
    ] satisfies Row[],
    querySql,
  );
});
