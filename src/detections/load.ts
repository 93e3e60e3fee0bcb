import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import YAML from 'yaml';
import { ESCU_DEFAULT_SCHEDULE, type Detection, type RiskObjectSpec, type ThreatObjectSpec } from './model.js';
import { describeIssue, detectionSchema, type DetectionYaml } from './schema.js';

/** A detection file that cannot be used, with the file and the field or line at fault. */
export class DetectionError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'DetectionError';
  }
}

/** Reads YAML with errors that name the line and column. */
const REASONS: Record<string, string> = {
  ENOENT: 'a symlink to nothing',
  ELOOP: 'a symlink loop',
  EACCES: 'no permission to read it',
};

/** Why a file or directory entry cannot be read: "cannot read: ELOOP (a symlink loop)". */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code ? `${code}${REASONS[code] ? ` (${REASONS[code]})` : ''}` : (err as Error).message;
  return `cannot read: ${why}`;
}

export function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DetectionError(file, unreadable(err));
  }
  try {
    return YAML.parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const e = err as Error & { linePos?: { line: number; col: number }[] };
    const pos = e.linePos?.[0];
    const reason = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
    throw new DetectionError(file, `malformed YAML: ${where}${reason}`);
  }
}

export function loadDetection(file: string): Detection {
  const raw = readYaml(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DetectionError(file, 'expected a YAML mapping with name, id, version and search');
  }
  const parsed = detectionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DetectionError(file, parsed.error.issues.map(describeIssue).join('; '));
  }
  return toDetection(file, parsed.data);
}

/** Normalises either ESCU schema into a Detection. */
export function toDetection(file: string, y: DetectionYaml): Detection {
  const tags = y.tags ?? {};
  const rba = y.rba ? fromRba(y.rba) : fromOldTags(file, tags);
  const testSourcetypes = (y.tests ?? [])
    .flatMap((t) => t.attack_data ?? [])
    .map((a) => a.sourcetype)
    .filter((s): s is string => typeof s === 'string');
  return {
    file,
    id: y.id,
    name: y.name,
    version: y.version,
    ...(y.date !== undefined ? { date: y.date } : {}),
    ...(y.status !== undefined ? { status: y.status } : {}),
    ...(y.type !== undefined ? { type: y.type } : {}),
    ...(y.description !== undefined ? { description: y.description } : {}),
    search: y.search,
    dataSource: y.data_source ?? [],
    schedule: { ...ESCU_DEFAULT_SCHEDULE },
    rba,
    mitreAttackIds: tags.mitre_attack_id ?? [],
    analyticStories: tags.analytic_story ?? [],
    testSourcetypes: [...new Set(testSourcetypes)],
  };
}

function fromRba(rba: NonNullable<DetectionYaml['rba']>): Detection['rba'] {
  return {
    message: rba.message,
    riskObjects: rba.risk_objects.map((r) => ({ field: r.field, type: r.type, score: r.score })),
    threatObjects: rba.threat_objects.map((t) => ({ field: t.field, type: t.type })),
  };
}

/**
 * Older ESCU: score = risk_score, or impact × confidence / 100; observables with role Victim
 * are risk objects, with role Attacker threat objects.
 */
function fromOldTags(file: string, tags: NonNullable<DetectionYaml['tags']>): Detection['rba'] {
  const observables = tags.observable ?? [];
  let score = tags.risk_score;
  if (score === undefined && tags.impact !== undefined && tags.confidence !== undefined) {
    score = Math.round((tags.impact * tags.confidence) / 100);
  }
  const victims = observables.filter((o) => o.role.some((r) => /victim/i.test(r)));
  if (victims.length > 0 && score === undefined) {
    throw new DetectionError(
      file,
      'field `tags.risk_score` is required (or both `tags.impact` and `tags.confidence`) when observables have role Victim',
    );
  }
  const riskObjects: RiskObjectSpec[] = victims.map((o) => ({
    field: o.name,
    type: riskType(o.type),
    score: score ?? 0,
  }));
  const threatObjects: ThreatObjectSpec[] = observables
    .filter((o) => o.role.some((r) => /attacker/i.test(r)))
    .map((o) => ({ field: o.name, type: threatType(o.type) }));
  return { message: tags.message ?? '', riskObjects, threatObjects };
}

function riskType(observableType: string): string {
  const t = observableType.toLowerCase();
  if (t === 'user' || t === 'user name') return 'user';
  if (['hostname', 'system', 'endpoint', 'computer', 'ip address'].includes(t)) return 'system';
  return 'other';
}

function threatType(observableType: string): string {
  return observableType.toLowerCase().replace(/\s+/g, '_');
}

export const stemOf = (file: string): string => basename(file).replace(/\.ya?ml$/i, '');
