import { REGISTRY } from '../../sources/registry.js';

/**
 * Pure planning of which S3 prefixes to list for an import, level by level, so that a filtered
 * import lists (and pays for) only the folders it needs. Two layouts are recognised by their
 * folder names:
 *
 * - CloudTrail: `[prefix/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/file.json.gz`
 * - Security Lake: `[…/]SOURCE/VERSION/region=R/accountId=A/eventDay=YYYYMMDD/file`, SOURCE one
 *   of the folders of the sources hunt has a table for (SECURITY_LAKE_FOLDERS)
 *
 * The walker (list.ts) asks `expand` what a node's children are: either built here without a
 * request (a filter names them, or the name is fixed) or 'list' (one delimited listing, then
 * `classify` the folder names). A `leaf` is listed recursively, keeping keys whose day is in
 * its range. Nothing here talks to S3.
 */

export interface ListFilter {
  since?: Date;
  until?: Date;
  /** AWS region names, e.g. us-east-1 */
  regions?: string[];
  /** 12-digit AWS account ids */
  accounts?: string[];
}

export type Layout = 'cloudtrail' | 'security-lake' | 'other';

/** Inclusive UTC days as 'YYYYMMDD'; a missing bound is open. */
export interface DayRange {
  from?: string;
  to?: string;
}

export type Node =
  | { level: 'unknown'; prefix: string; depth: number }
  | {
      level:
        | 'ct-awslogs' // children: o-ORGID/ and ACCOUNT/
        | 'ct-org' // children: ACCOUNT/
        | 'ct-account' // children: CloudTrail/, CloudTrail-Digest/, CloudTrail-Insight/, other services
        | 'ct-regions' // children: REGION/
        | 'ct-dates' // children: YYYY/MM/DD/
        | 'sl-source' // children: VERSION/ (1.0/, 2.0/)
        | 'sl-version' // children: region=R/
        | 'sl-region' // children: accountId=A/
        | 'sl-account'; // children: eventDay=YYYYMMDD/
      prefix: string;
    }
  | { level: 'leaf'; prefix: string; layout: Layout; days?: DayRange };

/** The filter in the planner's terms (see `planFilter`). */
export interface PlanFilter {
  regions?: string[];
  accounts?: string[];
  /** days of CloudTrail delivery folders: since's day .. the day after until's day */
  ctDays?: DayRange;
  /** days of Security Lake eventDay partitions: since's day .. until's day */
  slDays?: DayRange;
}

export type Step = { kind: 'list' } | { kind: 'children'; nodes: Node[] };

/**
 * Folder levels an unrecognised prefix is searched for a known layout before it is read as a
 * plain folder: 2 covers a trail's own key prefix of one or two segments (`trails/AWSLogs/`) and
 * a Security Lake bucket root (`aws/CLOUD_TRAIL_MGMT/`). Each level costs one request per folder,
 * so searching deeper (or wider than MAX_DISCOVERY_FANOUT folders) would mostly list unrelated data.
 */
export const MAX_DISCOVERY_DEPTH = 2;
export const MAX_DISCOVERY_FANOUT = 20;

/**
 * Above this many days, CloudTrail is listed by month folders (keys filtered by day) instead of
 * one request per day folder, and Security Lake's eventDay level is listed and filtered.
 */
export const MAX_DAY_PREFIXES = 400;

/**
 * The Security Lake source folders hunt's lake has a table for (CLOUD_TRAIL_MGMT, VPC_FLOW,
 * SH_FINDINGS, ...), from the source registry: the folders of other sources are not listed.
 */
export const SECURITY_LAKE_FOLDERS: ReadonlySet<string> = new Set(
  REGISTRY.flatMap((s) => (s.lake.securityLakeFolder ? [s.lake.securityLakeFolder] : [])),
);

export const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
// us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1 ...
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
const VERSION = /^\d+\.\d+$/;
const DAY_MS = 86_400_000;

/** Why a filter or prefix cannot be planned. */
export class S3PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3PlanError';
  }
}

/** 'YYYYMMDD' of a date's UTC day. */
export function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

function dayDate(day: string): Date {
  return new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))));
}

const nextDay = (day: string): string => dayKey(new Date(dayDate(day).getTime() + DAY_MS));

