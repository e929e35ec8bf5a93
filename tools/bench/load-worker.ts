/**
 * One benchmark load in a process of its own, so its peak memory is its own: reads and parses the
 * files (the floor), loads them with the real plan, reads and parses again, and prints the figures
 * as one JSON line. Run by run-benchmarks.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG, sourceUris } from '../../lib/config/warehouse-config';
import { clonePgliteFolder, openEngine, type SqlEngine } from '../../local/engine';
import { runOfflineLoad } from '../../local/offline-executor';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { profileCopies } from '../../local/copy/copy-profile';
import { RESULT_PREFIX, type LoadResult, type WorkerInput } from './load-result';
import { OutsideSteps, timedEngine } from './timed-engine';
import { readAndParseFloor } from './read-parse-floor';

interface Opened {
  readonly engine: SqlEngine;
  dispose(): Promise<void>;
}

async function open(input: WorkerInput): Promise<Opened> {
  if (input.engine === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-db-'));
    await clonePgliteFolder(input.target, path.join(dir, 'db'));
    const engine = await openEngine(path.join(dir, 'db'));
    return { engine, dispose: async () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await openEngine(input.target);
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(input.target);
  url.pathname = `/${name}`;
  const engine = await openEngine(url.toString());
  return {
    engine,
    dispose: async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/**
 * Starts the worker's peak (VmHWM) afresh from what it holds now, after a collection: the floor's
 * reads before the load (and a base load) leave garbage that is not the load's. Linux only;
 * elsewhere the peak stays the process's.
 */
async function resetPeak(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);
}

/** Peak resident memory of a process on this machine, from /proc (Linux). */
async function peakRss(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

async function main(input: WorkerInput): Promise<LoadResult> {
  const buckets = { [DEFAULT_CONFIG.sourceBucket]: input.dataset };
  const uris = sourceUris(DEFAULT_CONFIG);
  const before = await readAndParseFloor(buckets, [uris.events, uris.songs]);

  const files = readSqlFiles();
  const planFor = (loadId: string) =>
    buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/sparkify-bench', loadId });
  let began = performance.now();
  const opened = await open(input);
  const openMs = performance.now() - began;
  let serverPeakRssBytes: number | undefined;
  let report;
  try {
    let baseLoadMs: number | undefined;
    if (input.base !== undefined) {
      // What the measured incremental load extends: the base dataset, loaded as `sparkify load` does (tracked).
      began = performance.now();
      const base = { [DEFAULT_CONFIG.sourceBucket]: input.base };
      await runOfflineLoad(opened.engine, files, planFor(`bench-${input.scale}-base`), { buckets: base, sources: 'track' });
      baseLoadMs = performance.now() - began;
    }
    await resetPeak();
    const outside = new OutsideSteps();
    const copies = profileCopies();
    let listingMs: number | undefined;
    const reporter = { ...outside.reporter, decided: (_: unknown, listing: { readonly ms: number }) => (listingMs = listing.ms) };
    began = performance.now();
    report = await runOfflineLoad(timedEngine(opened.engine, outside), files, planFor(`bench-${input.scale}`), {
      buckets,
      reporter,
      ...(input.sources ? { sources: input.sources } : {}),
    });
    const loadMs = performance.now() - began;
    // The load's own peak: read before the floor's second reading.
    const peakRssBytes = (await peakRss(process.pid)) ?? process.resourceUsage().maxRSS * 1024;
    if (opened.engine.kind === 'postgres') {
      const { rows } = await opened.engine.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      serverPeakRssBytes = rows[0] ? await peakRss(rows[0].pid) : undefined;
    }
    await opened.engine.close();
    const after = await readAndParseFloor(buckets, [uris.events, uris.songs]);
    const floor = after.ms < before.ms ? after : before;
    return {
      scale: input.scale,
      engine: input.engine,
      openMs,
      loadMs,
      steps: report.steps.map(({ step, ms }) => ({ name: step.name, kind: step.kind, ms })),
      outside: outside.times,
      copies,
      mode: report.mode,
      ...(report.decision?.kind === 'full' ? { fullBecause: report.decision.reason } : {}),
      ...(listingMs === undefined ? {} : { listingMs }),
      ...(baseLoadMs === undefined ? {} : { baseLoadMs }),
      rows: report.rows,
      floor,
      floorRunsMs: [before.ms, after.ms],
      // VmHWM, not resourceUsage().maxRSS: Linux carries maxRSS over from the parent across fork and exec.
      peakRssBytes,
      ...(serverPeakRssBytes === undefined ? {} : { serverPeakRssBytes }),
    };
  } finally {
    await opened.dispose();
  }
}

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(await main(input))}\n`);
