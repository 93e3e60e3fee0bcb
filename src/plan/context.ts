import type { Span } from '../spl/ast.js';
import { SplError, type SplSource } from '../spl/source.js';

export interface Warning {
  message: string;
  /** where in the search or macro it applies */
  at?: string;
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

  warn(message: string, span?: Span): void {
    const at = span ? this.src.describe(span.start) : undefined;
    if (this.warnings.some((w) => w.message === message)) return;
    this.warnings.push(at ? { message, at } : { message });
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
