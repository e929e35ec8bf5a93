import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { resolveLateralAliases, type CatalogLookup } from '../../local/lateral-aliases';
import { runOfflineLoad } from '../../local/offline-executor';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { runStatement } from '../../tools/rehearsal/run-statement';
import { runCli } from '../support/cli';
import { openLoadedTestEngine, openTestEngine, type TestEngine } from '../support/engine';
import { readSource, type SourceEvent } from '../support/source-files';

// Redshift's lateral column alias references (local/lateral-aliases.ts), run on the engine the
// way the twin runs any statement: the gate, the alias inlining, the dialect bridge.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let events: SourceEvent[];

/** One Redshift statement as the emulated Data API runs it (tools/rehearsal/run-statement.ts). */
async function redshift<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const { result } = await runStatement(db.engine, sql, {});
  return (result?.rows ?? []) as T[];
}

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await db.engine.query<T>(sql)).rows;
}

const plays = () => events.filter((e) => e.page === 'NextSong');
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-lateral-'));
  const bucket = path.join(workDir, 'bucket');
  await generateDataset(bucket, { seed: 11, songs: 200, users: 30, events: 1500, days: 4, matchRate: 0.5 });
  events = (await readSource(bucket)).events;
  const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'lateral-1' });
  await runOfflineLoad(db.engine, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket } });
  // The public projects' staging table: the log's camelCase keys as bare (folded) names, ts in epoch
  // milliseconds, userId an INTEGER (jcorrado76/sparkify_dwh_redshift, sql_queries.py, commit 44f0734).
  await redshift(`CREATE TABLE pub_staging_events (
    artist VARCHAR, auth VARCHAR, firstName VARCHAR, gender VARCHAR, itemInSession VARCHAR, lastName VARCHAR,
    length VARCHAR, level VARCHAR, location VARCHAR, method VARCHAR, page VARCHAR, registration VARCHAR,
    sessionId INT NOT NULL, song VARCHAR, status INT, ts BIGINT NOT NULL, userAgent VARCHAR, userId INT)`);
  const staged = events.map((e) =>
    Object.fromEntries(Object.entries({ ...e, userId: e.userId === '' ? null : Number(e.userId) }).map(([k, v]) => [k.toLowerCase(), v])),
  );
  await db.engine.query('INSERT INTO pub_staging_events SELECT * FROM json_populate_recordset(NULL::pub_staging_events, $1::json)', [
    JSON.stringify(staged),
  ]);
  await redshift(`CREATE TABLE pub_time (start_time TIMESTAMP NOT NULL, hour SMALLINT, day SMALLINT, week SMALLINT,
    month SMALLINT, year SMALLINT, weekday SMALLINT)`);
  await redshift('CREATE TABLE raw_data (clicks DECIMAL(10,2), impressions DECIMAL(10,2))');
  await redshift('INSERT INTO raw_data VALUES (1, 4), (3, 8)');
  await redshift('CREATE TABLE raw_data_p (clicks DECIMAL(10,2), impressions DECIMAL(10,2), probability DECIMAL(10,2))');
  await redshift('INSERT INTO raw_data_p VALUES (1, 4, 0.5)');
  await redshift('CREATE TABLE t (g INT, x INT)');
  await redshift('INSERT INTO t VALUES (1, 1), (1, 2), (2, 3)');
});

