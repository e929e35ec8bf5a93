import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPostgres } from '../../local/dialect-bridge';
import { openEngine } from '../../local/engine';
import { POSTGRES_PRELUDE } from '../../local/prelude';
import { VARCHAR_SEMANTICS_SQL } from '../../local/prelude/varchar-semantics';
import { openTestEngine, serverUrl, type TestEngine } from '../support/engine';

// Redshift ignores trailing blanks when CHAR and VARCHAR values are compared
// (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html, "Significance of
// trailing blanks"); PostgreSQL's varchar does not. The prelude makes the twin answer as Redshift.
let db: TestEngine;

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await db.engine.query<T>(sql)).rows;
}

beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
  await db.engine.exec(`
    CREATE TABLE plays (id INTEGER, song VARCHAR(64), location VARCHAR(64));
    CREATE TABLE songs (title VARCHAR(64), code CHAR(4));
    INSERT INTO plays VALUES (1, 'Who''s Your Daddy? ', ' '), (2, 'Who''s Your Daddy?', ''), (3, 'Heavy Soul', 'Berlin'),
      (4, 'Heavy Soul  ', 'Berlin '), (5, 'Heavy Soul x', NULL);
    INSERT INTO songs VALUES ('Who''s Your Daddy?', 'ab'), ('Heavy Soul ', 'cd  ');
    ANALYZE plays; ANALYZE songs;`);
});

afterAll(async () => {
  await db.dispose();
});

