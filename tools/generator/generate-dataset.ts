import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCatalog } from './catalog';
import { nextState, periodRecord, STATE_FILE, writeState } from './dataset-state';
import { writeEventLog } from './event-log';
import { jsonPathsText } from './jsonpaths';
import { Rng } from './prng';
import { writeSongFiles } from './song-files';

/**
 * A deterministic, seeded generator of Sparkify source data laid out like s3://udacity-dend:
 * song_data/ (one song per file), log_data/ (one file of events per day) and log_json_path.json,
 * with the real files' shapes and quirks, plus generator.json (its options, for --days-after; see
 * extend-dataset.ts). Same options, same bytes, on any machine.
 */

export interface GeneratorOptions {
  readonly seed?: number;
  /** Song files (one song each). */
  readonly songs?: number;
  /** Distinct artist ids (default: songs * 0.65). */
  readonly artists?: number;
  /** Identified users (default: events / 50). */
  readonly users?: number;
  /** Total log events (all pages), spread over `days`. */
  readonly events?: number;
  /** One log file per day, starting 2018-11-01 (UTC). */
  readonly days?: number;
  /** Share of NextSong plays whose (song title, artist name) exist in the catalog. */
  readonly matchRate?: number;
}

export interface GeneratedSummary {
  readonly songFiles: number;
  /** Distinct artist ids. */
  readonly artists: number;
  readonly eventFiles: number;
  readonly events: number;
  readonly nextSongEvents: number;
  /** Distinct userIds in the logs: fewer than requested only when there are fewer sessions than users. */
  readonly users: number;
  /** Total size of every file written. */
  readonly bytes: number;
}

/** What `generate --days-after` wrote. */
export interface ExtendedSummary {
  /** YYYY-MM-DD (UTC) of the first and last day written. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly eventFiles: number;
  readonly events: number;
  readonly nextSongEvents: number;
  /** Distinct userIds in the new days. */
  readonly users: number;
  /** Size of the day files written (generator.json not counted). */
  readonly bytes: number;
}

export interface GeneratorProgress {
  /** 'checked': song files compared with the catalog, before `--days-after` writes. */
  readonly phase: 'songs' | 'events' | 'checked';
  readonly done: number;
  readonly total: number;
}

/** The options that produce the project's bundled sample/ (small enough to commit). */
export const SAMPLE_OPTIONS: Required<GeneratorOptions> = {
  seed: 42,
  songs: 300,
  artists: 195,
  users: 60,
  events: 3000,
  days: 30,
  matchRate: 0.15,
};

/** 00:00 UTC of every dataset's first day, 2018-11-01. */
const PERIOD_START_MS = Date.UTC(2018, 10, 1);

/**
 * The largest dataset the generator makes, per option. What it holds in memory grows with the
 * songs (the catalog, about 1.3 KB a song) and the users (about 0.7 KB each), not with the events,
 * which are written as they are made (about 15 bytes each of session plan stay in memory). Measured
 * on Node 20: 200,000 songs peaked at 358 MB, 1,000,000 users at 819 MB, 3,000,000 events at
 * 277 MB. So every option at its maximum stays under about 1 GB, and writes about 4.8 GB (the
 * events, about 474 bytes each, are most of it). The real bucket is 14,896 songs, 8,056 events.
 */
export const GENERATOR_LIMITS = {
  songs: { max: 250_000, why: 'the song catalog is kept in memory, about 1.3 KB a song' },
  artists: { max: 250_000, why: 'at most one artist per song' },
  users: { max: 250_000, why: 'the users are kept in memory, about 0.7 KB each' },
  events: { max: 10_000_000, why: 'about 474 bytes of log each: 4.7 GB of files at the maximum' },
  days: { max: 3660, why: 'up to ten years keeps every timestamp and file name within the formats used here' },
} as const satisfies Record<string, { readonly max: number; readonly why: string }>;

export type SizeOption = keyof typeof GENERATOR_LIMITS;

/** Bytes of output per song file and per event, measured on generated data (the real size: 7.8 MB). */
const BYTES_PER_SONG = 279;
const BYTES_PER_EVENT = 474;

/** The size of `events` events of log: what `--days-after` writes. */
export function estimateEventBytes(events: number): number {
  return events * BYTES_PER_EVENT;
}

