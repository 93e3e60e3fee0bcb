/**
 * The Athena SQL of the shipped detections (and of the ESCU corpus) for each configured source
 * kind: it parses as Trino, every table it reads carries its own partition predicates with the
 * configured regions and accounts as parameters, it never projects `*`, and a dry run shows
 * pruning to exactly the days its window touches.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { dryRun } from '../../src/cli/dry-run.js';
import { compileDirectory } from '../../src/compile/compile.js';
import { loadConfig, type HuntConfig } from '../../src/config/config.js';
import type { Prepared } from '../../src/translate/prepare.js';
import { bindParams } from '../../src/sql/params.js';
import { shared } from '../support/shared.js';

const trino = new TrinoSQL();
const dir = mkdtempSync(join(tmpdir(), 'hunt-athena-sources-'));

interface Kind {
  name: string;
  sourcetype: 'aws:asl' | 'aws:cloudtrail';
  yaml: string;
  /** per table read: its FROM and partition predicates, exactly as rendered */
  tables: string[];
  /** the configured values the SQL binds, per scan of the source, in order */
  values: string[];
  /** the partition columns a dry run reports per table */
  columns: string[];
  regions: (string[] | null)[];
  accounts: (string[] | null)[];
}

const SL = (region: string, v: '1_0' | '2_0'): string =>
  `"amazon_security_lake_glue_db_${region}"."amazon_security_lake_table_${region}_cloud_trail_mgmt_${v}" as "t"`;

const KINDS: Kind[] = [
  {
    name: 'Security Lake v2, one region',
    sourcetype: 'aws:asl',
    yaml: 'sources:\n  security_lake:\n    version: 2\n    regions: [eu-west-1]\n',
    tables: [
      `from ${SL('eu_west_1', '2_0')} where (("t"."time_dt" >= ?) AND ("t"."time_dt" < ?) AND ("t"."region" = ?) AND `,
    ],
    values: ['eu-west-1'],
    columns: ['time_dt', 'region'],
    regions: [['eu-west-1']],
    accounts: [null],
  },
  {
    name: 'Security Lake v2, several regions and accounts',
    sourcetype: 'aws:asl',
    yaml: "sources:\n  security_lake:\n    regions: [us-east-1, eu-west-1]\n    accounts: ['111122223333', '444455556666']\n",
    tables: [
      `from ${SL('us_east_1', '2_0')} where (("t"."time_dt" >= ?) AND ("t"."time_dt" < ?) AND ("t"."region" = ?) AND ("t"."accountid" IN (?, ?))) union all select `,
      `from ${SL('eu_west_1', '2_0')} where (("t"."time_dt" >= ?) AND ("t"."time_dt" < ?) AND ("t"."region" = ?) AND ("t"."accountid" IN (?, ?)))) as "t"`,
    ],
    values: ['us-east-1', '111122223333', '444455556666', 'eu-west-1', '111122223333', '444455556666'],
    columns: ['time_dt', 'region', 'accountid'],
    regions: [['us-east-1'], ['eu-west-1']],
    accounts: [
      ['111122223333', '444455556666'],
      ['111122223333', '444455556666'],
    ],
  },
  {
    name: 'Security Lake v1',
    sourcetype: 'aws:asl',
    yaml: "sources:\n  security_lake:\n    version: 1\n    regions: [us-east-1]\n    accounts: ['111122223333']\n",
    tables: [
      `from ${SL('us_east_1', '1_0')} where ((("t"."eventday" >= ?) AND ("t"."eventday" <= ?)) AND ("t"."region" = ?) AND ("t"."accountid" = ?) AND `,
    ],
    values: ['us-east-1', '111122223333'],
    columns: ['eventday', 'region', 'accountid'],
    regions: [['us-east-1']],
    accounts: [['111122223333']],
  },
  {
    name: 'CloudTrail, partition projection',
    sourcetype: 'aws:cloudtrail',
    yaml: 'sources:\n  cloudtrail:\n    database: security\n    table: org_trail\n    partitioning: projection\n',
    tables: ['from "security"."org_trail" as "t" where ((("t"."timestamp" >= ?) AND ("t"."timestamp" <= ?)) AND '],
    values: [],
    columns: ['timestamp'],
    regions: [null],
    accounts: [null],
  },
  {
    name: 'CloudTrail, region/year/month/day, several tables and regions',
    sourcetype: 'aws:cloudtrail',
    yaml: 'sources:\n  cloudtrail:\n    database: logs\n    tables: [trail_a, other.trail_b]\n    partitioning: region-year-month-day\n    regions: [us-east-1, eu-west-1]\n',
    tables: [
      'from "logs"."trail_a" as "t" where ((((("t"."year" || "t"."month") || "t"."day") >= ?) AND ((("t"."year" || "t"."month") || "t"."day") <= ?)) AND ("t"."region" IN (?, ?))) union all select ',
      'from "other"."trail_b" as "t" where ((((("t"."year" || "t"."month") || "t"."day") >= ?) AND ((("t"."year" || "t"."month") || "t"."day") <= ?)) AND ("t"."region" IN (?, ?)))) as "t"',
    ],
    values: ['us-east-1', 'eu-west-1', 'us-east-1', 'eu-west-1'],
    columns: ['year', 'month', 'day', 'region'],
    regions: [
      ['us-east-1', 'eu-west-1'],
      ['us-east-1', 'eu-west-1'],
    ],
    accounts: [null, null],
  },
];