describe('trailing blanks are insignificant when VARCHAR values are compared', () => {
  it('=, <>, <, >, IN, BETWEEN with a literal', async () => {
    expect(await rows(`SELECT id FROM plays WHERE song = 'Who''s Your Daddy?' ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await rows(`SELECT id FROM plays WHERE song = 'Heavy Soul   ' ORDER BY id`)).toEqual([{ id: 3 }, { id: 4 }]);
    expect(await rows(`SELECT count(*)::int AS n FROM plays WHERE song <> 'Heavy Soul'`)).toEqual([{ n: 3 }]);
    expect(await rows(`SELECT count(*)::int AS n FROM plays WHERE song < 'Heavy Soul' OR song > 'Heavy Soul  '`)).toEqual([{ n: 3 }]);
    expect(await rows(`SELECT id FROM plays WHERE song IN ('Heavy Soul', 'x') ORDER BY id`)).toEqual([{ id: 3 }, { id: 4 }]);
    expect(await rows(`SELECT id FROM plays WHERE song BETWEEN 'Heavy Soul' AND 'Heavy Soul' ORDER BY id`)).toEqual([{ id: 3 }, { id: 4 }]);
  });

  it("NULLIF(location, '') is NULL for a location of blanks; CASE and COALESCE compare the same way", async () => {
    expect(await rows(`SELECT id, NULLIF(location, '') AS location FROM plays ORDER BY id`)).toEqual([
      { id: 1, location: null },
      { id: 2, location: null },
      { id: 3, location: 'Berlin' },
      { id: 4, location: 'Berlin ' },
      { id: 5, location: null },
    ]);
    expect(
      await rows(`SELECT CASE location WHEN 'Berlin' THEN 'b' WHEN '' THEN 'empty' ELSE 'other' END AS c FROM plays ORDER BY id`),
    ).toEqual([{ c: 'empty' }, { c: 'empty' }, { c: 'b' }, { c: 'b' }, { c: 'other' }]);
  });

  it('GROUP BY, DISTINCT, COUNT(DISTINCT), UNION and PARTITION BY put them in one group', async () => {
    const groups = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM plays GROUP BY song ORDER BY 1`);
    expect(groups.map((g) => g.n)).toEqual([1, 2, 2]);
    expect(await rows(`SELECT count(*)::int AS n FROM (SELECT DISTINCT song FROM plays) AS d`)).toEqual([{ n: 3 }]);
    expect(await rows(`SELECT count(DISTINCT song)::int AS n FROM plays`)).toEqual([{ n: 3 }]);
    expect(await rows(`SELECT count(*)::int AS n FROM (SELECT song FROM plays UNION SELECT title FROM songs) AS u`)).toEqual([{ n: 3 }]);
    const ranked = await rows(`SELECT id, ROW_NUMBER() OVER (PARTITION BY song ORDER BY id) AS r FROM plays ORDER BY id`);
    expect(ranked).toEqual([
      { id: 1, r: 1 },
      { id: 2, r: 2 },
      { id: 3, r: 1 },
      { id: 4, r: 2 },
      { id: 5, r: 1 },
    ]);
  });

  it('joins match them, whichever join method the planner picks', async () => {
    const expected = [
      { id: 1, title: "Who's Your Daddy?" },
      { id: 2, title: "Who's Your Daddy?" },
      { id: 3, title: 'Heavy Soul ' },
      { id: 4, title: 'Heavy Soul ' },
    ];
    const join = `SELECT p.id, s.title FROM plays AS p JOIN songs AS s ON s.title = p.song ORDER BY p.id`;
    for (const method of ['hashjoin', 'mergejoin', 'nestloop']) {
      const others = ['hashjoin', 'mergejoin', 'nestloop'].filter((m) => m !== method);
      await db.engine.exec(`BEGIN; ${others.map((m) => `SET LOCAL enable_${m} = off;`).join(' ')}`);
      try {
        const plan = (await rows<{ 'QUERY PLAN': string }>(`EXPLAIN ${join}`)).map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch({ hashjoin: /Hash Join/, mergejoin: /Merge Join/, nestloop: /Nested Loop/ }[method] as RegExp);
        expect(await rows(join)).toEqual(expected);
        expect(await rows(`SELECT id FROM plays WHERE song IN (SELECT title FROM songs) ORDER BY id`)).toEqual([
          { id: 1 },
          { id: 2 },
          { id: 3 },
          { id: 4 },
        ]);
      } finally {
        await db.engine.exec('ROLLBACK');
      }
    }
  });

  it('ORDER BY sorts them as equals; values keep their blanks when selected and LENGTH counts them', async () => {
    const sorted = await rows<{ id: number; song: string }>(`SELECT id, song FROM plays WHERE id >= 3 ORDER BY song, id DESC`);
    expect(sorted).toEqual([
      { id: 4, song: 'Heavy Soul  ' },
      { id: 3, song: 'Heavy Soul' },
      { id: 5, song: 'Heavy Soul x' },
    ]);
    // https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html: trailing spaces are counted for VARCHAR.
    expect(await rows(`SELECT LENGTH(song) AS n, song || '|' AS shown FROM plays WHERE id = 1`)).toEqual([
      { n: 18, shown: "Who's Your Daddy? |" },
    ]);
  });

  it('LIKE keeps them significant, as on Redshift', async () => {
    // https://docs.aws.amazon.com/redshift/latest/dg/r_patternmatching_condition_like.html
    expect(await rows(`SELECT id FROM plays WHERE song LIKE 'Heavy Soul' ORDER BY id`)).toEqual([{ id: 3 }]);
  });

  it('across types: VARCHAR with CHAR and with the text PostgreSQL functions return', async () => {
    expect(await rows(`SELECT title FROM songs WHERE code = 'cd'::varchar`)).toEqual([{ title: 'Heavy Soul ' }]);
    expect(await rows(`SELECT count(*)::int AS n FROM songs WHERE code IN ('ab '::varchar, 'cd'::varchar)`)).toEqual([{ n: 2 }]);
    expect(await rows(`SELECT id FROM plays WHERE song = TRIM(LEADING FROM '  Heavy Soul') ORDER BY id`)).toEqual([{ id: 3 }, { id: 4 }]);
  });

  it('two text values (two function results, two literals) compare the same way once through the dialect bridge', async () => {
    // PostgreSQL alone settles these as text, where blanks count; the bridge makes them varchar, as on Redshift.
    expect(await rows(`SELECT 'a ' = 'a' AS literals, LOWER('A ') = LOWER('a') AS functions`)).toEqual([
      { literals: false, functions: false },
    ]);
    const bridged = toPostgres(`SELECT 'a ' = 'a' AS literals, 'a ' IN ('a') AS listed, LOWER('A ') = LOWER('a') AS functions`);
    expect(await rows(bridged)).toEqual([{ literals: true, listed: true, functions: true }]);
    expect(await rows(toPostgres(`SELECT id FROM plays WHERE LOWER(song) = LOWER('HEAVY SOUL') ORDER BY id`))).toEqual([
      { id: 3 },
      { id: 4 },
    ]);
    expect(await rows(toPostgres('SELECT COUNT(DISTINCT UPPER(song)) AS n FROM plays'))).toEqual([{ n: 3 }]);
  });
});

describe('installing it', () => {
  it('is idempotent: every session start runs it again', async () => {
    await db.engine.exec(POSTGRES_PRELUDE);
    await db.engine.exec(VARCHAR_SEMANTICS_SQL);
    const classes = await rows(
      `SELECT opcname, opcdefault FROM pg_opclass WHERE opcintype = 'varchar'::regtype AND opcdefault ORDER BY opcmethod`,
    );
    expect(classes).toEqual([
      { opcname: 'redshift_varchar_ops', opcdefault: true },
      { opcname: 'redshift_varchar_ops', opcdefault: true },
    ]);
  });

  it.runIf(serverUrl)('is safe when two sessions on one server start at once', async () => {
    const fresh = await openTestEngine();
    const second = await openEngine(fresh.target);
    try {
      await Promise.all([fresh.engine.exec(VARCHAR_SEMANTICS_SQL), second.exec(VARCHAR_SEMANTICS_SQL)]);
      expect((await second.query(`SELECT 'a '::varchar = 'a' AS eq`)).rows).toEqual([{ eq: true }]);
    } finally {
      await second.close();
      await fresh.dispose();
    }
  });
});
