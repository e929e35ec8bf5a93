import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { clonePgliteFolder, openEngine, type SqlEngine } from '../../local/engine';

/**
 * The engine SQL tests run on: a PostgreSQL server when SPARKIFY_TEST_DATABASE_URL is set
 * (a fresh database per call), otherwise a copy of the PGlite template made in global setup.
 * `dispose` closes it and removes what it made.
 */
export interface TestEngine {
  readonly engine: SqlEngine;
  /** What to pass as `--db` to reopen the same database. */
  readonly target: string;
  dispose(): Promise<void>;
}

export const serverUrl = process.env.SPARKIFY_TEST_DATABASE_URL;

export async function openTestEngine(): Promise<TestEngine> {
  if (serverUrl) {
    const name = `sparkify_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = await openEngine(serverUrl);
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const engine = await openEngine(url.toString());
    return {
      engine,
      target: url.toString(),
      async dispose() {
        await engine.close().catch(() => undefined);
        const cleanup = await openEngine(serverUrl);
        await cleanup.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.close();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-db-'));
  const target = path.join(dir, 'db');
  await clonePgliteFolder(inject('pgliteTemplate'), target);
  const engine = await openEngine(target);
  return {
    engine,
    target,
    async dispose() {
      await engine.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
