/**
 * Athena result values are text (GetQueryResults VarCharValue, or a CSV field) with a type name
 * in ResultSetMetadata.ColumnInfo; this turns them into JavaScript values shaped like the
 * DuckDB engine's rows, so src/runner/results.ts toResultRows treats both engines alike:
 * - NULL (no VarCharValue; an unquoted empty CSV field) is null, and '' stays '';
 * - tinyint/smallint/integer are numbers; bigint a number while exactly representable, beyond
 *   2^53 its decimal text (DuckDB's rows give bigints as text too; JSON cannot hold BigInt);
 * - double/real/float numbers (Athena writes NaN, Infinity, 1.0E21); decimal its exact text;
 * - boolean true/false; json parsed;
 * - array: Athena writes `[a, b]` (Java's List.toString: no quoting), read back as a list of
 *   strings (typed when the type names the element type). An element that itself contains
 *   ", " cannot be told from two elements: the SQL must CAST such a column AS JSON to be exact;
 * - everything else (varchar, char, date, timestamp, map and row text, ...) as the text itself.
 */
import { EngineError } from '../engine.js';

export interface ColumnType {
  name: string;
  /** ColumnInfo.Type, e.g. varchar, bigint, array, array(varchar), decimal */
  type: string;
}

/** Where a value came from, for errors. */
export interface ValueAt {
  column: string;
  /** 1-based data row */
  row: number;
}

const INT_TEXT = /^-?\d+$/;
const FLOAT_TEXT = /^(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|NaN|-?Infinity)$/;

/** The base name of a type signature: `array(varchar)` → array, `decimal(10,2)` → decimal. */
export function baseType(type: string): string {
  const i = type.indexOf('(');
  return (i < 0 ? type : type.slice(0, i)).trim().toLowerCase();
}

/** The element type of `array(T)`, when the signature names one. */
function elementType(type: string): string | undefined {
  const i = type.indexOf('(');
  return i < 0 || !type.endsWith(')') ? undefined : type.slice(i + 1, -1).trim();
}

export function athenaValue(text: string | null | undefined, type: string, at: ValueAt): unknown {
  if (text === null || text === undefined) return null;
  const base = baseType(type);
  switch (base) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint': {
      if (!INT_TEXT.test(text)) throw bad(text, type, at);
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text.replace(/^(-?)0+(?=\d)/, '$1');
    }
    case 'double':
    case 'real':
    case 'float':
      if (!FLOAT_TEXT.test(text)) throw bad(text, type, at);
      return Number(text);
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw bad(text, type, at);
      return text === 'true';
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw bad(text, type, at);
      }
    case 'array':
      return arrayValue(text, type, at);
    default:
      return text;
  }
}

function arrayValue(text: string, type: string, at: ValueAt): unknown[] {
  if (!text.startsWith('[') || !text.endsWith(']')) throw bad(text, type, at);
  const inner = text.slice(1, -1);
  if (inner === '') return [];
  const element = elementType(type);
  const nested = element !== undefined && ['array', 'map', 'row'].includes(baseType(element));
  const parts = nested ? splitNested(inner) : inner.split(', ');
  // Java prints a null element as `null`; a string "null" looks the same (use JSON to be exact)
  return parts.map((p) => (p === 'null' ? null : element ? athenaValue(p, element, at) : p));
}

/** Top-level ", " separated parts, not splitting inside [...] or {...} (nested arrays, maps, rows). */
function splitNested(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (depth === 0 && c === ',' && inner[i + 1] === ' ') {
      parts.push(inner.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}

function bad(text: string, type: string, at: ValueAt): EngineError {
  const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
  return new EngineError(
    `Athena result row ${at.row}, column ${at.column}: ${JSON.stringify(shown)} is not a ${type} value`,
    {
      column: at.column,
      row: at.row,
      type,
    },
  );
}
