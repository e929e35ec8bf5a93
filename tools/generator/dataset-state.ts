import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * generator.json: what `sparkify generate` wrote into a folder, at the bucket root (under neither
 * song_data/ nor log_data/, so no COPY reads it). It holds the resolved options and what
 * `generate --days-after` needs to add later days: the days so far, the last sessionId used and
 * the users whose level changed since the first day.
 */

export const STATE_FILE = 'generator.json';
const FORMAT = 1;
const DAY_MS = 86400000;

export interface DatasetOptions {
  readonly seed: number;
  readonly songs: number;
  readonly artists: number;
  readonly users: number;
  /** Events of the first period. */
  readonly events: number;
  /** Days of the first period. */
  readonly days: number;
  readonly matchRate: number;
}

/** One run of the generator: the first period, then one per `--days-after`. */
export interface PeriodRecord {
  readonly firstDay: string;
  readonly lastDay: string;
  readonly days: number;
  readonly events: number;
  readonly firstSessionId: number;
  readonly lastSessionId: number;
}

export interface DatasetState {
  readonly format: number;
  readonly about: string;
  /** The options of the first `generate`: they define the catalog and the users. */
  readonly options: DatasetOptions;
  /** YYYY-MM-DD (UTC) of the first and the last day file. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly daysSoFar: number;
  readonly eventsSoFar: number;
  readonly songFiles: number;
  readonly lastSessionId: number;
  /** userIds whose level now differs from the one they had on the first day. */
  readonly levelChanged: readonly string[];
  readonly periods: readonly PeriodRecord[];
}

const ABOUT = "written by 'npx sparkify generate'; 'npx sparkify generate --out <this folder> --days-after N' reads it to add days";

export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The state after the first period, or after `previous` plus a period. */
export function nextState(
  options: DatasetOptions,
  previous: DatasetState | null,
  period: PeriodRecord,
  songFiles: number,
  levelChanged: readonly string[],
): DatasetState {
  const periods = [...(previous?.periods ?? []), period];
  return {
    format: FORMAT,
    about: ABOUT,
    options,
    firstDay: previous?.firstDay ?? period.firstDay,
    lastDay: period.lastDay,
    daysSoFar: periods.reduce((sum, p) => sum + p.days, 0),
    eventsSoFar: periods.reduce((sum, p) => sum + p.events, 0),
    songFiles,
    lastSessionId: period.lastSessionId,
    levelChanged,
    periods,
  };
}

export function periodRecord(startMs: number, days: number, events: number, firstSessionId: number, lastSessionId: number): PeriodRecord {
  return { firstDay: dayString(startMs), lastDay: dayString(startMs + (days - 1) * DAY_MS), days, events, firstSessionId, lastSessionId };
}

export function stateText(state: DatasetState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** Written to a temporary name, then renamed: a reader sees the old file or the new one, never half. */
export async function writeState(outDir: string, state: DatasetState): Promise<number> {
  const text = stateText(state);
  const target = path.join(outDir, STATE_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return Buffer.byteLength(text);
}

export class DatasetStateError extends Error {}

/** Reads and checks DIR/generator.json; every problem names the file and how to get a good one. */
export async function readState(outDir: string): Promise<DatasetState> {
  const file = path.join(outDir, STATE_FILE);
  const fix = `generate the dataset first with 'npx sparkify generate --out ${outDir}' (into a new or empty folder)`;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new DatasetStateError(`${file} not found: --days-after adds days to a dataset written by 'npx sparkify generate'; ${fix}`);
    throw error;
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetStateError(`${file} is not JSON (${(error as Error).message}); ${fix}`);
  }
  const problem = stateProblem(value);
  if (problem) throw new DatasetStateError(`${file}: ${problem}; ${fix}`);
  return value as DatasetState;
}

type Check = (value: unknown) => boolean;
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isDay: Check = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && dayString(dayStartMs(v)) === v;

const OPTION_CHECKS: Readonly<Record<keyof DatasetOptions, Check>> = {
  seed: (v) => Number.isSafeInteger(v),
  songs: isCount,
  artists: isCount,
  users: isCount,
  events: isCount,
  days: isCount,
  matchRate: (v) => typeof v === 'number' && v >= 0 && v <= 1,
};

const STATE_CHECKS: Readonly<Record<Exclude<keyof DatasetState, 'options' | 'about' | 'periods'>, Check>> = {
  format: (v) => v === FORMAT,
  firstDay: isDay,
  lastDay: isDay,
  daysSoFar: (v) => isCount(v) && (v as number) >= 1,
  eventsSoFar: isCount,
  songFiles: isCount,
  lastSessionId: isCount,
  levelChanged: (v) => Array.isArray(v) && v.every((id) => typeof id === 'string'),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a parsed generator.json, or undefined. */
export function stateProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (value.format !== FORMAT)
    return `format ${JSON.stringify(value.format)} is not ${FORMAT} (written by another version of the generator)`;
  for (const [key, check] of Object.entries(STATE_CHECKS)) {
    if (!check(value[key])) return `${key} is missing or not valid (${JSON.stringify(value[key])})`;
  }
  const options = value.options;
  if (!isRecord(options)) return 'options is missing';
  for (const [key, check] of Object.entries(OPTION_CHECKS)) {
    if (!check(options[key])) return `options.${key} is missing or not valid (${JSON.stringify(options[key])})`;
  }
  if (!Array.isArray(value.periods) || value.periods.length === 0) return 'periods is missing';
  const expectedLast = dayString(dayStartMs(value.firstDay as string) + ((value.daysSoFar as number) - 1) * DAY_MS);
  if (expectedLast !== value.lastDay)
    return `lastDay ${String(value.lastDay)} is not ${value.daysSoFar as number} days after firstDay ${String(value.firstDay)}`;
  return undefined;
}
