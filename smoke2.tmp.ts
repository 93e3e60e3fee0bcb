import { macrosWith } from './test/support/hunt.js';
import { translateBatched } from './src/translate/translate.js';
const t = translateBatched(process.argv[2]!, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' }, { windowSeconds: 3600, offsetSeconds: 3000 });
console.log(t.ok ? t.translation.sql : t.reason);
