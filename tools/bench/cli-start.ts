import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { clonePgliteFolder } from '../../local/engine';
import { formatTable } from '../../local/format-table';
import type { Dataset } from './datasets';
import type { Goal } from './goals';

/**
 * Issue 22, item 1: how long the command a user types takes to answer, beside a bare `node -e 0`.
 * Each command runs in a process of its own, as typed in a terminal, round after round (one run of
 * each per round, so a burst of load elsewhere hits one run of each, not every run of one): the
 * median wall time, and the median CPU time of the process and everything it started (npx's npm,
 * its shell, node).
 */
export interface CliCommandFigure {
  readonly name: string;
  readonly command: string;
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
}

export interface CliStartFigures {
  readonly rounds: number;
  /** The dataset the queried warehouse was loaded from. */
  readonly scale: string;
  readonly warehouseBytes: number;
  readonly commands: readonly CliCommandFigure[];
}

/** The goals: within this much of `node -e 0`, wall time, medians. */
export const HELP_GOAL_MS = 300;
export const QUERY_GOAL_MS = 500;

const BIN = path.join(PROJECT_ROOT, 'bin', 'sparkify.mjs');

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

/**
 * One run of `argv` through bash, whose `times` prints the CPU time of the children it waited for
 * (user and system, to the millisecond): the command and whatever it started and waited for.
 */
