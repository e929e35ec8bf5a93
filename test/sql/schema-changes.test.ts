import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { PlanError } from '../../lib/plan/bind';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { LoadFailedError, runOfflineLoad } from '../../local/offline-executor';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { SCHEMA_EDITS, applyEdit } from '../../tools/rehearsal/schema-edit';
import { openTestEngine, type TestEngine } from '../support/engine';

// Issue #12 item 3: a change to a table's DDL in sql/ reloads cleanly, rebuilt in the load's
// transaction and reported; what the product does not own is never touched.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let bucket: string;
const analyst = `analyst_${randomUUID().slice(0, 8)}`;

function edited(edits: Readonly<Record<string, (text: string) => string>>): SqlFiles {
  return applyEdit(files, edits);
}

async function load(loadId: string, sql: SqlFiles = files) {
  const plan = buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, sql, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket }, vacuum: false });
}

async function rows(sql: string) {
  return (await db.engine.query<Record<string, unknown>>(sql)).rows;
}

async function counts() {
  const tables = ['songplays', 'users', 'songs', 'artists', 'time'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await rows(`SELECT count(*)::int AS n FROM ${t}`))[0]?.n])));
}

/** songs with a genre column, filled by its mart (the rehearsal deploys it too). */
const withGenre = SCHEMA_EDITS.addColumn;

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-schema-'));
  bucket = path.join(workDir, 'bucket');
  await generateDataset(bucket, { seed: 12, songs: 120, users: 20, events: 1500, days: 5, matchRate: 0.3 });
  const first = await load('first');
  expect(first.schemaChanges).toEqual([]);
  // A user the product does not manage, with a grant the rebuild must keep.
  await db.engine.exec(`CREATE ROLE ${analyst} LOGIN; GRANT SELECT ON songs TO ${analyst}`);
});

