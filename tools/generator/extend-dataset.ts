import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { buildCatalog, type Catalog, type CatalogSong } from './catalog';
import {
  dayStartMs,
  dayString,
  type DatasetState,
  DatasetStateError,
  nextState,
  periodRecord,
  readState,
  writeState,
} from './dataset-state';
import { logFileKey } from './day-files';
import { firstPeriodListeners, playPoolSize, writeLogPeriod } from './event-log';
import { estimateEventBytes, type ExtendedSummary, GENERATOR_LIMITS, type GeneratorProgress, resolveOptions } from './generate-dataset';
import { formatBytes } from './progress';
import { type Listener, scheduleLevelChanges } from './listeners';
import { PlayPicker } from './plays';
import { periodRng, Rng } from './prng';
import { songFilePath, songFileText } from './song-files';

/**
 * `generate --days-after`: later days for a dataset already written, from its generator.json.
 * Same catalog (stream 1) and users (stream 3, levels as they stand), new days only. The new
 * period's sessions, plays and level changes come from streams seeded by (seed, stream, first new
 * day): the same commands in the same order give the same bytes, but 5 days added at once differ
 * from 2 then 3 (each period plans its own sessions).
 */

export interface ExtendRequest {
  readonly daysAfter: number;
  /** Default: the dataset's average events per day so far. */
  readonly eventsPerDay?: number;
}

export interface ExtensionPlan {
  readonly outDir: string;
  readonly state: DatasetState;
  readonly days: number;
  readonly eventsPerDay: number;
  readonly events: number;
  /** Index of the first new day (0 = the dataset's first day): seeds the period's streams. */
  readonly firstDayIndex: number;
  readonly startMs: number;
  readonly firstDay: string;
  readonly lastDay: string;
  /** Bucket keys of the day files it will write, in order. */
  readonly files: readonly string[];
}

const DAY_MS = 86400000;
const PARALLEL_READS = 64;
const PROGRESS_EVERY = 1000;

export class ExtendError extends Error {}

const count = (n: number): string => n.toLocaleString('en-US');

/** Reads generator.json and checks the request against it, before any song file is read or any day written. */
export async function planExtension(outDir: string, request: ExtendRequest): Promise<ExtensionPlan> {
  const state = await readState(outDir);
  const days = checkDays(request.daysAfter, state);
  const eventsPerDay = request.eventsPerDay ?? Math.max(1, Math.round(state.eventsSoFar / state.daysSoFar));
  const events = checkEvents(days, eventsPerDay, request.eventsPerDay !== undefined);
  const firstDayIndex = state.daysSoFar;
  const startMs = dayStartMs(state.firstDay) + firstDayIndex * DAY_MS;
  const files = Array.from({ length: days }, (_, d) => logFileKey(startMs + d * DAY_MS));
  await refuseExisting(outDir, files, state);
  const lastDay = dayString(startMs + (days - 1) * DAY_MS);
  return { outDir, state, days, eventsPerDay, events, firstDayIndex, startMs, firstDay: dayString(startMs), lastDay, files };
}

function checkDays(daysAfter: number, state: DatasetState): number {
  const { max, why } = GENERATOR_LIMITS.days;
  const room = max - state.daysSoFar;
  if (Number.isInteger(daysAfter) && daysAfter >= 1 && daysAfter <= room) return daysAfter;
  const has = `the dataset has ${count(state.daysSoFar)} days and holds at most ${count(max)} (${why})`;
  if (room < 1) throw new ExtendError(`--days-after ${daysAfter}: ${has}; no day can be added`);
  throw new ExtendError(`--days-after ${daysAfter}: ${has}; use a whole number from 1 to ${count(room)}`);
}

function checkEvents(days: number, eventsPerDay: number, given: boolean): number {
  const { max, why } = GENERATOR_LIMITS.events;
  if (!(Number.isInteger(eventsPerDay) && eventsPerDay >= 1 && eventsPerDay <= max)) {
    throw new ExtendError(`--events-per-day ${eventsPerDay}: use a whole number from 1 to ${count(max)} (${why})`);
  }
  const events = days * eventsPerDay;
  if (events <= max) return events;
  const rate = given ? `--events-per-day ${count(eventsPerDay)}` : `the dataset's ${count(eventsPerDay)} events a day`;
  throw new ExtendError(
    `--days-after ${days} at ${rate} makes ${count(events)} events; one run writes at most ${count(max)} (${why}): add fewer days at a time or lower --events-per-day`,
  );
}

async function refuseExisting(outDir: string, files: readonly string[], state: DatasetState): Promise<void> {
  for (const key of files) {
    const found = await stat(path.join(outDir, key)).then(
      () => true,
      () => false,
    );
    if (!found) continue;
    throw new ExtendError(
      `${path.join(outDir, key)} exists already and is never overwritten: generator.json says the dataset ends on ${state.lastDay}, ` +
        `so new days start on ${dayString(dayStartMs(state.lastDay) + DAY_MS)}; remove the later day files (left by an interrupted run?) or generate into a new folder`,
    );
  }
}

