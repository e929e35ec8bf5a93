/**
 * npm run bench [-- --quick] [--engines pglite,postgres] [--scales 1x,events-10x] [--repeat 3] [--reloads 10] [--no-deploy]
 *
 * The offline load at the real bucket's size, 10x and 100x the events and 10x the songs, on PGlite
 * and on a PostgreSQL 15 server started here on loopback, each load repeated (3 times by default,
 * the median shown: the machine is shared); then 10 reloads of the real size into one PGlite folder,
 * with and without the VACUUM after each load (the folder's size after each); then what the writer
 * lock costs (tools/bench/lock-figures.ts); then the report of the 100x dataset drawn in headless
 * Chromium (tools/bench/report-render.ts, goal under 2 s; --no-report skips it); then the deploy-side figures, the deploy rehearsal's
 * duration among them. Prints
 * tables, checks the targets of issue #6, and writes .bench/results-<mode>.json. Speed goals live
 * here, never in timed tests.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, ensureDataset, type Dataset } from './datasets';
import { printDeployFigures, runDeployFigures } from './deploy-report';
import { RESULT_PREFIX, type BenchEngine, type LoadResult, type WorkerInput } from './load-result';
import { machine } from './machine';
import { pgliteTemplate } from './pglite-template';
import { postgresBinDir, startPostgres, type PostgresServer } from './postgres-server';
import { measureLocking, printLockFigures, type LockFigures } from './lock-figures';
import { measureReloads, printReloads, type ReloadSeries } from './reloads';
import { measureReportRender, printReportRender, reportRenderScale, type ReportRenderFigures } from './report-render';
import { phaseTable, scaling, scalingTable, summaryTable, type Scaling } from './report';
import { FULL_SCALES, QUICK_SCALES, type Scale } from './scales';
import { checkTargets, printTargets } from './targets';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

interface Args {
  readonly quick: boolean;
  readonly engines: readonly BenchEngine[];
  readonly scales?: readonly string[];
  readonly deploy: boolean;
  readonly repeat: number;
  /** Loads in the reload series (0: none). */
  readonly reloads: number;
  /** Measure the report's render in Chromium. */
  readonly report: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const engines = (value('--engines') ?? 'pglite,postgres').split(',').filter((e): e is BenchEngine => e === 'pglite' || e === 'postgres');
  const scales = value('--scales')?.split(',');
  const quick = argv.includes('--quick');
  const repeat = Math.max(1, Number(value('--repeat') ?? (quick ? 1 : 3)) || 1);
  const reloads = Math.max(0, Math.floor(Number(value('--reloads') ?? 10)) || 0);
  return {
    quick,
    engines,
    ...(scales ? { scales } : {}),
    deploy: !argv.includes('--no-deploy'),
    repeat,
    reloads,
    report: !argv.includes('--no-report'),
  };
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** One load in a fresh process (its own peak memory); resolves to its figures. */
function runWorker(input: WorkerInput): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, WORKER, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as LoadResult);
      else reject(new Error(`load of ${input.scale} on ${input.engine} failed (exit ${code}):\n${stderr.slice(-3000)}`));
    });
  });
}

