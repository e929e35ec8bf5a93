// The layout's rules, checked by `npm run deps` (part of `npm test`). Imports flow one way:
//   lib (what deploys)  <-  lambda (the handler)  <-  local (the offline twin)  <-  tools  <-  cli
// and only test/ may import test/. Type-only imports count: a cycle of types is a cycle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No module may reach itself through its imports, type imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-imports-only-lib',
      severity: 'error',
      comment: 'lib/ is what deploys: it never imports the handler, the twin, the tools, the CLI or the tests.',
      from: { path: '^lib/' },
      to: { path: '^(lambda|local|tools|cli|bin|test)/' },
    },
    {
      name: 'lambda-imports-only-the-shared-core',
      severity: 'error',
      comment: 'The handler bundles the plan, its rules and the configuration, never the stack or a tool.',
      from: { path: '^lambda/' },
      to: { path: '^(lib/(?!(plan|config|rules)/)|(local|tools|cli|bin|test)/)' },
    },
    {
      name: 'local-imports-no-tools',
      severity: 'error',
      comment: 'The offline twin stands on lib/ alone (and the handler it mirrors): tools and the CLI build on it.',
      from: { path: '^local/' },
      to: { path: '^(tools|cli|bin|test)/' },
    },
    {
      name: 'tools-import-no-cli',
      severity: 'error',
      comment: 'The CLI is on top: the tools never import it.',
      from: { path: '^tools/' },
      to: { path: '^(cli|bin|test)/' },
    },
    {
      name: 'cli-imports-no-tests',
      severity: 'error',
      from: { path: '^(cli|bin)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|\\.bench|\\.sparkify)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.mts', '.mjs', '.cjs', '.js', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