/** Every day from..to inclusive, as 'YYYYMMDD'. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = dayDate(from).getTime(), end = dayDate(to).getTime(); t <= end; t += DAY_MS)
    out.push(dayKey(new Date(t)));
  return out;
}

/**
 * Validate the filter and turn since/until into day ranges. Only `since` means "until now";
 * only `until` leaves the start open (everything up to it is listed, later days skipped by key).
 */
export function planFilter(filter: ListFilter, now: Date): PlanFilter {
  const out: PlanFilter = {};
  for (const a of filter.accounts ?? [])
    if (!ACCOUNT.test(a))
      throw new S3PlanError(`account filter: ${JSON.stringify(a)} is not a 12-digit AWS account id`);
  for (const r of filter.regions ?? [])
    if (!REGION.test(r)) throw new S3PlanError(`region filter: ${JSON.stringify(r)} is not an AWS region name`);
  if (filter.accounts?.length) out.accounts = [...new Set(filter.accounts)].sort();
  if (filter.regions?.length) out.regions = [...new Set(filter.regions)].sort();
  const { since, until } = filter;
  if (since === undefined && until === undefined) return out;
  const end = until ?? (since && since > now ? since : now);
  if (since && since > end)
    throw new S3PlanError(`since (${since.toISOString()}) is after until (${end.toISOString()})`);
  const to = dayKey(end);
  // CloudTrail files sit under the UTC day they are delivered, minutes after their events:
  // events of until's last minutes are in the next day's folder.
  out.ctDays = { ...(since ? { from: dayKey(since) } : {}), to: nextDay(to) };
  // Security Lake partitions by the event's own day (not confirmed by AWS docs; see report).
  out.slDays = { ...(since ? { from: dayKey(since) } : {}), to };
  return out;
}

const folder = (name: string): string => `${name}/`;
/** The last segment of a folder prefix: 'a/b/c/' -> 'c' */
export const folderName = (prefix: string): string => prefix.slice(0, -1).split('/').pop() ?? '';

/**
 * The node a user-given prefix stands for, from its segments: `AWSLogs/123456789012/` is an
 * account level, `…/region=us-east-1/` a Security Lake region, anything unrecognised 'unknown'
 * (searched by listing). A prefix that leaves a layout (e.g. `…/CloudTrail-Digest/`) is read as
 * given: the user asked for it.
 */
export function nodeOfPrefix(prefix: string): Node {
  let level: Node['level'] = 'unknown';
  let layout: Layout = 'other';
  for (const seg of prefix.split('/').filter((s) => s !== '')) {
    level = nextLevel(level, seg);
    if (level.startsWith('ct-')) layout = 'cloudtrail';
    else if (level.startsWith('sl-')) layout = 'security-lake';
    if (level === 'leaf') break;
  }
  if (level === 'leaf') return { level, prefix, layout };
  if (level === 'unknown') return { level, prefix, depth: 0 };
  return { level, prefix };
}

/** `nodeOfPrefix`, with a leaf inside a layout limited to the filter's days. */
export function rootNode(prefix: string, f: PlanFilter): Node {
  const node = nodeOfPrefix(prefix);
  if (node.level !== 'leaf') return node;
  const days = node.layout === 'cloudtrail' ? f.ctDays : node.layout === 'security-lake' ? f.slDays : undefined;
  return leaf(node.prefix, node.layout, days);
}

function nextLevel(level: Node['level'], seg: string): Node['level'] {
  switch (level) {
    case 'unknown':
      if (seg === 'AWSLogs') return 'ct-awslogs';
      if (SECURITY_LAKE_FOLDERS.has(seg)) return 'sl-source';
      if (seg.startsWith('region=')) return 'sl-region';
      if (seg.startsWith('accountId=')) return 'sl-account';
      if (seg.startsWith('eventDay=')) return 'leaf';
      return 'unknown';
    case 'ct-awslogs':
      return ORG.test(seg) ? 'ct-org' : ACCOUNT.test(seg) ? 'ct-account' : 'leaf';
    case 'ct-org':
      return ACCOUNT.test(seg) ? 'ct-account' : 'leaf';
    case 'ct-account':
      return seg === 'CloudTrail' ? 'ct-regions' : 'leaf';
    case 'ct-regions':
      return REGION.test(seg) ? 'ct-dates' : 'leaf';
    case 'sl-source':
      return VERSION.test(seg) ? 'sl-version' : 'leaf';
    case 'sl-version':
      return seg.startsWith('region=') ? 'sl-region' : 'leaf';
    case 'sl-region':
      return seg.startsWith('accountId=') ? 'sl-account' : 'leaf';
    default:
      return 'leaf';
  }
}