afterAll(async () => {
  await db?.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('the SELECT list page (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html)', () => {
  it("inlines an alias in the expressions after it: the page's example", async () => {
    const answer = await redshift<{ probability: string; percentage: string }>(
      'select clicks / impressions as probability, round(100 * probability, 1) as percentage from raw_data order by 1',
    );
    expect(answer.map((row) => Number(row.percentage))).toEqual([25, 37.5]);
  });

  it('gives a column of the same name in the FROM clause priority over the alias, as the page says', async () => {
    // raw_data_p has a probability column (0.5): the second expression reads it, not clicks / impressions (0.25).
    const [row] = await redshift<{ percentage: string }>(
      'select clicks / impressions as probability, round(100 * probability, 1) as percentage from raw_data_p',
    );
    expect(Number(row?.percentage)).toBe(50);
  });

  it('carries a chain of aliases, each defined from the one before', async () => {
    const answer = await redshift<{ a: number; b: number; c: number; d: number }>(
      'select x * 2 as a, a + 1 as b, b * 10 as c, c - a as d from t order by x',
    );
    expect(answer.map((row) => [row.a, row.b, row.c, row.d].map(Number))).toEqual([
      [2, 3, 30, 28],
      [4, 5, 50, 46],
      [6, 7, 70, 64],
    ]);
  });

  it('recognizes an alias only after its definition: before it, the name is a missing column', async () => {
    await expect(redshift('select a + 1 as b, x as a from t')).rejects.toThrow(/column "a" does not exist/);
  });

  it('leaves a name inside a string literal or a comment alone', async () => {
    const [row] = await redshift<{ b: string }>("select 'one' as a, 'a' || a || '-- a' as b -- a\nfrom t limit 1");
    expect(row?.b).toBe('aone-- a');
  });

  it('folds quoted names as Redshift does: "Doubled" and "DOUBLED" are the same alias (r_names.html)', async () => {
    const answer = await redshift<{ doubled: number; plus: number }>('select x * 2 as "Doubled", "DOUBLED" + 1 as plus from t order by x');
    expect(answer.map((row) => Number(row.plus))).toEqual([3, 5, 7]);
  });

  it('never reads a qualified name (t.x) as an alias, even where the alias is named like the table', async () => {
    const answer = await redshift<{ t: number; x: number }>('select x * 10 as t, t.x from t order by x');
    expect(answer.map((row) => [Number(row.t), Number(row.x)])).toEqual([
      [10, 1],
      [20, 2],
      [30, 3],
    ]);
  });

  it('leaves the date part of DATE_PART, DATEADD and DATEDIFF alone even when an alias has its name', async () => {
    const [row] = await redshift<{ later: string }>(
      "select 5 as hour, date_part(hour, timestamp '2020-01-01 07:00:00') + hour as later from t limit 1",
    );
    expect(Number(row?.later)).toBe(12);
  });

  it('resolves a subquery in the list on its own: its aliases are its own', async () => {
    const [row] = await redshift<{ a: number; m: number }>(
      'select x as a, (select y * 3 as m from (select 2 as y) s where m > 1) as m from t where x = 1',
    );
    expect([Number(row?.a), Number(row?.m)]).toEqual([1, 6]);
  });

  it('inlines aliases of aggregates into a later expression, and an alias into an aggregate call', async () => {
    const [row] = await redshift<{ code: number; s: number }>('select max(x) as m, count(*) as n, m * 10 + n as code, 2 as k, sum(x * k) as s from t');
    expect([Number(row?.code), Number(row?.s)]).toEqual([33, 12]);
  });

  it('carries Redshift-only syntax of the aliased expression along (LISTAGG ... WITHIN GROUP, APPROXIMATE COUNT)', async () => {
    const [row] = await redshift<{ m: string; k: number }>(
      "select listagg(x, ',') within group (order by x) as l, l || '!' as m, approximate count(distinct g) as n, n * 10 as k from t",
    );
    expect([row?.m, Number(row?.k)]).toEqual(['1,2,3!', 20]);
  });

  it("inlines an alias into another alias's CASE", async () => {
    const answer = await redshift<{ size: string }>("select x * 2 as a, case when a > 3 then 'big' else 'small' end as size from t order by x");
    expect(answer.map((row) => row.size)).toEqual(['small', 'big', 'big']);
  });

  it('inlines an alias in a window function after it', async () => {
    const answer = await redshift<{ n: number }>('select x * 2 as a, sum(a) over (partition by g) as n from t order by x');
    expect(answer.map((row) => Number(row.n))).toEqual([6, 6, 6]);
  });

  it('refuses an alias defined twice before its use: the page does not say which one it means', async () => {
    await expect(redshift('select x as a, g as a, a + 1 from t')).rejects.toThrow(/a names 2 select-list aliases: give each alias its own name/);
  });

  it('refuses an alias that is also a column of an enclosing query: the page gives priority only to the same FROM clause', async () => {
    await expect(redshift('select g from t where exists (select 1 as x, x from raw_data)')).rejects.toThrow(
      /x is both a select-list alias and a column of an enclosing query/,
    );
  });

  it('finds an alias written without AS, after a call, a literal or a cast', async () => {
    const answer = await redshift<{ b: number; d: string; e: number }>(
      "select extract(hour from timestamp '2020-01-01 07:00:00') h, h + 1 as b, 'x' c, c || c d, x::int e, e * 2 f from t order by x",
    );
    expect(answer.map((row) => [Number(row.b), row.d, Number(row.e)])).toEqual([
      [8, 'xx', 1],
      [8, 'xx', 2],
      [8, 'xx', 3],
    ]);
  });

  it("asks the catalog for none of the load plan's statements or the named queries: none uses an alias by name", async () => {
    const asked: string[] = [];
    const catalog: CatalogLookup = (tables) => {
      asked.push(...tables.map((table) => table.name));
      return Promise.resolve(new Map());
    };
    const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'lateral-2' });
    for (const sql of [...plan.steps.map((step) => step.sql), ...[...files].flatMap(([file, text]) => (file.startsWith('queries/') ? [text] : []))]) {
      expect(await resolveLateralAliases(sql, catalog)).toBe(sql);
    }
    expect(asked).toEqual([]);
  });

  it('leaves the SQL as written where the FROM clause cannot be known, so the engine says what is missing', async () => {
    const catalog: CatalogLookup = () => Promise.resolve(new Map());
    const sql = 'select x * 2 as a, a + 1 from nowhere';
    expect(await resolveLateralAliases(sql, catalog)).toBe(sql);
  });
});

