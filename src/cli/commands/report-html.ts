import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { commandConfig, nowFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { requireOrdered, timeFlagIso } from '../flags.js';
import { withDatabase } from '../history.js';
import type { Io } from '../output.js';

export interface ReportHtmlFlags {
  html: string;
  since: string;
  until: string;
  now?: string;
  top: number;
  config?: string;
}

/**
 * `hunt report --html FILE`: the risk history over [since, until) as one self-contained HTML
 * page. The path is checked before the database is opened, and the page is written atomically,
 * so a failed run leaves no file (and an existing one untouched).
 */
export async function reportHtmlCommand(opts: ReportHtmlFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = commandConfig(opts, env);
  const file = resolve(opts.html);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--html ${opts.html}: directory ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--html ${opts.html}: is a directory`);
  const now = nowFrom(opts.now);
  const since = timeFlagIso('--since', opts.since, now, config.timezone);
  const until = timeFlagIso('--until', opts.until, now, config.timezone);
  requireOrdered({ flag: '--since', text: opts.since, iso: since }, { flag: '--until', text: opts.until, iso: until });

  const [{ gatherHtmlReport }, { renderReportPage }, { writeFileAtomic }] = await Promise.all([
    import('../../report-html/data.js'),
    import('../../report-html/page.js'),
    import('../../report-html/write.js'),
  ]);
  const data = await withDatabase(
    config,
    env,
    (db) => gatherHtmlReport(db.pool, { since, until, top: opts.top, generatedAt: now.toUTC().toISO() as string }),
    'check',
  );
  await writeFileAtomic(file, renderReportPage(data));
  io.out(
    `wrote ${file}: ${data.totals.risk_events} risk events, ${data.top.length} top objects, ${data.incidents.total} incidents\n`,
  );
  return 0;
}
