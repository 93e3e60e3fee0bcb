import { loadDetection } from './src/detections/load.js';
import { macrosWith } from './test/support/hunt.js';
import { translateBatched } from './src/translate/translate.js';
const d = loadDetection(process.argv[2]!);
const t = translateBatched(d.search, { dialect: (process.argv[3] ?? 'duckdb') as 'duckdb', macros: macrosWith(), zone: 'UTC' }, { windowSeconds: 3600, offsetSeconds: 3000 });
console.log(t.ok ? t.translation.sql : t.reason);
