import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { buildLoadPlan, type LoadMode } from '../../lib/plan/load-plan';
import { FULL_RELOAD_FIX } from '../../lib/plan/source-diff';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { LoadFailedError, RELOADED_TABLES, rewrittenTables, runOfflineLoad, type LoadReport } from '../../local/offline-executor';
import type { SqlEngine } from '../../local/engine';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { openTestEngine, type TestEngine } from '../support/engine';

// SPEC §4 and issue 15: after any sequence of incremental loads the tables equal, row for row, a
// full load of the same files; a changed file is reported, never skipped.
const files = readSqlFiles();
const LOGS = 'log_data/2018/11';
let workDir: string;
let dataset: string;
let days: string[];
const engines: TestEngine[] = [];

async function engine(): Promise<SqlEngine> {
  const opened = await openTestEngine();
  engines.push(opened);
  return opened.engine;
}

let sequence = 0;
function load(db: SqlEngine, source: string, sources: 'track' | 'incremental', sql: SqlFiles = files): Promise<LoadReport> {
  const loadId = `${sources}-${++sequence}`;
  const plan = buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db, sql, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: source }, sources, vacuum: false });
}

/** A source folder with the dataset's song files and jsonpaths, and the given days' log files. */
async function sourceWith(name: string, dayFiles: readonly string[]): Promise<string> {
  const folder = path.join(workDir, name);
  await cp(dataset, folder, { recursive: true, filter: (from) => !from.includes(`${path.sep}log_data`) });
  await addDays(folder, dayFiles);
  return folder;
}

async function addDays(folder: string, dayFiles: readonly string[]): Promise<void> {
  await mkdir(path.join(folder, LOGS), { recursive: true });
  for (const day of dayFiles) await cp(path.join(dataset, LOGS, day), path.join(folder, LOGS, day));
}

/** Every row a user or the next incremental load can see, load ids left out (they name the load, not the data). */
const COMPARED: Record<string, string> = {
  songplays: 'songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent',
  users: 'user_id, first_name, last_name, gender, level',
  songs: 'song_id, title, artist_id, year, duration',
  artists: 'artist_id, name, location, latitude, longitude',
  time: 'start_time, hour, day, week, month, year, weekday',
  user_latest_event: 'user_id, ts, session_id, item_in_session, level, first_name, last_name, gender',
  source_files: 'kind, key, size, etag',
};

async function tables(db: SqlEngine): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, columns] of Object.entries(COMPARED)) {
    out[table] = (await db.query(`SELECT ${columns} FROM ${table} ORDER BY ${columns}`)).rows;
  }
  return out;
}

