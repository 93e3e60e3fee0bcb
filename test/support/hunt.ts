/**
 * Runs SPL end to end for tests: events → a temp local lake (the real importer) → translation
 * → DuckDB → result rows under SPL names. No mocks.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LookupCatalog } from '../../src/plan/lookup-table.js';
import { DateTime } from 'luxon';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import type { Detection } from '../../src/detections/model.js';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importRecords } from '../../src/lake/import.js';
import { toResultRows } from '../../src/runner/results.js';
import type { MacroDef } from '../../src/spl/macros.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch, type Translation } from '../../src/translate/translate.js';

export interface Events {
  cloudtrail?: object[];
  ocsf?: object[];
}

export interface TestLake {
  dir: string;
  engine: DuckdbEngine;
  close(): Promise<void>;
}

export async function makeLake(events: Events): Promise<TestLake> {
  // HUNT_CAPTURE_EVENTS=file: every lake's events, one JSON line each (test/runner's fixture)
  const capture = process.env.HUNT_CAPTURE_EVENTS;
  if (capture) appendFileSync(capture, `${JSON.stringify({ test: expect.getState().testPath ?? '', ...events })}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'hunt-lake-'));
  await importRecords(dir, { cloudtrail: events.cloudtrail ?? [], ocsf: events.ocsf ?? [] });
  const engine = await DuckdbEngine.open(dir);
  return {
    dir,
    engine,
    close: async () => {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SearchOptions {
  /** the window; defaults to 2000-2100 */
  earliest?: string;
  latest?: string;
  macros?: Record<string, string>;
  zone?: string;
  /** the lookups the search may name */
  lookups?: LookupCatalog;
}

const shipped = loadMacroDir('detections/macros');

export function macrosWith(overrides: Record<string, string> = {}): LayeredMacros {
  const config: MacroDef[] = Object.entries(overrides).map(([name, definition]) => ({
    name,
    args: [],
    definition,
    definedIn: 'test config',
    external: true,
  }));
  return new LayeredMacros([config, shipped]);
}

export async function runSearch(
  lake: TestLake,
  search: string,
  opts: SearchOptions = {},
): Promise<{ rows: Record<string, unknown>[]; translation: Translation }> {
  const translation = translateSearch(search, {
    dialect: 'duckdb',
    macros: macrosWith(opts.macros),
    zone: opts.zone ?? 'UTC',
    ...(opts.lookups ? { lookups: opts.lookups } : {}),
  });
  const window = {
    earliest: DateTime.fromISO(opts.earliest ?? '2000-01-01T00:00:00Z', { zone: 'utc' }),
    latest: DateTime.fromISO(opts.latest ?? '2100-01-01T00:00:00Z', { zone: 'utc' }),
  };
  const result = await lake.engine.query({ sql: translation.sql, params: bindParams(translation.slots, window) });
  return { rows: toResultRows(result.rows, translation.fields), translation };
}

export async function runDetection(
  lake: TestLake,
  d: Detection,
  opts: SearchOptions = {},
): Promise<Record<string, unknown>[]> {
  return (await runSearch(lake, d.search, opts)).rows;
}

/** One search over fresh events: makes a lake, runs, cleans up. */
export async function hunt(
  events: Events,
  search: string,
  opts: SearchOptions = {},
): Promise<Record<string, unknown>[]> {
  const lake = await makeLake(events);
  try {
    return (await runSearch(lake, search, opts)).rows;
  } finally {
    await lake.close();
  }
}

/** A detection of a list by name (and version). */
export function pick(list: Detection[], name: string, version?: number): Detection {
  const d = list.find((x) => x.name === name && (version === undefined || x.version === version));
  if (!d) throw new Error(`missing ${name} ${version ?? ''}`);
  return d;
}