afterAll(async () => {
  await db.engine.exec(`DROP OWNED BY ${analyst}; DROP ROLE IF EXISTS ${analyst}`).catch(() => undefined);
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('a schema change in sql/ reloads cleanly', () => {
  it('reloads an unchanged schema without rebuilding anything', async () => {
    const report = await load('unchanged');
    expect(report.schemaChanges).toEqual([]);
  });

  it('adds a column to a star table and to the mart that fills it, keeping the grants', async () => {
    const before = await counts();
    const report = await load('genre', edited(withGenre));
    expect(report.schemaChanges).toEqual([
      { table: 'songplays', changes: ['rebuilt with songs, which its FOREIGN KEY references'] },
      { table: 'songs', changes: ['column genre character varying(64) added'] },
    ]);
    expect(await counts()).toEqual(before);
    expect(await rows("SELECT genre, count(*)::int AS n FROM songs GROUP BY genre ORDER BY genre")).toEqual([
      { genre: 'dated', n: expect.any(Number) },
      { genre: 'undated', n: expect.any(Number) },
    ]);
    expect(await rows(`SELECT privilege_type, identity_type FROM svv_relation_privileges WHERE relation_name = 'songs' AND identity_name = '${analyst}'`)).toEqual([
      { privilege_type: 'SELECT', identity_type: 'user' },
    ]);
    expect(await rows("SELECT table_name, change FROM schema_changes WHERE load_id = 'genre' ORDER BY table_name")).toEqual([
      { table_name: 'songplays', change: 'rebuilt with songs, which its FOREIGN KEY references' },
      { table_name: 'songs', change: 'column genre character varying(64) added' },
    ]);
    // The physical design reads as on a cluster.
    expect(await rows("SELECT \"column\", type, distkey, sortkey FROM pg_table_def WHERE tablename = 'songs' ORDER BY sortkey DESC, \"column\" LIMIT 2")).toEqual([
      { column: 'song_id', type: 'character varying(32)', distkey: false, sortkey: 1 },
      { column: 'artist_id', type: 'character varying(32)', distkey: false, sortkey: 0 },
    ]);
    // Loading the same SQL again is no change.
    expect((await load('genre-again', edited(withGenre))).schemaChanges).toEqual([]);
  });

  it('changes a column type, then a sort key, each reported', async () => {
    const wider = SCHEMA_EDITS.changeType;
    const typed = await load('wider-level', edited({ ...withGenre, ...wider }));
    expect(typed.schemaChanges).toEqual([
      { table: 'songplays', changes: ['rebuilt with users, which its FOREIGN KEY references'] },
      { table: 'users', changes: ['column level type character varying(16) -> character varying(32)'] },
    ]);
    expect(await rows("SELECT type FROM pg_table_def WHERE tablename = 'users' AND \"column\" = 'level'")).toEqual([{ type: 'character varying(32)' }]);

    const sorted = SCHEMA_EDITS.changeSortKey;
    const resorted = await load('time-sortkey', edited({ ...withGenre, ...wider, ...sorted }));
    expect(resorted.schemaChanges).toEqual([
      { table: 'songplays', changes: ['rebuilt with time, which its FOREIGN KEY references'] },
      { table: 'time', changes: ['SORTKEY (start_time) -> (start_time, hour)'] },
    ]);
    expect(await rows("SELECT \"column\", sortkey FROM pg_table_def WHERE tablename = 'time' AND sortkey <> 0 ORDER BY sortkey")).toEqual([
      { column: 'start_time', sortkey: 1 },
      { column: 'hour', sortkey: 2 },
    ]);
    expect(await rows("SELECT diststyle, sortkey1, sortkey_num FROM svv_table_info WHERE \"table\" = 'time'")).toEqual([
      { diststyle: 'KEY(start_time)', sortkey1: 'start_time', sortkey_num: 2 },
    ]);
    // Back to the project's own SQL: every table reverts, reported the other way round.
    const reverted = await load('reverted');
    expect(reverted.schemaChanges.map((c) => c.table)).toEqual(['songplays', 'time', 'songs', 'users']);
  });

  it('refuses a change to load_history before touching anything', async () => {
    const before = await counts();
    const sql = edited({ 'schema/load_history.sql': (text: string) => text.replace('error VARCHAR(4096)', 'error VARCHAR(8192)') });
    const error = await load('history-change', sql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadFailedError);
    expect((error as Error).message).toContain('load_history keeps the record of every load, so the load never drops it');
    expect((error as Error).message).toContain('column error type character varying(4096) -> character varying(8192)');
    expect((error as Error).message).toContain('Nothing was loaded');
    expect(await counts()).toEqual(before);
    expect(await rows("SELECT count(*)::int AS n FROM load_history WHERE load_id = 'history-change'")).toEqual([{ n: 0 }]);
  });

  it('rolls back when a view the product does not own depends on a table it must rebuild', async () => {
    await db.engine.exec('CREATE VIEW my_songs AS SELECT song_id, title FROM songs');
    try {
      const error = await load('blocked', edited(withGenre)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LoadFailedError);
      expect((error as LoadFailedError).step.name).toBe('schema.drop_changed_tables');
      expect((error as Error).message).toMatch(/cannot drop .* because other objects depend on/);
      expect(await rows("SELECT count(*)::int AS n FROM pg_table_def WHERE tablename = 'songs' AND \"column\" = 'genre'")).toEqual([{ n: 0 }]);
      expect((await rows('SELECT count(*)::int AS n FROM my_songs'))[0]?.n).toBeGreaterThan(0);
    } finally {
      await db.engine.exec('DROP VIEW my_songs');
    }
  });
});

describe('a rebuild too large for one batch', () => {
  it('is refused before anything is touched, as the deploy would refuse it, naming what to do', async () => {
    const before = await counts();
    // Every table the load may rebuild gets a column, and two more privileges are kept on songs.
    const everyTable = Object.fromEntries(
      [...files.keys()]
        .filter((file) => /^schema\/.+\.sql$/.test(file) && !/(load_history|schema_changes|assert_gate)\.sql$/.test(file))
        .map((file) => [file, (text: string) => text.replace(/\n\)/, ',\n  extra_column INTEGER\n)')]),
    );
    await db.engine.exec(`GRANT INSERT, UPDATE ON songs TO ${analyst}`);
    try {
      const error = await load('too-large', edited(everyTable)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LoadFailedError);
      expect((error as Error).message).toMatch(
        /the load has 4\d statements, and a deploy runs it as one BatchExecuteStatement, which takes at most 40 \(9 tables rebuilt, \d+ privileges kept\): rebuild fewer tables at once/,
      );
      expect((error as Error).message).toContain('Nothing was loaded: the warehouse still holds the previous load.');
      expect(await counts()).toEqual(before);
    } finally {
      await db.engine.exec(`REVOKE INSERT, UPDATE ON songs FROM ${analyst}`);
    }
  });
});

describe('files the plan does not run', () => {
  it.each(['marts/genres.sql', 'schema/genres.sql', 'staging/staging_genres.sql'])('refuses sql/%s by name', (file) => {
    const sql = new Map(files).set(file, 'SELECT 1;');
    expect(() => buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'x' })).toThrow(
      new RegExp(`^sql/${file.replace('.', '\\.')} is not part of the load plan`),
    );
    expect(() => buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'x' })).toThrow(PlanError);
  });
});
