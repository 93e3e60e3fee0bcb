import { Command, CommanderError, Option } from 'commander';
import { MAX_LIMIT, sourceOption, wholeNumber } from './flags.js';
import { exitCodeFor, UsageError } from './errors.js';
import type { DbFlags } from './commands/db.js';
import type { ReportHtmlFlags } from './commands/report-html.js';
import { ENGINE_NAMES } from '../engines/registry.js';
import { DIALECT_NAMES } from '../sql/dialect.js';
import type { RunFlags } from './commands/run.js';
import type { LakeImportFlags } from './commands/lake.js';
import type { DemoFlags } from './commands/demo.js';
import type { CompileFlags } from './commands/compile.js';
import type { LintFlags } from './commands/lint.js';
import type { ReportFlags } from './commands/report.js';
import type { ScheduleFlags } from './commands/schedule.js';
import type { BackfillFlags } from './commands/backfill.js';
import type { StatusFlags } from './commands/status.js';
import type { PruneFlags } from './commands/prune.js';
import { processIo, withSafeMessages, type Io } from './output.js';
// Commands load their modules when they run: `hunt run` need not load Postgres, nor
// `hunt report` DuckDB (startup time is part of every ad-hoc hunt).

/** The CLI: parses arguments, calls one command, maps errors to exit codes (0 ok, 1 failure, 2 bad input). */
export async function main(
  argv: string[],
  rawIo: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const io = withSafeMessages(rawIo);
  let code = 0;
  const program = new Command('hunt')
    .description(
      'Run Splunk ESCU detections over AWS data lakes (Athena or a local DuckDB lake), with risk history in Postgres',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();

  const action =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      code = await fn(...args);
    };

  program
    .command('run')
    .description('run one detection over a time window (default: its ESCU schedule window, -70m@m to -10m@m)')
    .argument('<rule>', 'detection name, id, file stem, or path to a YAML file')
    .option('--lake <dir>', 'local lake directory (default: the sample lake under HUNT_HOME)')
    .addOption(
      new Option('--engine <engine>', 'where to run (default: engine: in the configuration, else duckdb)').choices(
        ENGINE_NAMES,
      ),
    )
    .option(
      '--dry-run',
      'run nothing: print the SQL, its parameters as the engine receives them, and the partitions read',
    )
    .option('--earliest <time>', 'window start, inclusive (Splunk time modifier, ISO 8601 or epoch seconds)')
    .option('--latest <time>', 'window end, exclusive')
    .option('--now <time>', 'evaluate relative times as if it were this time')
    .option('--config <file>', 'YAML configuration (macros, timezone, detections, lake, engine, athena, sources)')
    .option('--detections <dir>', 'directory of detections to find RULE in')
    .addOption(sourceOption())
    .option('--json', 'print one JSON document')
    .option('--no-store', 'do not record the run in Postgres')
    .action(
      action(async (rule: string, opts: RunFlags) =>
        (await import('./commands/run.js')).runCommand(rule, opts, io, env),
      ),
    );

  program
    .command('compile')
    .description(
      'translate detections to SQL: one RULE, or every detection below DIR (default: the detections directory)',
    )
    .argument('[rule-or-dir]', 'detection name, id, file stem, path to a YAML file, or a directory of detections')
    .addOption(new Option('--dialect <dialect>', 'SQL dialect').choices(DIALECT_NAMES).default('athena'))
    .option('--json', 'print one JSON document: {total, compiled, detections: [...]}')
    .option('--config <file>', 'YAML configuration (macros, timezone, detections)')
    .option('--detections <dir>', 'directory of detections to find RULE in (and to use when RULE|DIR is omitted)')
    .addOption(sourceOption())
    .action(
      action(async (target: string | undefined, opts: CompileFlags) =>
        (await import('./commands/compile.js')).compileCommand(target, opts, io, env),
      ),
    );

  program
    .command('lint')
    .description('find content bugs by compiling detections against the source schema (exit 1 when there are errors)')
    .argument('[rule-or-dir]', 'detection name, id, file stem, path to a YAML file, or a directory of detections')
    .option('--json', 'print one JSON document: {total, errors, warnings, not_compiled, findings: [...]}')
    .option('--config <file>', 'YAML configuration (macros, timezone, detections)')
    .option('--detections <dir>', 'directory of detections to find RULE in (and to use when RULE|DIR is omitted)')
    .addOption(sourceOption())
    .action(
      action(async (target: string | undefined, opts: LintFlags) =>
        (await import('./commands/lint.js')).lintCommand(target, opts, io, env),
      ),
    );

  const lake = program.command('lake').description('the local lake (Parquet laid out like the Athena tables)');
  lake
    .command('import')
    .description(
      'import CloudTrail and Security Lake data (JSON, gzip, Parquet; files, directories and s3:// URLs) into the local lake',
    )
    .option('--lake <dir>', 'lake directory (default: the sample lake under HUNT_HOME)')
    .option('--config <file>', 'YAML configuration')
    .option('--json', 'the per-file report as JSON')
    .option('--since <time>', 'S3: only the days from this time (Splunk modifier, ISO 8601 or epoch)')
    .option('--until <time>', 'S3: only the days up to this time')
    .option('--region <regions...>', 'S3: only these regions (repeat or comma-separate)')
    .option('--account <accounts...>', 'S3: only these 12-digit accounts (repeat or comma-separate)')
    .addOption(new Option('--concurrency <n>', 'S3: downloads in flight (default 8)').argParser(wholeNumber(1, 64)))
    .option('--now <time>', 'resolve relative --since/--until at this time')
    .option('--no-progress', 'S3: no progress bar on stderr')
    .argument('<paths...>', 'files, directories (walked recursively) and s3://bucket/prefix URLs')
    .action(
      action(async (paths: string[], opts: LakeImportFlags) =>
        (await import('./commands/lake.js')).lakeImportCommand(paths, opts, io, env),
      ),
    );

  program
    .command('demo')
    .description(
      'build a sample lake (7 days with attacks), run every detection (shipped, or of --detections DIR) over each hourly window, store and summarise the risk',
    )
    .option('--now <time>', 'pretend it is this time')
    .addOption(new Option('--days <n>', 'days of sample data').argParser(wholeNumber(1, 31)).default(7))
    .option('--config <file>', 'YAML configuration')
    .option('--detections <dir>', 'run the detections of this directory instead of the shipped ones')
    .addOption(sourceOption())
    .action(action(async (opts: DemoFlags) => (await import('./commands/demo.js')).demoCommand(opts, io, env)));

  const engineOption = () =>
    new Option('--engine <engine>', 'where to run (default: engine: in the configuration, else duckdb)').choices(
      ENGINE_NAMES,
    );
  const logFormatOption = () =>
    new Option(
      '--log-format <format>',
      'log lines as JSON (default when not a terminal) or readable (default on a terminal)',
    ).choices(['json', 'pretty']);

  program
    .command('schedule')
    .description(
      'run every enabled detection on its ESCU schedule, each window exactly once (catches up after downtime; safe with several instances)',
    )
    .option('--once', 'one pass: plan and run everything due now, then exit')
    .option(
      '--now <time>',
      'as if it were this time (with --once: fixed; otherwise the clock starts there and runs on)',
    )
    .option('--lake <dir>', 'local lake directory (default: the sample lake under HUNT_HOME)')
    .addOption(engineOption())
    .option('--config <file>', 'YAML configuration (schedule:, engine, athena, sources, macros)')
    .option('--detections <dir>', 'schedule the detections of this directory')
    .addOption(sourceOption())
    .addOption(logFormatOption())
    .option('--json', 'with --once: print the pass report as JSON')
    .action(
      action(async (opts: ScheduleFlags) => (await import('./commands/schedule.js')).scheduleCommand(opts, io, env)),
    );

  program
    .command('backfill')
    .description(
      "run the schedule's windows over a past range, batched where the search allows; windows already done are skipped (resumable)",
    )
    .argument('[rule]', 'detection name, id, file stem, or path to a YAML file')
    .option('--all', 'every enabled detection')
    .requiredOption('--from <time>', 'first fire time (inclusive; Splunk time modifier, ISO 8601 or epoch seconds)')
    .option('--to <time>', 'last fire time (exclusive; default: now)')
    .option('--now <time>', 'evaluate relative times as if it were this time')
    .option('--lake <dir>', 'local lake directory (default: the sample lake under HUNT_HOME)')
    .addOption(engineOption())
    .option('--config <file>', 'YAML configuration')
    .option('--detections <dir>', 'directory of detections')
    .addOption(sourceOption())
    .option('--no-progress', 'no progress bar')
    .addOption(logFormatOption())
    .option('--json', 'print the report as JSON')
    .action(
      action(async (rule: string | undefined, opts: BackfillFlags) =>
        (await import('./commands/backfill.js')).backfillCommand(rule, opts, io, env),
      ),
    );

  program
    .command('status')
    .description('the schedule per detection: last window done, lag, failures, queue, next fire time')
    .option('--now <time>', 'as if it were this time')
    .option('--config <file>', 'YAML configuration')
    .option('--detections <dir>', 'directory of detections')
    .option('--json', 'print JSON')
    .action(action(async (opts: StatusFlags) => (await import('./commands/status.js')).statusCommand(opts, io, env)));

  const report = program
    .command('report')
    .description(
      'reports from the stored history (a table; --json: one document; --csv: RFC 4180, arrays joined with "; ")',
    );
  const reportOptions = (c: Command, what: { since?: string } = {}): Command =>
    c
      .option(
        '--since <time>',
        `from (inclusive; Splunk time modifier, ISO 8601 or epoch seconds)${what.since ? `; default ${what.since}` : ''}`,
      )
      .option('--until <time>', 'to (exclusive)')
      .option('--now <time>', 'evaluate relative times as if it were this time')
      .option('--json', 'print one JSON document')
      .option('--csv', 'print CSV (RFC 4180) with a header row; arrays are joined with "; "')
      .option('--config <file>', 'YAML configuration');
  const typeOption = () =>
    new Option('--type <type>', 'only risk objects of this type').choices(['user', 'system', 'other']);
  const limitOption = () => new Option('--limit <n>', 'at most N rows').argParser(wholeNumber(1, MAX_LIMIT));
  // `hunt report --html FILE` is this subcommand (see reportHtmlAlias): commander cannot give
  // `report` options of its own that its subcommands have too (--since) without taking theirs.
  report
    .command('html')
    .description('the risk history as one self-contained HTML page with charts (also: hunt report --html FILE)')
    .argument('[file]', 'the page to write (atomically)')
    .option('--html <file>', 'the page to write (instead of FILE)')
    .option('--since <time>', 'from (inclusive)', '-30d')
    .option('--until <time>', 'to (exclusive)', 'now')
    .option('--now <time>', 'evaluate relative times as if it were this time')
    .addOption(new Option('--top <n>', 'how many objects to chart').argParser(wholeNumber(1, 50)).default(10))
    .option('--config <file>', 'YAML configuration')
    .action(
      action(async (file: string | undefined, opts: Omit<ReportHtmlFlags, 'html'> & { html?: string }) => {
        const { html, ...rest } = opts;
        if (html !== undefined && file !== undefined)
          throw new UsageError(`report html: give the file once, as FILE or --html (got ${file} and ${html})`);
        const target = html ?? file;
        if (target === undefined) throw new UsageError('report html: which file? hunt report --html FILE');
        return (await import('./commands/report-html.js')).reportHtmlCommand({ ...rest, html: target }, io, env);
      }),
    );
  reportOptions(
    report
      .command('risk')
      .description(
        'risk per object, riskiest first: total score, events, detections, ATT&CK tactics and techniques, first and last time',
      ),
  )
    .addOption(typeOption())
    .addOption(limitOption())
    .action(
      action(async (opts: ReportFlags) => (await import('./commands/report.js')).reportRiskCommand(opts, io, env)),
    );
  reportOptions(
    report
      .command('object')
      .description(
        "one risk object's timeline: each risk event in time order with the running total, then a summary (name matched case-insensitively)",
      )
      .argument('<name>', 'the risk object (user, system, ...)'),
    { since: '-7d (the ESCU drilldown "risk events for the last 7 days")' },
  )
    .addOption(typeOption())
    .action(
      action(async (name: string, opts: ReportFlags) =>
        (await import('./commands/report.js')).reportObjectCommand(name, opts, io, env),
      ),
    );
  reportOptions(
    report
      .command('detections')
      .description(
        'per detection, over windows ending in the range: runs, ledger windows, findings, risk events, data scanned, last run and error',
      ),
  ).action(
    action(async (opts: ReportFlags) => (await import('./commands/report.js')).reportDetectionsCommand(opts, io, env)),
  );
  reportOptions(
    report
      .command('incidents')
      .description('incidents raised by the risk incident rules (window ending in the range), newest first'),
  )
    .addOption(new Option('--status <status>', 'only open or closed incidents').choices(['open', 'closed']))
    .addOption(limitOption())
    .action(
      action(async (opts: ReportFlags) => (await import('./commands/report.js')).reportIncidentsCommand(opts, io, env)),
    );

  program
    .command('prune')
    .description(
      'retention: delete runs (with findings and risk events), schedule windows and incidents older than AGE',
    )
    .requiredOption('--older-than <age>', 'e.g. 400d (at least 1d); measured from the end of each window')
    .option('--dry-run', 'delete nothing: say what would go')
    .option('--now <time>', 'as if it were this time')
    .option('--config <file>', 'YAML configuration')
    .option('--json', 'print JSON')
    .action(action(async (opts: PruneFlags) => (await import('./commands/prune.js')).pruneCommand(opts, io, env)));

  program
    .command('migrate')
    .description('apply database migrations')
    .action(action(async () => (await import('./commands/migrate.js')).migrateCommand(io, env)));

  const db = program.command('db').description('the embedded Postgres of HUNT_HOME: status, stop');
  db.command('status')
    .description('data dir, whether the server runs (pid, port), the hunt processes using it, connections')
    .option('--config <file>', 'YAML configuration')
    .option('--json', 'print JSON')
    .action(action(async (opts: DbFlags) => (await import('./commands/db.js')).dbStatusCommand(opts, io, env)));
  db.command('stop')
    .description('stop the server; refused while hunt processes use it, unless --force')
    .option('--force', 'stop it even so, ending their connections')
    .option('--config <file>', 'YAML configuration')
    .option('--json', 'print JSON')
    .action(action(async (opts: DbFlags) => (await import('./commands/db.js')).dbStopCommand(opts, io, env)));

  program.addOption(new Option('--verbose', 'print stack traces').hideHelp());

  try {
    await program.parseAsync(reportHtmlAlias(argv), { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? 0
        : 2;
    }
    io.err(`hunt: ${(err as Error).message}`);
    if (argv.includes('--verbose') && err instanceof Error && err.stack) io.err(err.stack);
    return exitCodeFor(err);
  }
}

/**
 * `hunt report --html FILE [options]` → `hunt report html --html FILE [options]`: `report`
 * followed by options (not a report name) one of which is --html.
 */
export function reportHtmlAlias(argv: string[]): string[] {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  if (argv[at] !== 'report') return argv;
  const rest = argv.slice(at + 1);
  const first = rest[0];
  if (first === undefined || !first.startsWith('--') || first === '--help') return argv;
  if (!rest.some((a) => a === '--html' || a.startsWith('--html='))) return argv;
  return [...argv.slice(0, at + 1), 'html', ...rest];
}
