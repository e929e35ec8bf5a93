import { formatTable } from '../../local/format-table';
import { PHASES, phaseOf, type BenchEngine, type LoadResult } from './load-result';
import { scalingExponent } from './scaling';
import type { Scale } from './scales';

export const STAGING = ['staging_events', 'staging_songs'] as const;

export function stagingRows(result: LoadResult): number {
  return STAGING.reduce((sum, table) => sum + (result.rows[table] ?? 0), 0);
}

export function phaseTimes(result: LoadResult): Record<string, number> {
  const times: Record<string, number> = Object.fromEntries(PHASES.map((phase) => [phase, 0]));
  for (const step of result.steps) times[phaseOf(step)] = (times[phaseOf(step)] ?? 0) + step.ms;
  const inSteps = result.steps.reduce((sum, step) => sum + step.ms, 0);
  // Prelude, BEGIN, COMMIT and the report query: outside the plan's steps.
  times.other = result.loadMs - inSteps;
  return times;
}

const ms = (value: number) => Math.round(value);
const seconds = (value: number) => Number((value / 1000).toFixed(2));
const mb = (bytes: number | undefined) => (bytes === undefined ? null : Math.round(bytes / 1e6));

export function phaseTable(results: readonly LoadResult[], engine: BenchEngine): string {
  const rows = results
    .filter((result) => result.engine === engine)
    .map((result) => {
      const times = phaseTimes(result);
      return {
        scale: result.scale,
        'staging rows': stagingRows(result),
        ...Object.fromEntries([...PHASES, 'other'].map((phase) => [phase, ms(times[phase] ?? 0)])),
        total: ms(result.loadMs),
      };
    });
  return formatTable(rows);
}

export function summaryTable(results: readonly LoadResult[]): string {
  return formatTable(
    results.map((result) => ({
      scale: result.scale,
      engine: result.engine,
      'staging rows': stagingRows(result),
      'load s': seconds(result.loadMs),
      'rows/s': Math.round(stagingRows(result) / (result.loadMs / 1000)),
      'floor s': seconds(result.floor.ms),
      'load/floor': Number((result.loadMs / result.floor.ms).toFixed(2)),
      'open ms': ms(result.openMs),
      'peak RSS MB': mb(result.peakRssBytes),
      'server RSS MB': mb(result.serverPeakRssBytes),
    })),
  );
}

export interface Scaling {
  readonly engine: BenchEngine;
  /** Fit over every event scale. */
  readonly exponent: number | undefined;
  /** From the second-largest event scale to the largest: the marginal growth, fixed costs left out. */
  readonly upperExponent: number | undefined;
}

export function scaling(results: readonly LoadResult[], scales: readonly Scale[], engine: BenchEngine): Scaling {
  const series = scales
    .filter((scale) => scale.eventSeries)
    .map((scale) => results.find((result) => result.scale === scale.name && result.engine === engine))
    .filter((result): result is LoadResult => result !== undefined)
    .map((result) => ({ rows: stagingRows(result), ms: result.loadMs }));
  return { engine, exponent: scalingExponent(series), upperExponent: scalingExponent(series.slice(-2)) };
}

export function scalingTable(entries: readonly Scaling[]): string {
  const fixed = (value: number | undefined) => (value === undefined ? null : Number(value.toFixed(2)));
  return formatTable(
    entries.map((entry) => ({
      engine: entry.engine,
      'exponent (all event scales)': fixed(entry.exponent),
      'exponent (10x to 100x)': fixed(entry.upperExponent),
    })),
  );
}
