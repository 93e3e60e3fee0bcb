/** Where each character of an expanded search came from, over many spans. */
import { expect, test } from 'vitest';
import { type Origin, type OriginSpan, SplSource } from '../../src/spl/source.js';

test('originAt finds the span of every position, the end included, among thousands of spans', () => {
  const spans: OriginSpan[] = [];
  let at = 0;
  for (let n = 0; n < 3000; n++) {
    const len = 1 + (n % 7);
    const origin: Origin =
      n % 2 === 0
        ? { kind: 'search', offset: n }
        : { kind: 'macro', name: `m${n}`, definedIn: 'f.yml', external: n % 3 === 0, offset: 0 };
    spans.push({ start: at, end: at + len, origin });
    at += len;
  }
  const src = new SplSource('x'.repeat(at), spans, 'x');
  for (const s of spans) {
    for (let pos = s.start; pos < s.end; pos++)
      expect(src.originAt(pos)).toEqual({ origin: s.origin, delta: pos - s.start });
  }
  const last = spans[spans.length - 1] as OriginSpan;
  expect(src.originAt(at)).toEqual({ origin: last.origin, delta: at - last.start });
  expect(src.originAt(at + 1)).toBeUndefined();
  expect(src.originAt(-1)).toBeUndefined();
});
