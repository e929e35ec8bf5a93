import { afterAll, beforeAll, expect, it } from 'vitest';
import { engineResult, formatRows, toJson } from '../../local/format-table';
import { toPostgres } from '../../local/dialect-bridge';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { resolveQuery } from '../../local/analyst-queries';
import { startRehearsalServer, type RehearsalServer } from '../../tools/rehearsal/server';
import { openLoadedTestEngine, type TestEngine } from '../support/engine';
import { contractAccount, SECRET_ARN } from '../tools/rehearsal/local-server';
import { runCli } from '../support/cli';

// `sparkify query --cluster` goes through the Data API: here the rehearsal's local one, reached the
// way the real one is, through the SDK's AWS_ENDPOINT_URL_REDSHIFT_DATA.
const files = readSqlFiles();
let db: TestEngine;
let server: RehearsalServer;
const saved = { ...process.env };

beforeAll(async () => {
  db = await openLoadedTestEngine();
  server = await startRehearsalServer({ engine: db.engine, account: contractAccount(), buckets: {} });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_REDSHIFT_DATA: server.url,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});

afterAll(async () => {
  process.env = saved;
  await server.close();
  await db.dispose();
});

const sparkify = runCli;

// Every type the report reads: BIGINT, DECIMAL(p, 1) percentages, DATE, TIMESTAMP, NULL, text.
it.each([
  'most_active_users',
  'level_share',
  'daily_plays',
  'headline',
  'plays_by_weekday',
  'most_played_artists',
  'recent_loads',
  'data_quality',
])('runs %s on the deployed warehouse and prints what the offline one prints, byte for byte', async (name) => {
  const deployed = (...flags: string[]) =>
    sparkify('query', name, '--cluster', 'contract-wh', '--database', 'warehouse', '--secret-arn', SECRET_ARN, ...flags);
  const { code, out, err } = await deployed('--json');
  expect(err).toBe('');
  expect(code).toBe(0);
  // What `sparkify query` prints offline, through the same functions, from the engine behind the Data API.
  const offline = engineResult(await db.engine.queryArrays(toPostgres(resolveQuery(files, name).sql)));
  expect(out).toBe(toJson(offline));
  expect((await deployed()).out).toBe(formatRows(offline));
  expect((JSON.parse(out) as unknown[]).length).toBeGreaterThan(0);
});

// Issue 13: analysts need no password. On a cluster the CLI signs in as the read-only analyst with
// temporary credentials; the database's own privileges then decide what runs.
it('queries a cluster without a secret, as the read-only analyst: DROP and staging are refused by permissions', async () => {
  const asAnalyst = (sql: string) => sparkify('query', sql, '--cluster', 'contract-wh', '--database', 'warehouse', '--json');
  const counted = await asAnalyst('SELECT COUNT(*) AS plays FROM songplays');
  expect(counted.err).toBe('');
  expect(JSON.parse(counted.out)).toEqual([{ plays: expect.any(Number) }]);
  const dropped = await asAnalyst('DROP TABLE songplays');
  expect(dropped.code).toBe(1);
  expect(dropped.err).toMatch(/must be owner of table songplays|permission denied/);
  const staging = await asAnalyst('SELECT COUNT(*) FROM staging_events');
  expect(staging.code).toBe(1);
  expect(staging.err).toMatch(/permission denied for table staging_events/);
  expect((await asAnalyst('SELECT COUNT(*) AS plays FROM songplays')).out).toBe(counted.out);
});

it('refuses --db-user on Serverless, where the IAM identity signs in', async () => {
  const { code, err } = await sparkify('query', 'daily_plays', '--workgroup', 'contract-wg', '--db-user', 'someone');
  expect(code).toBe(1);
  expect(err).toContain('--db-user is for a cluster: on Serverless your IAM identity signs in (no database user)');
});

it("carries the database's message", async () => {
  const { code, err } = await sparkify(
    'query',
    'SELECT nope FROM songplays',
    '--cluster',
    'contract-wh',
    '--database',
    'warehouse',
    '--secret-arn',
    SECRET_ARN,
  );
  expect(code).toBe(1);
  expect(err).toMatch(/column "nope" does not exist/);
});
