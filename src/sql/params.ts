import type { ParamSlot } from '../plan/ir.js';
import type { Window } from '../time/window.js';

/** A parameter value with its SQL type; engines render or bind it (Athena: as literal text). */
export type BoundParam =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  /** UTC, 'yyyy-MM-dd HH:mm:ss.SSS' */
  | { type: 'timestamp'; value: string };

/**
 * Binds the plan's parameter slots for one window. Earliest is inclusive and latest exclusive,
 * so the last partition day is the day of the window's last millisecond.
 */
export function bindParams(slots: ParamSlot[], window: Window): BoundParam[] {
  return slots.map((slot): BoundParam => {
    if (slot.kind === 'value') {
      return typeof slot.value === 'number'
        ? { type: 'number', value: slot.value }
        : { type: 'string', value: slot.value };
    }
    const t = (slot.bound === 'earliest' ? window.earliest : window.latest).toUTC();
    const as = slot.as;
    if (as === 'epoch_s') return { type: 'number', value: t.toMillis() / 1000 };
    if (as === 'epoch_ms') return { type: 'number', value: t.toMillis() };
    if (as === 'timestamp') return { type: 'timestamp', value: t.toFormat('yyyy-MM-dd HH:mm:ss.SSS') };
    const day = slot.bound === 'latest' ? t.minus({ milliseconds: 1 }) : t;
    return { type: 'string', value: day.toFormat(as.day) };
  });
}