const leaf = (prefix: string, layout: Layout, days?: DayRange): Node =>
  days ? { level: 'leaf', prefix, layout, days } : { level: 'leaf', prefix, layout };

const bounded = (d: DayRange | undefined): d is Required<DayRange> => d?.from !== undefined && d.to !== undefined;

/** CloudTrail's date folders for a range: one per day, or one per month for long ranges. */
export function ctDatePrefixes(prefix: string, days: Required<DayRange>): Node[] {
  const all = daysBetween(days.from, days.to);
  const path = (d: string): string => `${d.slice(0, 4)}/${d.slice(4, 6)}/${d.slice(6, 8)}/`;
  if (all.length <= MAX_DAY_PREFIXES) return all.map((d) => leaf(prefix + path(d), 'cloudtrail'));
  const months = [...new Set(all.map((d) => `${d.slice(0, 4)}/${d.slice(4, 6)}/`))];
  return months.map((m) => leaf(prefix + m, 'cloudtrail', days));
}

/** What a node's children are, when that is known without listing it. */
export function expand(node: Node, f: PlanFilter): Step {
  const p = node.prefix;
  switch (node.level) {
    case 'ct-org':
      if (f.accounts) return children(f.accounts.map((a) => ({ level: 'ct-account', prefix: p + folder(a) })));
      return { kind: 'list' };
    case 'ct-account':
      // CloudTrail-Digest/ holds signatures of the log files, not events. CloudTrail-Insight/
      // holds Insights events (statistics on API call rates), which no detection reads and
      // which the lake would count as records: both are skipped without being listed.
      return children([{ level: 'ct-regions', prefix: `${p}CloudTrail/` }]);
    case 'ct-regions':
      if (f.regions) return children(f.regions.map((r) => ({ level: 'ct-dates', prefix: p + folder(r) })));
      return { kind: 'list' };
    case 'ct-dates':
      if (bounded(f.ctDays)) return children(ctDatePrefixes(p, f.ctDays));
      return children([leaf(p, 'cloudtrail', f.ctDays)]);
    case 'sl-version':
      if (f.regions) return children(f.regions.map((r) => ({ level: 'sl-region', prefix: `${p}region=${r}/` })));
      return { kind: 'list' };
    case 'sl-region':
      if (f.accounts) return children(f.accounts.map((a) => ({ level: 'sl-account', prefix: `${p}accountId=${a}/` })));
      return { kind: 'list' };
    case 'sl-account': {
      if (!f.slDays) return children([leaf(p, 'security-lake')]);
      if (bounded(f.slDays)) {
        const days = daysBetween(f.slDays.from, f.slDays.to);
        if (days.length <= MAX_DAY_PREFIXES)
          return children(days.map((d) => leaf(`${p}eventDay=${d}/`, 'security-lake')));
      }
      return { kind: 'list' };
    }
    case 'leaf':
      return children([node]);
    default:
      return { kind: 'list' };
  }
}

const children = (nodes: Node[]): Step => ({ kind: 'children', nodes });

const within = (day: string, r: DayRange | undefined): boolean =>
  !r || ((r.from === undefined || day >= r.from) && (r.to === undefined || day <= r.to));

/**
 * The child nodes of a listed level, from its folder names (full prefixes ending in '/'):
 * other regions, accounts and days are dropped here; folders of another kind are ignored.
 */
