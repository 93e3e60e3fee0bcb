/**
 * Splunk's time units and their spellings ("Specify time modifiers in your search"), as data.
 * A Map, not an object literal, so that `constructor` or `__proto__` are not units.
 */
export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export const UNIT_ALIASES: ReadonlyMap<string, TimeUnit> = new Map<string, TimeUnit>([
  ...spellings('second', ['s', 'sec', 'secs', 'second', 'seconds']),
  ...spellings('minute', ['m', 'min', 'mins', 'minute', 'minutes']),
  ...spellings('hour', ['h', 'hr', 'hrs', 'hour', 'hours']),
  ...spellings('day', ['d', 'day', 'days']),
  ...spellings('week', ['w', 'week', 'weeks']),
  ...spellings('month', ['mon', 'month', 'months']),
  ...spellings('quarter', ['q', 'qtr', 'qtrs', 'quarter', 'quarters']),
  ...spellings('year', ['y', 'yr', 'yrs', 'year', 'years']),
]);

function spellings(unit: TimeUnit, names: string[]): [string, TimeUnit][] {
  return names.map((n) => [n, unit]);
}