/** Checks the song files, then writes the new days and, only after them, the new generator.json. */
export async function extendDataset(plan: ExtensionPlan, onProgress?: (p: GeneratorProgress) => void): Promise<ExtendedSummary> {
  const { state, outDir } = plan;
  const options = resolvedOptions(state);
  const catalog = buildCatalog(options.songs, options.artists, new Rng(options.seed, 1));
  const problem = await songFilesProblem(outDir, catalog, (done) => onProgress?.({ phase: 'checked', done, total: catalog.songs.length }));
  if (problem) {
    throw new ExtendError(
      `${path.join(outDir, 'song_data')}: ${problem}, so the song files are not what generator.json's options make ` +
        `(seed ${options.seed}, ${count(options.songs)} songs, ${count(options.artists)} artists); ` +
        `--days-after only extends an unchanged dataset: restore the song files, or generate a new dataset with 'npx sparkify generate --out NEWDIR'`,
    );
  }
  const listeners = currentListeners(state);
  scheduleLevelChanges(listeners, plan.days * 86400, periodRng(options.seed, 3, plan.firstDayIndex));
  const picker = new PlayPicker(
    catalog,
    playPoolSize(options.events, options.matchRate),
    options.matchRate,
    new Rng(options.seed, 4),
    periodRng(options.seed, 4, plan.firstDayIndex),
  );
  const log = await writeLogPeriod(
    outDir,
    {
      startMs: plan.startMs,
      days: plan.days,
      events: plan.events,
      firstSessionId: state.lastSessionId + 1,
      listeners,
      plays: picker,
      sessionRng: periodRng(options.seed, 5, plan.firstDayIndex),
      everyUserOnce: false,
    },
    (done) => onProgress?.({ phase: 'events', done, total: plan.events }),
  );
  const period = periodRecord(plan.startMs, plan.days, log.events, state.lastSessionId + 1, log.lastSessionId);
  const flipped = new Set(log.flipped);
  const before = new Set(state.levelChanged);
  const levelChanged = listeners.filter((l) => before.has(l.userId) !== flipped.has(l.userId)).map((l) => l.userId);
  await writeState(outDir, nextState(state.options, state, period, state.songFiles, levelChanged));
  return {
    firstDay: plan.firstDay,
    lastDay: plan.lastDay,
    eventFiles: log.files,
    events: log.events,
    nextSongEvents: log.nextSongEvents,
    users: log.users,
    bytes: log.bytes,
  };
}

function resolvedOptions(state: DatasetState): ReturnType<typeof resolveOptions> {
  try {
    return resolveOptions(state.options);
  } catch (error) {
    throw new DatasetStateError(`generator.json: ${(error as Error).message}`);
  }
}

/** The users as they stand after the days so far: the first period's, with the levels they changed. */
function currentListeners(state: DatasetState): Listener[] {
  const { options } = state;
  const listeners = firstPeriodListeners({ ...options, periodStartMs: dayStartMs(state.firstDay) });
  const ids = new Set(listeners.map((listener) => listener.userId));
  const unknown = state.levelChanged.find((id) => !ids.has(id));
  if (unknown !== undefined)
    throw new DatasetStateError(`generator.json: levelChanged names user ${unknown}, not one of the dataset's users`);
  const changed = new Set(state.levelChanged);
  for (const listener of listeners) {
    if (changed.has(listener.userId)) listener.level = listener.level === 'free' ? 'paid' : 'free';
  }
  return listeners;
}

/** Every song_data/ key under `outDir`, sorted. */
async function songKeys(outDir: string): Promise<string[]> {
  const root = path.join(outDir, 'song_data');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(outDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The first way the song files differ from the catalog's (missing, extra or changed file), or undefined. */
export async function songFilesProblem(outDir: string, catalog: Catalog, onChecked?: (done: number) => void): Promise<string | undefined> {
  const expected = new Map<string, CatalogSong>(catalog.songs.map((song) => [songFilePath(song), song]));
  const wanted = [...expected.keys()].sort();
  const found = await songKeys(outDir);
  const foundSet = new Set(found);
  const missing = wanted.find((key) => !foundSet.has(key));
  const extra = found.find((key) => !expected.has(key));
  if (missing !== undefined || extra !== undefined) {
    const first = [missing, extra].filter((key): key is string => key !== undefined).sort()[0];
    const what = first === missing ? `${first} is missing` : `${first} is not one of its songs`;
    return `${count(found.length)} song files where ${count(wanted.length)} are expected; ${what}`;
  }
  // Every file compared, in key order, a batch at a time: the first one that differs is named.
  for (let start = 0; start < wanted.length; start += PARALLEL_READS) {
    const batch = wanted.slice(start, start + PARALLEL_READS);
    const texts = await Promise.all(batch.map((key) => readFile(path.join(outDir, key), 'latin1')));
    const index = batch.findIndex((key, i) => {
      const song = expected.get(key);
      return !song || texts[i] !== songFileText(song);
    });
    if (index >= 0) return `${batch[index] ?? ''} differs`;
    const done = start + batch.length;
    if (done % PROGRESS_EVERY < PARALLEL_READS || done === wanted.length) onChecked?.(done);
  }
  return undefined;
}

const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
const span = (first: string, last: string): string => (first === last ? first : `${first} to ${last}`);

/** What `generate --days-after` prints before it starts. */
export function extensionHeadline(plan: ExtensionPlan): string {
  return (
    `Adding ${plural(plan.days, 'day')} (${span(plan.firstDay, plan.lastDay)}) of ${plural(plan.eventsPerDay, 'event')} each to ${path.resolve(plan.outDir)}, ` +
    `with the songs and users of its generator.json: about ${formatBytes(estimateEventBytes(plan.events))}, ` +
    `after checking its ${plural(plan.state.songFiles, 'song file')}`
  );
}

/** What it prints when done: the days, the files and where. */
export function extensionDoneLine(plan: ExtensionPlan, summary: ExtendedSummary, elapsed: string): string {
  const files = span(plan.files[0] ?? '', plan.files.at(-1) ?? '');
  return (
    `Added ${span(summary.firstDay, summary.lastDay)} to ${path.resolve(plan.outDir)} in ${elapsed}: ${plural(summary.eventFiles, 'day file')}, ${files}; ` +
    `generator.json now ends on ${summary.lastDay} (${plural(plan.state.daysSoFar + plan.days, 'day')})`
  );
}
