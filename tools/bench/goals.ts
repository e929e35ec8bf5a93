import { formatTable } from '../../local/format-table';
import type { BenchEngine, LoadResult } from './load-result';
import { phaseTimes } from './report';

/**
 * Issue 15, item 4: the four speed figures and the memory peak, each against its goal. A figure
 * that was not measured says why; never a number made up.
 */
export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** The incremental figure: a day added to the 100x dataset, loaded incrementally, against a full load of that day alone. */
export interface IncrementalFigure {
  readonly engine: BenchEngine;
  readonly scale: string;
  /** Medians of the runs; every run kept below. */
  readonly incremental: LoadResult;
  readonly dayAlone: LoadResult;
  readonly incrementalRunsMs: readonly number[];
  readonly dayAloneRunsMs: readonly number[];
}

export const INCREMENTAL_GOAL = 1.1;
const FLOOR_GOAL = 1.5;
const PGLITE_100X_MS = 15_000;
const SERVER_100X_MS = 5_000;
const PEAK_BYTES = 600e6;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function checkGoals(
  results: readonly LoadResult[],
  incremental: readonly IncrementalFigure[] | string,
  scales: { readonly real: string; readonly big: string },
): Goal[] {
  const find = (scale: string, engine: BenchEngine) => results.find((r) => r.scale === scale && r.engine === engine);
  const notMeasured = (goal: string, target: string, why: string): Goal => ({
    goal,
    target,
    measured: `not measured: ${why}`,
    met: undefined,
  });
  const goals: Goal[] = [];

  const real = find(scales.real, 'pglite');
  const floorGoal = `${scales.real} on PGlite: load / read-and-parse floor`;
  if (real) {
    const ratio = real.loadMs / real.floor.ms;
    goals.push({
      goal: floorGoal,
      target: `<= ${FLOOR_GOAL}x`,
      measured: `${s(real.loadMs)} / ${s(real.floor.ms)} = ${ratio.toFixed(2)}x`,
      met: ratio <= FLOOR_GOAL,
    });
  } else goals.push(notMeasured(floorGoal, `<= ${FLOOR_GOAL}x`, `no ${scales.real} run on PGlite`));

  for (const [engine, limit, name] of [
    ['pglite', PGLITE_100X_MS, 'PGlite'],
    ['postgres', SERVER_100X_MS, 'PostgreSQL server'],
  ] as const) {
    const big = find(scales.big, engine);
    const goal = `${scales.big} on ${name}: load`;
    if (big) goals.push({ goal, target: `< ${limit / 1000} s`, measured: s(big.loadMs), met: big.loadMs < limit });
    else goals.push(notMeasured(goal, `< ${limit / 1000} s`, `no ${scales.big} run on ${engine}`));
  }

  const incrementalGoal = `a day on top of ${scales.big}: incremental load / full load of that day alone`;
  if (typeof incremental === 'string') goals.push(notMeasured(incrementalGoal, `<= ${INCREMENTAL_GOAL}x`, incremental));
  else if (incremental.length === 0) goals.push(notMeasured(incrementalGoal, `<= ${INCREMENTAL_GOAL}x`, 'no engine ran it'));
  for (const figure of typeof incremental === 'string' ? [] : incremental) {
    const ratio = figure.incremental.loadMs / figure.dayAlone.loadMs;
    goals.push({
      goal: `${incrementalGoal} (${figure.engine})`,
      target: `<= ${INCREMENTAL_GOAL}x`,
      measured: `${s(figure.incremental.loadMs)} / ${s(figure.dayAlone.loadMs)} = ${ratio.toFixed(2)}x`,
      met: ratio <= INCREMENTAL_GOAL,
    });
  }

  for (const engine of ['pglite', 'postgres'] as const) {
    const big = find(scales.big, engine);
    if (!big) continue;
    // On a server the load's memory is the worker's and the server backend's.
    const bytes = big.peakRssBytes + (big.serverPeakRssBytes ?? 0);
    goals.push({
      goal: `${scales.big} on ${engine}: peak memory${engine === 'postgres' ? ' (this process + the server backend)' : ''}`,
      target: `< ${PEAK_BYTES / 1e6} MB`,
      measured: `${Math.round(bytes / 1e6)} MB`,
      met: bytes < PEAK_BYTES,
    });
  }
  return goals;
}

