import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPrelude } from '../../local/prelude';
import { openTestEngine, type TestEngine } from '../support/engine';

/**
 * The prelude is installed once per database and version of it: a load on a warehouse that holds
 * this very prelude skips it; one whose prelude differs (an upgrade of sparkify) runs it again.
 */
let db: TestEngine;
beforeAll(async () => {
  db = await openTestEngine();
});
afterAll(async () => db.dispose());

async function mark(): Promise<string | null> {
  const { rows } = await db.engine.query<{ mark: string | null }>(
    "SELECT obj_description('sparkify_twin'::regnamespace, 'pg_namespace') AS mark",
  );
  return rows[0]?.mark ?? null;
}

async function jsonParseExists(): Promise<boolean> {
  const { rows } = await db.engine.query<{ found: boolean }>("SELECT to_regprocedure('public.json_parse(text)') IS NOT NULL AS found");
  return rows[0]?.found === true;
}

describe('installPrelude', () => {
  it('installs into a new database and marks it with the prelude’s hash and the server’s version', async () => {
    expect(await installPrelude(db.engine)).toBe(true);
    expect(await mark()).toMatch(/^sparkify prelude sha256:[0-9a-f]{64} on PostgreSQL \d+$/);
    expect(await jsonParseExists()).toBe(true);
  });

  it('skips a database that holds this prelude, and still sets the session’s time zone', async () => {
    await db.engine.exec("SET TIME ZONE 'America/New_York'");
    expect(await installPrelude(db.engine)).toBe(false);
    const { rows } = await db.engine.query<{ zone: string }>("SELECT current_setting('TimeZone') AS zone");
    expect(rows[0]?.zone).toBe('UTC');
  });

  it('runs again where the mark differs (another prelude, another server version), restoring its objects', async () => {
    const current = await mark();
    await db.engine.exec(`DROP FUNCTION public.json_parse(text);
      COMMENT ON SCHEMA sparkify_twin IS 'sparkify prelude sha256:${'0'.repeat(64)} on PostgreSQL 150000'`);
    expect(await installPrelude(db.engine)).toBe(true);
    expect(await jsonParseExists()).toBe(true);
    expect(await mark()).toBe(current);
  });

  it('installs all of it with its mark or nothing, so the next load runs it again', async () => {
    // The last part, the catalog views, fails: public.pg_table_def is a table now.
    await db.engine.exec(`COMMENT ON SCHEMA sparkify_twin IS 'stale'; DROP FUNCTION public.json_parse(text);
      DROP VIEW public.pg_table_def CASCADE; CREATE TABLE public.pg_table_def (x integer)`);
    await expect(installPrelude(db.engine)).rejects.toThrow(/"pg_table_def" is not a view/);
    expect(await jsonParseExists()).toBe(false);
    expect(await mark()).toBe('stale');
    await db.engine.exec('DROP TABLE public.pg_table_def');
    expect(await installPrelude(db.engine)).toBe(true);
    expect(await jsonParseExists()).toBe(true);
  });

  it('refuses in a read-only session, as a reader’s is (local/warehouse.ts), leaving the mark', async () => {
    await db.engine.exec("COMMENT ON SCHEMA sparkify_twin IS 'stale'");
    await db.engine.exec('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    await expect(installPrelude(db.engine)).rejects.toThrow(/read-only transaction/);
    await db.engine.exec('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE');
    expect(await mark()).toBe('stale');
    expect(await installPrelude(db.engine)).toBe(true);
  });
});
