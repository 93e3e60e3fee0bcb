import type { Span } from './ast.js';

/** Where a piece of the expanded search text came from. */
export type Origin =
  | { kind: 'search'; offset: number }
  | { kind: 'macro'; name: string; definedIn: string; external: boolean; offset: number };

export interface OriginSpan {
  start: number;
  end: number;
  origin: Origin;
}

/**
 * A search after macro expansion, remembering for every character where it came from, so
 * errors point into the detection's own text or into the macro that supplied it, and values
 * from user configuration can be told apart from the detection's literals.
 */
export class SplSource {
  constructor(
    readonly text: string,
    readonly spans: OriginSpan[],
    /** the search as written in the detection, before expansion */
    readonly original: string,
  ) {}

  static plain(text: string): SplSource {
    return new SplSource(text, [{ start: 0, end: text.length, origin: { kind: 'search', offset: 0 } }], text);
  }

  originAt(pos: number): { origin: Origin; delta: number } | undefined {
    // spans are sorted and non-overlapping, and a search of many macro calls has thousands
    // of them, looked up for every literal: binary search
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.spans[mid] as OriginSpan;
      if (pos < s.start) hi = mid - 1;
      else if (pos >= s.end) lo = mid + 1;
      else return { origin: s.origin, delta: pos - s.start };
    }
    const last = this.spans[this.spans.length - 1];
    if (last && pos === last.end) return { origin: last.origin, delta: pos - last.start };
    return undefined;
  }

  /** True when every character of the span came from user configuration. */
  isExternal(span: Span): boolean {
    const a = this.originAt(span.start);
    return a !== undefined && a.origin.kind === 'macro' && a.origin.external;
  }

  /** "line 2, column 14 of the search" or "offset 5 of macro `aws_ecr_users` (config.yml)" */
  describe(pos: number): string {
    const at = this.originAt(pos);
    if (!at) return `position ${pos}`;
    if (at.origin.kind === 'search') {
      const offset = at.origin.offset + at.delta;
      const before = this.original.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      return `line ${line}, column ${column} of the search`;
    }
    return `column ${at.origin.offset + at.delta + 1} of macro \`${at.origin.name}\` (${at.origin.definedIn})`;
  }
}

export class SplError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = 'SplError';
  }
}
