/** The page's pure parts: the time axis (it must agree with Postgres' date_trunc) and escaping. */
import { describe, expect, test } from 'vitest';
import { bucketStarts, bucketUnit } from '../../src/report-html/buckets.js';
import { esc, niceCeil } from '../../src/report-html/format.js';

describe('the time axis', () => {
  test('hourly up to 3 days, daily to 92, weekly to 3 years, monthly beyond', () => {
    expect(bucketUnit('2024-03-01T00:00:00Z', '2024-03-04T00:00:00Z')).toBe('hour');
    expect(bucketUnit('2024-03-01T00:00:00Z', '2024-03-04T00:00:00.001Z')).toBe('day');
    expect(bucketUnit('2024-03-01T00:00:00Z', '2024-06-01T00:00:00Z')).toBe('day');
    expect(bucketUnit('2024-03-01T00:00:00Z', '2024-06-02T00:00:01Z')).toBe('week');
    expect(bucketUnit('2020-01-01T00:00:00Z', '2024-01-01T00:00:00Z')).toBe('month');
  });

  test('buckets start where date_trunc puts them: the hour, the day, Monday, the 1st', () => {
    expect(bucketStarts('2024-03-01T22:30:00Z', '2024-03-02T01:00:00Z', 'hour')).toEqual([
      '2024-03-01T22:00:00Z',
      '2024-03-01T23:00:00Z',
      '2024-03-02T00:00:00Z',
    ]);
    // until is exclusive: the 3rd is not a bucket
    expect(bucketStarts('2024-03-01T10:00:00Z', '2024-03-03T00:00:00Z', 'day')).toEqual([
      '2024-03-01T00:00:00Z',
      '2024-03-02T00:00:00Z',
    ]);
    // 2024-03-01 is a Friday; date_trunc('week') gives the Monday before
    expect(bucketStarts('2024-03-01T00:00:00Z', '2024-03-12T00:00:00Z', 'week')).toEqual([
      '2024-02-26T00:00:00Z',
      '2024-03-04T00:00:00Z',
      '2024-03-11T00:00:00Z',
    ]);
    expect(bucketStarts('2024-01-15T00:00:00Z', '2024-03-01T00:00:00Z', 'month')).toEqual([
      '2024-01-01T00:00:00Z',
      '2024-02-01T00:00:00Z',
    ]);
  });
});

describe('escaping', () => {
  test('markup characters become entities, in text and attributes alike', () => {
    expect(esc(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  test('characters XML forbids (which would break the inline SVG) become U+FFFD; text otherwise stays', () => {
    expect(esc('a\u0000b\u001bc\td\ne')).toBe('a\ufffdb\ufffdc\td\ne');
    expect(esc('lone \ud800 surrogate, pair \ud83d\ude00')).toBe('lone \ufffd surrogate, pair \ud83d\ude00');
  });

  test('axis tops are round', () => {
    expect([0, 0.3, 7, 10, 11, 140, 434].map(niceCeil)).toEqual([1, 0.5, 10, 10, 20, 200, 500]);
  });
});
