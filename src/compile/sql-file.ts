import type { Detection } from '../detections/model.js';
import type { Prepared } from '../translate/prepare.js';
import type { Translation } from '../translate/translate.js';
import { DIALECTS } from '../sql/dialects/index.js';
import { escapeControls } from '../text/escape-controls.js';
import { warningText } from './document.js';
import { formatSql } from './format-sql.js';
import { describeSlot } from './params.js';

/**
 * A detection's SQL as a file people read: a header comment (detection, version, source,
 * parameter slots, output columns, warnings), then the SQL with line breaks (formatSql: the
 * same query). `hunt compile RULE` prints this; sql/detections/*.sql hold it for the shipped
 * detections.
 */
export function sqlFileText(
  d: Detection,
  t: Translation,
  opts: { file: string; note?: string; steps?: Prepared['steps'] },
): string {
  const steps = opts.steps ?? [];
  const lines = [
    `${d.name}, version ${d.version}`,
    `id ${d.id}, from ${opts.file}`,
    `${DIALECTS[t.dialect].title} SQL over sourcetype ${t.sourcetype}.`,
    ...(opts.note ? [opts.note] : []),
    ...(steps.length > 0
      ? [
          `Runs in ${steps.length + 1} steps (outputlookup): each step's rows are stored before the next is planned;`,
          'the final query below reads them. Step queries first, the final query last.',
        ]
      : []),
    '',
    t.slots.length === 0 ? 'Parameters: none.' : 'Parameters, one per ? in order:',
    ...t.slots.map((s, i) => `  ?${i + 1}  ${describeSlot(s)}`),
    '',
    ...wrap(
      `Columns: ${t.fields.map((f) => (f.column === f.name ? f.name : `${f.column} (${f.name})`)).join(', ')}`,
      96,
    ),
    ...(t.warnings.length > 0 ? ['', 'Warnings:', ...t.warnings.map((w) => `  ${warningText(w)}`)] : []),
  ];
  // names, ids, paths and warnings come from the detection file: a line break in one would end
  // the comment and make the rest live SQL, so every control character is shown escaped
  const header = lines.map((l) => (l ? `-- ${escapeControls(l)}` : '--')).join('\n');
  const stepText = steps.map((step, i) => {
    const what = `Step ${i + 1}: its rows ${step.append ? 'are appended to' : 'replace'} lookup ${step.lookup}`;
    const params = step.translation.slots.map((slot, n) => `--   ?${n + 1}  ${describeSlot(slot)}`);
    return `-- ${escapeControls(what)}\n${params.join('\n')}${params.length ? '\n' : ''}${formatSql(step.translation.sql)}\n\n`;
  });
  const finalLabel = steps.length > 0 ? `-- Step ${steps.length + 1}: the results\n` : '';
  return `${header}\n${stepText.join('')}${finalLabel}${formatSql(t.sql)}\n`;
}

/** Breaks a comma-separated line after commas so no line is much wider than `width`. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const part of text.split(/(?<=,) /)) {
    if (line && line.length + part.length + 1 > width) {
      out.push(line);
      line = `  ${part}`;
    } else {
      line = line ? `${line} ${part}` : part;
    }
  }
  if (line) out.push(line);
  return out;
}
