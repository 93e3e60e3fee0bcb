import { describeSlot } from '../compile/params.js';
import { formatSql } from '../compile/format-sql.js';
import { EngineParameterError } from '../engines/engine.js';
import { engineSpec, type EngineName } from '../engines/registry.js';
import type { Prepared } from '../translate/prepare.js';
import { touchedPartitions, type TouchedPartitions } from '../sources/partitions.js';
import { bindParams } from '../sql/params.js';
import type { Window } from '../time/window.js';
import { isoOf } from '../time/index.js';
import { escapeControls } from '../text/escape-controls.js';
import { UsageError } from './errors.js';

/**
 * `hunt run --dry-run`: what a run would send, without running anything: the SQL, the
 * parameters as the engine receives them (Athena: ExecutionParameters, SQL literal text;
 * DuckDB: typed bindings) and the partitions each table's predicates keep.
 */
export interface DryRun {
  detection: { id: string; name: string; version: number };
  window: { earliest: string; latest: string };
  engine: EngineName;
  sql: { dialect: string; text: string; params: (string | number)[] };
  partitions: (TouchedPartitions & { sourcetype: string })[];
  warnings: string[];
}

export function dryRun(p: Prepared, window: Window, engine: EngineName): DryRun {
  const t = p.translation;
  const bound = bindParams(t.slots, window);
  return {
    detection: { id: p.detection.id, name: p.detection.name, version: p.detection.version },
    window: { earliest: isoOf(window.earliest), latest: isoOf(window.latest) },
    engine,
    sql: {
      dialect: t.dialect,
      text: t.sql,
      params: engineParameters(engine, bound),
    },
    partitions: t.scans.flatMap((s) =>
      s.tables.map((table) => ({
        sourcetype: s.sourcetype,
        ...touchedPartitions(table, window.earliest, window.latest),
      })),
    ),
    warnings: t.warnings.map((w) => (w.at ? `${w.message} (at ${w.at})` : w.message)),
  };
}

/** The dry run for people: the SQL laid out, one line per parameter, one per table. */
export function dryRunText(d: DryRun, p: Prepared): string {
  const lines = [
    `${escapeControls(d.detection.name)} (v${d.detection.version})  ${d.window.earliest} .. ${d.window.latest}  [${d.engine}, dry run: nothing was run]`,
    '',
    formatSql(d.sql.text),
    '',
    engineSpec(d.engine).dryRun.heading,
    ...d.sql.params.map((v, i) => {
      const slot = p.translation.slots[i];
      return `  ?${i + 1}  ${typeof v === 'string' ? escapeControls(v) : String(v)}${slot ? `    ${describeSlot(slot)}` : ''}`;
    }),
    '',
    'Partitions read:',
    ...d.partitions.map(
      (t) =>
        `  ${escapeControls(t.table)} (${t.sourcetype}): ${t.days.length ? `${t.days.length} day${t.days.length === 1 ? '' : 's'} ${t.days.join(', ')}` : 'every day (no time partition)'}; ` +
        `regions ${t.regions ? t.regions.join(', ') : 'all'}; accounts ${t.accounts ? t.accounts.join(', ') : 'all'}`,
    ),
  ];
  return lines.join('\n');
}

/** The parameters as the engine receives them, by its own function; a value it cannot take is bad input. */
function engineParameters(engine: EngineName, bound: ReturnType<typeof bindParams>): (string | number)[] {
  try {
    return engineSpec(engine).dryRun.params(bound);
  } catch (err) {
    if (err instanceof EngineParameterError) throw new UsageError(err.message);
    throw err;
  }
}