function configOf(kind: Kind): HuntConfig {
  const f = join(dir, `${kind.name.replace(/\W+/g, '_')}.yaml`);
  writeFileSync(f, kind.yaml);
  return loadConfig(f, {});
}

function compiled(config: HuntConfig, from: string): Prepared[] {
  return compileDirectory(from, config, { dialect: 'athena' }).flatMap((o) => {
    if (!o.detection || !o.translation) return [];
    return [{ detection: o.detection, translation: o.translation }];
  });
}

/** `*` as a projection: `select *`, `t.*`, or a bare `*` in a select list (count(*) is fine). */
function starProjections(sql: string): string[] {
  const bare = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '"x"');
  return bare.match(/\bselect\s+(distinct\s+)?\*|"x"\s*\.\s*\*|,\s*\*\s*(,|\bfrom\b)/gi) ?? [];
}

/** The text of every multi-table source: `(select ... union all ...) as "t"`, parentheses matched. */
function unions(sql: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = sql.indexOf('from (select '); i >= 0; i = sql.indexOf('from (select ', i + 1)) {
    let depth = 0;
    let j = i + 5;
    for (; j < sql.length; j++) {
      const c = sql[j];
      if (c === "'" || c === '"') j = sql.indexOf(c, j + 1);
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    if (sql.slice(i, j).includes(' union all select ')) out.push({ start: i + 6, end: j });
  }
  return out;
}

/** How often `table` (`from ... as "t" where ...`) occurs, cross joins between its FROM and WHERE allowed. */
function occurrences(sql: string, table: string): number {
  const cut = table.indexOf(' where ');
  const from = table.slice(0, cut);
  const where = table.slice(cut + ' where '.length);
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return sql.match(new RegExp(`${esc(from)}(?: cross join (?:(?! from ).)*?)? where ${esc(where)}`, 'g'))?.length ?? 0;
}

const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });

describe.each(KINDS.map((k) => [k.name, k] as const))('%s', (_, kind) => {
  const config = configOf(kind);
  const shipped = compiled(config, 'detections').filter((p) => p.translation.sourcetype === kind.sourcetype);

  test('the shipped detections of the source compile', () => {
    expect(shipped.map((p) => p.detection.name).sort()).toEqual(
      kind.sourcetype === 'aws:asl'
        ? ['ASL AWS ECR Container Upload Outside Business Hours', 'ASL AWS ECR Container Upload Unknown User']
        : [
            'AWS ECR Container Scanning Findings Medium',
            'AWS ECR Container Upload Outside Business Hours',
            'AWS ECR Container Upload Unknown User',
          ],
    );
  });

  test.each(shipped.map((p) => [p.detection.name, p] as const))(
    '%s: parses as Trino, prunes every table, projects no *',
    (_, p) => {
      const sql = p.translation.sql;
      expect(trino.validate(sql)).toEqual([]);
      // each table, once, with exactly its partition predicates (after the unnests of mvexpand, if any)
      for (const t of kind.tables) expect(occurrences(sql, t), t).toBe(1);
      expect(p.translation.slots.filter((s) => s.kind === 'value').map((s) => s.value)).toEqual(kind.values);
      expect(starProjections(sql)).toEqual([]);
      // no value from configuration and no window bound is in the text
      for (const v of kind.values) expect(sql).not.toContain(v);
      expect(sql).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
    },
  );

  test.each(shipped.map((p) => [p.detection.name, p] as const))(
    '%s: a union branch selects exactly the paths the query reads',
    (_, p) => {
      const sql = p.translation.sql;
      const found = unions(sql);
      expect(found.length).toBe(kind.tables.length > 1 ? 1 : 0);
      for (const u of found) {
        const branches = sql.slice(u.start, u.end).split(' union all ');
        const lists = branches.map((b) => /^select (.*?) from "/.exec(b)?.[1]);
        // the same columns in every branch, under flat names
        expect(new Set(lists).size).toBe(1);
        const aliases = [...(lists[0] ?? '').matchAll(/ as "([^"]+)"/g)].map((m) => m[1]);
        // what the stage reading the union refers to: "t"."<flat name>" outside the union
        const outside = sql.slice(0, u.start) + sql.slice(u.end);
        const used = new Set([...outside.matchAll(/"t"\."([^"]+)"/g)].map((m) => m[1]));
        expect(new Set(aliases)).toEqual(used);
      }
    },
  );

  test('a dry run of a 1-hour window reads the one day it touches; across midnight, two days', () => {
    const p = shipped[0] as Prepared;
    const hour = dryRun(p, { earliest: at('2026-11-18T10:00:00Z'), latest: at('2026-11-18T11:00:00Z') }, 'athena');
    expect(hour.partitions).toEqual(
      kind.tables.map((_, i) => ({
        sourcetype: kind.sourcetype,
        table: expect.any(String),
        columns: kind.columns,
        days: ['2026-11-18'],
        regions: kind.regions[i],
        accounts: kind.accounts[i],
      })),
    );
    const midnight = dryRun(p, { earliest: at('2026-11-18T23:30:00Z'), latest: at('2026-11-19T00:30:00Z') }, 'athena');
    expect(midnight.partitions.map((t) => t.days)).toEqual(kind.tables.map(() => ['2026-11-18', '2026-11-19']));
    // a window ending at midnight does not touch the next day
    const toMidnight = dryRun(
      p,
      { earliest: at('2026-11-18T23:00:00Z'), latest: at('2026-11-19T00:00:00Z') },
      'athena',
    );
    expect(toMidnight.partitions.map((t) => t.days)).toEqual(kind.tables.map(() => ['2026-11-18']));
  });

  test('the partition parameters agree with the dry run: the day (or time) range of the window, the configured values', () => {
    const p = shipped[0] as Prepared;
    const window = { earliest: at('2026-11-18T23:30:00Z'), latest: at('2026-11-19T00:30:00Z') };
    const bound = bindParams(p.translation.slots, window);
    const d = dryRun(p, window, 'athena');
    expect(d.sql.params).toHaveLength(bound.length);
    const partitionParams = bound.slice(0, bound.length - 2);
    // the last two are the event-time window; everything before belongs to the partition predicates
    const first = kind.columns[0];
    const perTable =
      first === 'time_dt'
        ? ["TIMESTAMP '2026-11-18 23:30:00.000'", "TIMESTAMP '2026-11-19 00:30:00.000'"]
        : first === 'timestamp'
          ? ["'2026/11/18'", "'2026/11/19'"]
          : ["'20261118'", "'20261119'"];
    const expected = kind.tables.flatMap((_, i) => [
      ...perTable,
      ...(kind.regions[i] ?? []).map((r) => `'${r}'`),
      ...(kind.accounts[i] ?? []).map((a) => `'${a}'`),
    ]);
    // detections with a subsearch read the source again: the same predicates again
    const scans = partitionParams.length / expected.length;
    expect(Number.isInteger(scans) && scans >= 1).toBe(true);
    expect(d.sql.params.slice(0, partitionParams.length)).toEqual(Array.from({ length: scans }, () => expected).flat());
  });
});

describe('the ESCU corpus over several tables', () => {
  for (const kind of [KINDS[1], KINDS[4]] as Kind[]) {
    test(`${kind.name}: every ${kind.sourcetype} detection that compiles parses as Trino and projects no *`, () => {
      const config = configOf(kind);
      const set = kind.sourcetype === 'aws:asl' ? 'asl' : 'cloudtrail';
      // the corpus macros apply as they do in `hunt compile ../shared/escu`
      const all = compiled(config, shared('escu')).filter((p) => p.detection.file.includes(`/${set}/`));
      expect(all.length).toBeGreaterThanOrEqual(set === 'asl' ? 25 : 42);
      for (const p of all) {
        expect(trino.validate(p.translation.sql), p.detection.name).toEqual([]);
        expect(starProjections(p.translation.sql), p.detection.name).toEqual([]);
        expect(unions(p.translation.sql).length, p.detection.name).toBeGreaterThanOrEqual(1);
      }
    });
  }
});

describe('the checks can fail', () => {
  test('a * projection is found', () => {
    expect(starProjections('select * from "t"')).toHaveLength(1);
    expect(starProjections('select "t".* from "t"')).toHaveLength(1);
    expect(starProjections('select a, * from t')).toHaveLength(1);
    expect(starProjections('select count(*), \'a*b\' as "*" from t where x * 2 > 1')).toEqual([]);
  });
});
