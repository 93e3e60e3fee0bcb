/**
 * A security_content `lookups/` directory: each `<name>.yml` defines a lookup, and a CSV lookup's
 * rows come from the file its `filename` names in the same directory. Read once, at the edge;
 * the compiler gets plain data (plan/lookup-table.ts has the same shape).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { CsvError, parseCsv } from './csv.js';
import { DetectionError, readYaml, unreadable } from './load.js';
import { describeIssue } from './schema.js';

/** Splunk's max_matches default for lookups that are not time-based (transforms.conf). */
const DEFAULT_MAX_MATCHES = 1000;

const boolish = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** The fields hunt reads; the rest of contentctl's schema (id, version, author, ...) passes. */
const lookupSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, _ . or -'),
    description: z.string().optional(),
    lookup_type: z.enum(['csv', 'kvstore', 'mlmodel']).optional(),
    filename: z.string().min(1).optional(),
    collection: z.string().optional(),
    case_sensitive_match: boolish.optional(),
    match_type: z.union([z.string(), z.array(z.string())]).optional(),
    max_matches: z.number().int().min(1).max(1000).optional(),
    min_matches: z.number().int().min(0).optional(),
    default_match: z.union([z.string(), z.number(), z.boolean()]).optional(),
    fields_list: z.union([z.string(), z.array(z.string())]).optional(),
    fields: z.array(z.string()).optional(),
  })
  .passthrough();

export interface LoadedLookup {
  name: string;
  kind: 'csv' | 'kvstore';
  file: string;
  fields: string[];
  rows: (string | string[] | null)[][];
  caseSensitive: boolean;
  maxMatches: number;
  wildcardFields: string[];
  defaultMatch?: string;
}

/** Every lookup defined in `dir` (none when it does not exist), sorted by name. */
export function loadLookupDir(dir: string): LoadedLookup[] {
  if (!existsSync(dir)) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new DetectionError(dir, unreadable(err));
  }
  const out: LoadedLookup[] = [];
  const seen = new Map<string, string>();
  for (const e of entries) {
    if (!/\.ya?ml$/i.test(e)) continue;
    const lookup = loadLookup(join(dir, e));
    if (!lookup) continue;
    const other = seen.get(lookup.name);
    if (other) throw new DetectionError(lookup.file, `lookup ${lookup.name} is defined in ${other} too`);
    seen.set(lookup.name, lookup.file);
    out.push(lookup);
  }
  return out;
}

/** One lookup definition and its rows; undefined for kinds hunt does not read (mlmodel). */
export function loadLookup(file: string): LoadedLookup | undefined {
  const raw = readYaml(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DetectionError(file, 'expected a YAML mapping with name and lookup_type');
  }
  const parsed = lookupSchema.safeParse(raw);
  if (!parsed.success) throw new DetectionError(file, parsed.error.issues.map(describeIssue).join('; '));
  const d = parsed.data;
  const kind = d.lookup_type ?? (d.filename ? 'csv' : d.collection || d.fields ? 'kvstore' : undefined);
  if (kind === 'mlmodel') return undefined;
  if (!kind) throw new DetectionError(file, 'field `lookup_type`: is required (csv or kvstore)');
  const wildcardFields = matchFields(file, d.match_type);
  // Splunk adds default_match values up to min_matches; one (for an event with no match) is all hunt does
  if ((d.min_matches ?? 0) > 1) throw new DetectionError(file, 'field `min_matches`: more than 1 is not supported');
  const defaultMatch =
    (d.min_matches ?? 0) >= 1 && d.default_match !== undefined ? { defaultMatch: String(d.default_match) } : {};
  const common = {
    name: d.name,
    kind,
    file,
    caseSensitive: d.case_sensitive_match ?? true,
    maxMatches: d.max_matches ?? DEFAULT_MAX_MATCHES,
    wildcardFields,
    ...defaultMatch,
  };
  if (kind === 'kvstore') {
    const fields = (d.fields ?? listOf(d.fields_list)).filter((f) => f !== '_key');
    if (fields.length === 0) throw new DetectionError(file, 'field `fields`: a kvstore lookup lists its fields');
    return { ...common, fields, rows: [] };
  }
  const csvFile = join(file, '..', d.filename ?? `${basename(file).replace(/\.ya?ml$/i, '')}.csv`);
  const { fields, rows } = readCsvLookup(csvFile);
  for (const w of wildcardFields) {
    if (!fields.includes(w)) throw new DetectionError(file, `field \`match_type\`: ${w} is not a column of ${csvFile}`);
  }
  return { ...common, fields, rows };
}

/** `WILDCARD(a), WILDCARD(b)` → [a, b]; CIDR and other match types are refused by name. */
function matchFields(file: string, matchType: string | string[] | undefined): string[] {
  const items = listOf(matchType);
  return items.map((item) => {
    const m = /^WILDCARD\(\s*([^()\s]+)\s*\)$/i.exec(item);
    if (!m)
      throw new DetectionError(file, `field \`match_type\`: ${item} is not supported (hunt reads WILDCARD(field))`);
    return m[1] as string;
  });
}

function listOf(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  const items = Array.isArray(v) ? v : v.split(/,(?![^(]*\))/);
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/** A CSV lookup file: a header of unique names, then rows of as many fields; empty is missing. */
export function readCsvLookup(file: string): { fields: string[]; rows: (string | null)[][] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DetectionError(file, unreadable(err));
  }
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) throw new DetectionError(file, err.message);
    throw err;
  }
  const [header, ...records] = parsed.records;
  if (!header || header.every((h) => h.trim() === '')) throw new DetectionError(file, 'line 1: no header row');
  const fields = header.map((h) => h.trim());
  fields.forEach((f, i) => {
    if (f === '') throw new DetectionError(file, `line 1: column ${i + 1} has no name`);
    if (fields.indexOf(f) !== i) throw new DetectionError(file, `line 1: column ${f} appears twice`);
  });
  const rows = records.flatMap((r, i) => {
    const line = parsed.lines[i + 1] ?? 0;
    if (r.length === 1 && r[0] === '') return []; // a blank line
    if (r.length !== fields.length) {
      throw new DetectionError(file, `line ${line}: ${r.length} fields, the header has ${fields.length}`);
    }
    return [r.map((v) => (v === '' ? null : v))];
  });
  return { fields, rows };
}
