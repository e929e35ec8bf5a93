import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { openEngine } from '../../local/engine';
import { BENCH_DIR } from './datasets';

/**
 * An initialised, empty PGlite data folder, made once per PGlite version: every benchmark load
 * starts from a copy of it, so the figures are of an engine already initialised (SPEC §7: the
 * offline run keeps its folder, so only a first run ever pays initdb). Returns the milliseconds
 * the init took, 0 when cached.
 */
export async function pgliteTemplate(): Promise<{ readonly dir: string; readonly initMs: number; readonly version: string }> {
  const pkg = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as {
    version: string;
  };
  const dir = path.join(BENCH_DIR, `pglite-template-${pkg.version}`);
  const ready = path.join(dir, 'PG_VERSION');
  if (
    await stat(ready).then(
      () => true,
      () => false,
    )
  )
    return { dir, initMs: 0, version: pkg.version };
  await rm(dir, { recursive: true, force: true });
  const began = performance.now();
  const engine = await openEngine(dir);
  await engine.close();
  return { dir, initMs: performance.now() - began, version: pkg.version };
}
