import type { Detection } from '../detections/model.js';
import { PlanContext, type Warning } from '../plan/context.js';
import { fn, type ParamSlot, type Plan } from '../plan/ir.js';
import { planPipeline } from '../plan/planner.js';
import type { LookupCatalog } from '../plan/lookup-table.js';
import { ATHENA_DEFAULT, LOCAL_LAKE, type PhysicalTable, type StorageTarget } from '../sources/bindings.js';
import { DIALECTS } from '../sql/dialects/index.js';
import type { DialectName } from '../sql/dialect.js';
import { RenderError, renderPlan } from '../sql/render.js';
import { batchPlan, type BatchPlanResult, type BatchSpec } from './batch-plan.js';
import { expandMacros, type MacroTable } from '../spl/macros.js';
import { parsePipeline } from '../spl/parser.js';
import type { Pipeline } from '../spl/ast.js';
import { SplError, SplSource } from '../spl/source.js';

export interface TranslateOptions {
  dialect: DialectName;
  macros: MacroTable;
  /** IANA zone for strftime/ctime (Splunk renders in the searching user's zone) */
  zone: string;
  /** table bindings; defaults: the local lake for duckdb, Athena defaults for athena */
  storage?: StorageTarget;
  /** the lookups `lookup` and `inputlookup` may name (none when absent) */
  lookups?: LookupCatalog;
}

export interface Translation {
  dialect: DialectName;
  sourcetype: string;
  sql: string;
  slots: ParamSlot[];
  /** SPL output fields → result columns */
  fields: Plan['fields'];
  warnings: Warning[];
  /** the tables the query reads, per sourcetype, with the partition rules that prune them */
  scans: { sourcetype: string; tables: PhysicalTable[] }[];
}

/** A translation failure, with where it happened (search line/column or macro). */
export class TranslateError extends Error {
  constructor(
    message: string,
    readonly at?: string,
  ) {
    super(at ? `${message} (at ${at})` : message);
    this.name = 'TranslateError';
  }
}

/** SPL text → parameterized SQL for one dialect. Pure. */
export function translateSearch(search: string, opts: TranslateOptions): Translation {
  const t = translateWith(search, opts, (plan) => ({ ok: true, plan }));
  if (!t.ok) throw new Error(t.reason); // the identity rewrite refuses nothing
  return t.translation;
}

/** A translation answering many tiled windows at once, or why the search cannot be. */
export type BatchTranslation =
  | { ok: true; translation: Translation & { batch: BatchSpec } }
  | { ok: false; reason: string };

/**
 * SPL text → one query over many windows of `spec`, its rows carrying their window number in
 * the hidden column BATCH_KEY_COLUMN (see batch-plan.ts). Translation errors throw as in
 * translateSearch; a search that cannot be answered per window exactly is `ok: false`.
 */
export function translateBatched(search: string, opts: TranslateOptions, spec: BatchSpec): BatchTranslation {
  const t = translateWith(search, opts, (plan) => batchPlan(plan, spec));
  return t.ok ? { ok: true, translation: { ...t.translation, batch: spec } } : t;
}

function translateWith(
  search: string,
  opts: TranslateOptions,
  rewrite: (plan: Plan) => BatchPlanResult,
): { ok: true; translation: Translation } | { ok: false; reason: string } {
  const { src, pipeline } = parseSearch(search, opts);
  return planParsed(src, pipeline, opts, rewrite);
}

/** SPL text → its macro-expanded source and pipeline; errors as TranslateErrors with their position. */
export function parseSearch(
  search: string,
  opts: Pick<TranslateOptions, 'macros'>,
): { src: SplSource; pipeline: Pipeline } {
  let src: SplSource | undefined;
  try {
    src = expandMacros(search, opts.macros);
    return { src, pipeline: parsePipeline(src) };
  } catch (err) {
    throw located(err, src ?? SplSource.plain(search));
  }
}

/** A parsed pipeline (of `src`, or a part of it) → its SQL for one dialect. Pure. */
export function translateParsed(src: SplSource, pipeline: Pipeline, opts: TranslateOptions): Translation {
  const t = planParsed(src, pipeline, opts, (plan) => ({ ok: true, plan }));
  if (!t.ok) throw new Error(t.reason); // the identity rewrite refuses nothing
  return t.translation;
}

function located(err: unknown, src: SplSource): unknown {
  if (err instanceof SplError) return new TranslateError(err.message, src.describe(err.span.start));
  if (err instanceof RenderError) return new TranslateError(err.message);
  return err;
}

function planParsed(
  src: SplSource,
  pipeline: Pipeline,
  opts: TranslateOptions,
  rewrite: (plan: Plan) => BatchPlanResult,
): { ok: true; translation: Translation } | { ok: false; reason: string } {
  try {
    const ctx = new PlanContext(src, opts.zone);
    const storage = opts.storage ?? (opts.dialect === 'athena' ? ATHENA_DEFAULT : LOCAL_LAKE);
    const plan = planPipeline(pipeline, ctx, {
      binding: (st) => storage[st],
      ...(opts.lookups ? { lookups: opts.lookups } : {}),
    });
    // multivalue result columns leave the query in a form the engine reads back intact
    const final = plan.stages[plan.stages.length - 1];
    for (const f of plan.fields) {
      const e = final?.outputs.get(f.column);
      if (f.type === 'mv' && e) final?.outputs.set(f.column, fn('mvOutput', e));
    }
    const rewritten = rewrite(plan);
    if (!rewritten.ok) return rewritten;
    const rendered = renderPlan(rewritten.plan, DIALECTS[opts.dialect]);
    const sourcetypes = [
      ...new Set(plan.stages.flatMap((s) => (s.from.kind === 'table' ? [s.from.table.sourcetype] : []))),
    ];
    const translation: Translation = {
      dialect: opts.dialect,
      // a search that starts with inputlookup reads no sourcetype
      sourcetype: plan.source?.sourcetype ?? 'inputlookup',
      sql: rendered.text,
      slots: rendered.slots,
      fields: plan.fields,
      warnings: ctx.warnings,
      scans: sourcetypes.map((sourcetype) => ({ sourcetype, tables: storage[sourcetype]?.tables ?? [] })),
    };
    return { ok: true, translation };
  } catch (err) {
    throw located(err, src);
  }
}

export function translateDetection(d: Detection, opts: TranslateOptions): Translation {
  return translateSearch(d.search, opts);
}
