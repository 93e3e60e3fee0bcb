/** Parameter slots as `hunt compile --json` and the SQL file headers describe them. */
import { describe, expect, test } from 'vitest';
import { describeSlot, slotJson } from '../../src/compile/params.js';
import type { ParamSlot } from '../../src/plan/ir.js';

describe('parameter slots', () => {
  test.each<[ParamSlot, unknown, string]>([
    [
      { kind: 'window', bound: 'earliest', as: { day: 'yyyy/MM/dd' } },
      { kind: 'window', bound: 'earliest', as: 'day', format: 'yyyy/MM/dd', type: 'string' },
      'day of the window start, yyyy/MM/dd (string)',
    ],
    [
      { kind: 'window', bound: 'latest', as: { day: 'yyyyMMdd' } },
      { kind: 'window', bound: 'latest', as: 'day', format: 'yyyyMMdd', type: 'string' },
      "day of the window's last millisecond, yyyyMMdd (string)",
    ],
    [
      { kind: 'window', bound: 'earliest', as: 'epoch_s' },
      { kind: 'window', bound: 'earliest', as: 'epoch_s', type: 'number' },
      'window start, inclusive, epoch seconds (number)',
    ],
    [
      { kind: 'window', bound: 'latest', as: 'epoch_ms' },
      { kind: 'window', bound: 'latest', as: 'epoch_ms', type: 'number' },
      'window end, exclusive, epoch milliseconds (number)',
    ],
    [
      { kind: 'window', bound: 'latest', as: 'timestamp' },
      { kind: 'window', bound: 'latest', as: 'timestamp', type: 'timestamp' },
      "window end, exclusive, UTC timestamp 'yyyy-MM-dd HH:mm:ss.SSS' (timestamp)",
    ],
    [
      { kind: 'value', value: "o'neil" },
      { kind: 'value', type: 'string', value: "o'neil" },
      `value "o'neil" from configuration (string)`,
    ],
    [{ kind: 'value', value: 3 }, { kind: 'value', type: 'number', value: 3 }, 'value 3 from configuration (number)'],
  ])('%j', (slot, json, text) => {
    expect(slotJson(slot)).toEqual(json);
    expect(describeSlot(slot)).toBe(text);
  });
});
