#!/usr/bin/env node
// The bundled CLI (npm ci runs `prepare`, which builds dist/; see scripts/build.mjs).
import('../dist/bundle/cli.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`hunt: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
