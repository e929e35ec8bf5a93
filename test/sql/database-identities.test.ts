import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { ANALYST_ROLE, ANALYST_TABLES, ANALYST_USER, LOADER_ROLE, LOADER_USER } from '../../lib/rules/database-identities';
import { STAGING_TABLES } from '../../lib/rules/tables';
import { runOfflineBootstrap, runOfflineLoad } from '../../local/offline-executor';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { SCHEMA_EDITS, applyEdit } from '../../tools/rehearsal/schema-edit';
import { openEngine } from '../../local/engine';
import { openTestEngine, serverUrl, type TestEngine } from '../support/engine';

// Issue #13 item 1 offline: the bootstrap's roles on the real engine, the load as the loader with
// only what the bootstrap granted, and a read-only analyst that never sees staging.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let bucket: string;

async function load(loadId: string, sql: SqlFiles = files) {
  const plan = buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, sql, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket }, vacuum: false });
}

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await db.engine.query<T>(sql)).rows;
}

/** Runs `sql` as `user` (SET ROLE, as the twin does), then back as the superuser; the error's message, or undefined. */
async function as(user: string, sql: string): Promise<string | undefined> {
  await db.engine.exec(`SET ROLE ${user}`);
  try {
    await db.engine.exec('BEGIN');
    await db.engine.query(sql);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.engine.exec('ROLLBACK');
    await db.engine.exec('RESET ROLE');
  }
}

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-identities-'));
  bucket = path.join(workDir, 'bucket');
  await generateDataset(bucket, { seed: 13, songs: 80, users: 15, events: 800, days: 3, matchRate: 0.3 });
  await load('first');
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('the bootstrap offline', () => {
  it('creates the two roles and the two users, none a superuser, each user with its role', async () => {
    // The users are users (pg_user lists them), with no connection allowed: PASSWORD DISABLE.
    const found = await rows<{ rolname: string; rolsuper: boolean; rolcanlogin: boolean; rolconnlimit: number }>(
      `SELECT rolname, rolsuper, rolcanlogin, rolconnlimit FROM pg_roles WHERE rolname IN ('${LOADER_ROLE}', '${ANALYST_ROLE}', '${LOADER_USER}', '${ANALYST_USER}') ORDER BY rolname`,
    );
    expect(found).toEqual([
      { rolname: ANALYST_ROLE, rolsuper: false, rolcanlogin: false, rolconnlimit: -1 },
      { rolname: ANALYST_USER, rolsuper: false, rolcanlogin: true, rolconnlimit: 0 },
      { rolname: LOADER_ROLE, rolsuper: false, rolcanlogin: false, rolconnlimit: -1 },
      { rolname: LOADER_USER, rolsuper: false, rolcanlogin: true, rolconnlimit: 0 },
    ]);
    // PGlite takes no connections; a server (CI's trusts 127.0.0.1) refuses the users however they authenticate.
    if (serverUrl) {
      for (const user of [LOADER_USER, ANALYST_USER]) {
        const url = new URL(db.target);
        url.username = user;
        url.password = '';
        await expect(openEngine(url.toString())).rejects.toThrow(`too many connections for role "${user}"`);
      }
    }
    const roles = await rows<{ role_name: string }>(`SELECT role_name FROM svv_roles WHERE role_name LIKE 'sparkify%' ORDER BY 1`);
    expect(roles.map((r) => r.role_name)).toEqual([ANALYST_ROLE, LOADER_ROLE]);
    const member = await rows<{ loader: boolean; analyst: boolean; crossed: boolean }>(
      `SELECT pg_has_role('${LOADER_USER}', '${LOADER_ROLE}', 'MEMBER') AS loader, pg_has_role('${ANALYST_USER}', '${ANALYST_ROLE}', 'MEMBER') AS analyst,
              pg_has_role('${ANALYST_USER}', '${LOADER_ROLE}', 'MEMBER') AS crossed`,
    );
    expect(member).toEqual([{ loader: true, analyst: true, crossed: false }]);
  });

  it('is idempotent: a second and third run change nothing and fail nothing', async () => {
    const before = await rows(`SELECT rolname FROM pg_roles ORDER BY 1`);
    await runOfflineBootstrap(db.engine, files);
    await runOfflineBootstrap(db.engine, files);
    expect(await rows(`SELECT rolname FROM pg_roles ORDER BY 1`)).toEqual(before);
    // The procedure that creates users does not stay behind.
    expect(await rows(`SELECT proname FROM pg_proc WHERE proname = 'sparkify_create_identities'`)).toEqual([]);
  });

  it('closes sign-in for users an earlier twin left open', async () => {
    await db.engine.exec(`ALTER ROLE ${LOADER_USER} CONNECTION LIMIT -1; ALTER ROLE ${ANALYST_USER} CONNECTION LIMIT 5`);
    await runOfflineBootstrap(db.engine, files);
    expect(await rows(`SELECT rolname, rolconnlimit FROM pg_roles WHERE rolname IN ('${LOADER_USER}', '${ANALYST_USER}') ORDER BY 1`)).toEqual([
      { rolname: ANALYST_USER, rolconnlimit: 0 },
      { rolname: LOADER_USER, rolconnlimit: 0 },
    ]);
  });

  it('leaves the loader user owning every product table and assert_gate', async () => {
    const owners = await rows<{ owner: string }>(
      `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs', 'load_history', 'schema_changes')`,
    );
    expect(owners).toEqual([{ owner: LOADER_USER }]);
    expect(await rows(`SELECT pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE proname = 'assert_gate'`)).toEqual([{ owner: LOADER_USER }]);
  });

  it("takes TEMP from PUBLIC on the twin's own database, whose name is not the deployed one's", async () => {
    // The plan names sparkify:databaseName (sparkify); the bridge applies it to current_database().
    const [{ name } = { name: '' }] = await rows<{ name: string }>('SELECT current_database() AS name');
    expect(name).not.toBe(DEFAULT_CONFIG.databaseName);
    await runOfflineBootstrap(db.engine, files, 'another_name');
    const temp = await rows<Record<string, boolean>>(
      `SELECT has_database_privilege('public', current_database(), 'TEMP') AS public, has_database_privilege('${ANALYST_USER}', current_database(), 'TEMP') AS analyst, has_database_privilege('${LOADER_USER}', current_database(), 'TEMP') AS loader`,
    );
    expect(temp).toEqual([{ public: false, analyst: false, loader: false }]);
  });

  it('gives ownership of tables an admin created before to the loader user', async () => {
    await db.engine.exec(`ALTER TABLE songs OWNER TO CURRENT_USER`);
    await runOfflineBootstrap(db.engine, files);
    expect(await rows(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'songs'`)).toEqual([{ owner: LOADER_USER }]);
  });
});

describe('the load as the loader', () => {
  it('runs as the loader user, which is not a superuser, and reloads with only what the bootstrap granted', async () => {
    const report = await load('second');
    expect(report.rows.songplays).toBeGreaterThan(0);
    // Everything the load made, it made as the loader: the history row's table and the load's tables.
    expect(await rows(`SELECT outcome FROM load_history WHERE load_id = 'second'`)).toEqual([{ outcome: 'succeeded' }]);
    expect(await rows(`SELECT rolsuper FROM pg_roles WHERE rolname = '${LOADER_USER}'`)).toEqual([{ rolsuper: false }]);
    // And the session is the superuser's again afterwards.
    expect(await rows(`SELECT current_user = session_user AS reset`)).toEqual([{ reset: true }]);
  });

  it('loads without TEMP, which it was not given back: no step of the load creates a temporary table', async () => {
    // Every load of this file (beforeAll's, the reload above) ran after the bootstrap took TEMP from PUBLIC.
    expect(await as(LOADER_USER, 'CREATE TEMP TABLE scratch (a INTEGER)')).toMatch(/permission denied to create temporary tables in database/);
    // The admin (the superuser the twin connects as) still may.
    await db.engine.exec('BEGIN');
    try {
      await db.engine.exec('CREATE TEMP TABLE scratch (a INTEGER)');
    } finally {
      await db.engine.exec('ROLLBACK');
    }
  });

  it('the loader may not create users or roles, nor take the superuser role', async () => {
    expect(await as(LOADER_USER, 'CREATE ROLE intruder')).toMatch(/permission denied/);
    expect(await as(LOADER_USER, 'CREATE USER intruder PASSWORD NULL')).toMatch(/permission denied/);
    expect(await as(LOADER_USER, `GRANT ${LOADER_ROLE} TO ${ANALYST_USER}`)).toMatch(/permission denied|must have admin option/);
  });
});

describe('the analyst', () => {
  it.each(ANALYST_TABLES)('reads %s', async (table) => {
    expect(await as(ANALYST_USER, `SELECT count(*) FROM ${table}`)).toBeUndefined();
  });

  it.each(STAGING_TABLES)('may not read %s', async (table) => {
    expect(await as(ANALYST_USER, `SELECT count(*) FROM ${table}`)).toMatch(/permission denied for table/);
  });

  it('may not drop, insert, delete, update or create', async () => {
    expect(await as(ANALYST_USER, 'DROP TABLE songplays')).toMatch(/must be owner of table songplays/);
    expect(await as(ANALYST_USER, "INSERT INTO users (user_id, level) VALUES (-1, 'free')")).toMatch(/permission denied/);
    expect(await as(ANALYST_USER, 'DELETE FROM songs')).toMatch(/permission denied/);
    expect(await as(ANALYST_USER, "UPDATE users SET level = 'paid'")).toMatch(/permission denied/);
    expect(await as(ANALYST_USER, 'CREATE TABLE mine (a INTEGER)')).toMatch(/permission denied for schema public/);
  });

  it('may not create a temporary table (Redshift grants TEMP to PUBLIC; the bootstrap takes it back)', async () => {
    expect(await as(ANALYST_USER, 'CREATE TEMP TABLE mine (a INTEGER)')).toMatch(/permission denied to create temporary tables in database/);
    expect(await as(ANALYST_USER, 'CREATE TEMPORARY TABLE mine AS SELECT user_id FROM users')).toMatch(
      /permission denied to create temporary tables in database/,
    );
  });

  it('still reads a table the load rebuilt for a schema change, and still not staging', async () => {
    const report = await load('rebuilt', applyEdit(files, SCHEMA_EDITS.addColumn));
    expect(report.schemaChanges.map((c) => c.table)).toContain('songs');
    expect(await as(ANALYST_USER, 'SELECT genre FROM songs')).toBeUndefined();
    expect(await as(ANALYST_USER, 'SELECT count(*) FROM songplays')).toBeUndefined();
    expect(await as(ANALYST_USER, 'SELECT count(*) FROM staging_songs')).toMatch(/permission denied/);
    // The rebuilt table is the loader's too.
    expect(await rows(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'songs'`)).toEqual([{ owner: LOADER_USER }]);
    await load('restored');
  });
});
