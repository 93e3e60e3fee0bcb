import { parseTimeModifier, type TimeStep } from '../time/parse.js';
import { literalText, one, type EvalFunction } from './eval-args.js';
import { bin, fn, lit, type Expr } from './ir.js';
import { alwaysNull, NULL_TE, toNum, toStr } from './typed.js';

/**
 * Time eval functions. Times are epoch seconds; text renders and parses in the configured
 * zone (Splunk: the searching user's zone). `now()` and `time()` are the searched window's
 * latest bound (a parameter), so a search gives the same result whenever it runs.
 */

const SECONDS: Partial<Record<TimeStep['unit'], number>> = { second: 1, minute: 60, hour: 3600 };

/** One step of a relative time modifier applied to an epoch-seconds expression. */
function applyStep(t: Expr, step: TimeStep, zone: Expr): Expr {
  if (step.kind === 'offset') {
    const secs = SECONDS[step.unit];
    if (secs !== undefined) return bin('+', t, lit(step.amount * secs));
    // days and longer are calendar steps in the zone
    return fn('addTime', t, lit(step.unit), lit(step.amount), zone);
  }
  if (step.unit !== 'week') return fn('truncTime', t, lit(step.unit), zone);
  // @w0..@w6: back to the start of the last such weekday (0 = Sunday)
  const back = bin('%', bin('+', bin('-', fn('weekday', t, zone), lit(step.weekday)), lit(7)), lit(7));
  return fn('addTime', fn('truncTime', t, lit('day'), zone), lit('day'), bin('-', lit(0), back), zone);
}

const windowLatest: Expr = { k: 'param', slot: { kind: 'window', bound: 'latest', as: 'epoch_s' } };

export const TIME_FUNCTIONS: Record<string, EvalFunction> = {
  strftime: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const t = one(args, s);
      const format = literalText(args[1], s, 'the format of strftime()', span);
      if (alwaysNull(t)) return NULL_TE;
      return { e: fn('formatEpoch', toNum(t), lit(format), lit(s.ctx.zone)), t: 'str' };
    },
  },
  hunt_utc_strftime: {
    min: 2,
    max: 2,
    internal: true,
    compile: (args, s, span) => {
      const format = literalText(args[1], s, 'the format', span);
      return { e: fn('formatEpoch', toNum(one(args, s)), lit(format), lit('UTC')), t: 'str' };
    },
  },
  /** strptime(text, format): epoch seconds; null when the text does not fit the format */
  strptime: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const text = one(args, s);
      const format = literalText(args[1], s, 'the format of strptime()', span);
      if (alwaysNull(text)) return NULL_TE;
      return { e: fn('parseTime', toStr(text), lit(format), lit(s.ctx.zone)), t: 'num' };
    },
  },
  /** the window's latest bound, in epoch seconds */
  now: { min: 0, max: 0, compile: () => ({ e: windowLatest, t: 'num' }) },
  time: { min: 0, max: 0, compile: () => ({ e: windowLatest, t: 'num' }) },
  /** relative_time(t, "-1d@d"): a Splunk relative time modifier applied to t, in the configured zone */
  relative_time: {
    min: 2,
    max: 2,
    compile: (args, s, span) => {
      const t = one(args, s);
      const text = literalText(args[1], s, 'the time modifier of relative_time()', span);
      let spec: ReturnType<typeof parseTimeModifier>;
      try {
        spec = parseTimeModifier(text);
      } catch (err) {
        throw s.ctx.error(`relative_time(): ${(err as Error).message}`, args[1]?.span ?? span);
      }
      if (spec.kind === 'now') return alwaysNull(t) ? NULL_TE : { e: toNum(t), t: 'num' };
      if (spec.kind !== 'relative')
        throw s.ctx.error(
          `relative_time() needs a relative modifier such as "-1d@d", not "${text}"`,
          args[1]?.span ?? span,
        );
      if (alwaysNull(t)) return NULL_TE;
      const zone = lit(s.ctx.zone);
      return { e: spec.steps.reduce((acc, step) => applyStep(acc, step, zone), toNum(t)), t: 'num' };
    },
  },
};
