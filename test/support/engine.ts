import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
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
 * A fresh database of its own. With `spatial`, it has PostGIS and the prelude installed
 * (local/spatial.ts), as `sparkify query` leaves a warehouse after its first spatial query.
 */
export async function openTestEngine({ spatial = false }: { readonly spatial?: boolean } = {}): Promise<TestEngine> {
  if (!serverUrl) return openPgliteCopy(spatial ? await spatialTemplate() : inject('pgliteTemplate'));
  const db = await openServerDatabase(serverUrl);
  if (spatial) await installSpatial(db.engine);
  return db;
}

/** The load id of the loaded sample (cloneLoadedSample, openLoadedTestEngine). */
export const SAMPLE_LOAD_ID = 'test-sample';

/**
 * As openTestEngine, holding what `sparkify load --no-queries` of the bundled sample leaves: on
 * PGlite a copy of a folder loaded once per run (a load is ~3 s, ~10 s at CI's load; a copy ~0.3 s),
 * on a server a fresh database loaded here. For tests that need a loaded warehouse, not a load.
 */
export async function openLoadedTestEngine(): Promise<TestEngine> {
  if (!serverUrl) return openPgliteCopy(await loadedSample());
  const db = await openTestEngine();
  await loadSample(db.target);
  return db;
}

/** Copies the PGlite folder loaded with the bundled sample to `to` (a new folder). */
export async function cloneLoadedSample(to: string): Promise<void> {
  await clonePgliteFolder(await loadedSample(), to);
}

/** The folder loaded with the sample: the first caller of the run builds it, any other waits on its lock. */
async function loadedSample(): Promise<string> {
  const folder = inject('loadedSampleFolder');
  const lock = await WarehouseLock.acquire(`${folder}.build-lock`, 'exclusive', 'test: load the sample once', { waitMs: 300_000 });
  try {
    if (!existsSync(folder)) {
      // Built aside and renamed: a build that failed half-way is never taken for the loaded sample.
      const building = `${folder}.building`;
      await rm(building, { recursive: true, force: true });
      await clonePgliteFolder(inject('pgliteTemplate'), building);
      await loadSample(building);
      await rename(building, folder);
    }
  } finally {
    lock.release();
  }
  return folder;
}

async function loadSample(target: string): Promise<void> {
  // Imported here: the CLI is a large module graph most users of this file never need.
  const { runCli } = await import('./cli');
  const load = await runCli('load', '--db', target, '--no-queries', '--load-id', SAMPLE_LOAD_ID);
  if (load.code !== 0) throw new Error(`loading the bundled sample into ${target} failed (exit ${load.code}): ${load.err}`);
}

/** A fresh database on the server, dropped by dispose. */
async function openServerDatabase(server: string): Promise<TestEngine> {
  const name = `sparkify_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await openEngine(server);
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const engine = await openEngine(url.toString());
  return {
    engine,
    target: url.toString(),
    async dispose() {
      await engine.close().catch(() => undefined);
      const cleanup = await openEngine(server);
      await cleanup.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.close();
    },
  };
}

/** A copy of the PGlite folder `folder` in a temporary folder of its own, removed by dispose. */
async function openPgliteCopy(folder: string): Promise<TestEngine> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-db-'));
  const target = path.join(dir, 'db');
  await clonePgliteFolder(folder, target);
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