describe('the WHERE clause page (https://docs.aws.amazon.com/redshift/latest/dg/r_WHERE_clause.html)', () => {
  it('uses an alias in WHERE to reference a select list expression, through a chain', async () => {
    const answer = await redshift<{ b: number }>('select x * 2 as a, a + 1 as b from t where b > 4 order by x');
    expect(answer.map((row) => Number(row.b))).toEqual([5, 7]);
  });

  it("public project: the users INSERT filters on its alias user_id (no such column in its staging table)", async () => {
    // A public Sparkify project's users INSERT, run on Redshift: SELECT DISTINCT(userId) AS user_id, firstName
    // AS first_name, lastName AS last_name, gender, level FROM staging_events WHERE page='NextSong' AND user_id IS NOT NULL.
    await redshift('CREATE TABLE pub_users (user_id INT, first_name VARCHAR, last_name VARCHAR, gender VARCHAR, level VARCHAR)');
    await redshift(`INSERT INTO pub_users (user_id, first_name, last_name, gender, level)
      SELECT DISTINCT(userId) AS user_id, firstName AS first_name, lastName AS last_name, gender, level
      FROM pub_staging_events WHERE page='NextSong' AND user_id IS NOT NULL;`);
    const ids = await rows<{ user_id: number }>('SELECT DISTINCT user_id FROM pub_users ORDER BY 1');
    const expected = [...new Set(plays().flatMap((e) => (e.userId === '' ? [] : [Number(e.userId)])))].sort((a, b) => a - b);
    expect(ids.map((row) => row.user_id)).toEqual(expected);
    // The same people as the project's own users mart (level may differ: the mart keeps the latest).
    const strangers = await rows(`SELECT user_id, first_name, last_name, gender FROM pub_users
      EXCEPT SELECT user_id, first_name, last_name, gender FROM users`);
    expect(strangers).toEqual([]);
  });

  it("gives the staging table's own user_id column priority where it has one (the project's staging_events)", async () => {
    // first_name AS user_id: WHERE user_id = '' reads the column (logged-out events), not first_name.
    const [row] = await redshift<{ n: number }>(
      "select count(*) as n from (select first_name as user_id from staging_events where user_id = '') as logged_out",
    );
    expect(Number(row?.n)).toBe(events.filter((e) => e.userId === '').length);
  });
});

describe('the HAVING clause page (https://docs.aws.amazon.com/redshift/latest/dg/r_HAVING_clause.html)', () => {
  it('filters groups on an aggregate alias, as the example `sum(pricepaid) as pp ... having pp > 800000` does', async () => {
    const answer = await redshift<{ g: number; s: number }>('select g, sum(x * x) as s from t group by 1 having s > 5 order by 2 desc, 1');
    expect(answer.map((row) => [Number(row.g), Number(row.s)])).toEqual([[2, 9]]);
  });
});

