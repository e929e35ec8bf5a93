import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCatalog } from './catalog';
import { writeEventLog } from './event-log';
import { jsonPathsText } from './jsonpaths';
import { Rng } from './prng';
import { writeSongFiles } from './song-files';

/**
 * A deterministic, seeded generator of Sparkify source data laid out like s3://udacity-dend:
 * song_data/ (one song per file), log_data/ (one file of events per day) and log_json_path.json,
 * with the real files' shapes and quirks. Same options, same bytes, on any machine.
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

export interface GeneratorProgress {
  readonly phase: 'songs' | 'events';
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

const PERIOD_START_MS = Date.UTC(2018, 10, 1);

function count(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`generator option ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Fills in defaults and rejects impossible values with a message naming the option. */
export function resolveOptions(options: GeneratorOptions = {}): Required<GeneratorOptions> {
  const seed = options.seed ?? SAMPLE_OPTIONS.seed;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`generator option seed must be a safe integer, got ${seed}`);
  const songs = count('songs', options.songs ?? SAMPLE_OPTIONS.songs, 1);
  const artists = count('artists', options.artists ?? Math.max(1, Math.round(songs * 0.65)), 1, songs);
  const events = count('events', options.events ?? SAMPLE_OPTIONS.events, 0);
  const users = count('users', options.users ?? Math.max(1, Math.round(events / 50)), 1);
  // Up to ten years keeps every timestamp and file name within the formats used here.
  const days = count('days', options.days ?? 30, 1, 3660);
  const matchRate = options.matchRate ?? 0.1;
  if (!(matchRate >= 0 && matchRate <= 1)) {
    throw new RangeError(`generator option matchRate must be between 0 and 1, got ${matchRate}`);
  }
  return { seed, songs, artists, users, events, days, matchRate };
}

async function assertEmptyFolder(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  // Stale files from another run would silently mix into the dataset.
  if (entries.length > 0) throw new Error(`${outDir} is not empty: generate into a new or empty folder`);
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
  return {
    songFiles: catalog.songs.length,
    artists: catalog.artistCount,
    eventFiles: log.files,
    events: log.events,
    nextSongEvents: log.nextSongEvents,
    users: log.users,
    bytes: songBytes + jsonPaths.length + log.bytes,
  };
}
