import { randomUUID } from 'node:crypto';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { clonePgliteFolder, openEngine, spatialMarked, type SqlEngine } from '../../local/engine';
import { installSpatial } from '../../local/spatial';
import { WarehouseLock } from '../../local/warehouse-lock';

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

/**
 * With `spatial`, the database has PostGIS and the prelude installed (local/spatial.ts), as
 * `sparkify query` leaves a warehouse after its first spatial query.
 */
export async function openTestEngine({ spatial = false }: { readonly spatial?: boolean } = {}): Promise<TestEngine> {
  if (serverUrl) {
    const name = `sparkify_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = await openEngine(serverUrl);
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const engine = await openEngine(url.toString());
    if (spatial) await installSpatial(engine);
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
  await clonePgliteFolder(spatial ? await spatialTemplate() : inject('pgliteTemplate'), target);
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

/**
 * The PGlite template with PostGIS installed, made the first time a test file asks (installing takes
 * 5 to 13 s) beside the plain one, under a lock so test files in parallel workers make it once.
 */
async function spatialTemplate(): Promise<string> {
  const template = `${inject('pgliteTemplate')}-postgis`;
  const lock = await WarehouseLock.acquire(`${template}.lock`, 'exclusive', 'test: the PostGIS template', { waitMs: 300_000 });
  try {
    if (await spatialMarked(template)) return template;
    const building = `${template}-building`;
    await rm(building, { recursive: true, force: true });
    await clonePgliteFolder(inject('pgliteTemplate'), building);
    const engine = await openEngine(building, { spatial: true });
    try {
      await installSpatial(engine);
    } finally {
      await engine.close();
    }
    await rename(building, template);
    return template;
  } finally {
    lock.release();
  }
}
