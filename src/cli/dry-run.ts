import { describeSlot } from '../compile/params.js';
import { formatSql } from '../compile/format-sql.js';
import { AthenaParameterError, athenaLiteral } from '../engines/athena/literals.js';
import type { EngineName } from '../engines/open.js';
import type { Prepared } from '../translate/prepare.js';
import { touchedPartitions, type TouchedPartitions } from '../sources/partitions.js';
import { bindParams, type BoundParam } from '../sql/params.js';
import type { Window } from '../time/window.js';
import { isoOf } from '../time/index.js';
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
      params: engine === 'athena' ? athenaParameters(bound) : bound.map((p) => p.value),
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
    `${d.detection.name} (v${d.detection.version})  ${d.window.earliest} .. ${d.window.latest}  [${d.engine}, dry run: nothing was run]`,
    '',
    formatSql(d.sql.text),
    '',
    d.engine === 'athena' ? 'Parameters (ExecutionParameters, in order):' : 'Parameters (bound in order):',
    ...d.sql.params.map((v, i) => {
      const slot = p.translation.slots[i];
      return `  ?${i + 1}  ${typeof v === 'string' ? v : String(v)}${slot ? `    ${describeSlot(slot)}` : ''}`;
    }),
    '',
    'Partitions read:',
    ...d.partitions.map(
      (t) =>
        `  ${t.table} (${t.sourcetype}): ${t.days.length ? `${t.days.length} day${t.days.length === 1 ? '' : 's'} ${t.days.join(', ')}` : 'every day (no time partition)'}; ` +
        `regions ${t.regions ? t.regions.join(', ') : 'all'}; accounts ${t.accounts ? t.accounts.join(', ') : 'all'}`,
    ),
  ];
  return lines.join('\n');
}

/** The ExecutionParameters text, by the engine's own function; a value Athena cannot take is bad input. */
function athenaParameters(bound: BoundParam[]): string[] {
  try {
    return bound.map((p, i) => athenaLiteral(p, i + 1));
  } catch (err) {
    if (err instanceof AthenaParameterError) throw new UsageError(err.message);
    throw err;
  }
}
