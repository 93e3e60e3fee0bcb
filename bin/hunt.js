#!/usr/bin/env node
// The bundled CLI (npm ci runs `prepare`, which builds dist/; see scripts/build.mjs).
import module from 'node:module';

// Node 22+ keeps V8's compiled code between runs: startup is part of every `hunt run`
// (Node 20 has no such cache; the call is skipped there).
module.enableCompileCache?.();

import('../dist/bundle/cli.js')
  .then((m) => m.main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`hunt: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
