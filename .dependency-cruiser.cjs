/**
 * The layering rules, checked by `npm run check:imports` (part of `npm test`).
 * One core, several doors: imports point from the doors and the wiring
 * towards the core, never back.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-of-ours',
      comment: 'core/ holds the task model, schemas and errors every other part uses; it depends on none of them.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'doors-go-through-the-service',
      comment: 'The server, MCP and CLI translate their protocol to the task service; they never reach the store or the runner.',
      severity: 'error',
      from: { path: '^src/(server|mcp|cli)/' },
      to: { path: '^src/(store|runner)/' },
    },
    {
      name: 'doors-start-no-agent',
      comment: 'Which agent runs a task is wiring (src/app/), not a concern of the server, MCP or CLI.',
      severity: 'error',
      from: { path: '^src/(server|mcp|cli)/' },
      to: { path: '^src/agents/' },
    },
    {
      name: 'runner-below-service',
      comment: 'The service calls the runner through the local engine; the runner never calls back up.',
      severity: 'error',
      from: { path: '^src/runner/' },
      to: { path: '^src/(service|server|mcp|cli|app)/' },
    },
    {
      name: 'only-entry-points-wire',
      comment: 'src/app/ wires whole processes; only the command line (the process entry) and app/ itself use it.',
      severity: 'error',
      from: { pathNot: '^src/(app|cli)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'agents-know-only-their-work',
      comment: 'An agent gets a working directory and reports events; it knows nothing of stores, runners or services.',
      severity: 'error',
      from: { path: '^src/agents/' },
      to: { path: '^src/(store|runner|service)/' },
    },
    {
      name: 'workspace-knows-only-git',
      comment: 'src/workspace/ prepares and finalises git worktrees for the runner; it knows nothing of stores, agents or doors.',
      severity: 'error',
      from: { path: '^src/workspace/' },
      to: { path: '^src/(store|runner|agents|service|server|mcp|cli|app|client)/' },
    },
    {
      name: 'store-knows-no-runner',
      comment: 'The store is the durable queue; runners, agents and services use it, not the other way round.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(runner|agents|service)/' },
    },
    {
      name: 'published-client-stays-light',
      comment:
        'The package entry and the HTTP client load only core/ (and the package version): a program that imports the ' +
        'client loads no database driver, runner or server. From the service they take only its contract, which is types.',
      severity: 'error',
      from: { path: '^src/(index\\.ts$|client/)' },
      to: { path: '^src/', pathNot: '^src/(core/|client/|version\\.ts$)|^src/service/task-service\\.ts$' },
    },
    {
      name: 'service-contract-is-types-of-core',
      comment:
        'The service contract, which the client implements, is interfaces over core/ types: importing it loads nothing else.',
      severity: 'error',
      from: { path: '^src/service/task-service\\.ts$' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
