import type { GetStatementResultCommandOutput } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultFromPages } from '../../cli/deployed-query';
import { exactNumber, formatResult, toJson, uniqueNames } from '../../local/format-table';
import { openLoadedTestEngine, openTestEngine, serverUrl, type TestEngine } from '../support/engine';
import { runCli } from '../support/cli';

// `sparkify query` as a user reads it: every column, and the same JSON from PGlite, from a
// PostgreSQL server (CI runs this file with SPARKIFY_TEST_DATABASE_URL too) and from the Data API.
// The expected JSON below is literal: both engines must print exactly it.
let db: TestEngine;

const sparkify = runCli;

async function query(sql: string, ...flags: string[]): Promise<string> {
  const { code, out, err } = await sparkify('query', sql, '--db', db.target, ...flags);
  expect(err).toBe('');
  expect(code).toBe(0);
  return out;
}

beforeAll(async () => {
  db = await openLoadedTestEngine();
  await db.engine.close(); // the CLI opens the database itself
});

afterAll(async () => {
  await db.dispose();
});

describe(`sparkify query --json keeps every column (${serverUrl ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('names a repeated column a_2, in the JSON and in the table alike', async () => {
    expect(JSON.parse(await query('SELECT 1 AS a, 2 AS a', '--json'))).toEqual([{ a: 1, a_2: 2 }]);
    expect(await query('SELECT 1 AS a, 2 AS a')).toBe(['a  a_2', '-  ---', '1    2', '(1 row)'].join('\n'));
  });

  it("skips a suffix another column already has, and keeps the columns' order", async () => {
    const out = await query("SELECT 'x' AS a, 'y' AS a, 'z' AS a_2, 'w' AS a", '--json');
    expect(out).toBe(JSON.stringify([{ a: 'x', a_3: 'y', a_2: 'z', a_4: 'w' }], null, 2));
  });

  it('keeps same-named columns of a join', async () => {
    const rows = JSON.parse(
      await query(
        'SELECT u.user_id, p.user_id, u.level, p.level FROM users AS u JOIN songplays AS p ON p.user_id = u.user_id ORDER BY p.songplay_id LIMIT 3',
        '--json',
      ),
    ) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['user_id', 'user_id_2', 'level', 'level_2']);
      expect(row.user_id_2).toBe(row.user_id);
    }
  });
});

describe(`sparkify query --json types (${serverUrl ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('gives counts, integers and exact decimals as JSON numbers', async () => {
    const out = await query(
      'SELECT COUNT(*) AS n, CAST(COUNT(*) AS INTEGER) AS i, SUM(session_id) AS total, CAST(1.50 AS DECIMAL(5,2)) AS d, ' +
        'CAST(0.1 AS DECIMAL(3,1)) AS tenth, CAST(2.5 AS FLOAT8) AS f FROM songplays',
      '--json',
    );
    const [row] = JSON.parse(out) as Record<string, unknown>[];
    expect(Object.fromEntries(Object.entries(row ?? {}).map(([name, value]) => [name, typeof value]))).toEqual({
      n: 'number',
      i: 'number',
      total: 'number',
      d: 'number',
      tenth: 'number',
      f: 'number',
    });
    expect(row).toMatchObject({ d: 1.5, tenth: 0.1, f: 2.5 });
    expect(row?.n).toBe(row?.i);
  });

  it('gives what a double cannot hold exactly as its digits, not a rounded number', async () => {
    const out = await query(
      'SELECT CAST(9007199254740993 AS BIGINT) AS big, CAST(9007199254740991 AS BIGINT) AS safe, ' +
        "CAST('12345678901234567.5' AS DECIMAL(20,1)) AS wide, CAST(-0.000 AS DECIMAL(4,3)) AS zero",
      '--json',
    );
    expect(out).toBe(JSON.stringify([{ big: '9007199254740993', safe: 9007199254740991, wide: '12345678901234567.5', zero: 0 }], null, 2));
  });

  it('gives dates as YYYY-MM-DD and timestamps as ISO 8601 UTC; the table as Redshift prints them', async () => {
    const sql =
      "SELECT CAST('2018-11-01' AS DATE) AS day, CAST('2018-11-01 00:09:53.796' AS TIMESTAMP) AS at, " +
      "CAST('2018-11-30 23:59:59' AS TIMESTAMP) AS last, CAST(NULL AS TIMESTAMP) AS never, TRUE AS yes";
    expect(await query(sql, '--json')).toBe(
      JSON.stringify(
        [{ day: '2018-11-01', at: '2018-11-01T00:09:53.796Z', last: '2018-11-30T23:59:59.000Z', never: null, yes: true }],
        null,
        2,
      ),
    );
    expect((await query(sql)).split('\n')[2]).toBe('2018-11-01  2018-11-01 00:09:53.796  2018-11-30 23:59:59  NULL   true');
  });

  it("level_share's counts and percentages are numbers that add up", async () => {
    const rows = JSON.parse(await query('level_share', '--json')) as { level: string; plays: number; percent_of_plays: number }[];
    expect(rows.map((row) => row.level)).toEqual(['free', 'paid']);
    for (const row of rows) {
      expect(typeof row.plays).toBe('number');
      expect(typeof row.percent_of_plays).toBe('number');
    }
    const total = rows.reduce((sum, row) => sum + row.plays, 0);
    for (const row of rows) expect(row.percent_of_plays).toBe(Math.round((1000 * row.plays) / total) / 10);
    // The table shows the database's digits, right-aligned.
    expect(await query('level_share')).toMatch(/^free\s+\d+\s+\d+\.\d$/m);
  });
});

describe(`both engines read values alike (${serverUrl ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('BIGINT a number (a bigint beyond 2^53), NUMERIC its digits, DATE and TIMESTAMP UTC Dates, sessions in UTC', async () => {
    const own = await openTestEngine();
    try {
      const sql =
        "SELECT COUNT(*) AS n, CAST(9007199254740993 AS BIGINT) AS big, CAST(1.50 AS NUMERIC(5,2)) AS d, DATE '2018-11-01' AS day, " +
        "TIMESTAMP '2018-11-01 00:09:53.796' AS at, CAST(TIMESTAMP '2018-11-01 00:09:53.796' AS TIMESTAMPTZ) AS at_tz, " +
        "current_setting('TimeZone') AS zone, 1 AS n";
      const expected = [
        1,
        9007199254740993n,
        '1.50',
        new Date('2018-11-01T00:00:00Z'),
        new Date('2018-11-01T00:09:53.796Z'),
        new Date('2018-11-01T00:09:53.796Z'),
        'UTC',
        1,
      ];
      const arrays = await own.engine.queryArrays(sql);
      expect(arrays.rows).toEqual([expected]);
      expect(arrays.fields.map((field) => field.name)).toEqual(['n', 'big', 'd', 'day', 'at', 'at_tz', 'zone', 'n']);
      const { rows } = await own.engine.query(sql.replace(', 1 AS n', ''));
      expect(rows).toEqual([Object.fromEntries(['n', 'big', 'd', 'day', 'at', 'at_tz', 'zone'].map((name, i) => [name, expected[i]]))]);
      // A Date parameter is its UTC instant on both engines (pg alone would send local time).
      const param = await own.engine.query('SELECT CAST($1 AS TIMESTAMP) AS t', [new Date('2018-11-01T00:09:53.796Z')]);
      expect(param.rows).toEqual([{ t: new Date('2018-11-01T00:09:53.796Z') }]);
    } finally {
      await own.dispose();
    }
  });
});

describe('the JSON mapping', () => {
  it('uniqueNames: the first keeps its name, repeats get the first free _N', () => {
    expect(uniqueNames(['a', 'b'])).toEqual(['a', 'b']);
    expect(uniqueNames(['a', 'a', 'a'])).toEqual(['a', 'a_2', 'a_3']);
    expect(uniqueNames(['a_2', 'a', 'a'])).toEqual(['a_2', 'a', 'a_3']);
    expect(uniqueNames(['?column?', '?column?'])).toEqual(['?column?', '?column?_2']);
  });

  it('exactNumber: a number only when JSON carries the exact decimal', () => {
    expect(exactNumber('60.0')).toBe(60);
    expect(exactNumber('33.3')).toBe(33.3);
    expect(exactNumber('-0.50')).toBe(-0.5);
    expect(exactNumber('007')).toBe(7);
    expect(exactNumber('9007199254740993')).toBeUndefined();
    expect(exactNumber('0.1000000000000000055511151231257827')).toBeUndefined();
    expect(exactNumber('1e21')).toBeUndefined();
    expect(exactNumber('NaN')).toBeUndefined();
  });

  it('the Data API answer prints and exports as the engines do, every column kept', () => {
    const page: GetStatementResultCommandOutput = {
      $metadata: {},
      Records: [
        [
          { longValue: 60 },
          { longValue: 61 },
          { stringValue: '33.3' },
          { stringValue: '2018-11-01 00:09:53.796' },
          { stringValue: '2018-11-01' },
          { isNull: true },
        ],
      ],
      ColumnMetadata: [
        { name: 'n', label: 'n', typeName: 'int8' },
        { name: 'n', label: 'n', typeName: 'int4' },
        { name: 'percent', label: 'percent', typeName: 'numeric' },
        { name: 'start_time', label: 'start_time', typeName: 'timestamp' },
        { name: 'day', label: 'day', typeName: 'date' },
        { name: 'song_id', label: 'song_id', typeName: 'varchar' },
      ],
      TotalNumRows: 1,
    };
    const result = resultFromPages([page]);
    expect(JSON.parse(toJson(result))).toEqual([
      { n: 60, n_2: 61, percent: 33.3, start_time: '2018-11-01T00:09:53.796Z', day: '2018-11-01', song_id: null },
    ]);
    expect(formatResult(result).split('\n')[2]).toBe('60   61     33.3  2018-11-01 00:09:53.796  2018-11-01  NULL');
  });
});
