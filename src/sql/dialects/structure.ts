import { sql } from 'kysely';
import type { Dialect, Frag } from '../dialect.js';

/**
 * The structural syntax Trino and DuckDB share (ANSI in the main): each dialect spreads these
 * and overrides what it writes otherwise.
 */
export const ANSI_STRUCTURE: Pick<
  Dialect,
  'placeholder' | 'unnest' | 'orderTerm' | 'divide' | 'aggregateFilter' | 'orderedArrayAgg'
> = {
  placeholder: () => '?',
  unnest: (array, alias, column, ordinal) => ({
    source: sql`UNNEST(${array}) WITH ORDINALITY`,
    as: sql`${sql.id(alias)}(${sql.id(column)}, ${sql.id(ordinal)})`,
  }),
  orderTerm: (e, desc) => sql`${e} ${sql.raw(desc ? 'DESC' : 'ASC')} NULLS LAST`,
  divide: (l, r) => sql`(CAST(${l} AS DOUBLE) / ${r})`,
  aggregateFilter: (agg, cond) => sql`${agg} FILTER (WHERE ${cond})`,
  orderedArrayAgg: (arg: Frag, order: Frag) => sql`array_agg(${arg} ORDER BY ${order})`,
};