export function classify(node: Node, folders: readonly string[], f: PlanFilter): Node[] {
  const named = folders.map((prefix) => ({ prefix, name: folderName(prefix) }));
  const pick = (test: (name: string) => boolean, level: Exclude<Node['level'], 'unknown' | 'leaf'>): Node[] =>
    named.filter((c) => test(c.name)).map((c) => ({ level, prefix: c.prefix }));
  const inList = (list: string[] | undefined, v: string): boolean => !list || list.includes(v);
  switch (node.level) {
    case 'unknown':
      return discover(node, named);
    case 'ct-awslogs':
      return [
        ...pick((n) => ORG.test(n), 'ct-org'),
        ...pick((n) => ACCOUNT.test(n) && inList(f.accounts, n), 'ct-account'),
      ];
    case 'ct-org':
      return pick((n) => ACCOUNT.test(n) && inList(f.accounts, n), 'ct-account');
    case 'ct-regions':
      return pick((n) => REGION.test(n) && inList(f.regions, n), 'ct-dates');
    case 'sl-source':
      // Every source version: the days before an upgrade (1.0 -> 2.0) exist only in 1.0, and
      // where both hold an event, the import keeps one (the same metadata.uid in both).
      return pick((n) => VERSION.test(n), 'sl-version');
    case 'sl-version':
      return pick((n) => n.startsWith('region=') && inList(f.regions, n.slice(7)), 'sl-region');
    case 'sl-region':
      return pick((n) => n.startsWith('accountId=') && inList(f.accounts, n.slice(10)), 'sl-account');
    case 'sl-account':
      return named
        .filter((c) => /^eventDay=\d{8}$/.test(c.name) && within(c.name.slice(9), f.slDays))
        .map((c) => leaf(c.prefix, 'security-lake'));
    default:
      return [];
  }
}

/**
 * An unrecognised level: its folder names say which layout is below (AWSLogs/, the Security
 * Lake sources hunt has tables for, or a Security Lake partition level when the prefix points
 * inside one); failing that, its folders are searched in turn, within MAX_DISCOVERY_DEPTH /
 * MAX_DISCOVERY_FANOUT.
 */
function discover(node: Extract<Node, { level: 'unknown' }>, named: { prefix: string; name: string }[]): Node[] {
  const awsLogs = named.find((c) => c.name === 'AWSLogs');
  if (awsLogs) return [{ level: 'ct-awslogs', prefix: awsLogs.prefix }];
  // every known source of a Security Lake bucket's aws/, from this one listing; the others'
  // folders (sources hunt has no table for) are not listed (unknownSourceFolders)
  const sources = named.filter((c) => SECURITY_LAKE_FOLDERS.has(c.name));
  if (sources.length > 0) return sources.map((c) => ({ level: 'sl-source', prefix: c.prefix }));
  const all = (test: (n: string) => boolean) => named.length > 0 && named.every((c) => test(c.name));
  // The user pointed at a Security Lake source version (region=), region (accountId=) or
  // account (eventDay=) of a source hunt has no folder name for: walk it as that level.
  if (all((n) => n.startsWith('region='))) return [{ level: 'sl-version', prefix: node.prefix }];
  if (all((n) => n.startsWith('accountId='))) return [{ level: 'sl-region', prefix: node.prefix }];
  if (all((n) => n.startsWith('eventDay='))) return [{ level: 'sl-account', prefix: node.prefix }];
  if (node.depth + 1 >= MAX_DISCOVERY_DEPTH || named.length > MAX_DISCOVERY_FANOUT) return [];
  return named.map((c) => ({ level: 'unknown', prefix: c.prefix, depth: node.depth + 1 }));
}

/**
 * The folders a listing of an unrecognised level leaves out beside the Security Lake sources it
 * found: other sources' (one AWS adds later, custom ones), which hunt has no table for. Empty
 * when the level holds no known source.
 */
export function unknownSourceFolders(node: Node, folders: readonly string[]): string[] {
  if (node.level !== 'unknown') return [];
  const known = (p: string): boolean => SECURITY_LAKE_FOLDERS.has(folderName(p));
  return folders.some(known) && !folders.some((p) => folderName(p) === 'AWSLogs')
    ? folders.filter((p) => !known(p))
    : [];
}

/**
 * Whether a key listed under a leaf belongs to the leaf's day range (by the day in its path);
 * a key without a recognisable day is kept, and folder markers (keys ending in '/') are not.
 */
export function keepKey(node: Extract<Node, { level: 'leaf' }>, key: string): boolean {
  if (key.endsWith('/')) return false;
  if (!node.days) return true;
  const day = keyDay(node.layout, key);
  return day === undefined || within(day, node.days);
}

export function keyDay(layout: Layout, key: string): string | undefined {
  if (layout === 'cloudtrail') {
    const m = /\/CloudTrail\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(key);
    return m ? `${m[1]}${m[2]}${m[3]}` : undefined;
  }
  if (layout === 'security-lake') return /\/eventDay=(\d{8})\//.exec(key)?.[1];
  return undefined;
}