function runOnce(argv: readonly string[], cwd: string, errorFile: string): { wallMs: number; cpuMs: number } {
  const script = '"$@" >/dev/null 2>"$SPARKIFY_BENCH_ERR" || { cat "$SPARKIFY_BENCH_ERR" >&2; exit 1; }; times';
  const began = performance.now();
  const run = spawnSync('bash', ['-c', script, 'bench', ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SPARKIFY_BENCH_ERR: errorFile },
  });
  const wallMs = performance.now() - began;
  if (run.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${run.status}): ${run.stderr.trim().slice(-2000)}`);
  // times: the shell's own user and system time, then its children's, as "0m1.234s 0m0.056s".
  const children = run.stdout.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`cannot read the CPU time of ${argv.join(' ')} from bash's times: ${run.stdout}`);
  return { wallMs, cpuMs: ((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000 };
}

/**
 * Loads `dataset` with `sparkify load` into a copy of the PGlite template (the warehouse a user has
 * after their first load), then times, round after round: `node -e 0`, `sparkify --help` and
 * `query headline` through node and through npx.
 */
export async function measureCliStart(options: {
  readonly template: string;
  readonly dataset: Dataset;
  readonly rounds: number;
  readonly log: (line: string) => void;
}): Promise<CliStartFigures> {
  // Built afresh, as `npm ci` leaves it: a stale build would be rebuilt by the first run instead (bin/build-cli.mjs).
  const build = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'build-cli.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed (exit ${build.status}): ${build.stderr.trim().slice(-2000)}`);
  const root = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-cli-'));
  try {
    const db = path.join(root, 'db');
    await clonePgliteFolder(options.template, db);
    options.log(`  cli: loading ${options.dataset.scale.name} into a warehouse to query ...`);
    const load = spawnSync(process.execPath, [BIN, 'load', '--source', options.dataset.dir, '--db', db, '--no-queries'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    if (load.status !== 0) throw new Error(`sparkify load failed (exit ${load.status}): ${load.stderr.trim().slice(-2000)}`);
    const warehouseBytes = Number(spawnSync('du', ['-sb', db], { encoding: 'utf8' }).stdout.split('\t')[0]);
    // The floors, for scale: npx starting a command it finds at once, and PGlite opening the warehouse, answering one query and closing.
    const pglite = `const { PGlite } = await import('@electric-sql/pglite'); const db = await PGlite.create(${JSON.stringify(db)}, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] }); await db.query('SELECT COUNT(*) FROM songplays'); await db.close();`;
    const commands: { name: string; argv: string[] }[] = [
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
      { name: 'npx node -e 0 (npx alone)', argv: ['npx', 'node', '-e', '0'] },
      { name: 'PGlite alone: open, SELECT COUNT(*), close', argv: [process.execPath, '--input-type=module', '-e', pglite] },
      { name: 'sparkify --help (node bin/sparkify.mjs)', argv: [process.execPath, BIN, '--help'] },
      { name: 'npx sparkify --help', argv: ['npx', 'sparkify', '--help'] },
      { name: 'sparkify query headline (node bin/sparkify.mjs)', argv: [process.execPath, BIN, 'query', 'headline', '--db', db] },
      { name: 'npx sparkify query headline', argv: ['npx', 'sparkify', 'query', 'headline', '--db', db] },
    ];
    // One unmeasured run of each: the file cache warm, npx's cache of the project made.
    const errorFile = path.join(root, 'stderr');
    for (const command of commands) runOnce(command.argv, PROJECT_ROOT, errorFile);
    const figures = commands.map((command) => ({
      name: command.name,
      command: command.argv.join(' '),
      wallMs: [] as number[],
      cpuMs: [] as number[],
    }));
    for (let round = 1; round <= options.rounds; round++) {
      options.log(`  cli: round ${round}/${options.rounds} ...`);
      commands.forEach((command, i) => {
        const { wallMs, cpuMs } = runOnce(command.argv, PROJECT_ROOT, errorFile);
        figures[i]?.wallMs.push(wallMs);
        figures[i]?.cpuMs.push(cpuMs);
      });
    }
    return {
      rounds: options.rounds,
      scale: options.dataset.scale.name,
      warehouseBytes,
      commands: figures,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const plus = (ms: number) => `${ms >= 0 ? '+' : ''}${(ms / 1000).toFixed(2)} s`;

export function printCliStart(figures: CliStartFigures, out: (line?: string) => void): void {
  out(
    `\nThe command a user types (issue 22): medians of ${figures.rounds} alternating runs, each a process of its own; ` +
      `CPU = the process and what it started; the query on a warehouse of ${figures.scale} (${(figures.warehouseBytes / 1e6).toFixed(0)} MB)`,
  );
  const node = figures.commands[0];
  const nodeWall = median(node?.wallMs ?? []);
  const nodeCpu = median(node?.cpuMs ?? []);
  out(
    formatTable(
      figures.commands.map((figure) => ({
        command: figure.name,
        wall: s(median(figure.wallMs)),
        'vs node -e 0': figure === node ? '' : plus(median(figure.wallMs) - nodeWall),
        cpu: s(median(figure.cpuMs)),
        'cpu vs node -e 0': figure === node ? '' : plus(median(figure.cpuMs) - nodeCpu),
        'every run, wall s': figure.wallMs.map((ms) => (ms / 1000).toFixed(2)).join(' '),
      })),
    ),
  );
}

/** The goals of issue 22 item 1, on wall-time medians: through npx as the issue states them, and the bin itself (what npx runs). */
export function cliGoals(figures: CliStartFigures | string): Goal[] {
  const scale = typeof figures === 'string' ? '' : ` (${figures.scale})`;
  const goals: [string, string, number][] = [
    ['npx sparkify --help', 'npx sparkify --help', HELP_GOAL_MS],
    ['sparkify --help (node bin/sparkify.mjs)', 'sparkify --help, without npx', HELP_GOAL_MS],
    ['npx sparkify query headline', `a named query${scale}: npx sparkify query headline`, QUERY_GOAL_MS],
    ['sparkify query headline (node bin/sparkify.mjs)', `a named query${scale}, without npx`, QUERY_GOAL_MS],
  ];
  return goals.map(([name, goal, limit]) => {
    const target = `<= node -e 0 + ${(limit / 1000).toFixed(1)} s`;
    if (typeof figures === 'string') return { goal, target, measured: `not measured: ${figures}`, met: undefined };
    const node = median(figures.commands[0]?.wallMs ?? []);
    const figure = figures.commands.find((f) => f.name === name);
    if (!figure) return { goal, target, measured: 'not measured', met: undefined };
    const delta = median(figure.wallMs) - node;
    return { goal, target, measured: `${s(median(figure.wallMs))} = node -e 0 ${plus(delta)}`, met: delta <= limit };
  });
}
