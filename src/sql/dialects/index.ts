import type { Dialect, DialectName } from '../dialect.js';
import { athena } from './athena.js';
import { duckdb } from './duckdb.js';

/** Every SQL dialect hunt compiles to, by name (`hunt compile --dialect`, each engine's `dialect`). */
export const DIALECTS: Record<DialectName, Dialect> = { athena, duckdb };
