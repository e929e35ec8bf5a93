import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { SAMPLE_DIR } from '../../cli/main';
import { openEngine, type SqlEngine } from '../../local/engine';
import { RELOADED_TABLES, runOfflineLoad, type LoadReport } from '../../local/offline-executor';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { openTestEngine, serverUrl, type TestEngine } from '../support/engine';
import { folderBytes } from '../../local/folder-bytes';

// Issue 10 §6: PGlite has no autovacuum, so without the VACUUM after each load every reload would
// leave the last load's rows dead in the tables and the folder would grow by a load each time.
// The bundled sample, loaded 5 times (4 reloads) on the real engine, each load in an engine opened
// for it, as `sparkify load` does.

const RELOADS = 4;
const files = readSqlFiles();
const ROLE = 'arn:aws:iam::000000000000:role/test';

let db: TestEngine;
const reports: LoadReport[] = [];
/** Bytes of the load's tables (heap, TOAST, free space map) after each load. */
const tableBytes: number[] = [];
/** Bytes of the warehouse after each load: the PGlite data folder (the engine closed), or the server's database. */
const storeBytes: number[] = [];

async function sizeOfTables(engine: SqlEngine): Promise<number> {
  const list = RELOADED_TABLES.map((table) => `'${table}'`).join(', ');
  const { rows } = await engine.query<{ bytes: number | string }>(
    `SELECT SUM(pg_total_relation_size(c.oid))::float8 AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relname IN (${list})`,
  );
  return Number(rows[0]?.bytes);
}

beforeAll(async () => {
  db = await openTestEngine();
  // Each load opens the warehouse afresh (a PGlite folder is written back when it closes).
  await db.engine.close();
  for (let load = 1; load <= 1 + RELOADS; load++) {
    const engine = await openEngine(db.target);
    try {
      const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: ROLE, loadId: `steady-${load}` });
      reports.push(await runOfflineLoad(engine, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: SAMPLE_DIR } }));
      tableBytes.push(await sizeOfTables(engine));
      if (serverUrl)
        storeBytes.push(
          Number((await engine.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes')).rows[0]?.bytes),
        );
    } finally {
      await engine.close();
    }
    if (!serverUrl) storeBytes.push(await folderBytes(db.target));
  }
});

afterAll(async () => {
  await db.dispose();
});

describe(`steady size: the bundled sample loaded ${1 + RELOADS} times in one warehouse`, () => {
  it('every load vacuums the tables it rewrote, after committing, without error', () => {
    expect(reports).toHaveLength(1 + RELOADS);
    for (const report of reports) {
      expect(report.outcome).toBe('succeeded');
      expect(report.vacuum).toBeDefined();
      expect(report.vacuum?.error).toBeUndefined();
      expect(report.vacuum?.ms).toBeGreaterThan(0);
    }
    // Every reload loads the same rows.
    expect(new Set(reports.map((report) => JSON.stringify(report.rows))).size).toBe(1);
  });

  it("the load's tables stay within twice their size after the first load: the dead rows' space is reused", () => {
    // A reload inserts the new rows before the old ones' space is free (the DELETE and the INSERT
    // are in one transaction), so a table may reach twice its live size, and no more. Without the
    // VACUUM it grows by one load's size with every reload (5x here).
    const first = tableBytes[0] ?? 0;
    expect(first).toBeGreaterThan(0);
    for (const [i, bytes] of tableBytes.entries())
      expect(bytes, `after load ${i + 1}: ${tableBytes.join(', ')} bytes`).toBeLessThanOrEqual(2 * first);
    // Steady: the last reload left the tables no larger than the two before it did.
    expect(tableBytes.at(-1)).toBeLessThanOrEqual(Math.max(...tableBytes.slice(-3, -1)));
  });

  it(`the ${serverUrl ? "server's database" : 'PGlite folder'} after the reloads is at most 1.5x its size after the first load`, () => {
    const [first = 0] = storeBytes;
    const last = storeBytes.at(-1) ?? Infinity;
    expect(first).toBeGreaterThan(0);
    expect(last / first, `bytes after each load: ${storeBytes.join(', ')}`).toBeLessThanOrEqual(1.5);
  });
});