/** The run with the median load time (the upper middle one of an even count). */
function medianRun(group: readonly LoadResult[]): LoadResult {
  const sorted = [...group].sort((a, b) => a.loadMs - b.loadMs);
  return sorted[Math.floor(sorted.length / 2)] as LoadResult;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const mode = args.quick ? 'quick' : 'full';
  const all = args.quick ? QUICK_SCALES : FULL_SCALES;
  const scales: Scale[] = args.scales ? all.filter((s) => args.scales?.some((name) => s.name === name || s.name === `quick-${name}`)) : all;
  const before = machine();
  out(`sparkify benchmark (${mode})`);
  for (const [key, text] of Object.entries(before)) out(`  ${key.padEnd(13)} ${text}`);

  const datasets: Dataset[] = [];
  for (const scale of scales) datasets.push(await ensureDataset(scale, (line) => out(`  ${line}`)));
  const template = await pgliteTemplate();
  out(
    `  PGlite ${template.version}${template.initMs ? `: initialised its template in ${Math.round(template.initMs)} ms (once; loads start from a copy)` : ''}`,
  );

  let server: PostgresServer | undefined;
  const engines = [...args.engines];
  if (engines.includes('postgres')) {
    const bin = postgresBinDir();
    if (bin) {
      server = await startPostgres(bin);
      out(`  ${server.version}: ${server.settings}`);
    } else {
      out('  PostgreSQL server binaries not found (set SPARKIFY_PG_BIN): the server runs are skipped');
      engines.splice(engines.indexOf('postgres'), 1);
    }
  }

  const runs: LoadResult[][] = [];
  try {
    // Round after round, so a burst of load elsewhere on the machine hits one run of each, not every run of one.
    for (let round = 1; round <= args.repeat; round++) {
      for (const dataset of datasets) {
        for (const [i, engine] of engines.entries()) {
          const target = engine === 'pglite' ? template.dir : (server as PostgresServer).url;
          out(`  run ${round}/${args.repeat}: ${dataset.scale.name} on ${engine} ...`);
          const result = await runWorker({ scale: dataset.scale.name, dataset: dataset.dir, engine, target });
          const at = datasets.indexOf(dataset) * engines.length + i;
          (runs[at] ??= []).push(result);
        }
      }
    }
  } finally {
    server?.stop();
  }
  const results = runs.map(medianRun);

  out('\nDatasets');
  for (const { scale, summary } of datasets) {
    out(
      `  ${scale.name.padEnd(18)} ${scale.label}: ${summary.songFiles} song files, ${summary.events} events (${summary.nextSongEvents} plays) in ${summary.eventFiles} files, ${summary.users} users, ${(summary.bytes / 1e6).toFixed(1)} MB`,
    );
  }
  for (const engine of engines) {
    out(`\nLoad phases on ${engine}, ms (a phase includes its table's clear; other = prelude, BEGIN, COMMIT, report)`);
    out(phaseTable(results, engine));
  }
  out(
    `\nSummary (the median of ${args.repeat} run(s); floor = listing, reading and JSON-parsing the same files, nothing else, best of two reads around the load)`,
  );
  out(summaryTable(results));
  if (args.repeat > 1) {
    out('\nEvery run, load seconds');
    for (const group of runs)
      out(`  ${`${group[0]?.scale} on ${group[0]?.engine}`.padEnd(30)} ${group.map((r) => (r.loadMs / 1000).toFixed(2)).join('  ')}`);
  }
  const scalings: Scaling[] = engines.map((engine) => scaling(results, scales, engine));
  out('\nScaling: slope of log(load time) against log(staging rows) over the event scales');
  out(scalingTable(scalings));

  const reloads: ReloadSeries[] = [];
  if (args.reloads > 0 && engines.includes('pglite')) {
    const scale = all.find((s) => s.name === (args.quick ? 'quick-1x' : '1x'));
    const dataset = scale
      ? (datasets.find((d) => d.scale === scale) ?? (await ensureDataset(scale, (line) => out(`  ${line}`))))
      : undefined;
    for (const vacuum of dataset ? [true, false] : []) {
      out(`  reloads: ${args.reloads} loads of ${dataset?.scale.name} on pglite, ${vacuum ? 'with' : 'without'} VACUUM ...`);
      reloads.push(
        await measureReloads({
          scale: dataset?.scale.name ?? '',
          dataset: dataset?.dir ?? '',
          template: template.dir,
          loads: args.reloads,
          vacuum,
        }),
      );
    }
    printReloads(reloads, out);
  }

  let locking: LockFigures | undefined;
  if (engines.includes('pglite')) {
    const scale = all.find((s) => s.name === (args.quick ? 'quick-1x' : '1x'));
    const dataset = datasets.find((d) => d.scale === scale) ?? (scale ? await ensureDataset(scale, (line) => out(`  ${line}`)) : undefined);
    if (dataset) {
      out(`  locking: the lock, a hand-off and readers' copies on a ${dataset.scale.name} folder ...`);
      locking = await measureLocking(template.dir, dataset.dir, dataset.scale.name);
      printLockFigures(locking, out);
    }
  }

  let reportRender: ReportRenderFigures | undefined;
  if (args.report && engines.includes('pglite')) {
    const scale = reportRenderScale(args.quick);
    const dataset = datasets.find((d) => d.scale.name === scale.name) ?? (await ensureDataset(scale, (line) => out(`  ${line}`)));
    out(`  report: ${dataset.scale.name} loaded, its report queried and drawn in Chromium ...`);
    // No Chromium (or another failure) costs this figure, not the run's others.
    reportRender = await measureReportRender(template.dir, dataset).catch((error: unknown) => {
      out(`\nThe report in Chromium: not measured: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (reportRender) printReportRender(reportRender, out);
  }

  const deploy = args.deploy ? await runDeployFigures({ quick: args.quick, pgliteTemplate: template.dir }) : undefined;
  if (deploy) printDeployFigures(deploy, out);

  const after = machine();
  out(`\n  load average at the end: ${after['load average']}`);
  if (!args.quick) printTargets(checkTargets(results, scalings, deploy, reloads, reportRender), out);

  await mkdir(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `results-${mode}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        mode,
        machine: { before, after },
        pglite: template.version,
        postgres: server?.version,
        datasets: datasets.map(({ scale, summary }) => ({ scale, summary })),
        results,
        runs,
        scalings,
        reloads,
        locking,
        reportRender,
        deploy,
      },
      null,
      2,
    ),
  );
  out(`\nFigures written to ${path.relative(process.cwd(), file)}`);
}

await main();