/** The output's size before it is written: within a few percent of what generateDataset writes. */
export function estimateBytes(options: GeneratorOptions = {}): number {
  const resolved = resolveOptions(options);
  return resolved.songs * BYTES_PER_SONG + resolved.events * BYTES_PER_EVENT + jsonPathsText().length;
}

/** Why `value` is not a size for `name`, or undefined when it is one (a whole number from 1 to the limit). */
export function sizeProblem(name: SizeOption, value: number, songs?: number): string | undefined {
  const { max, why } = allowed(name, songs);
  if (Number.isInteger(value) && value >= 1 && value <= max) return undefined;
  return `${name} must be a whole number from 1 to ${max.toLocaleString('en-US')} (${why}), got ${value}`;
}

/** The largest value of a size option, and why: artists are also bounded by the songs. */
export function allowed(name: SizeOption, songs?: number): { readonly max: number; readonly why: string } {
  if (name === 'artists' && songs !== undefined && songs < GENERATOR_LIMITS.artists.max) {
    return { max: songs, why: `no more artists than songs, ${songs.toLocaleString('en-US')}` };
  }
  return GENERATOR_LIMITS[name];
}

function count(name: SizeOption, value: number, songs?: number): number {
  const problem = sizeProblem(name, value, songs);
  if (problem) throw new RangeError(`generator option ${problem}`);
  return value;
}

/** Fills in defaults and rejects impossible values with a message naming the option. */
export function resolveOptions(options: GeneratorOptions = {}): Required<GeneratorOptions> {
  const seed = options.seed ?? SAMPLE_OPTIONS.seed;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`generator option seed must be a safe integer, got ${seed}`);
  const songs = count('songs', options.songs ?? SAMPLE_OPTIONS.songs);
  const artists = count('artists', options.artists ?? Math.max(1, Math.round(songs * 0.65)), songs);
  const events = count('events', options.events ?? SAMPLE_OPTIONS.events);
  const users = count('users', options.users ?? Math.min(GENERATOR_LIMITS.users.max, Math.max(1, Math.round(events / 50))));
  const days = count('days', options.days ?? 30);
  const matchRate = options.matchRate ?? 0.1;
  if (!(matchRate >= 0 && matchRate <= 1)) {
    throw new RangeError(`generator option matchRate must be between 0 and 1, got ${matchRate}`);
  }
  return { seed, songs, artists, users, events, days, matchRate };
}

async function assertEmptyFolder(outDir: string): Promise<void> {
  const entries: readonly string[] = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  // Stale files from another run would silently mix into the dataset.
  if (entries.length === 0) return;
  const extend = entries.includes(STATE_FILE) ? `, or add days to the dataset in it with --days-after N` : '';
  throw new Error(`${outDir} is not empty: generate into a new or empty folder${extend}`);
}

export async function generateDataset(
  outDir: string,
  options?: GeneratorOptions,
  onProgress?: (p: GeneratorProgress) => void,
): Promise<GeneratedSummary> {
  const resolved = resolveOptions(options);
  await assertEmptyFolder(outDir);
  await mkdir(outDir, { recursive: true });

  const catalog = buildCatalog(resolved.songs, resolved.artists, new Rng(resolved.seed, 1));
  const songBytes = await writeSongFiles(outDir, catalog.songs, (done) =>
    onProgress?.({ phase: 'songs', done, total: catalog.songs.length }),
  );
  const jsonPaths = jsonPathsText();
  await writeFile(path.join(outDir, 'log_json_path.json'), jsonPaths);
  const log = await writeEventLog(outDir, { ...resolved, periodStartMs: PERIOD_START_MS }, catalog, (done) =>
    onProgress?.({ phase: 'events', done, total: resolved.events }),
  );
  // Last, so a folder whose generation stopped midway has no generator.json and cannot be extended.
  const period = periodRecord(PERIOD_START_MS, resolved.days, log.events, 1, log.lastSessionId);
  const stateBytes = await writeState(outDir, nextState(resolved, null, period, catalog.songs.length, log.flipped));
  return {
    songFiles: catalog.songs.length,
    artists: catalog.artistCount,
    eventFiles: log.files,
    events: log.events,
    nextSongEvents: log.nextSongEvents,
    users: log.users,
    bytes: songBytes + jsonPaths.length + log.bytes + stateBytes,
  };
}
