import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { clonePgliteFolder, openEngine } from '../../local/engine';
import { runOfflineLoad } from '../../local/offline-executor';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { folderBytes } from '../../local/folder-bytes';

/** One load of a reload series: the folder after it (the engine closed), and its times. */
export interface ReloadStep {
  readonly load: number;
  readonly folderBytes: number;
  /** The write-ahead log's share of the folder (pg_wal/). */
  readonly walBytes: number;
  readonly loadMs: number;
  /** The VACUUM after the load, inside loadMs; undefined when it was not run. */
  readonly vacuumMs?: number;
}

export interface ReloadSeries {
  readonly scale: string;
  readonly vacuum: boolean;
  readonly steps: readonly ReloadStep[];
  /** Folder after the last load / after the first. */
  readonly growth: number;
}

/**
 * `loads` loads of one dataset into one PGlite folder (a copy of the initialised template), the
 * engine opened for each load and closed after it, as `sparkify load` runs: the folder's size after
 * each, with or without the VACUUM that follows a load (issue 10: at most 1.5x after 10 reloads).
 */
export async function measureReloads(input: {
  readonly scale: string;
  readonly dataset: string;
  readonly template: string;
  readonly loads: number;
  readonly vacuum: boolean;
}): Promise<ReloadSeries> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-reloads-'));
  const db = path.join(dir, 'db');
  const files = readSqlFiles();
  const steps: ReloadStep[] = [];
  try {
    await clonePgliteFolder(input.template, db);
    for (let load = 1; load <= input.loads; load++) {
      const engine = await openEngine(db);
      try {
        const plan = buildLoadPlan(files, {
          settings: DEFAULT_CONFIG,
          roleArn: 'arn:aws:iam::000000000000:role/sparkify-bench',
          loadId: `reload-${load}`,
        });
        const began = performance.now();
        const report = await runOfflineLoad(engine, files, plan, {
          buckets: { [DEFAULT_CONFIG.sourceBucket]: input.dataset },
          vacuum: input.vacuum,
        });
        const loadMs = performance.now() - began;
        if (report.vacuum?.error) throw new Error(report.vacuum.error);
        await engine.close();
        steps.push({
          load,
          folderBytes: await folderBytes(db),
          walBytes: await folderBytes(db, 'pg_wal'),
          loadMs,
          ...(report.vacuum ? { vacuumMs: report.vacuum.ms } : {}),
        });
      } catch (error) {
        await engine.close().catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const first = steps[0]?.folderBytes ?? 1;
  return { scale: input.scale, vacuum: input.vacuum, steps, growth: (steps.at(-1)?.folderBytes ?? 0) / first };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function printReloads(series: readonly ReloadSeries[], out: (line?: string) => void): void {
  if (series.length === 0) return;
  const loads = series[0]?.steps.length ?? 0;
  out(`\nReloads on PGlite: ${loads} loads of ${series[0]?.scale} into one folder, the engine reopened for each (as sparkify load does)`);
  for (const s of series) {
    const first = s.steps[0];
    const last = s.steps.at(-1);
    if (!first || !last) continue;
    const reloads = s.steps.slice(1);
    const vacuum = reloads.flatMap((step) => (step.vacuumMs === undefined ? [] : [step.vacuumMs]));
    out(
      `  ${s.vacuum ? 'VACUUM after each load' : 'no VACUUM (before)    '}  folder after 1: ${mb(first.folderBytes)}, after ${loads}: ${mb(last.folderBytes)} (${s.growth.toFixed(2)}x; ` +
        `largest ${mb(Math.max(...s.steps.map((step) => step.folderBytes)))}; pg_wal ${mb(first.walBytes)} to ${mb(last.walBytes)}); ` +
        `reload median ${Math.round(median(reloads.map((step) => step.loadMs)))} ms${vacuum.length ? `, of which VACUUM median ${Math.round(median(vacuum))} ms (${Math.round(Math.min(...vacuum))} to ${Math.round(Math.max(...vacuum))})` : ''}`,
    );
    out(`      folder after each load, MB: ${s.steps.map((step) => (step.folderBytes / 1e6).toFixed(1)).join('  ')}`);
  }
}