describe("public Sparkify projects' time INSERTs, as they ran on Redshift", () => {
  it('jcorrado76/sparkify_dwh_redshift: the same rows as the time mart, to the second', async () => {
    // sql_queries.py TIME_TABLE_INSERT (commit 44f0734), into pub_time.
    await redshift(`INSERT INTO pub_time (
        start_time,
        hour,
        day,
        week,
        month,
        year,
        weekday)
    SELECT DISTINCT(timestamp 'epoch' + ts/1000 * interval '1 second') AS start_time,
  \t   extract(hour from start_time) AS hour,
  \t   extract(day from start_time) AS day,
  \t   extract(week from start_time) AS week,
  \t   extract(month from start_time) AS month,
  \t   extract(year from start_time) AS year,
  \t   extract(weekday from start_time) AS weekday
    FROM pub_staging_events
    WHERE page = 'NextSong';`);
    // ts/1000 is integer division on Redshift: whole seconds; the project's mart keeps milliseconds.
    const count = await rows<{ n: number }>('SELECT COUNT(*)::int AS n FROM pub_time');
    expect(count[0]?.n).toBe(new Set(plays().map((e) => seconds(e.ts))).size);
    const mart = `SELECT DISTINCT date_trunc('second', start_time) AS start_time, hour, day, week, month, year, weekday FROM time`;
    expect(await rows(`SELECT * FROM pub_time EXCEPT ${mart}`)).toEqual([]);
    expect(await rows(`${mart} EXCEPT SELECT * FROM pub_time`)).toEqual([]);
  });

  it('dunyaoguz/sparkify_redshift_dwh: every event, hour and day from the alias as from the log', async () => {
    // sql_queries.py time_table_insert (commit 0ccf899), into pub_time: no page filter, and week twice as written.
    await redshift('DELETE FROM pub_time');
    await redshift(`INSERT INTO pub_time (start_time, hour, day, week, month, year, weekday)
SELECT DISTINCT
    TIMESTAMP 'epoch' + ts/1000 * INTERVAL '1 second' AS start_time
    , EXTRACT(hour FROM start_time)
    , EXTRACT(day FROM start_time)
    , EXTRACT(week FROM start_time)
    , EXTRACT(month FROM start_time)
    , EXTRACT(year FROM start_time)
    , EXTRACT(week FROM start_time)
FROM pub_staging_events`);
    const answer = await rows<{ start_time: Date; hour: number; day: number }>('SELECT start_time, hour, day FROM pub_time ORDER BY 1');
    const expected = [...new Set(events.map((e) => seconds(e.ts)))].sort((a, b) => a - b);
    expect(answer.map((row) => new Date(row.start_time).getTime())).toEqual(expected);
    expect(answer.map((row) => [row.hour, row.day])).toEqual(expected.map((ms) => [new Date(ms).getUTCHours(), new Date(ms).getUTCDate()]));
  });

  it('vgkienzler/sparkify-redshift: DATE_PART of the alias, every play of the time mart among its rows', async () => {
    // sql_queries.py time_table_insert (commit ad022ec), into pub_time: milliseconds kept (interval '1 second'/1000).
    await redshift('DELETE FROM pub_time');
    await redshift(`INSERT INTO pub_time (start_time, hour, day, week, month, year, weekday)
    SELECT (timestamp 'epoch' + ts * interval '1 second'/1000) AS start_time,
            date_part(hour, start_time) AS hour,
            date_part(day, start_time) AS day,
            date_part(week, start_time) AS week,
            date_part(month, start_time) AS month,
            date_part(year, start_time) AS year,
            date_part(weekday, start_time) AS weekday
    FROM pub_staging_events`);
    const count = await rows<{ n: number }>('SELECT COUNT(*)::int AS n FROM pub_time');
    expect(count[0]?.n).toBe(events.length);
    expect(await rows('SELECT start_time, hour, day, week, month, year, weekday FROM time EXCEPT SELECT * FROM pub_time')).toEqual([]);
  });
});

describe('sparkify query', () => {
  it('runs a query with a lateral alias in its list and WHERE', async () => {
    const cli = await openLoadedTestEngine();
    try {
      await cli.engine.close(); // the CLI opens the database itself
      const { code, out, err } = await runCli(
        'query',
        "SELECT start_time AS played, EXTRACT(hour FROM played) AS hour, hour * 60 AS minute FROM time WHERE minute >= 0 ORDER BY played LIMIT 5",
        '--db',
        cli.target,
        '--json',
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      const answer = JSON.parse(out) as { played: string; hour: number; minute: number }[];
      expect(answer.length).toBe(5);
      for (const row of answer) {
        expect(row.hour).toBe(new Date(row.played).getUTCHours());
        expect(row.minute).toBe(row.hour * 60);
      }
    } finally {
      await cli.dispose();
    }
  });
});
