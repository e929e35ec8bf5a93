import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // A ceiling that catches a hang, not a speed goal (those live in npm run bench): the multi-process
    // tests took 40-60 s on this 2-core machine at load average 11, correct but close to a 60 s limit.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores here: more workers only make PGlite boots contend.
    maxWorkers: 2,
    // The built CLI (dist/cli, test/support/cli.ts runCli) is imported by Node itself, as bin/sparkify.mjs imports it, not through Vite's transform.
    server: { deps: { external: [/\/dist\/cli\//] } },
  },
});
