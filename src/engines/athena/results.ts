/**
 * A finished query's rows: GetQueryResults pages (1000 rows each; the first row of the first
 * page is the header), or, once a result has more rows than `s3ResultRows`, the result CSV the
 * query wrote to S3, streamed: one GetObject instead of a call per 1000 rows. Values are typed
 * from the first page's ColumnInfo either way.
 */
import type { GetQueryResultsOutput, Row } from '@aws-sdk/client-athena';
import { EngineError } from '../engine.js';
import { csvRows, CsvSyntaxError, type CsvField } from './csv.js';
import { athenaValue, type ColumnType } from './values.js';

/** GetQueryResults' page size limit. */
export const PAGE_ROWS = 1000;

/** How results are fetched: the calls, already wrapped with retries and the abort signal. */
export interface ResultCalls {
  page(nextToken: string | undefined): Promise<GetQueryResultsOutput>;
  /** the object's bytes, streamed */
  object(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>>;
}

export interface FetchedResults {
  columns: ColumnType[];
  rows: Record<string, unknown>[];
  source: 'pages' | 's3';
  pages: number;
  /** s3://... of the CSV, when it was read (or tried) */
  csv?: string;
  /** why the CSV could not be read, when pages were used instead */
  s3Error?: string;
}

export interface FetchOptions {
  executionId: string;
  /** ResultConfiguration.OutputLocation as GetQueryExecution reports it */
  outputLocation: string | undefined;
  s3ResultRows: number;
}

export async function fetchResults(calls: ResultCalls, opts: FetchOptions): Promise<FetchedResults> {
  const first = await calls.page(undefined);
  const columns = columnTypes(first);
  const names = columns.map((c) => c.name);
  const firstRows = first.ResultSet?.Rows ?? [];
  const header = firstRows[0];
  if (!header || !sameNames(header, names)) {
    throw new EngineError(
      `Athena GetQueryResults for ${opts.executionId}: the first row is not the header (${names.join(', ')})`,
      { executionId: opts.executionId },
    );
  }
  const rows: Record<string, unknown>[] = [];
  addRows(rows, firstRows.slice(1), columns);
  let pages = 1;
  let next = first.NextToken;
  let s3Error: string | undefined;
  const csv = opts.outputLocation ? csvLocation(opts.outputLocation, opts.executionId) : undefined;
  while (next) {
    if (csv && !s3Error && rows.length >= opts.s3ResultRows) {
      try {
        return { columns, rows: await readCsv(calls, csv, columns), source: 's3', pages, csv: csv.uri };
      } catch (err) {
        // the pages still work: a missing s3:GetObject grant costs speed, not the run
        if (!(err instanceof EngineError) || err.details.fallback !== true) throw err;
        s3Error = err.message;
      }
    }
    const page = await calls.page(next);
    addRows(rows, page.ResultSet?.Rows ?? [], columns);
    pages++;
    next = page.NextToken;
  }
  return { columns, rows, source: 'pages', pages, ...(csv ? { csv: csv.uri } : {}), ...(s3Error ? { s3Error } : {}) };
}

function columnTypes(page: GetQueryResultsOutput): ColumnType[] {
  const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
  return info.map((c, i) => ({ name: c.Name ?? c.Label ?? `_col${i}`, type: c.Type ?? 'varchar' }));
}

function sameNames(header: Row, names: string[]): boolean {
  const data = header.Data ?? [];
  return data.length === names.length && data.every((d, i) => d.VarCharValue === names[i]);
}

/** Rows keyed by column name; a Datum without VarCharValue is NULL. */
function addRows(out: Record<string, unknown>[], rows: Row[], columns: ColumnType[]): void {
  for (const r of rows) {
    const data = r.Data ?? [];
    if (data.length !== columns.length) {
      throw new EngineError(
        `Athena result row ${out.length + 1} has ${data.length} values for ${columns.length} columns`,
      );
    }
    out.push(
      typedRow(
        data.map((d) => d.VarCharValue ?? null),
        columns,
        out.length + 1,
      ),
    );
  }
}

function typedRow(fields: CsvField[], columns: ColumnType[], row: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    o[c.name] = athenaValue(fields[i], c.type, { column: c.name, row });
  });
  return o;
}

interface CsvLocation {
  uri: string;
  bucket: string;
  key: string;
}

/**
 * Athena reports the execution's OutputLocation as the result file itself
 * (`s3://bucket/prefix/<id>.csv`); a bare prefix (ending in `/`, as configured) gets the file
 * name appended, so either form finds the CSV.
 */
export function csvLocation(outputLocation: string, executionId: string): CsvLocation {
  const uri = outputLocation.endsWith(`${executionId}.csv`)
    ? outputLocation
    : `${outputLocation}${outputLocation.endsWith('/') ? '' : '/'}${executionId}.csv`;
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m)
    throw new EngineError(`Athena output location ${JSON.stringify(outputLocation)} is not an s3://bucket/key URI`);
  return { uri, bucket: m[1] as string, key: m[2] as string };
}

async function readCsv(calls: ResultCalls, at: CsvLocation, columns: ColumnType[]): Promise<Record<string, unknown>[]> {
  let body: AsyncIterable<Uint8Array>;
  try {
    body = await calls.object(at.bucket, at.key);
  } catch (err) {
    throw new EngineError(`reading ${at.uri}: ${(err as Error).message}`, { fallback: true });
  }
  const rows: Record<string, unknown>[] = [];
  let header = true;
  try {
    for await (const fields of csvRows(body)) {
      if (header) {
        if (fields.length !== columns.length || fields.some((f, i) => f !== columns[i]?.name)) {
          throw new EngineError(`${at.uri}: the header ${JSON.stringify(fields)} does not name the result columns`);
        }
        header = false;
        continue;
      }
      if (fields.length !== columns.length) {
        throw new EngineError(
          `${at.uri}: row ${rows.length + 1} has ${fields.length} fields for ${columns.length} columns`,
        );
      }
      rows.push(typedRow(fields, columns, rows.length + 1));
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError || err instanceof TypeError) throw new EngineError(`${at.uri}: ${err.message}`);
    if (err instanceof EngineError) throw err;
    // the stream broke (connection reset, ...): the pages are still there
    throw new EngineError(`reading ${at.uri}: ${(err as Error).message}`, { fallback: true });
  }
  if (header) throw new EngineError(`${at.uri}: the result CSV is empty (no header row)`);
  return rows;
}
