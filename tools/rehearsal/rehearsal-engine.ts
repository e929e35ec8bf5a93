import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { isPostgresUrl, maskPassword, openEngine } from '../../local/engine';

interface RehearsalDatabase {
  /** A PGlite folder or a postgres:// URL: where the local Data API opens its sessions. */
  readonly target: string;
  /** Where it lives, password masked. */
  readonly location: string;
  dispose(): Promise<void>;
}

/**
 * The warehouse's database: a PGlite folder in the work folder, or a fresh database on a
 * PostgreSQL server (dropped afterwards), so a rehearsal never touches an existing warehouse.
 */
export async function openRehearsalDatabase(workDir: string, target?: string): Promise<RehearsalDatabase> {
  if (target && isPostgresUrl(target)) {
    const name = `sparkify_rehearsal_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = await openEngine(target);
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(target);
    url.pathname = `/${name}`;
    return {
      target: url.toString(),
      location: maskPassword(url.toString()),
      async dispose() {
        const cleanup = await openEngine(target);
        await cleanup.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.close();
      },
    };
  }
  const dir = path.resolve(target ?? path.join(workDir, 'db'));
  return { target: dir, location: `pglite at ${dir}`, dispose: async () => undefined };
}
