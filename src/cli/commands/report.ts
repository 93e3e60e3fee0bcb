import type { ReportFlags } from '../main.js';
import { resolveTime } from '../../time/index.js';
import { commandConfig, nowFrom } from '../context.js';
import { withHistory, type History } from '../history.js';
import { json, type Io } from '../output.js';
import { table } from '../output-table.js';

/** `hunt report risk`: risk objects by total score over [since, until). */
export async function reportRiskCommand(opts: ReportFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = commandConfig(opts, env);
  const now = nowFrom(opts.now);
  const at = (t: string | undefined): string | undefined =>
    t === undefined ? undefined : (resolveTime(t, { now, zone: config.timezone }).toUTC().toISO() as string);
  const range = { since: at(opts.since), until: at(opts.until) };
  await withHistory(config, env, (h) => printRiskReport(h, range, opts.json ?? false, io));
  return 0;
}

export async function printRiskReport(h: History, range: { since?: string | undefined; until?: string | undefined }, asJson: boolean, io: Io): Promise<void> {
  const objects = await h.riskReport({
    ...(range.since !== undefined ? { since: range.since } : {}),
    ...(range.until !== undefined ? { until: range.until } : {}),
  });
  if (asJson) {
    io.out(json({ objects }));
    return;
  }
  io.out(
    table(
      objects.map((o) => ({ ...o, detections: o.detections })),
      ['risk_object', 'risk_object_type', 'total_score', 'events', 'detections', 'first_time', 'last_time'],
    ),
  );
}
