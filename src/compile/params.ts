import type { ParamSlot } from '../plan/ir.js';

/**
 * A parameter slot as `hunt compile --json` describes it: one per `?` of the SQL, in order.
 * `type` is how the value is bound (src/sql/params.ts: BoundParam), so a caller can bind
 * the slots itself:
 *
 *   {"kind":"window","bound":"earliest","as":"day","format":"yyyy/MM/dd","type":"string"}
 *       the day of the window bound, formatted with the luxon pattern (partition pruning;
 *       for `latest` the day of the window's last millisecond, as latest is exclusive)
 *   {"kind":"window","bound":"latest","as":"epoch_s","type":"number"}      epoch seconds
 *   {"kind":"window","bound":"latest","as":"epoch_ms","type":"number"}     epoch milliseconds
 *   {"kind":"window","bound":"earliest","as":"timestamp","type":"timestamp"}
 *       UTC 'yyyy-MM-dd HH:mm:ss.SSS'
 *   {"kind":"value","type":"string","value":"alice"}
 *       a value from configuration (a macro override), never written into the SQL text
 */
export type SlotJson =
  | { kind: 'window'; bound: 'earliest' | 'latest'; as: 'day'; format: string; type: 'string' }
  | { kind: 'window'; bound: 'earliest' | 'latest'; as: 'epoch_s' | 'epoch_ms'; type: 'number' }
  | { kind: 'window'; bound: 'earliest' | 'latest'; as: 'timestamp'; type: 'timestamp' }
  | { kind: 'value'; type: 'string' | 'number'; value: string | number };

export function slotJson(slot: ParamSlot): SlotJson {
  if (slot.kind === 'value') {
    return { kind: 'value', type: typeof slot.value === 'number' ? 'number' : 'string', value: slot.value };
  }
  const { bound, as } = slot;
  if (typeof as === 'object') return { kind: 'window', bound, as: 'day', format: as.day, type: 'string' };
  if (as === 'timestamp') return { kind: 'window', bound, as, type: 'timestamp' };
  return { kind: 'window', bound, as, type: 'number' };
}

/** One line per slot for people: "window start, inclusive, epoch seconds (number)". */
export function describeSlot(slot: ParamSlot): string {
  const j = slotJson(slot);
  if (j.kind === 'value') return `value ${JSON.stringify(j.value)} from configuration (${j.type})`;
  if (j.as === 'day') {
    return `${j.bound === 'earliest' ? 'day of the window start' : "day of the window's last millisecond"}, ${j.format} (${j.type})`;
  }
  const bound = j.bound === 'earliest' ? 'window start, inclusive' : 'window end, exclusive';
  const unit =
    j.as === 'epoch_s'
      ? 'epoch seconds'
      : j.as === 'epoch_ms'
        ? 'epoch milliseconds'
        : "UTC timestamp 'yyyy-MM-dd HH:mm:ss.SSS'";
  return `${bound}, ${unit} (${j.type})`;
}
