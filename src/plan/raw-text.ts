import type { Column, ColumnType } from '../sources/table-schema.js';
import { cast, fn, type Expr } from './ir.js';

/**
 * `_raw` for a source whose table keeps the event's JSON as columns (CloudTrail): the event's
 * JSON text rebuilt from those columns under their JSON names (`eventName`, `userIdentity`),
 * structs as objects, JSON-text columns (requestParameters) embedded as JSON, lists as arrays.
 * A NULL column is a JSON null. The keys and values are the event's; the bytes and the key
 * order are not.
 */
export function rawJsonText(columns: Column[], scope: string): Expr {
  return fn(
    'jsonFormat',
    objectOf(columns, (c) => ({ k: 'col', scope, path: [c.name] })),
  );
}

/** The JSON object of `columns`, each read by `ref` (a path under the table, or a list element). */
function objectOf(columns: Column[], ref: (c: Column) => Expr): Expr {
  return {
    k: 'jsonObject',
    keys: columns.map((c) => c.json ?? c.name),
    values: columns.map((c) => columnValue(c, ref(c))),
  };
}

// one lambda variable is enough: the CloudTrail schema nests no list inside a listed struct
const ELEMENT = 'hunt_raw_e';

function columnValue(c: Column, e: Expr): Expr {
  if (c.jsonText) return fn('jsonParse', e);
  return typedValue(c.type, e, c.name);
}

function typedValue(t: ColumnType, e: Expr, name: string): Expr {
  switch (t.kind) {
    case 'struct':
      return objectOf(t.fields, (f) => structField(e, f));
    case 'array': {
      const el = t.element;
      if (el.kind === 'array') throw new Error(`_raw: the list of lists ${name} is not supported`);
      if (el.kind !== 'struct') return fn('toJson', e);
      if (e.k === 'col' && e.scope === ELEMENT)
        throw new Error(`_raw: the nested list of structs ${name} is not supported`);
      const element = objectOf(el.fields, (f) => ({ k: 'col', scope: ELEMENT, path: [f.name] }));
      return fn('toJson', fn('arrayTransform', e, { k: 'lambda', v: ELEMENT, body: element }));
    }
    case 'timestamp':
      // Trino casts no timestamp to JSON; the text is what JSON would hold anyway
      return fn('toJson', cast(e, 'varchar'));
    default:
      return fn('toJson', e);
  }
}

/** A struct's field: a longer column path (so a multi-table source selects the leaf itself). */
function structField(e: Expr, f: Column): Expr {
  if (e.k !== 'col') throw new Error(`_raw: the struct field ${f.name} is not read from a column`);
  return { k: 'col', scope: e.scope, path: [...e.path, f.name] };
}
