/**
 * Line breaks for the compiler's one-line SQL, so people can read it and diffs of checked-in
 * SQL show what changed. Only single spaces outside quotes become a newline plus indentation:
 * the formatted text is the same query (`unformatSql` gives the compiler's text back).
 *
 * Breaks go before the clauses of each query (select, from, where, group by, ...), after the
 * commas of select / group by / order by lists, between CTEs, and before the top-level ANDs of
 * a where clause. Function arguments and expressions are left alone.
 */

const CLAUSES = new Set([
  'select',
  'from',
  'where',
  'group by',
  'order by',
  'cross join',
  'left join',
  'inner join',
  'join',
  'having',
  'limit',
]);
const JOIN_KINDS = new Set(['cross', 'left', 'right', 'inner', 'full', 'outer']);
const LISTS = new Set(['select', 'group by', 'order by', 'with']);

interface Frame {
  /** a query (the whole text, or a parenthesised select) rather than an expression */
  query: boolean;
  /** the parenthesised condition right after `where`: its ANDs go on their own lines */
  conditions: boolean;
  indent: string;
  /** the current clause of a query frame */
  clause?: string;
}

export function formatSql(sql: string): string {
  const out: string[] = [];
  const stack: Frame[] = [{ query: true, conditions: false, indent: '' }];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  let lastWord = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = quotedEnd(sql, i);
      out.push(sql.slice(i, end));
      lastWord = '';
      i = end;
      continue;
    }
    if (c === '(') {
      const frame = top();
      const next = wordAt(sql, i + 1);
      const query = next === 'select' || next === 'with';
      const indent = query ? `${queryIndent(stack)}  ` : frame.indent;
      stack.push({
        query,
        conditions: !query && lastWord === 'where' && frame.query,
        indent,
        ...(query ? { clause: next } : {}),
      });
      out.push(c);
      lastWord = '';
      i++;
      continue;
    }
    if (c === ')') {
      if (stack.length > 1) stack.pop();
      out.push(c);
      lastWord = '';
      i++;
      continue;
    }
    if (c === ' ') {
      const frame = top();
      let clause = frame.query ? clauseAt(sql, i + 1) : undefined;
      // the `join` of `cross join` is not a clause of its own
      if (clause === 'join' && JOIN_KINDS.has(lastWord)) clause = undefined;
      if (clause !== undefined) {
        frame.clause = clause;
        out.push(`\n${frame.indent}`);
      } else if (frame.query && sql[i - 1] === ',' && frame.clause !== undefined && LISTS.has(frame.clause)) {
        out.push(frame.clause === 'with' ? `\n${frame.indent}` : `\n${frame.indent}    `);
      } else if (frame.conditions && wordAt(sql, i + 1) === 'and') {
        out.push(`\n${frame.indent}    `);
      } else {
        out.push(c);
      }
      i++;
      continue;
    }
    const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 64));
    if (w) {
      lastWord = w[0].toLowerCase();
      // the query's first clause has no space before it
      if (out.length === 0 && (lastWord === 'with' || lastWord === 'select')) top().clause = lastWord;
      out.push(w[0]);
      i += w[0].length;
      continue;
    }
    lastWord = '';
    out.push(c);
    i++;
  }
  return out.join('');
}

/** The compiler's text back from formatted SQL (when the SQL holds no newline of its own). */
export const unformatSql = (formatted: string): string => formatted.replace(/\n */g, ' ');

function queryIndent(stack: Frame[]): string {
  for (let k = stack.length - 1; k >= 0; k--) {
    const f = stack[k] as Frame;
    if (f.query) return f.indent;
  }
  return '';
}

/** The end (exclusive) of a '...' or "..." starting at `start`; a doubled quote escapes itself. */
function quotedEnd(sql: string, start: number): number {
  const q = sql[start];
  let j = start + 1;
  while (j < sql.length) {
    if (sql[j] === q) {
      if (sql[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

function wordAt(sql: string, at: number): string {
  const m = /^[A-Za-z_]+/.exec(sql.slice(at, at + 16));
  return m ? m[0].toLowerCase() : '';
}

/** A clause keyword (one or two words) starting at `at`, lower-cased. */
function clauseAt(sql: string, at: number): string | undefined {
  const m = /^([A-Za-z]+)(?: ([A-Za-z]+))?\b/.exec(sql.slice(at, at + 24));
  if (!m) return undefined;
  const one = (m[1] as string).toLowerCase();
  const two = m[2] ? `${one} ${m[2].toLowerCase()}` : undefined;
  if (two && CLAUSES.has(two)) return two;
  return CLAUSES.has(one) ? one : undefined;
}
