import type { EngineName } from '../../engines/registry.js';
import {
  chosenEngine,
  engineDialect,
  leaveAfterInterrupt,
  openConfiguredEngine,
  requireEngineInput,
} from '../engine.js';
import type { RunRecord } from '../../store/model.js';
import { prepareRule } from '../../translate/prepare.js';
import { runWindow } from '../../runner/run-window.js';
import { resolveWindow, TimeModifierError } from '../../time/index.js';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { withHistory, type History } from '../history.js';
import { json, type Io } from '../output.js';
import { ESCAPED_NOTE, escapeControls, shownOnTerminal } from '../../text/escape-controls.js';

/** `hunt run` flags as commander gives them. */
export interface RunFlags {
  /** `--source`: read each sourcetype from this source where it can */
  source?: string;
  lake?: string;
  engine?: EngineName;
  dryRun?: boolean;
  earliest?: string;
  latest?: string;
  now?: string;
  config?: string;
  detections?: string;
  json?: boolean;
  store: boolean;
}

/**
 * `hunt run RULE`: one detection, one window, on the local lake or Athena; stored unless
 * --no-store. With --dry-run nothing runs: it prints what would be sent and read.
 */
export async function runCommand(rule: string, opts: RunFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = commandConfig(opts, env);
  const engineName = chosenEngine(opts.engine, config);
  const prepared = prepareRule(rule, config, engineDialect(engineName));
  const d = prepared.detection;
  const now = nowFrom(opts.now);
  const window = flagged({ '--earliest': opts.earliest, '--latest': opts.latest }, () =>
    resolveWindow(opts.earliest ?? d.schedule.earliest, opts.latest ?? d.schedule.latest, {
      now,
      zone: config.timezone,
    }),
  );

  if (opts.dryRun) {
    const { dryRun, dryRunText } = await import('../dry-run.js');
    const plan = dryRun(prepared, window, engineName);
    for (const w of plan.warnings) io.err(`warning: ${w}`);
    if (opts.json) io.out(json(plan));
    else {
      // for reading on a terminal: names and values from files were escaped line by line in
      // dryRunText; the SQL keeps its lines with its control characters shown escaped
      const shown = shownOnTerminal(dryRunText(plan, prepared));
      io.out(shown.text);
      if (shown.escaped) io.err(ESCAPED_NOTE);
    }
    return 0;
  }
  requireEngineInput(engineName, config);

  // Ctrl-C or a TERM stops the query in flight (Athena: StopQueryExecution); an interrupted
  // run is not stored, since it says nothing about the window
  const interrupt = new AbortController();
  let received: NodeJS.Signals = 'SIGINT';
  const onSignal = (signal: NodeJS.Signals): void => {
    received = signal;
    interrupt.abort(new Error(`interrupted (${signal})`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // open the history first: an unreachable database fails before any query runs
  const execute = async (history?: History): Promise<RunRecord> => {
    const engine = await openConfiguredEngine(engineName, config);
    let run: RunRecord;
    try {
      // --no-store: lookups written by outputlookup last for this run only
      run = await runWindow(engine, prepared, window, 'adhoc', interrupt.signal, 0, history?.lookups);
    } finally {
      await engine.close();
    }
    if (history && !interrupt.signal.aborted) await history.saveRun(run);
    return run;
  };
  let run: RunRecord;
  try {
    run = opts.store ? await withHistory(config, env, execute) : await execute();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interrupt.signal.aborted) {
    io.err(`hunt: ${d.name}: ${run.error ?? 'interrupted'}`);
    leaveAfterInterrupt(received);
    return 1;
  }

  for (const w of run.warnings) io.err(`warning: ${w}`);
  if (opts.json) {
    io.out(
      json({
        detection: { id: d.id, name: d.name, version: d.version },
        window: { earliest: run.windowEarliest, latest: run.windowLatest },
        sql: { dialect: prepared.translation.dialect, text: run.sql, params: run.params },
        results: run.results,
        risk_events: run.riskEvents,
        warnings: run.warnings,
        ...(run.error !== undefined ? { error: run.error } : {}),
      }),
    );
  } else if (run.status !== 'failed') {
    // a failed run has no results: a table and "0 results" would read as a clean window
    io.out(escapeControls(`${d.name} (v${d.version})  ${run.windowEarliest} .. ${run.windowLatest}  [${run.engine}]`));
    const { writeRecords } = await import('../output-table.js');
    writeRecords(
      io.out,
      run.results,
      prepared.translation.fields.map((f) => f.name),
      { empty: '(no results)', hint: '--json' },
    );
    const total = run.riskEvents.reduce((s, e) => s + e.risk_score, 0);
    io.out(
      `${run.results.length} result${run.results.length === 1 ? '' : 's'}, ${run.riskEvents.length} risk event${run.riskEvents.length === 1 ? '' : 's'} (total score ${total})`,
    );
  }
  if (run.status === 'failed') {
    io.err(`hunt: ${d.name} failed: ${run.error ?? 'unknown error'}`);
    return 1;
  }
  return 0;
}

/** A bad time modifier given as a flag is reported under the flag's name. */
function flagged<T>(flags: Record<string, string | undefined>, f: () => T): T {
  try {
    return f();
  } catch (err) {
    // every flag with that text: `--earliest now --latest now` cannot say which end failed
    const named = err instanceof TimeModifierError ? Object.keys(flags).filter((k) => flags[k] === err.text) : [];
    if (named.length > 0)
      throw new UsageError(`${named.join(' and ')} ${(err as TimeModifierError).text}: ${(err as Error).message}`);
    throw err;
  }
}