export function goalsTable(goals: readonly Goal[]): string {
  return formatTable(
    goals.map((g) => ({
      goal: g.goal,
      target: g.target,
      measured: g.measured,
      met: g.met === undefined ? '-' : g.met ? 'met' : 'NOT MET',
    })),
  );
}

const ms = (value: number) => Math.round(value);

/**
 * Where a load's time goes: the COPYs by phase (both staging tables summed: read, decode, parse,
 * convert, encode, the engine's share, the rest of the step), then the SQL steps and the statements
 * outside them. Conversion and encoding are sampled estimates (copy-profile.ts).
 */
export function breakdownTable(results: readonly LoadResult[]): string {
  return formatTable(
    results.map((result) => {
      // The staging COPYs; a tracking COPY (source_files) counts with tracking.
      const copies = (result.copies ?? []).filter((copy) => /(^|\.)staging_/.test(copy.table));
      const sum = (key: 'setup' | 'read' | 'decode' | 'parse' | 'convert' | 'encode' | 'engine' | 'total') =>
        copies.reduce((total, copy) => total + copy[key], 0);
      const stagingMs = result.steps.filter((step) => step.kind === 'staging').reduce((total, step) => total + step.ms, 0);
      const inCopy = sum('setup') + sum('read') + sum('decode') + sum('parse') + sum('convert') + sum('encode') + sum('engine');
      const times = phaseTimes(result);
      const outside = result.outside;
      const marts = ['songs', 'artists', 'users', 'songplays', 'time'].reduce((total, mart) => total + (times[mart] ?? 0), 0);
      const accounted = stagingMs + marts + (times.tracking ?? 0) + (times.gates ?? 0) + (times.history ?? 0) + (times.schema ?? 0);
      const outsideMs = outside ? outside.setup + outside.begin + outside.commit + outside.vacuum + outside.report : 0;
      return {
        scale: result.scale,
        engine: result.engine,
        'list+setup': ms(sum('setup')),
        read: ms(sum('read')),
        decode: ms(sum('decode')),
        parse: ms(Math.max(0, sum('parse'))),
        convert: ms(sum('convert')),
        encode: ms(sum('encode')),
        'engine write': ms(sum('engine')),
        'COPY rest': ms(stagingMs - inCopy),
        tracking: ms(times.tracking ?? 0),
        marts: ms(marts),
        gates: ms(times.gates ?? 0),
        'schema+history': ms((times.schema ?? 0) + (times.history ?? 0)),
        'other steps': ms(result.steps.reduce((total, step) => total + step.ms, 0) - accounted),
        setup: outside ? ms(outside.setup) : null,
        commit: outside ? ms(outside.commit) : null,
        vacuum: outside ? ms(outside.vacuum) : null,
        report: outside ? ms(outside.report) : null,
        rest: ms(result.loadMs - result.steps.reduce((total, step) => total + step.ms, 0) - outsideMs),
        total: ms(result.loadMs),
      };
    }),
  );
}

export function incrementalTable(figures: readonly IncrementalFigure[]): string {
  return formatTable(
    figures.map((f) => ({
      scale: `${f.scale} + 1 day`,
      engine: f.engine,
      'incremental s': Number((f.incremental.loadMs / 1000).toFixed(2)),
      'of it listing s': f.incremental.listingMs === undefined ? null : Number((f.incremental.listingMs / 1000).toFixed(2)),
      'day alone s': Number((f.dayAlone.loadMs / 1000).toFixed(2)),
      'of it listing s ': f.dayAlone.listingMs === undefined ? null : Number((f.dayAlone.listingMs / 1000).toFixed(2)),
      ratio: Number((f.incremental.loadMs / f.dayAlone.loadMs).toFixed(2)),
      'every run (incremental / alone)': `${f.incrementalRunsMs.map((v) => (v / 1000).toFixed(2)).join(' ')} / ${f.dayAloneRunsMs.map((v) => (v / 1000).toFixed(2)).join(' ')}`,
    })),
  );
}
