import type { Span } from '../spl/ast.js';
import { SplError, type SplSource } from '../spl/source.js';

/**
 * What a warning is about, for tools that act on warnings (hunt lint) without parsing messages:
 * - unknown-field: a field no source field or earlier command defines
 * - bare-word: an unquoted word in eval/where read as a field that nothing defines
 * - unknown-path: an spath path the source's events do not have
 * - stats-by-missing: a stats BY field nothing defines (every event is dropped)
 * - never-true: a comparison with an always-empty side
 * - matches-nothing: a search term that can match no event
 * - no-source-home: a raw field the source's mapping has no value for (CloudTrail on Security Lake)
 */
export type WarningCode =
  | 'unknown-field'
  | 'bare-word'
  | 'unknown-path'
  | 'stats-by-missing'
  | 'never-true'
  | 'matches-nothing'
  | 'no-source-home';

export interface Warning {
  message: string;
  /** where in the search or macro it applies */
  at?: string;
  code?: WarningCode;
  /** the field (or spath path) the warning is about */
  field?: string;
}

/** Shared state while planning one search: settings, warnings, fresh names. */
export class PlanContext {
  readonly warnings: Warning[];
  private readonly counter: { n: number };
  /** SPL fields mentioned anywhere, in order (the output of a search without stats or table) */
  readonly mentioned: string[];

  constructor(
    readonly src: SplSource,
    /** IANA zone strftime and ctime render in (Splunk: the searching user's zone) */
    readonly zone: string,
    shared?: { warnings: Warning[]; counter: { n: number }; mentioned: string[] },
  ) {
    this.warnings = shared?.warnings ?? [];
    this.counter = shared?.counter ?? { n: 0 };
    this.mentioned = shared?.mentioned ?? [];
  }

  /** The same planning state over another text (field-map definitions): positions point there. */
  forSource(src: SplSource): PlanContext {
    return new PlanContext(src, this.zone, { warnings: this.warnings, counter: this.counter, mentioned: [] });
  }

  /** The same planning state for a subsearch of the same text; it mentions its own fields. */
  forSubsearch(): PlanContext {
    return new PlanContext(this.src, this.zone, { warnings: this.warnings, counter: this.counter, mentioned: [] });
  }

  warn(message: string, span?: Span, about?: { code: WarningCode; field?: string }): void {
    const at = span ? this.src.describe(span.start) : undefined;
    if (this.warnings.some((w) => w.message === message)) return;
    this.warnings.push({ message, ...(at ? { at } : {}), ...about });
  }

  error(message: string, span: Span): SplError {
    return new SplError(message, span);
  }

  fresh(prefix: string): string {
    return `${prefix}${++this.counter.n}`;
  }

  mention(name: string): void {
    if (!this.mentioned.includes(name)) this.mentioned.push(name);
  }
}
