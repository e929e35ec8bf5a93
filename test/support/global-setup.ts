import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openEngine } from '../../local/engine';
import { buildCli, staleness } from '../../bin/build-cli.mjs';

/**
 * Builds the CLI when dist/cli is missing or older than its sources (a clone installed with
 * --ignore-scripts, an edit since): the CLI tests run it as users do, built (test/support/cli.ts).
 * Then boots PGlite once (~3 s) into a template folder that every test file copies (~0.4 s to reopen),
 * and names the folder the first test that asks builds the loaded sample in (test/support/engine.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (staleness()) await buildCli();
  const root = await mkdtemp(path.join(tmpdir(), 'sparkify-test-'));
  const template = path.join(root, 'template');
  const engine = await openEngine(template);
  await engine.close();
  project.provide('pgliteTemplate', template);
  project.provide('loadedSampleFolder', path.join(root, 'loaded-sample'));
  return async () => rm(root, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** Where the template loaded with the bundled sample is built, once per run, when a test first asks. */
    loadedSampleFolder: string;
  }
}
