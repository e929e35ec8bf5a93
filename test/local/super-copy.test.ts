import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../local/copy/copy-command';
import { runCopy } from '../../local/copy/copy-runner';
import { POSTGRES_PRELUDE, toPostgres } from '../../local/dialect-bridge';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { openTestEngine, type TestEngine } from '../support/engine';
import { BucketFixture } from './copy/bucket-fixture';

/**
 * COPY into a SUPER column (https://docs.aws.amazon.com/redshift/latest/dg/ingest-super.html):
 * FORMAT JSON 'noshred' keeps each event whole in one SUPER column, which the analyst then queries
 * with PartiQL navigation, as on a cluster; FORMAT JSON 'auto' fills a SUPER column with the
 * member's value, nested objects and arrays included. On the real-shaped sample of the log bucket.
 */
const SAMPLE = path.resolve('sample');
const DAY = 'log_data/2018/11/2018-11-30-events.json';
const events = readFileSync(path.join(SAMPLE, DAY), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

let db: TestEngine;
const fixture = new BucketFixture();
beforeAll(async () => {
  await loadRedshiftGate();
  db = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
});
afterAll(async () => {
  await db.dispose();
  await fixture.dispose();
});

async function copy(sql: string, bucket: string) {
  expect(checkRedshiftSql(sql, 'copy.sql')).toEqual([]);
  const command = parseCopy(sql);
  if (!command) throw new Error(`not a COPY: ${sql}`);
  return runCopy(db.engine, command, { buckets: { 'udacity-dend': bucket } });
}

async function run(redshift: string): Promise<unknown[][]> {
  expect(checkRedshiftSql(redshift, 'q.sql')).toEqual([]);
  return (await db.engine.queryArrays(toPostgres(redshift))).rows;
}

describe("COPY ... FORMAT JSON 'noshred' into a SUPER column", () => {
  it('parses the noshred argument', () => {
    expect(parseCopy("COPY raw_events FROM 's3://b/p' FORMAT AS JSON 'NoShred'")?.format).toEqual({ kind: 'noshred' });
  });

  beforeAll(async () => {
    await db.engine.exec(toPostgres('CREATE TABLE raw_events (payload SUPER)'));
    const result = await copy(
      `COPY raw_events FROM 's3://udacity-dend/${DAY.replace(/\.json$/, '')}' IAM_ROLE default FORMAT JSON 'noshred'`,
      SAMPLE,
    );
    expect(result.rowsLoaded).toBe(events.length);
  });

  it('keeps each event whole, each number as the file wrote it', async () => {
    const [first] = events;
    const [[payload]] = (await run('SELECT payload FROM raw_events WHERE payload.ts = 1543542292796')) as [[string]];
    expect(JSON.parse(payload)).toEqual(first);
    expect(payload).toContain('"registration":1540548281796.0');
  });

  it("prints each event as the file wrote it: attributes in the file's order, strings escaped only where JSON must", async () => {
    const lines = readFileSync(path.join(SAMPLE, DAY), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const printed = ((await run('SELECT payload FROM raw_events')) as [string][]).map(([payload]) => payload);
    // The file escapes "/" as "\\/" and some letters as \u00e9, which a re-serialized SUPER string does not.
    const reescaped = (line: string) => line.replace(/"(?:[^"\\]|\\.)*"/g, (string) => JSON.stringify(JSON.parse(string)));
    expect(printed.sort()).toEqual(lines.map(reescaped).sort());
    expect(printed[0]).toMatch(/^\{"artist":.*,"auth":.*,"firstName":.*"userAgent":.*,"userId":"\d+"\}$/);
  });

  it('navigates into the events: page counts, NextSong plays, casts', async () => {
    const nextSong = events.filter((event) => event.page === 'NextSong').length;
    expect(await run(`SELECT count(*) FROM raw_events e WHERE e.payload.page = 'NextSong'`)).toEqual([[nextSong]]);
    const byPage = new Map<string, number>();
    for (const event of events) byPage.set(JSON.stringify(event.page), (byPage.get(JSON.stringify(event.page)) ?? 0) + 1);
    expect(await run('SELECT e.payload.page, count(*) FROM raw_events e GROUP BY 1 ORDER BY 2 DESC, 1')).toEqual(
      [...byPage].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([page, count]) => [page, count]),
    );
    expect(
      await run(
        `SELECT e.payload.song::varchar, e.payload.length::decimal(10,5), e.payload.ts::bigint FROM raw_events e WHERE e.payload.ts = 1543542292796`,
      ),
    ).toEqual([['Sailor', '209.48411', 1543542292796]]);
  });

  it('reads the camelCase members only with enable_case_sensitive_super_attribute on (super-configurations.html)', async () => {
    const sql = `SELECT e.payload.userId::varchar, e.payload.sessionId::integer FROM raw_events e WHERE e.payload.ts = 1543542292796`;
    expect(await run(sql)).toEqual([[null, null]]);
    await db.engine.exec(toPostgres('SET enable_case_sensitive_super_attribute TO true'));
    expect(await run(sql)).toEqual([['14', 252]]);
    await db.engine.exec(toPostgres('RESET enable_case_sensitive_super_attribute'));
  });

  it('refuses a table that is not a single SUPER column', async () => {
    await db.engine.exec(toPostgres('CREATE TABLE two_columns (payload SUPER, note VARCHAR(10))'));
    await expect(copy(`COPY two_columns FROM 's3://udacity-dend/${DAY}' IAM_ROLE default FORMAT JSON 'noshred'`, SAMPLE)).rejects.toThrow(
      /'noshred' loads each JSON document into one SUPER column/,
    );
  });
});

describe("COPY ... FORMAT JSON 'auto' with a SUPER column", () => {
  it('loads the member as SUPER: nested objects, arrays, strings and numbers', async () => {
    const bucket = await fixture.bucket({
      'nested/part-0.json':
        '{"r_regionkey": 1, "r_name": "AMERICA", "r_nations": [{"n_nationkey": 1, "n_name": "ARGENTINA"}], "r_comment": "hs use"}',
    });
    await db.engine.exec(
      toPostgres('CREATE TABLE region_nations (r_regionkey smallint, r_name varchar, r_comment varchar, r_nations super)'),
    );
    await copy(`COPY region_nations FROM 's3://udacity-dend/nested' IAM_ROLE default FORMAT JSON 'auto'`, bucket);
    // ingest-super.html: "SELECT r_regionkey,r_name,r_comment,r_nations[0].n_nationkey FROM region_nations"
    expect(await run('SELECT r_regionkey,r_name,r_comment,r_nations[0].n_nationkey FROM region_nations ORDER BY 1,2,3 LIMIT 1')).toEqual([
      [1, 'AMERICA', 'hs use', '1'],
    ]);
    // The member's object keeps the file's attribute order, as on a cluster.
    expect(await run('SELECT r_nations FROM region_nations')).toEqual([['[{"n_nationkey":1,"n_name":"ARGENTINA"}]']]);
  });
});
