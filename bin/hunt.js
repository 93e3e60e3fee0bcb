#!/usr/bin/env node
// The compiled CLI (npm ci runs `prepare`, which builds dist/).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`hunt: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
