import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { LoadFailedError, runOfflineLoad } from '../../local/offline-executor';
import { GATE_MANIFEST_FILE } from '../../lib/plan/gate-manifest';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { LOADED_TABLES, STAR_TABLES } from '../../lib/rules/tables';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { openTestEngine, type TestEngine } from '../support/engine';

// SPEC §4: every gate exists for a kind of broken load. Each test feeds a gate that broken load,
// made from a mart or source that breaks one rule, and sees the load fail AT THAT GATE with the
// failing rows while the previous load stays whole. Loosening a gate's SQL fails one of these.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let good: string;

type Row = Record<string, unknown>;
type StarTable = (typeof STAR_TABLES)[number];

async function load(loadId: string, options: { files?: SqlFiles; bucket?: string } = {}) {
  const sql = options.files ?? files;
  const plan = buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, sql, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: options.bucket ?? good } });
}

async function rows<T = Row>(sql: string): Promise<T[]> {
  return (await db.engine.query<T>(sql)).rows;
}

const TABLES = LOADED_TABLES;

async function snapshot(): Promise<Row[][]> {
  return Promise.all(TABLES.map((t) => rows(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4, 5`)));
}

/** Runs a load that must fail at `gate`; checks the previous load is intact and the failure recorded. */
async function failsAtGate(gate: string, loadId: string, options: { files?: SqlFiles; bucket?: string }): Promise<LoadFailedError> {
  const before = await snapshot();
  const error = await load(loadId, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LoadFailedError);
  const failed = error as LoadFailedError;
  expect({ step: failed.step.name, reason: failed.reason }).toMatchObject({
    step: `gate.${gate}`,
    reason: expect.stringMatching(new RegExp(`^quality gate gate\\.${gate} failed: \\d+ failing rows$`)),
  });
  expect(await snapshot()).toEqual(before);
  const history = await rows<{ outcome: string; error: string }>(
    `SELECT outcome, error FROM load_history WHERE load_id = '${loadId}' ORDER BY load_seq`,
  );
  expect(history).toEqual([{ outcome: 'failed', error: `gate.${gate}: ${failed.reason}` }]);
  return failed;
}

function failingCount(error: LoadFailedError): number {
  return Number(/: (\d+) failing rows$/.exec(error.reason)?.[1]);
}

const COUNT_COLUMNS = new Set(['copies', 'records_read', 'rows_in_table', 'nulls']);

/** Counts as numbers: a server returns BIGINT as text, PGlite as a number. */
function normalised(failing: readonly Row[] | undefined): Row[] {
  return (failing ?? []).map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, COUNT_COLUMNS.has(k) && v !== null ? Number(v) : v])),
  );
}

/** The plan's SQL with one file replaced. */
function withFile(file: string, sql: string): SqlFiles {
  const changed = new Map(files);
  changed.set(file, sql);
  return changed;
}

/**
 * A mart rewritten around its own query: `INSERT INTO t (cols) <query>` becomes
 * `INSERT INTO t (cols) <wrap(query as derived table q with those column names, cols)>`.
 */
function martAround(table: StarTable, wrap: (derived: (alias: string) => string, columns: string[]) => string): SqlFiles {
  const file = `marts/${table}.sql`;
  const text = (files.get(file) as string).replace(/;\s*$/, '');
  const head = new RegExp(`INSERT INTO ${table} \\(([^)]*)\\)\\s*`).exec(text);
  if (!head) throw new Error(`${file} does not start with INSERT INTO ${table} (...)`);
  const columns = (head[1] as string).split(',').map((c) => c.trim());
  const query = text.slice(head.index + head[0].length);
  const derived = (alias: string) => `(${query}) AS ${alias} (${columns.join(', ')})`;
  return withFile(file, `${text.slice(0, head.index)}INSERT INTO ${table} (${columns.join(', ')})\n${wrap(derived, columns)};`);
}

/** A copy of the good source with every event rewritten by `edit` (undefined drops it). */
async function eventsVariant(name: string, edit: (event: Row) => Row | undefined): Promise<string> {
  const bucket = path.join(workDir, name);
  await cp(good, bucket, { recursive: true });
  const dir = path.join(bucket, 'log_data/2018/11');
  for (const file of await readdir(dir)) {
    const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n').filter((line) => line.trim());
    const kept = lines.map((line) => edit(JSON.parse(line) as Row)).filter((event): event is Row => event !== undefined);
    await writeFile(path.join(dir, file), kept.map((event) => JSON.stringify(event)).join('\n'));
  }
  return bucket;
}

/** A copy of the good source with every song file rewritten by `edit`. */
async function songsVariant(name: string, edit: (song: Row) => Row): Promise<string> {
  const bucket = path.join(workDir, name);
  await cp(good, bucket, { recursive: true });
  const entries = await readdir(path.join(bucket, 'song_data'), { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    await writeFile(file, JSON.stringify(edit(JSON.parse(await readFile(file, 'utf8')) as Row)));
  }
  return bucket;
}

const KEYS: Record<StarTable, string> = {
  songplays: 'songplay_id',
  users: 'user_id',
  songs: 'song_id',
  artists: 'artist_id',
  time: 'start_time',
};

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-gates-'));
  good = path.join(workDir, 'good');
  await generateDataset(good, { seed: 5, songs: 80, users: 12, events: 900, days: 4, matchRate: 0.4 });
  await load('good-1');
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('gate keys_not_null_and_unique', () => {
  it.each(STAR_TABLES)('fails a load whose %s mart writes a key twice and a NULL key, listing both', async (table) => {
    const key = KEYS[table];
    // The smallest key, as the gate prints it (CAST AS VARCHAR on this engine).
    const [smallest] = await rows<{ key_value: string }>(`SELECT CAST(MIN(${key}) AS VARCHAR) AS key_value FROM ${table}`);
    const broken = martAround(table, (derived, columns) =>
      [
        `SELECT * FROM ${derived('q')}`,
        `UNION ALL (SELECT * FROM ${derived('d')} ORDER BY 1 LIMIT 1)`,
        `UNION ALL (SELECT NULL, ${columns.slice(1).join(', ')} FROM ${derived('n')} LIMIT 1)`,
      ].join('\n'),
    );
    const error = await failsAtGate('keys_not_null_and_unique', `dup-${table}`, { files: broken });
    const failing = normalised(error.details.failingRows).sort((a, b) => Number(a['key_value'] === null) - Number(b['key_value'] === null));
    expect(failing).toEqual([
      { table_name: table, key_value: smallest?.key_value, copies: 2 },
      { table_name: table, key_value: null, copies: 1 },
    ]);
  });
});

describe('gate songplays_references_resolve', () => {
  // Each case breaks one mart so that the plays of one key (the smallest the plays use) find no
  // row in the dimension: those plays are the failing rows, with the key they miss.
  const selectAll = (columns: string[], replace: Record<string, string>) =>
    columns.map((column) => replace[column] ?? `q.${column}`).join(', ');
  const cases: { dimension: StarTable; column: string; broken: (key: string) => SqlFiles; missing: (key: string) => string }[] = [
    {
      // The users mart writes that user under another id.
      dimension: 'users',
      column: 'user_id',
      broken: (key) => martAround('users', (derived, columns) =>
        `SELECT ${selectAll(columns, { user_id: `CASE WHEN q.user_id = ${key} THEN -q.user_id ELSE q.user_id END` })} FROM ${derived('q')}`),
      missing: (key) => key,
    },
    {
      // The songplays mart spells that song's id in lower case (songs come from the same rows, so
      // only a broken fact can miss one).
      dimension: 'songs',
      column: 'song_id',
      broken: (key) => martAround('songplays', (derived, columns) =>
        `SELECT ${selectAll(columns, { song_id: `CASE WHEN q.song_id = '${key}' THEN LOWER(q.song_id) ELSE q.song_id END` })} FROM ${derived('q')}`),
      missing: (key) => key.toLowerCase(),
    },
    {
      // The artists mart drops that artist.
      dimension: 'artists',
      column: 'artist_id',
      broken: (key) => martAround('artists', (derived) => `SELECT * FROM ${derived('q')} WHERE q.artist_id <> '${key}'`),
      missing: (key) => key,
    },
    {
      // The time mart drops the first play's time.
      dimension: 'time',
      column: 'start_time',
      broken: () => martAround('time', (derived) => `SELECT * FROM ${derived('q')} WHERE q.start_time > (SELECT MIN(start_time) FROM songplays)`),
      missing: (key) => key,
    },
  ];
  it.each(cases)('fails a load whose $dimension lack a key that plays use, listing those plays', async ({ dimension, column, broken, missing }) => {
    const [smallest] = await rows<{ key: string }>(`SELECT CAST(MIN(${column}) AS VARCHAR) AS key FROM songplays`);
    const key = smallest?.key as string;
    const plays = await rows<{ songplay_id: string }>(
      `SELECT songplay_id FROM songplays WHERE CAST(${column} AS VARCHAR) = '${key}' ORDER BY 1`,
    );
    expect(plays.length).toBeGreaterThan(0);
    const error = await failsAtGate('songplays_references_resolve', `orphan-${dimension}`, { files: broken(key) });
    expect(failingCount(error)).toBe(plays.length);
    const failing = normalised(error.details.failingRows);
    expect(failing.length).toBe(Math.min(plays.length, 20));
    for (const row of failing) expect(row).toEqual({ dimension, songplay_id: expect.any(String), missing_key: missing(key) });
    expect(plays.map((p) => p.songplay_id)).toEqual(expect.arrayContaining(failing.map((row) => row['songplay_id'])));
  });

  it('passes a logged-out play (empty userId): it loads as a play with user_id NULL', async () => {
    let loggedOut = 0;
    const bucket = await eventsVariant('logged-out-plays', (event) => {
      if (event['page'] !== 'NextSong' || loggedOut >= 3) return event;
      loggedOut += 1;
      return { ...event, userId: '', firstName: null, lastName: null, gender: null, registration: null, auth: 'Logged Out' };
    });
    const report = await load('logged-out-1', { bucket });
    expect(report.outcome).toBe('succeeded');
    const [counts] = await rows<{ plays: number | string; anonymous: number | string }>(
      'SELECT COUNT(*) AS plays, COUNT(*) - COUNT(user_id) AS anonymous FROM songplays',
    );
    const events = (await rows<{ n: number | string }>("SELECT COUNT(*) AS n FROM staging_events WHERE page = 'NextSong'"))[0];
    expect({ plays: Number(counts?.plays), anonymous: Number(counts?.anonymous) }).toEqual({ plays: Number(events?.n), anonymous: 3 });
    // Put the good load back for the tests that follow.
    await load('good-2');
  });
});

describe('gate columns_not_null (generated only when the manifest asks for a not-null column no other gate checks)', () => {
  it('fails a load whose users mart writes a NULL level once the manifest says level is not null, counting the NULLs', async () => {
    const manifest = JSON.parse(files.get(GATE_MANIFEST_FILE) as string) as { tables: Record<string, object> };
    manifest.tables['users'] = { ...manifest.tables['users'], not_null: ['level'] };
    const [smallest] = await rows<{ user_id: number }>('SELECT MIN(user_id) AS user_id FROM users');
    const broken = new Map(
      martAround('users', (derived, columns) =>
        [
          `SELECT ${columns.map((c) => (c === 'level' ? `CASE WHEN q.user_id = ${smallest?.user_id} THEN NULL ELSE q.level END` : `q.${c}`)).join(', ')}`,
          `FROM ${derived('q')}`,
        ].join('\n'),
      ),
    ).set(GATE_MANIFEST_FILE, JSON.stringify(manifest));
    const error = await failsAtGate('columns_not_null', 'null-level-1', { files: broken });
    expect(normalised(error.details.failingRows)).toEqual([{ table_name: 'users', column_name: 'level', nulls: 1 }]);
  });
});

describe('gate staging_rows_match_records_read', () => {
  it('fails a load whose clear step left the previous staging_songs in place, with both counts', async () => {
    const [songs] = await rows<{ n: number | string }>('SELECT COUNT(*) AS n FROM staging_songs');
    const n = Number(songs?.n);
    const clear = files.get('common/clear_table.sql') as string;
    const broken = withFile('common/clear_table.sql', clear.replace(/;\s*$/, '') + " WHERE '{{ table }}' <> 'staging_songs';");
    const error = await failsAtGate('staging_rows_match_records_read', 'stale-staging-1', { files: broken });
    expect(normalised(error.details.failingRows)).toEqual([{ table_name: 'staging_songs', records_read: n, rows_in_table: 2 * n }]);
  });

  it('fails a load whose COPY count was never recorded', async () => {
    const [events] = await rows<{ n: number | string }>('SELECT COUNT(*) AS n FROM staging_events');
    const broken = withFile('history/staging_events_read.sql', (files.get('history/staging_events_read.sql') as string).replace(/SET\s+staging_events_read = pg_last_copy_count\(\)/, 'SET staging_events_read = NULL'));
    const error = await failsAtGate('staging_rows_match_records_read', 'unrecorded-1', { files: broken });
    expect(normalised(error.details.failingRows)).toEqual([{ table_name: 'staging_events', records_read: null, rows_in_table: Number(events?.n) }]);
  });
});

describe('gate star_tables_not_empty', () => {
  const emptyTables = async (error: LoadFailedError) => normalised(error.details.failingRows).map((row) => row['table_name']).sort();

  it('fails a load whose songs mart writes nothing', async () => {
    const broken = martAround('songs', (derived) => `SELECT * FROM ${derived('q')} WHERE 1 = 0`);
    expect(await emptyTables(await failsAtGate('star_tables_not_empty', 'no-songs-1', { files: broken }))).toEqual(['songs']);
  });

  it('fails a load from a source without a single play', async () => {
    const bucket = await eventsVariant('no-plays', (event) => (event['page'] === 'NextSong' ? { ...event, page: 'Home' } : event));
    expect(await emptyTables(await failsAtGate('star_tables_not_empty', 'no-plays-1', { bucket }))).toEqual(['songplays', 'time']);
  });

  it('fails a load from a source where every event is logged out', async () => {
    const bucket = await eventsVariant('all-logged-out', (event) => ({ ...event, userId: '' }));
    expect(await emptyTables(await failsAtGate('star_tables_not_empty', 'no-users-1', { bucket }))).toEqual(['users']);
  });

  it('fails a load from song files without an artist_id', async () => {
    const bucket = await songsVariant('no-artist-ids', (song) => ({ ...song, artist_id: null }));
    expect(await emptyTables(await failsAtGate('star_tables_not_empty', 'no-artists-1', { bucket }))).toEqual(['artists']);
  });
});
