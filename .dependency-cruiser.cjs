/**
 * hunt's layers, checked by `npm test` (dependency-cruiser). A module may import from its own
 * layer folder and from layers of a LOWER rank; never upwards, and never sideways into another
 * folder of the same rank. The compiler core runs one way: spl → plan → sql → engines.
 * Written down for people in docs/architecture.md ("Layers and registries").
 */
const LAYERS = [
  // rank 0: foundations, no app imports (terminal-safe text, package paths)
  ['text', 'paths'],
  // rank 1: time and logging (logs escape text for terminals)
  ['time', 'log'],
  // rank 1: data the compiler reads (source definitions: schemas, field maps, layouts)
  ['sources'],
  // rank 2..4: the compiler core, one way
  ['spl'],
  ['detections', 'plan'],
  ['sql'],
  // rank 5: the compiler façade, the local lake, and risk scoring (pure: ATT&CK tables, incident rules)
  ['translate', 'lake', 'risk'],
  // rank 6: engines run SQL; the store keeps results
  ['engines', 'store'],
  // rank 7: one window on an engine; the compile documents
  ['runner', 'compile'],
  // rank 8: what drives runs and renders results
  ['scheduler', 'lint', 'demo', 'report-html'],
  // rank 9: the configuration file composes each part's own schema
  ['config'],
  // rank 10: the command line, on top of everything
  ['cli'],
];

const folder = (name) => (name === 'paths' ? '^src/paths\\.ts$' : `^src/${name}/`);
const rules = [];
LAYERS.forEach((layer, rank) => {
  for (const name of layer) {
    const higher = LAYERS.slice(rank + 1).flat();
    const siblings = layer.filter((n) => n !== name);
    const forbidden = [...higher, ...siblings];
    if (forbidden.length === 0) continue;
    rules.push({
      name: `layer-${name}`,
      comment: `${name} (rank ${rank}) may not import ${forbidden.join(', ')}: layers run one way`,
      severity: 'error',
      from: { path: folder(name) },
      to: { path: forbidden.map(folder) },
    });
  }
});

module.exports = {
  forbidden: [
    ...rules,
    {
      name: 'cli-commands-own-their-flags',
      comment: 'commands do not import the CLI entry point; main.ts imports the commands',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/cli/main\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'no import cycles, except where mutual recursion is the design: the eval function tables and compileEval',
      severity: 'error',
      from: { pathNot: '^src/plan/eval' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
