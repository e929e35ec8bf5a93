import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { LoadFailedError, runOfflineLoad } from '../../local/offline-executor';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { openTestEngine, type TestEngine } from '../support/engine';
import { REFUSED } from '../support/redshift-cases';

// SPEC §7 and issue 12: a construct Redshift refuses, injected into a mart file, fails the load
// before anything is loaded, naming the construct, the file and the line.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let bucket: string;

async function load(loadId: string, sql: SqlFiles) {
  const plan = buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, sql, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket } });
}

async function snapshot() {
  const tables = ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time', 'load_history'];
  return Promise.all(tables.map(async (t) => (await db.engine.query(`SELECT * FROM ${t} ORDER BY 1, 2, 3`)).rows));
}

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-gate-'));
  bucket = path.join(workDir, 'bucket');
  await generateDataset(bucket, { seed: 5, songs: 60, users: 10, events: 400, days: 2, matchRate: 0.3 });
  await load('good-1', files);
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('the load refuses SQL Redshift would refuse', () => {
  it.each(REFUSED)('$name in sql/marts/users.sql: refused before loading', async ({ sql, line, construct }) => {
    const before = await snapshot();
    const error = await load('refused-1', new Map(files).set('marts/users.sql', sql)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadFailedError);
    const failed = error as LoadFailedError;
    expect(failed.step.name).toBe('mart.users');
    expect(failed.message).toMatch(new RegExp(`sql/marts/users\\.sql:${line}:\\d+: [^\\n]*${construct.source}`));
    expect(failed.message).toMatch(/Nothing was loaded: the warehouse still holds the previous load/);
    expect(failed.details.refusals?.length).toBeGreaterThan(0);
    // Nothing ran: the tables and load_history (no failure row either) are as they were.
    expect(await snapshot()).toEqual(before);
  });

  it.each(['track', 'incremental'] as const)('refuses it too when the load lists its sources (%s): the plan of the decided mode is checked', async (sources) => {
    const before = await snapshot();
    const refused = new Map(files).set('marts/users.sql', REFUSED[0]!.sql);
    const plan = buildLoadPlan(refused, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: `refused-${sources}` });
    const error = await runOfflineLoad(db.engine, refused, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket }, sources }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadFailedError);
    expect((error as LoadFailedError).step.name).toBe('mart.users');
    expect((error as LoadFailedError).details.refusals?.length).toBeGreaterThan(0);
    expect((error as Error).message).toMatch(/Nothing was loaded: the warehouse still holds the previous load/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a schema edit naming a SORTKEY column the table does not have', async () => {
    const edited = (files.get('schema/songplays.sql') ?? '').replace('SORTKEY (start_time)', 'SORTKEY (played_at)');
    const error = await load('refused-2', new Map(files).set('schema/songplays.sql', edited)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/sql\/schema\/songplays\.sql:\d+:\d+: SORTKEY naming played_at, which is not a column/);
  });

  it.each([
    [
      'an explicit value for an IDENTITY(seed, step) column',
      "INSERT INTO load_history (load_seq, load_id, fingerprint, started_at, outcome)\nVALUES (7, 'x', 'f', GETDATE(), 'ok');",
      /sql\/marts\/users\.sql:2:27: INSERT of an explicit value into load_history\.load_seq, an IDENTITY\(seed, step\) column is not Redshift SQL/,
    ],
    [
      "ALTER COLUMN inside the load's transaction",
      'ALTER TABLE users ALTER COLUMN level TYPE VARCHAR(20);',
      /sql\/marts\/users\.sql:2:1: ALTER TABLE users ALTER COLUMN level TYPE cannot run inside the load's transaction \(Redshift's documentation: "You can't alter columns within a transaction block \(BEGIN \.\.\. END\)\."\)/,
    ],
    ['VACUUM', 'VACUUM users;', /sql\/marts\/users\.sql:2:1: not supported offline: VACUUM \(Redshift runs it; keep it out of the load plan/],
  ])('refuses %s across the plan before loading', async (_name, sql, message) => {
    const before = await snapshot();
    const error = await load('refused-3', new Map(files).set('marts/users.sql', `-- injected\n${sql}\n${files.get('marts/users.sql') ?? ''}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadFailedError);
    expect((error as LoadFailedError).message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('still loads the plan as it is', async () => {
    await expect(load('good-2', files)).resolves.toMatchObject({ outcome: 'succeeded' });
  });
});
