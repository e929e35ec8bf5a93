import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { isPostgresUrl, openEngine, type SqlEngine } from '../../local/engine';

export interface RehearsalEngine {
  readonly engine: SqlEngine;
  /** Where it lives, password masked. */
  readonly location: string;
  dispose(): Promise<void>;
}

/**
 * The warehouse's engine: a fresh PGlite in the work folder, or a fresh database on a PostgreSQL
 * server (dropped afterwards), so a rehearsal never touches an existing warehouse.
 */
export async function openRehearsalEngine(workDir: string, target?: string): Promise<RehearsalEngine> {
  if (target && isPostgresUrl(target)) {
    const name = `sparkify_rehearsal_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = await openEngine(target);
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(target);
    url.pathname = `/${name}`;
    const engine = await openEngine(url.toString());
    return {
      engine,
      location: engine.location,
      async dispose() {
        await engine.close().catch(() => undefined);
        const cleanup = await openEngine(target);
        await cleanup.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.close();
      },
    };
  }
  const engine = await openEngine(target ?? path.join(workDir, 'db'));
  return { engine, location: `pglite at ${engine.location}`, dispose: () => engine.close() };
}
