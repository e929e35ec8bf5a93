import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST_ROLE, ANALYST_USER, LOADER_USER } from '../../lib/rules/database-identities';
import { runCli } from '../support/cli';
import { cloneLoadedSample } from '../support/engine';

// Issue #13 item 1 offline: `sparkify query` runs as the analyst (read-only, no staging), `--write`
// as the loader (the product's tables, nothing more); neither can change who it runs as.
let workDir: string;
let db: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-identities-cli-'));
  db = path.join(workDir, 'db');
  await cloneLoadedSample(db);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('sparkify query offline', () => {
  it('runs as the analyst user', async () => {
    const { code, out } = await runCli('query', 'SELECT CURRENT_USER AS who', '--db', db, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([{ who: ANALYST_USER }]);
  });

  it('reads the star tables, load_history and schema_changes', async () => {
    for (const table of ['songplays', 'time', 'load_history', 'schema_changes']) {
      expect((await runCli('query', `SELECT COUNT(*) AS n FROM ${table}`, '--db', db)).code).toBe(0);
    }
  });

  it('refuses a staging table with permission denied, naming the role that ran it', async () => {
    const { code, err } = await runCli('query', 'SELECT COUNT(*) FROM staging_events', '--db', db);
    expect(code).toBe(1);
    expect(err).toContain(`error: permission denied for table staging_events: sparkify query ran as ${ANALYST_USER} (role ${ANALYST_ROLE}`);
  });

  it("answers the catalog views with the rows of the tables the analyst may read, where SVV_TABLE_INFO failed on staging's", async () => {
    const json = async (sql: string) => {
      const { code, out, err } = await runCli('query', sql, '--db', db, '--json');
      expect(err, sql).toBe('');
      expect(code, sql).toBe(0);
      return JSON.parse(out) as Record<string, unknown>[];
    };
    const tables = await json('SELECT "table", tbl_rows FROM svv_table_info ORDER BY "table"');
    expect(tables.map((row) => row.table)).toEqual(['artists', 'load_history', 'songplays', 'songs', 'time', 'users']);
    const [songplays] = await json('SELECT COUNT(*) AS n FROM songplays');
    expect(tables.find((row) => row.table === 'songplays')?.tbl_rows).toBe(songplays?.n);
    // The loader, who may read staging, sees it too.
    const loader = await runCli(
      'query',
      `SELECT "table" FROM svv_table_info WHERE "table" LIKE 'staging%' ORDER BY 1`,
      '--db',
      db,
      '--write',
      '--json',
    );
    expect(JSON.parse(loader.out)).toEqual([{ table: 'staging_events' }, { table: 'staging_songs' }]);
    for (const view of ['pg_table_def', 'pg_class_info', 'svv_relation_privileges', 'svv_roles']) {
      expect((await json(`SELECT COUNT(*) AS n FROM ${view}`))[0]?.n, view).toBeGreaterThan(0);
    }
  });

  it('refuses a DROP without --write, with the --write sentence', async () => {
    const { code, err } = await runCli('query', 'DROP TABLE songplays', '--db', db);
    expect(code).toBe(1);
    expect(err).toContain('pass --write');
    expect((await runCli('query', 'SELECT COUNT(*) FROM songplays', '--db', db)).code).toBe(0);
  });

  it('refuses SQL that changes who the session is', async () => {
    for (const sql of [
      'SET ROLE postgres',
      'RESET ROLE',
      'SET SESSION AUTHORIZATION postgres',
      "SELECT set_config('role', 'postgres', false)",
    ]) {
      const { code, err } = await runCli('query', sql, '--db', db, '--write');
      expect(code, sql).toBe(1);
      expect(err, sql).toMatch(/changes who the session is/);
    }
  });

  it('--write runs as the loader: it may change the product tables, not create users or read what is not the product', async () => {
    const who = await runCli('query', 'SELECT CURRENT_USER AS who', '--db', db, '--write', '--json');
    expect(JSON.parse(who.out)).toEqual([{ who: LOADER_USER }]);
    expect((await runCli('query', "DELETE FROM songplays WHERE songplay_id = 'none'", '--db', db, '--write')).code).toBe(0);
    const user = await runCli('query', 'CREATE USER intruder PASSWORD DISABLE', '--db', db, '--write');
    expect(user.code).toBe(1);
    expect(user.err).toMatch(/permission denied to create role: sparkify query ran as sparkify_loader_user/);
    const superuser = await runCli('query', 'CREATE USER intruder PASSWORD DISABLE CREATEUSER', '--db', db, '--write');
    expect(superuser.code).toBe(1);
    expect(superuser.err).toMatch(/CREATEUSER/);
    // The loader owns songplays, so it may drop it (the next load creates it again).
    expect((await runCli('query', 'DROP TABLE songplays', '--db', db, '--write')).code).toBe(0);
    expect((await runCli('load', '--db', db, '--no-queries')).code).toBe(0);
    expect((await runCli('query', 'SELECT COUNT(*) FROM songplays', '--db', db)).code).toBe(0);
  });
});
