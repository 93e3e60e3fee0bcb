import type { EngineSpec } from '../spec.js';
import { athenaSchema, athenaSettings, DEFAULT_ATHENA_SETTINGS, type AthenaYaml } from './config.js';
import { classifyAthenaFailure } from './failure.js';
import { athenaLiteral, MAX_LITERAL_LENGTH, worstLiteralLength } from './literals.js';
import type { AthenaSettings } from './settings.js';

/** Amazon Athena (engine v3, Trino) over the Glue tables of `sources:`. */
export const athena: EngineSpec<AthenaSettings, AthenaYaml> = {
  dialect: 'athena',
  config: { schema: athenaSchema, defaults: DEFAULT_ATHENA_SETTINGS, apply: athenaSettings },
  readsLake: false,
  async open(settings) {
    const { AthenaEngine } = await import('./engine.js');
    return new AthenaEngine(settings);
  },
  classify: classifyAthenaFailure,
  dryRun: {
    heading: 'Parameters (ExecutionParameters, in order):',
    params: (bound) => bound.map((p, i) => athenaLiteral(p, i + 1)),
  },
  parameterLimit: { engine: 'Athena', maxLength: MAX_LITERAL_LENGTH, worstLength: worstLiteralLength },
};
