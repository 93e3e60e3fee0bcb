import type { Command } from '../../spl/ast.js';
import { OverlayEnv } from '../env.js';
import { bin, caseWhen, coalesce, fn, lit, notNull, type Expr } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, isNumeric, toStr, type TE } from '../typed.js';

/**
 * `anomalydetection` with the histogram method over categorical fields (docs/semantics.md): a
 * value's frequency is the number of events with it over the number of events; an event's
 * probability is the product of its values' frequencies. Every event gets `log_event_prob`
 * (natural log), `probable_cause` (the field of its rarest value; the first named on a tie),
 * `probable_cause_freq` and `max_freq`; `filter` keeps the events whose probability is below
 * pthresh. A field an event lacks adds nothing to its probability. Frequencies are window
 * aggregates over the rows that reach the command, and a new stage follows, so later filters
 * do not change them.
 */
export function anomalydetection(p: PlannerState, cmd: Extract<Command, { k: 'anomalydetection' }>): void {
  const ctx = p.ctx;
  const events: Expr = { k: 'win', f: 'count_star', a: [] };
  const carried: { field: string; key: string }[] = [];
  for (const f of cmd.fields) {
    ctx.mention(f.name);
    const te = p.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      ctx.warn(`anomalydetection ${f.name}: no source field or earlier command defines ${f.name}`, f.span, {
        code: 'unknown-field',
        field: f.name,
      });
      continue;
    }
    if (te.t === 'mv') throw ctx.error(`anomalydetection over the multivalue field ${f.name} is not supported`, f.span);
    if (isNumeric(te.t)) {
      throw ctx.error(
        `anomalydetection over the number field ${f.name} is not supported: Splunk bins numbers in a histogram whose bins it does not document`,
        f.span,
      );
    }
    const text = toStr(te);
    const sameValue: Expr = { k: 'win', f: 'count_star', a: [], partition: [text] };
    const freq = caseWhen([{ when: notNull(text), then: bin('/', sameValue, events) }]);
    carried.push({ field: f.name, key: p.carry({ e: freq, t: 'num' }).name });
  }
  p.newStage();
  const freqs = carried.map((c) => ({ field: c.field, e: p.internal(c.key).e }));
  const scores = scoreFields(freqs);
  p.env = new OverlayEnv(p.env, scores);
  for (const name of scores.keys()) ctx.mention(name);
  if (cmd.action === 'filter' && cmd.pthresh !== undefined) {
    const logProb = scores.get('log_event_prob') as TE;
    p.filter(bin('<', logProb.e, lit(Math.log(cmd.pthresh))));
  }
}

/** The four fields Splunk adds, from each field's frequency in the event (NULL: the event lacks it). */
function scoreFields(freqs: { field: string; e: Expr }[]): Map<string, TE> {
  if (freqs.length === 0) {
    // no field has a value anywhere: every event has probability 1 and no cause
    const none: TE = { e: lit(null), t: 'null' };
    return new Map([
      ['log_event_prob', { e: lit(0), t: 'num' }],
      ['probable_cause', none],
      ['probable_cause_freq', none],
      ['max_freq', none],
    ]);
  }
  // frequencies are at most 1: 2 stands for "no value" in the minimum, 0 in the maximum
  const lowest = many(
    'least',
    freqs.map((f) => coalesce(f.e, lit(2))),
  );
  const highest = many(
    'greatest',
    freqs.map((f) => coalesce(f.e, lit(0))),
  );
  const logProb = freqs.map((f) => coalesce(fn('ln', f.e), lit(0))).reduce((sum, term) => bin('+', sum, term));
  return new Map<string, TE>([
    ['log_event_prob', { e: logProb, t: 'num' }],
    [
      'probable_cause',
      { e: caseWhen(freqs.map((f) => ({ when: bin('=', f.e, lowest), then: lit(f.field) }))), t: 'str' },
    ],
    ['probable_cause_freq', { e: caseWhen([{ when: bin('<=', lowest, lit(1)), then: lowest }]), t: 'num' }],
    ['max_freq', { e: caseWhen([{ when: bin('>', highest, lit(0)), then: highest }]), t: 'num' }],
  ]);
}

const many = (f: 'least' | 'greatest', a: Expr[]): Expr => (a.length === 1 ? (a[0] as Expr) : fn(f, ...a));
