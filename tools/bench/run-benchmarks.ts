/**
 * npm run bench [-- --quick] [--engines pglite,postgres] [--scales 1x,events-10x] [--repeat 3] [--reloads 10]
 *                 [--no-deploy] [--no-report] [--no-incremental] [--no-cli] [--cli-rounds 7] [--only cli]
 *
 * The offline load at the real bucket's size, 10x and 100x the events and 10x the songs, on PGlite
 * and on a PostgreSQL 15 server started here on loopback, each load repeated (3 times by default,
 * the median shown: the machine is shared), with where each load's time goes (the COPYs by phase,
 * the SQL steps, the statements around them); then one day added to the 100x dataset, loaded
 * incrementally on top of it, against a full load of that day alone (--no-incremental skips it);
 * then 10 reloads of the real size into one PGlite folder, with and without the VACUUM after each
 * load (the folder's size after each); then what the writer lock costs (tools/bench/lock-figures.ts);
 * then the report of the 100x dataset drawn in headless Chromium (tools/bench/report-render.ts, goal
 * under 2 s; --no-report skips it); then the command a user types, `sparkify --help` and a named query on a
 * warehouse of the real bucket's size, beside `node -e 0` (tools/bench/cli-start.ts; --no-cli skips
 * it, `--only cli` runs it alone, --cli-rounds sets its rounds); then the deploy-side figures, the
 * deploy rehearsal's duration among them. Prints tables, checks the targets of issue #6 and, last, the goals of issue 15
 * (tools/bench/goals.ts), and writes .bench/results-<mode>.json. Speed goals live here, never in
 * timed tests.
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
import { breakdownTable, checkGoals, goalsTable, incrementalTable, type IncrementalFigure } from './goals';
import { ensureIncrementalDatasets } from './incremental';
import { cliGoals, measureCliStart, printCliStart, type CliStartFigures } from './cli-start';

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
  /** Measure a day added to the 100x dataset, loaded incrementally, against a full load of that day alone. */
  readonly incremental: boolean;
  /** Measure the CLI's start and a named query beside `node -e 0`. */
  readonly cli: boolean;
  /** Its rounds: each command once a round. */
  readonly cliRounds: number;
  /** Only these sections (`--only cli`): the rest is skipped. */
  readonly only?: 'cli';
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
  const only = value('--only');
  if (only !== undefined && only !== 'cli') throw new Error(`--only ${only}: the one section that runs alone is cli (--only cli)`);
  const cliRounds = Math.max(5, Math.floor(Number(value('--cli-rounds') ?? (quick ? 5 : 7))) || 5);
  return {
    quick,
    engines,
    ...(scales ? { scales } : {}),
    deploy: !argv.includes('--no-deploy'),
    repeat,
    reloads,
    report: !argv.includes('--no-report'),
    incremental: !argv.includes('--no-incremental'),
    cli: !argv.includes('--no-cli'),
    cliRounds,
    ...(only ? { only } : {}),
  };
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** One load in a fresh process (its own peak memory); resolves to its figures. */
function runWorker(input: WorkerInput): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // --expose-gc: the worker collects before it starts its peak afresh (load-worker.ts, resetPeak).
    const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', WORKER, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

/**
 * The incremental figure on each engine, round after round: the base loaded (tracked) then the
 * day loaded incrementally, in one worker; then that day alone, loaded in full (tracked, as
 * `sparkify load` does), in another. A load that ran full when asked to be incremental is an error.
 */
async function measureIncremental(
  base: Dataset,
  engines: readonly BenchEngine[],
  template: string,
  repeat: number,
  server?: PostgresServer,
): Promise<IncrementalFigure[]> {
  const sets = await ensureIncrementalDatasets(base, (line) => out(`  ${line}`));
  const runs = new Map<BenchEngine, { incremental: LoadResult[]; dayAlone: LoadResult[] }>();
  for (let round = 1; round <= repeat; round++) {
    for (const engine of engines) {
      const target = engine === 'pglite' ? template : (server as PostgresServer).url;
      const scale = base.scale.name;
      out(`  incremental ${round}/${repeat}: ${scale} + 1 day on ${engine} ...`);
      const incremental = await runWorker({ scale, engine, target, dataset: sets.extended, base: base.dir, sources: 'incremental' });
      if (incremental.mode !== 'incremental')
        throw new Error(`the load ran ${incremental.mode ?? 'full'}: ${incremental.fullBecause ?? '?'}`);
      const dayAlone = await runWorker({ scale, engine, target, dataset: sets.dayOnly, sources: 'track' });
      const entry = runs.get(engine) ?? { incremental: [], dayAlone: [] };
      entry.incremental.push(incremental);
      entry.dayAlone.push(dayAlone);
      runs.set(engine, entry);
    }
  }
  return [...runs].map(([engine, entry]) => ({
    engine,
    scale: base.scale.name,
    incremental: medianRun(entry.incremental),
    dayAlone: medianRun(entry.dayAlone),
    incrementalRunsMs: entry.incremental.map((r) => r.loadMs),
    dayAloneRunsMs: entry.dayAlone.map((r) => r.loadMs),
  }));
}