async function historyRows(db: SqlEngine): Promise<number> {
  return Number((await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM load_history')).rows[0]?.n);
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-incremental-'));
  dataset = path.join(workDir, 'dataset');
  await generateDataset(dataset, { seed: 7, songs: 150, users: 25, events: 2000, days: 10, matchRate: 0.4 });
  days = (await readdir(path.join(dataset, LOGS))).sort();
  expect(days).toHaveLength(10);
});

afterAll(async () => {
  for (const opened of engines) await opened.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('incremental loads', () => {
  let full: Record<string, unknown[]>;
  let fullDb: SqlEngine;

  beforeAll(async () => {
    fullDb = await engine();
    const report = await load(fullDb, await sourceWith('all-days', days), 'track');
    expect(report.mode).toBe('full');
    full = await tables(fullDb);
    expect(full.songplays?.length).toBeGreaterThan(1000);
    expect(full.source_files).toHaveLength(150 + 10 + 1);
  });

  it('day by day from a first day, equal a full load of all days row for row', async () => {
    const db = await engine();
    const source = await sourceWith('day-by-day', days.slice(0, 1));
    expect((await load(db, source, 'incremental')).decision).toEqual({ kind: 'full', reason: 'no earlier load succeeded' });
    for (const day of days.slice(1)) {
      await addDays(source, [day]);
      const report = await load(db, source, 'incremental');
      expect(report.mode).toBe('incremental');
      expect(report.decision).toMatchObject({ kind: 'incremental', newEvents: [{ kind: 'events', key: `${LOGS}/${day}` }] });
      // Only the new day is staged and COPYed; songs and artists are not touched.
      expect(report.steps.map((s) => s.step.name)).not.toContain('mart.songs');
      expect(report.rows.staging_events).toBeLessThan(full.songplays!.length);
    }
    expect(await tables(db)).toEqual(full);
  });

  it('several new days at once, after a full load of the first seven, equal a full load', async () => {
    const db = await engine();
    const source = await sourceWith('catch-up', days.slice(0, 7));
    await load(db, source, 'track');
    await addDays(source, days.slice(7));
    const report = await load(db, source, 'incremental');
    expect(report.decision).toMatchObject({ kind: 'incremental' });
    expect(report.decision?.kind === 'incremental' && report.decision.newEvents.map((o) => o.key)).toEqual(
      days.slice(7).map((day) => `${LOGS}/${day}`),
    );
    expect(await tables(db)).toEqual(full);
  });

  it('earlier days arriving late (a backfill) keep each user as of their latest event, equal to a full load', async () => {
    const db = await engine();
    const source = await sourceWith('backfill', days.slice(5));
    await load(db, source, 'track');
    for (const day of days.slice(0, 5).reverse()) {
      await addDays(source, [day]);
      expect((await load(db, source, 'incremental')).mode).toBe('incremental');
    }
    expect(await tables(db)).toEqual(full);
  });

  it('VACUUMs what a load rewrote: every table after a full load, only what an incremental one deletes or updates', () => {
    const plan = (mode?: LoadMode) =>
      buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'l', ...(mode ? { mode } : {}) });
    expect(rewrittenTables(plan().steps).sort()).toEqual([...RELOADED_TABLES].sort());
    const incremental = plan({ kind: 'incremental', manifestUri: 's3://bucket-x/loads/l/events.manifest', filesUri: 's3://bucket-x/loads/l/files.jsonl' });
    expect(rewrittenTables(incremental.steps).sort()).toEqual(['load_history', 'staging_events', 'user_latest_event', 'users']);
  });

  it('runs nothing and records nothing when no log file is new', async () => {
    const before = await historyRows(fullDb);
    const report = await load(fullDb, path.join(workDir, 'all-days'), 'incremental');
    expect(report.mode).toBe('nothing-new');
    expect(report.steps).toEqual([]);
    expect(report.rows.songplays).toBe(full.songplays!.length);
    expect(await historyRows(fullDb)).toBe(before);
  });

  it('reports a loaded log file that changed, names it and its sizes, loads nothing, and a full reload fixes it', async () => {
    const db = await engine();
    const source = await sourceWith('changed', days);
    await load(db, source, 'track');
    const before = await tables(db);
    const changed = path.join(source, LOGS, days[3]!);
    const lines = (await readFile(changed, 'utf8')).trimEnd().split('\n');
    await writeFile(changed, `${lines.slice(0, -1).join('\n')}\n`);
    await addDays(source, []);
    const error = await load(db, source, 'incremental').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadFailedError);
    const message = (error as LoadFailedError).message;
    expect(message).toContain(`1 log file changed since it was loaded`);
    expect(message).toMatch(new RegExp(`${LOGS}/${days[3]}: now size \\d+, etag "[0-9a-f]{32}" \\(was size \\d+, etag "[0-9a-f]{32}", loaded by track-\\d+\\)`));
    expect(message).toContain(FULL_RELOAD_FIX);
    expect(message).toContain('Nothing was loaded: the warehouse still holds the previous load.');
    expect(await tables(db)).toEqual(before);
    const failed = await db.query<{ outcome: string; error: string }>("SELECT outcome, error FROM load_history WHERE outcome = 'failed'");
    expect(failed.rows[0]?.error).toContain(`${LOGS}/${days[3]}: now size`);

    const gone = path.join(source, LOGS, days[3]!);
    await rm(gone);
    await expect(load(db, source, 'incremental')).rejects.toThrow(new RegExp(`${LOGS}/${days[3]}: gone \\(was size`));

    const reload = await load(db, source, 'track');
    expect(reload.mode).toBe('full');
    expect((await tables(db)).songplays!.length).toBeLessThan(full.songplays!.length);
  });

  it('escalates to a full load when a song file is added, and still equals a full load', async () => {
    const db = await engine();
    const source = await sourceWith('new-song', days.slice(0, 9));
    await load(db, source, 'track');
    await addDays(source, days.slice(9));
    const extra = path.join(source, 'song_data/Z/Z/Z/TRZZZZZ.json');
    await mkdir(path.dirname(extra), { recursive: true });
    await writeFile(
      extra,
      JSON.stringify({ song_id: 'SOZZZZZ', num_songs: 1, title: 'Extra', artist_id: 'ARZZZZZ', artist_name: 'Nobody', duration: 100, year: 0 }),
    );
    const report = await load(db, source, 'incremental');
    expect(report.decision).toEqual({
      kind: 'full',
      reason: '1 song file new, changed or gone since it was loaded (first: song_data/Z/Z/Z/TRZZZZZ.json); songs and artists are rebuilt',
    });
    const all = await tables(db);
    expect(all.songs).toHaveLength(full.songs!.length + 1);
    expect(all.songplays).toEqual(full.songplays);
    expect(all.users).toEqual(full.users);
  });

  it('escalates to a full load when the SQL changed, and when the last load tracked nothing', async () => {
    const db = await engine();
    const source = await sourceWith('escalations', days.slice(0, 8));
    await load(db, source, 'track');
    await addDays(source, days.slice(8, 9));
    const edited = new Map(files).set('marts/time.sql', `${files.get('marts/time.sql')}\n-- edited`);
    const changed = await load(db, source, 'incremental', edited);
    expect(changed.decision).toMatchObject({ kind: 'full', reason: expect.stringMatching(/^the SQL or settings changed since load track-\d+ \(fingerprint/) });

    const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'untracked-1' });
    await runOfflineLoad(db, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: source }, vacuum: false });
    expect((await db.query('SELECT * FROM source_files')).rows).toEqual([]);
    await addDays(source, days.slice(9));
    const untracked = await load(db, source, 'incremental');
    expect(untracked.decision).toEqual({ kind: 'full', reason: 'load untracked-1 tracked no source files' });
    expect(await tables(db)).toEqual(full);
  });

  it('fails the unique-key gate, as a full load does, when a loaded day comes back under a new key', async () => {
    const db = await engine();
    const source = await sourceWith('duplicate', days);
    await load(db, source, 'track');
    await cp(path.join(source, LOGS, days[2]!), path.join(source, LOGS, `copy-of-${days[2]}`));
    await expect(load(db, source, 'incremental')).rejects.toThrow(/gate\.keys_not_null_and_unique/);
    await expect(load(db, source, 'track')).rejects.toThrow(/gate\.keys_not_null_and_unique/);
    expect(await tables(db)).toEqual(full);
  });
});
