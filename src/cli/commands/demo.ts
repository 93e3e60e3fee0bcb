import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileDirectory } from '../../compile/compile.js';
import { configMacros } from '../../detections/macros.js';
import { DEMO_MACROS, generateDemoData } from '../../demo/index.js';
import { DuckdbEngine } from '../../engines/duckdb/engine.js';
import { importRecords } from '../../lake/import.js';
import type { Prepared } from '../../translate/prepare.js';
import { runWindows } from '../../runner/run-windows.js';
import type { RunRecord } from '../../store/model.js';
import { hourlyFireTimes, resolveWindow } from '../../time/index.js';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { withHistory } from '../history.js';
import { printRiskReport } from './report.js';
import type { Io } from '../output.js';

/** `hunt demo` flags as commander gives them. */
export interface DemoFlags {
  /** `--source`: read each sourcetype from this source where it can */
  source?: string;
  now?: string;
  days: number;
  config?: string;
  detections?: string;
}

const MARKER = '.hunt-demo-lake';

/**
 * `hunt demo`: a sample lake under HUNT_HOME with a week of traffic and planted attacks, every
 * detection (the shipped ones, or those of `--detections DIR` / `detections:` in config) over
 * each hourly ESCU window, all stored, and a risk summary. Detections that do not compile are
 * listed with the reason and left out; the others still run.
 */
export async function demoCommand(opts: DemoFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = commandConfig(opts, env);
  const days = opts.days;
  const now = nowFrom(opts.now);
  const lakeDir = join(config.huntHome, 'lake');
  // compiled before anything is built: detections that cannot run are known up front
  const outcomes = compileDirectory(config.detectionsDir, config, {
    dialect: 'duckdb',
    extraMacros: configMacros(DEMO_MACROS, 'the demo'),
  });
  const prepared: Prepared[] = outcomes.flatMap((o) => o.prepared ?? []);
  const skipped = outcomes.filter((o) => !o.translation);
  if (skipped.length > 0) {
    io.err(`skipping ${skipped.length} of ${outcomes.length} detections that do not compile:`);
    for (const o of skipped) io.err(`  ${relative(config.detectionsDir, o.file)}: ${o.error ?? ''}`);
  }
  if (prepared.length === 0)
    throw new UsageError(`${config.detectionsDir}: no detection there compiles, nothing to run`);

  return withHistory(config, env, async (history) => {
    io.err(`building the sample lake in ${lakeDir} ...`);
    const data = generateDemoData({ now, days });
    await replaceLake(lakeDir, data);

    const fires = hourlyFireTimes(now.minus({ days }), now);
    io.err(`running ${prepared.length} detections over ${fires.length} hourly windows ...`);

    const runs: RunRecord[] = [];
    const engine = await DuckdbEngine.open(lakeDir);
    try {
      // the week's windows tile time: batched, a detection's week is one query
      for (const p of prepared) {
        const windows = fires.map((fire) =>
          resolveWindow(p.detection.schedule.earliest, p.detection.schedule.latest, {
            now: fire,
            zone: config.timezone,
          }),
        );
        runs.push(...(await runWindows(engine, p, windows, 'demo', { maxBatch: windows.length })));
      }
    } finally {
      await engine.close();
    }
    const failed = runs.filter((r) => r.status === 'failed');
    // the demo owns its history: earlier demo runs are replaced, so re-running gives the same totals
    await history.deleteRuns({ trigger: 'demo' });
    for (const run of runs) await history.saveRun(run);
    const findings = runs.reduce((n, r) => n + r.results.length, 0);
    io.out(
      `${runs.length} runs stored, ${findings} findings, ${runs.reduce((n, r) => n + r.riskEvents.length, 0)} risk events\n`,
    );
    const since = now.minus({ days }).toUTC().toISO() as string;
    await printRiskReport(history, { since }, false, io);
    const incidents = await history.incidents({ since });
    io.out(`\n${incidents.length} risk incident${incidents.length === 1 ? '' : 's'}${incidents.length ? ':' : ''}`);
    for (const i of incidents)
      io.out(
        `  ${i.rule}  ${i.risk_object} (${i.risk_object_type})  score ${i.total_score} from ${i.detections.length} detection${i.detections.length === 1 ? '' : 's'}, ${i.window_start} .. ${i.window_end}`,
      );
    io.out('\nmore: hunt report object NAME, hunt report incidents, hunt report --html report.html');
    for (const f of failed.slice(0, 5)) io.err(`failed: ${f.detectionName} ${f.windowEarliest}: ${f.error ?? ''}`);
    return failed.length > 0 ? 1 : 0;
  });
}

/**
 * Builds the new lake next to the old one and swaps it in, so an interrupted demo never
 * leaves half a lake. A lake the demo did not make is never touched.
 */
async function replaceLake(
  lakeDir: string,
  data: { cloudtrail: object[]; ocsf: object[]; securityHub: object[]; eksAudit: object[]; vpcFlow: object[] },
): Promise<void> {
  if (existsSync(lakeDir) && !existsSync(join(lakeDir, MARKER))) {
    throw new UsageError(
      `${lakeDir} holds a lake the demo did not create; move it away or set HUNT_HOME to another directory`,
    );
  }
  mkdirSync(join(lakeDir, '..'), { recursive: true });
  const fresh = `${lakeDir}.new-${process.pid}`;
  const old = `${lakeDir}.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  try {
    await importRecords(fresh, {
      cloudtrail: data.cloudtrail,
      // Security Hub findings, EKS audit logs and VPC flows are OCSF too: the importer sends each to its table
      ocsf: [...data.ocsf, ...data.securityHub, ...data.eksAudit, ...data.vpcFlow],
    });
    writeFileSync(join(fresh, MARKER), 'made by hunt demo; hunt demo replaces this directory\n');
    if (existsSync(lakeDir)) renameSync(lakeDir, old);
    renameSync(fresh, lakeDir);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}