/** The run with the median load time (the upper middle one of an even count). */
function medianRun(group: readonly LoadResult[]): LoadResult {
  const sorted = [...group].sort((a, b) => a.loadMs - b.loadMs);
  return sorted[Math.floor(sorted.length / 2)] as LoadResult;
}

/** The CLI section: a dataset of the real bucket's size (quick: the quick one), loaded by the CLI and queried. */
async function cliSection(
  args: Args,
  template: string,
  all: readonly Scale[],
  datasets: readonly Dataset[],
): Promise<CliStartFigures | string> {
  const scale = all.find((s) => s.name === (args.quick ? 'quick-1x' : '1x'));
  if (!scale) return 'no real-size scale';
  const dataset = datasets.find((d) => d.scale === scale) ?? (await ensureDataset(scale, (line) => out(`  ${line}`)));
  return measureCliStart({ template, dataset, rounds: args.cliRounds, log: out }).catch(
    (error: unknown) => `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
  );
}

/** `npm run bench -- --only cli`: the CLI section alone, its figures in .bench/results-cli.json. */
async function onlyCli(args: Args): Promise<void> {
  const before = machine();
  out('sparkify benchmark: the command a user types');
  for (const [key, text] of Object.entries(before)) out(`  ${key.padEnd(13)} ${text}`);
  const template = await pgliteTemplate();
  const cli = await cliSection(args, template.dir, args.quick ? QUICK_SCALES : FULL_SCALES, []);
  if (typeof cli !== 'string') printCliStart(cli, out);
  const after = machine();
  out(`\n  load average at the end: ${after['load average']}`);
  out('\nGoals (issue 22, item 1)');
  out(goalsTable(cliGoals(cli)));
  await mkdir(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, 'results-cli.json');
  await writeFile(file, JSON.stringify({ mode: args.quick ? 'quick' : 'full', machine: { before, after }, cli }, null, 2));
  out(`\nFigures written to ${path.relative(process.cwd(), file)}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.only === 'cli') return onlyCli(args);
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
  } catch (error) {
    server?.stop();
    throw error;
  }
  const results = runs.map(medianRun);

  const big = all.find((s) => s.name === (args.quick ? 'quick-events-100x' : 'events-100x'));
  const bigDataset = datasets.find((d) => d.scale === big);
  let incremental: IncrementalFigure[] | string = 'left out (--no-incremental)';
  if (args.incremental && bigDataset) {
    incremental = await measureIncremental(bigDataset, engines, template.dir, args.repeat, server).catch(
      (error: unknown) => `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  } else if (args.incremental) incremental = `no ${big?.name ?? 'events-100x'} dataset in this run (--scales)`;
  server?.stop();

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
  out('\nWhere the time goes, ms (the median run; COPY phases summed over both staging COPYs, convert and encode sampled;');
  out('  engine write = the engine storing rows the process could not hand on meanwhile; setup = prelude, bootstrap, catalog)');
  out(breakdownTable(results));
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

  let cli: CliStartFigures | string = 'left out (--no-cli)';
  if (args.cli) {
    cli = await cliSection(args, template.dir, all, datasets);
    if (typeof cli !== 'string') printCliStart(cli, out);
    else out(`\nThe command a user types: not measured: ${cli}`);
  }

  const deploy = args.deploy ? await runDeployFigures({ quick: args.quick, pgliteTemplate: template.dir }) : undefined;
  if (deploy) printDeployFigures(deploy, out);

  if (typeof incremental !== 'string') {
    out(
      '\nIncremental: one day added to the 100x dataset (generate --days-after 1), loaded on top of it, against a full load of that day alone',
    );
    out(incrementalTable(incremental));
  }

  const after = machine();
  out(`\n  load average at the end: ${after['load average']}`);
  if (!args.quick) printTargets(checkTargets(results, scalings, deploy, reloads, reportRender), out);
  out('\nGoals (issue 15, item 4; issue 22, item 1)');
  out(
    goalsTable([
      ...checkGoals(results, incremental, { real: args.quick ? 'quick-1x' : '1x', big: big?.name ?? 'events-100x' }),
      ...cliGoals(cli),
    ]),
  );

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
        incremental,
        cli,
        deploy,
      },
      null,
      2,
    ),
  );
  out(`\nFigures written to ${path.relative(process.cwd(), file)}`);
}

await main();
