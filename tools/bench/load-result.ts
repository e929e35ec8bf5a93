import type { StepKind } from '../../lib/plan/load-plan';
import type { CopyProfile } from '../../local/copy/copy-profile';
import type { FloorResult } from './read-parse-floor';
import type { OutsideTimes } from './timed-engine';

export type BenchEngine = 'pglite' | 'postgres';

/** What run-benchmarks.ts hands a load-worker.ts process. */
export interface WorkerInput {
  readonly scale: string;
  readonly dataset: string;
  readonly engine: BenchEngine;
  /** The initialised PGlite template folder, or the server's admin URL. */
  readonly target: string;
  /** How the measured load treats its sources (runOfflineLoad's `sources`); default: the plan as given. */
  readonly sources?: 'track' | 'incremental';
  /** A dataset loaded (tracked) before the measured load, which then extends it. */
  readonly base?: string;
}

/** Marks the worker's one line of JSON figures on its stdout. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** What one load-worker run reports: one scale on one engine. */
export interface LoadResult {
  readonly scale: string;
  readonly engine: BenchEngine;
  /** Opening the engine: a copy of the initialised PGlite template, or a new database on the server. */
  readonly openMs: number;
  /** runOfflineLoad, end to end: prelude, BEGIN, every step, COMMIT, the report. */
  readonly loadMs: number;
  readonly steps: readonly { readonly name: string; readonly kind: StepKind; readonly ms: number }[];
  /** The load's statements outside the plan's steps (prelude and bootstrap, BEGIN, COMMIT, VACUUM, report), ms. */
  readonly outside?: OutsideTimes;
  /** Each COPY's time by phase (local/copy/copy-profile.ts). */
  readonly copies?: readonly CopyProfile[];
  /** The measured load's mode, and why it was full when asked to be incremental. */
  readonly mode?: 'full' | 'incremental' | 'nothing-new';
  readonly fullBecause?: string;
  /** Listing (and hashing) the source, when the load tracks it. */
  readonly listingMs?: number;
  /** The base load before an incremental one. */
  readonly baseLoadMs?: number;
  readonly rows: Readonly<Record<string, number>>;
  /** The best of the runs: before the load and after it. */
  readonly floor: FloorResult;
  readonly floorRunsMs: readonly number[];
  /** Peak resident memory of the worker process during the load (PGlite runs inside it), from a fresh start after the floor's first reading. */
  readonly peakRssBytes: number;
  /** The server backend's own peak (VmHWM), when the engine is a server on this machine. */
  readonly serverPeakRssBytes?: number;
}

/** The phases the tables show: a step's clear goes with its load. */
export function phaseOf(step: { readonly name: string; readonly kind: StepKind }): string {
  if (step.kind === 'schema') return 'schema';
  if (step.kind === 'gate') return 'gates';
  if (step.kind === 'history') return 'history';
  // The tables incremental loads keep (source_files, user_latest_event): one column.
  if (step.kind === 'tracking') return 'tracking';
  const table = step.name.replace(/^(clear|staging|mart)\./, '');
  return step.kind === 'staging' ? `COPY ${table.replace(/^staging_/, '')}` : table;
}

export const PHASES = [
  'schema',
  'COPY events',
  'COPY songs',
  'tracking',
  'songs',
  'artists',
  'users',
  'songplays',
  'time',
  'gates',
  'history',
] as const;
