/** anomalydetection [method=histogram] [action=...] [pthresh=p] [cutoff=bool] field ... */
import type { FieldName, Span } from '../ast.js';
import { fieldName, options } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser, type Cursor } from '../cursor.js';

// the zscore and iqr methods' own options (anomalousvalue's and outlier's): refused by name
const OTHER_METHODS = ['mark', 'param', 'uselower', 'minsupcount', 'maxanofreq', 'minsupfreq', 'minnormfreq'];

/**
 * Only what Splunk documents exactly is accepted (docs/semantics.md): the histogram method over
 * named fields, `annotate`, and `filter` with an explicit `pthresh`. The threshold Splunk computes
 * itself (cutoff=true modifies Q1 - 1.5 IQR in an undocumented way; cutoff=false leaves the
 * quartiles' interpolation undocumented) and `summary` (its quartiles) are refused, not guessed.
 */
export const parseAnomalydetection: CommandParser<'anomalydetection'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const known = ['method', 'action', 'pthresh', 'cutoff', ...OTHER_METHODS];
  const opts = options(c, known);
  const fields: FieldName[] = [];
  // options may follow the fields too
  while (!c.atEnd()) {
    if (c.is(',')) c.next();
    else if (c.is('word') && c.is('op', '=', 1) && known.includes(c.peek()?.value.toLowerCase() ?? ''))
      options(c, known).forEach((v, k) => opts.set(k, v));
    else fields.push(fieldName(c));
  }
  for (const name of OTHER_METHODS) {
    const o = opts.get(name);
    if (o)
      throw c.error(
        `\`anomalydetection\` ${name}= belongs to the zscore and iqr methods, which hunt does not implement`,
        o.span,
      );
  }
  const method = opts.get('method');
  if (method && method.value.toLowerCase() !== 'histogram')
    throw c.error(
      `\`anomalydetection\` method=${method.value} is not supported: hunt implements the histogram method only`,
      method.span,
    );
  const action = opts.get('action');
  const act = (action?.value ?? 'filter').toLowerCase();
  if (act === 'summary')
    throw c.error(
      '`anomalydetection` action=summary is not supported: Splunk does not document how it takes the quartiles it reports',
      action?.span,
    );
  if (act !== 'filter' && act !== 'annotate')
    throw c.error(
      `\`anomalydetection\` action=${action?.value} is not an action of the histogram method (filter, annotate)`,
      action?.span,
    );
  const cutoff = opts.get('cutoff');
  if (cutoff && !/^(true|false|t|f|1|0)$/i.test(cutoff.value))
    throw c.error(`\`anomalydetection\` cutoff=${cutoff.value} is not a boolean`, cutoff.span);
  const pthresh = probability(c, opts.get('pthresh'));
  if (fields.length === 0)
    throw c.error(
      '`anomalydetection` without fields scores every field of the events, which hunt cannot list: name the fields',
      ct.nameSpan,
    );
  if (act === 'filter' && pthresh === undefined)
    throw c.error(
      `\`anomalydetection\` ${action ? 'action=filter' : '(action=filter by default)'} without pthresh= is not supported: the threshold Splunk computes itself (cutoff=${cutoff?.value ?? 'true'}) is not documented exactly; give pthresh=<probability>, or action=annotate`,
      action?.span ?? cutoff?.span ?? ct.nameSpan,
    );
  return {
    k: 'anomalydetection',
    action: act,
    ...(pthresh !== undefined ? { pthresh } : {}),
    fields,
    span: commandSpan(ct),
  };
};

function probability(c: Cursor, o: { value: string; span: Span } | undefined): number | undefined {
  if (!o) return undefined;
  const p = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(o.value) ? Number(o.value) : Number.NaN;
  if (!(p > 0 && p <= 1))
    throw c.error(`\`anomalydetection\` pthresh=${o.value} is not a probability (a number above 0, at most 1)`, o.span);
  return p;
}
