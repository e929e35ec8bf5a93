import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readProjectConfig } from '../../lib/config/project-config';
import { OFFLINE_ROLE_ARN, runOfflineLoad } from '../../local/offline-executor';
import { lockPathOf, openWarehouse } from '../../local/warehouse';
import { WarehouseLock } from '../../local/warehouse-lock';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { folderBytes } from '../../local/folder-bytes';

/** What one writer per warehouse costs: the lock itself, a hand-off, and a reader's copy. */
export interface LockFigures {
  readonly acquireReleaseUs: number;
  readonly handOffMs: number;
  readonly writerOpenMs: number;
  /** A reader alone: the folder opened in place, read-only. */
  readonly readerOpenMs: number;
  /** A reader that copies (another reader copying, another user's or a read-only folder, inPlace false). */
  readonly copyingReaderOpenMs: number;
  readonly folderBytes: number;
  readonly scale: string;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/**
 * Measured on a copy of the PGlite template loaded once with `dataset`: an uncontended lock and
 * release (median of 200), the time from a writer's release to a waiting writer's start (median of
 * 15; the waiter polls every 100 ms), and opening the warehouse as a writer (in place), as a reader
 * alone (in place, read-only) and as a reader that copies (a copy of the folder, opened read-only),
 * median of 5 each.
 */
export async function measureLocking(template: string, dataset: string, scale: string): Promise<LockFigures> {
  const root = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-lock-'));
  try {
    const db = path.join(root, 'db');
    await cp(template, db, { recursive: true });
    const files = readSqlFiles();
    const config = readProjectConfig();
    const plan = buildLoadPlan(files, { settings: config, roleArn: OFFLINE_ROLE_ARN, loadId: 'bench-lock' });
    const writer = await openWarehouse(db, { access: 'write', activity: 'load bench-lock', waitMs: 0 });
    await runOfflineLoad(writer.engine, files, plan, { buckets: { [config.sourceBucket]: dataset } });
    await writer.close();

    const lockPath = lockPathOf(db);
    const cycles: number[] = [];
    for (let i = 0; i < 200; i++) {
      const began = performance.now();
      (await WarehouseLock.acquire(lockPath, 'exclusive', 'bench', { waitMs: 0 })).release();
      cycles.push((performance.now() - began) * 1000);
    }

    const handOffs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const holder = await WarehouseLock.acquire(lockPath, 'exclusive', 'bench holder', { waitMs: 0 });
      let releasedAt = 0;
      const waiter = WarehouseLock.acquire(lockPath, 'exclusive', 'bench waiter', { waitMs: 10_000 });
      setTimeout(
        () => {
          releasedAt = performance.now();
          holder.release();
        },
        150 + i * 7,
      ); // spread over the poll interval
      const taken = await waiter;
      handOffs.push(performance.now() - releasedAt);
      taken.release();
    }

    const openTimes = async (access: 'write' | 'read', inPlace = true) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const began = performance.now();
        const opened = await openWarehouse(db, { access, activity: 'bench', waitMs: 0, inPlace });
        await opened.engine.query('SELECT COUNT(*) FROM songplays');
        times.push(performance.now() - began);
        await opened.close();
      }
      return median(times);
    };
    return {
      acquireReleaseUs: median(cycles),
      handOffMs: median(handOffs),
      writerOpenMs: await openTimes('write'),
      readerOpenMs: await openTimes('read'),
      copyingReaderOpenMs: await openTimes('read', false),
      folderBytes: await folderBytes(db),
      scale,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export function printLockFigures(figures: LockFigures, out: (line: string) => void): void {
  out(`\nOne writer per warehouse (PGlite folder loaded with ${figures.scale}, ${(figures.folderBytes / 1e6).toFixed(1)} MB)`);
  out(`  lock + release, uncontended          ${figures.acquireReleaseUs.toFixed(0)} µs`);
  out(`  hand-off to a waiting load           ${figures.handOffMs.toFixed(0)} ms (polls every 100 ms)`);
  out(`  open + count, as the writer          ${figures.writerOpenMs.toFixed(0)} ms (in place)`);
  out(`  open + count, as a reader            ${figures.readerOpenMs.toFixed(0)} ms (alone: opens the folder in place, read-only)`);
  out(`  open + count, as a copying reader    ${figures.copyingReaderOpenMs.toFixed(0)} ms (copies the folder, opens the copy read-only)`);
}
