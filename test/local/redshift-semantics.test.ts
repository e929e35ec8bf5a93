import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardQuotes, stringValue, tokenize } from '../../lib/plan/sql-tokens';
import { POSTGRES_PRELUDE, toPostgres } from '../../local/dialect-bridge';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { openTestEngine, type TestEngine } from '../support/engine';
import { asText, bridgeQueries } from '../support/redshift-query';

/**
 * Redshift's everyday semantics offline: each statement is Redshift SQL, translated by the dialect
 * bridge and run on the real engine (PGlite, or a server when SPARKIFY_TEST_DATABASE_URL is set).
 * Expected values are the cited page's printed results, column names its printed headers.
 */
let db: TestEngine;
beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
  await loadRedshiftGate();
});
afterAll(async () => db.dispose());

interface Result {
  readonly names: string[];
  readonly rows: string[][];
  readonly types: string[];
}

/** A Redshift query's column names, rows (values as text) and PostgreSQL result types. */
async function run(redshift: string): Promise<Result> {
  const sql = toPostgres(redshift);
  const { fields, rows } = await db.engine.queryArrays(sql);
  const typed = await db.engine.queryArrays(
    `SELECT ${fields.map((_, i) => `pg_typeof(r.c${i})::text`).join(', ')} FROM (${sql}) AS r(${fields.map((_, i) => `c${i}`).join(', ')}) LIMIT 1`,
  );
  return { names: fields.map((f) => f.name), rows: rows.map((r) => r.map(asText)), types: (typed.rows[0] ?? []).map(String) };
}

const { one, failure } = bridgeQueries(() => db.engine);

describe('EXTRACT (https://docs.aws.amazon.com/redshift/latest/dg/r_EXTRACT_function.html)', () => {
  it("answers the page's examples, as INTEGER from a TIMESTAMP, TIME or TIMETZ and DOUBLE PRECISION from a TIMESTAMPTZ, named date_part", async () => {
    const cases: [string, string, string][] = [
      ["select extract(minute from timestamp '2009-09-09 12:08:43')", '8', 'integer'],
      ["select extract(ms from timestamp '2009-09-09 12:08:43.101')", '101', 'integer'],
      ["select extract(year from timestamptz '1.12.1997 07:37:16.00 PST')", '1997', 'double precision'],
      ["select extract(ms from time '18:25:33.123456')", '123', 'integer'],
      ["select extract(ms from timetz '18:25:33.123456 EST')", '123', 'integer'],
      ["select extract(timezone_hour from timetz '1.12.1997 07:37:16.00 PDT')", '-7', 'integer'],
    ];
    for (const [sql, value, type] of cases) {
      expect(await run(sql), sql).toEqual({ names: ['date_part'], rows: [[value]], types: [type] });
    }
  });

  it('takes the part only, ignoring higher and lower parts (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html)', async () => {
    expect(
      await one("select extract(sec from timestamp '2009-09-21 11:10:03.189717'), date_part(sec, timestamp '2009-09-21 11:10:03.189717')"),
    ).toEqual(['3', '3.189717']);
    expect(
      await one("select extract (century from timestamp '2000-12-16 12:21:13'), extract (century from timestamp '2001-12-16 12:21:13')"),
    ).toEqual(['20', '21']);
    expect(
      await one(
        "select extract(decade from timestamp '1999-02-16 20:38:40'), extract(decade from timestamp '2000-02-16 20:38:40'), extract(decade from timestamp '2010-02-16 20:38:40')",
      ),
    ).toEqual(['200', '201', '202']);
    expect(
      await one("select extract (mil from timestamp '2000-12-16 12:21:13'), extract (mil from timestamp '2001-12-16 12:21:13')"),
    ).toEqual(['2', '3']);
    expect(
      await one("select extract(microsecond from time '18:25:33.123456'), extract(epoch from timestamp '2008-01-01 20:00:00.9')"),
    ).toEqual(['456', '1199217600']);
  });

  it('is integer arithmetic: EXTRACT(hour FROM ts) / 2 is 10 at 21:10, and it inserts into an INTEGER column', async () => {
    await db.engine.exec('CREATE TABLE hours (h INTEGER)');
    await db.engine.exec(toPostgres("INSERT INTO hours SELECT EXTRACT(hour FROM timestamp '2018-11-01 21:10:00') / 2"));
    expect((await run('SELECT h FROM hours')).rows).toEqual([['10']]);
  });

  it('a DATE or a string is read as a TIMESTAMP; a part the type does not hold is refused as not run offline', async () => {
    expect(await one("SELECT EXTRACT(year FROM '2020-05-01'), EXTRACT(dow FROM date '2020-05-01')")).toEqual(['2020', '5']);
    expect(await failure("SELECT EXTRACT(year FROM time '10:00')")).toMatch(
      /EXTRACT\(year\) of a TIME value is Redshift SQL that the offline twin does not run/,
    );
    expect(await failure("SELECT EXTRACT(timezone FROM timestamp '2020-01-01')")).toMatch(
      /EXTRACT\(timezone\) of a TIMESTAMP value is Redshift SQL that the offline twin does not run/,
    );
  });
});

describe('DATE_PART (https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html)', () => {
  it("answers the page's examples as DOUBLE PRECISION, named pgdate_part", async () => {
    const cases: [string, string][] = [
      ["SELECT DATE_PART(minute, timestamp '20230104 04:05:06.789')", '5'],
      ["SELECT DATE_PART(week, timestamp '20220502 04:05:06.789')", '18'],
      ["SELECT DATE_PART(day, timestamp '20220502 04:05:06.789')", '2'],
      ["SELECT DATE_PART(dayofweek, timestamp '20220502 04:05:06.789')", '1'],
      ["SELECT DATE_PART(century, timestamp '20220502 04:05:06.789')", '21'],
      ["SELECT DATE_PART(millennium, timestamp '20220502 04:05:06.789')", '3'],
      ["SELECT DATE_PART(microsecond, timestamp '20220502 04:05:06.789')", '789000'],
      ["SELECT DATE_PART(month, date '20220502')", '5'],
      ["SELECT DATE_PART('dow', '2008-01-05 14:00:00')", '6'],
    ];
    for (const [sql, value] of cases)
      expect(await run(sql), sql).toEqual({ names: ['pgdate_part'], rows: [[value]], types: ['double precision'] });
  });

  it('a CTAS names the column pgdate_part (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html, EPOCH)', async () => {
    await db.engine.exec(toPostgres('create table event_example (eventname varchar(200), starttime timestamp)'));
    await db.engine.exec(toPostgres("insert into event_example values ('Mamma Mia!', '2008-01-01 20:00:00')"));
    await db.engine.exec(
      toPostgres('create table event_epoch as select eventname, starttime, date_part(epoch, starttime) from event_example'),
    );
    expect(await run('select eventname, starttime, pgdate_part from event_epoch')).toEqual({
      names: ['eventname', 'starttime', 'pgdate_part'],
      rows: [['Mamma Mia!', '2008-01-01 20:00:00', '1199217600']],
      types: ['character varying', 'timestamp without time zone', 'double precision'],
    });
  });

  it('millisecond, which no page shows for DATE_PART, is refused as not run offline', async () => {
    expect(await failure("SELECT DATE_PART(ms, timestamp '2020-01-01 00:00:01.5')")).toMatch(
      /DATE_PART\(millisecond\) of a TIMESTAMP value is Redshift SQL that the offline twin does not run/,
    );
  });
});

describe('default column names (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html)', () => {
  it('DATEADD is date_add, DATEDIFF date_diff, GETDATE and SYSDATE timestamp, LISTAGG listagg, as the pages print them', async () => {
    expect((await run("select dateadd(month,18,'2008-02-28')")).names).toEqual(['date_add']); // r_DATEADD_function.html
    expect(await run("select datediff(hour, '2023-01-01', '2023-01-03 05:04:03')")).toMatchObject({ names: ['date_diff'], rows: [['53']] }); // r_DATEDIFF_function.html
    expect((await run('select getdate()')).names).toEqual(['timestamp']); // r_GETDATE.html
    expect((await run('select sysdate')).names).toEqual(['timestamp']); // r_SYSDATE.html
    expect((await run("select listagg(a, ', ') within group (order by a) from (select 'b' as a union all select 'a') s")).names).toEqual([
      'listagg',
    ]); // r_LISTAGG.html
    expect((await run('SELECT CONVERT(VARCHAR(30), GETDATE())')).names).toEqual(['getdate']); // r_CONVERT_function.html
  });
});

describe('backslash escapes in string literals', () => {
  it('one rule (lib/plan/sql-tokens.ts): the tokenizer, the value and the gate read them alike', () => {
    const fail = (): never => {
      throw new Error('unterminated');
    };
    expect(
      tokenize("SELECT 'it\\'s', 'a\\\\' FROM t", fail)
        .filter((t) => t.kind === 'string')
        .map((t) => t.text),
    ).toEqual(["'it\\'s'", "'a\\\\'"]);
    expect(() => tokenize("SELECT 'a\\'", fail)).toThrow('unterminated');
    expect(stringValue("'\\\\ \\' \\n \\t \\101 \\q ''x'''")).toEqual({ value: "\\ ' \n \t A q 'x'" });
    expect(stringValue("'\\x41'")).toEqual({ unsupported: '\\x', before: '' });
    expect(standardQuotes("SELECT 'it\\'s', '\\\\'")).toBe("SELECT 'it''s', '\\\\'");
  });

  it('the gate reads a backslash-escaped quote as part of the literal, at the same offsets', () => {
    expect(checkRedshiftSql("SELECT 'it\\'s' AS a, md5('\\\\' || 'slashpass') AS b", 'q.sql')).toEqual([]);
    expect(checkRedshiftSql("SELECT 'x\\'', TOP_SECRET(1)", 'q.sql')).toMatchObject([{ line: 1, column: 15 }]);
  });

  it("md5('\\\\' || 'slashpass') hashes one backslash (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html)", async () => {
    expect(await run("select md5('\\\\'||'slashpass')")).toMatchObject({ names: ['md5'], rows: [['0c983d1a624280812631c5389e60d48c']] });
  });

  it('a backslash-escaped quote does not end the literal; \\n and \\t are a newline and a tab', async () => {
    expect(await one("SELECT 'it\\'s', 'Line1\\nLine2', 'Tab\\tCharacter', LEN('\\\\'), '\\w'")).toEqual([
      "it's",
      'Line1\nLine2',
      'Tab\tCharacter',
      '1',
      'w',
    ]);
  });

  it("a POSIX pattern's backslash is written twice (https://docs.aws.amazon.com/redshift/latest/dg/pattern-matching-conditions-posix.html)", async () => {
    expect(await one("SELECT 'Hilton.Inn' ~ '.*\\\\..*', 'Hilton Inn' ~ '.*\\\\..*'")).toEqual(['true', 'false']);
  });
});

describe('REGEXP_COUNT, REGEXP_INSTR, REGEXP_SUBSTR, REGEXP_REPLACE parameters', () => {
  const words = "'passwd7 plain A1234 a1234', '(?=[^ ]*[a-z])(?=[^ ]*[0-9])[^ ]+'";

  it('REGEXP_COUNT (https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_COUNT.html)', async () => {
    expect(await run("SELECT regexp_count('abcdefghijklmnopqrstuvwxyz', '[a-z]{3}')")).toMatchObject({
      names: ['regexp_count'],
      rows: [['8']],
    });
    expect(
      await one(
        "SELECT regexp_count('Etiam.laoreet.libero@sodalesMaurisblandit.edu','@[^.]*\\\\.(org|edu)'), regexp_count('sed@lacusUtnec.ca','@[^.]*\\\\.(org|edu)')",
      ),
    ).toEqual(['1', '0']);
    expect(await one("SELECT regexp_count('the fox', 'FOX', 1, 'i')")).toEqual(['1']);
    expect(await one(`SELECT regexp_count(${words}, 1, 'p'), regexp_count(${words}, 1, 'ip')`)).toEqual(['2', '3']);
  });

  it('REGEXP_INSTR (https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_INSTR.html)', async () => {
    expect(
      await one(
        "SELECT regexp_instr('Etiam.laoreet.libero@sodalesMaurisblandit.edu', '@[^.]*'), regexp_instr('sed@lacusUtnec.ca', '@[^.]*')",
      ),
    ).toEqual(['21', '4']);
    expect(
      await one("SELECT regexp_instr('The Home Depot Center','[cC]ent(er|re)$'), regexp_instr('Air Canada Centre','[cC]ent(er|re)$')"),
    ).toEqual(['16', '12']);
    expect(await run("SELECT regexp_instr('the fox', 'FOX', 1, 1, 0, 'i')")).toMatchObject({ names: ['regexp_instr'], rows: [['5']] });
    expect(await one(`SELECT regexp_instr(${words}, 1, 2, 0, 'p'), regexp_instr(${words}, 1, 2, 0, 'ip')`)).toEqual(['21', '15']);
    // An occurrence below 1 is ignored and answers 0; an option other than 0 is 1; e without a subexpression is ignored.
    expect(
      await one(
        "SELECT regexp_instr('abcabc', 'b', 1, 0), regexp_instr('abcabc', 'b', 1, 1, 5), regexp_instr('abcabc', 'b', 1, 2, 0, 'e')",
      ),
    ).toEqual(['0', '3', '5']);
  });

  it('REGEXP_SUBSTR, with the e parameter (https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_SUBSTR.html)', async () => {
    expect(await one("SELECT regexp_substr('Etiam.laoreet.libero@sodalesMaurisblandit.edu','@[^.]*')")).toEqual(['@sodalesMaurisblandit']);
    expect(await one("SELECT regexp_substr('the fox', 'FOX', 1, 1, 'i')")).toEqual(['fox']);
    expect(await one("SELECT regexp_substr('THE SECRET CODE IS THE LOWERCASE PART OF 1931abc0EZ.', '[a-z]+', 1, 1, 'c')")).toEqual(['abc']);
    expect(await one(`SELECT regexp_substr(${words}, 1, 2, 'p'), regexp_substr(${words}, 1, 2, 'ip')`)).toEqual(['a1234', 'A1234']);
    expect(
      await run("select regexp_substr(\n 'This is a cat, this is a dog. This is a mouse.',\n 'this is a (\\\\w+)', 1, 2, 'ie')"),
    ).toMatchObject({ names: ['regexp_substr'], rows: [['dog']] });
    // From past the end it is '' (the position argument); an occurrence below 1 is NULL.
    expect(await one("SELECT regexp_substr('abc', 'b', 9), regexp_substr('abc', 'b', 1, 0) IS NULL")).toEqual(['', 'true']);
  });

  it('REGEXP_REPLACE replaces every match, with flags (https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_REPLACE.html)', async () => {
    expect(await one("SELECT regexp_replace('Etiam.laoreet.libero@sodalesMaurisblandit.edu', '@.*\\\\.(org|gov|com|edu|ca)$')")).toEqual([
      'Etiam.laoreet.libero',
    ]);
    expect(
      await one(
        "SELECT regexp_replace('amet.faucibus.ut@condimentumegetvolutpat.ca', '@.*\\\\.[[:alpha:]]{2,3}',\n'@internal.company.com')",
      ),
    ).toEqual(['amet.faucibus.ut@internal.company.com']);
    expect(await run("SELECT regexp_replace('the fox', 'FOX', 'quick brown fox', 1, 'i')")).toMatchObject({
      names: ['regexp_replace'],
      rows: [['the quick brown fox']],
    });
    expect(await one(`SELECT regexp_replace(${words}, '[hidden]', 1, 'p')`)).toEqual(['[hidden] plain A1234 [hidden]']);
    expect(await one(`SELECT regexp_replace(${words}, '[hidden]', 1, 'ip')`)).toEqual(['[hidden] plain [hidden] [hidden]']);
  });

  it('what PostgreSQL cannot match as Redshift does is refused as not run offline', async () => {
    expect(() => toPostgres("SELECT regexp_substr('ab', 'a|ab', 1, 1, 'p')")).toThrow(
      /REGEXP_SUBSTR with the PCRE alternation \| is Redshift SQL that the offline twin does not run/,
    );
    expect(() => toPostgres("SELECT regexp_count('ab', 'a', 1, 'x')")).toThrow(
      /REGEXP_COUNT parameter 'x' is Redshift SQL that the offline twin does not run/,
    );
    expect(() => toPostgres("SELECT regexp_count('ab', pattern) FROM t")).toThrow(
      /REGEXP_COUNT with a pattern that is not a string literal/,
    );
    expect(await failure("SELECT regexp_replace('abc', '(b)', '\\\\1')")).toMatch(
      /REGEXP_REPLACE with a backslash in replace_string is Redshift SQL that the offline twin does not run/,
    );
  });
});

describe('TO_TIMESTAMP (https://docs.aws.amazon.com/redshift/latest/dg/r_TO_TIMESTAMP.html)', () => {
  it('rolls an hour of 24 over into the next day, unless strict; answers a TIMESTAMPTZ', async () => {
    expect(await run("SELECT TO_TIMESTAMP('2011-12-18 24:38:15', 'YYYY-MM-DD HH24:MI:SS')")).toEqual({
      names: ['to_timestamp'],
      rows: [['2011-12-19 00:38:15']],
      types: ['timestamp with time zone'],
    });
    expect(await failure("SELECT TO_TIMESTAMP('2011-12-18 24:38:15', 'YYYY-MM-DD HH24:MI:SS', TRUE)")).toMatch(/out of range/);
    expect(await one("SELECT TO_TIMESTAMP('2017','YYYY'), TO_TIMESTAMP('', 'YYYY')")).toEqual([
      '2017-01-01 00:00:00',
      '0001-01-01 00:00:00',
    ]);
    expect(await one("select to_timestamp(timestamp '2021-04-05 19:27:53.281812', 'YYYY-MM-DD HH24:MI:SS') as second")).toEqual([
      '2021-04-05 19:27:53',
    ]);
  });

  it('another overflow is refused as not run offline', async () => {
    expect(await failure("SELECT TO_TIMESTAMP('2011-12-18 23:68:15', 'YYYY-MM-DD HH24:MI:SS')")).toMatch(
      /TO_TIMESTAMP with a field out of range .* is Redshift SQL that the offline twin does not run/,
    );
  });
});

describe('CONVERT (https://docs.aws.amazon.com/redshift/latest/dg/r_CONVERT_function.html)', () => {
  it('is CAST(expression AS type)', async () => {
    expect(await one("SELECT CONVERT(integer, 162.00), CONVERT(char(4), 2008), CONVERT(time, timestamp '2008-02-18 02:36:48')")).toEqual([
      '162',
      '2008',
      '02:36:48',
    ]);
    expect(await failure('SELECT CONVERT(decimal(2,1), 123.456)')).toMatch(/overflow/);
    expect(await failure('SELECT CONVERT(smallint, 12345678)')).toMatch(/out of range/);
  });
});

describe('AVG (https://docs.aws.amazon.com/redshift/latest/dg/r_AVG.html, Data types)', () => {
  it('of integers is a BIGINT with the fraction cut off; of a DECIMAL keeps its scale; of floats is DOUBLE PRECISION', async () => {
    expect(await run('SELECT AVG(x) FROM (VALUES (1), (2), (7)) v(x)')).toEqual({ names: ['avg'], rows: [['3']], types: ['bigint'] });
    expect(
      await one('SELECT AVG(CAST(x AS SMALLINT)), AVG(CAST(x AS BIGINT)), AVG(-x), AVG(DISTINCT x) FROM (VALUES (1), (2), (7), (7)) v(x)'),
    ).toEqual(['4', '4', '-4', '3']);
    expect(await run('SELECT AVG(x) FROM (VALUES (1.25), (2.00), (3.10)) v(x)')).toEqual({
      names: ['avg'],
      rows: [['2.11']],
      types: ['numeric'],
    });
    expect(await run('SELECT AVG(CAST(x AS REAL)) FROM (VALUES (1.5), (2.25)) v(x)')).toEqual({
      names: ['avg'],
      rows: [['1.875']],
      types: ['double precision'],
    });
    expect((await run('SELECT x, AVG(x) OVER (ORDER BY x) FROM (VALUES (1), (2), (4)) v(x)')).rows).toEqual([
      ['1', '1'],
      ['2', '1'],
      ['4', '2'],
    ]);
  });
});

describe('SUM (https://docs.aws.amazon.com/redshift/latest/dg/r_SUM.html, Data types)', () => {
  it('of SMALLINT or INTEGER is a BIGINT, of BIGINT a NUMERIC, of REAL a DOUBLE PRECISION', async () => {
    expect(
      await run(
        'SELECT SUM(x), SUM(CAST(x AS SMALLINT)), SUM(CAST(x AS BIGINT)), SUM(CAST(x AS REAL)), SUM(x * 1.50), SUM(DISTINCT x) FROM (VALUES (1), (2), (2)) v(x)',
      ),
    ).toEqual({
      names: ['sum', 'sum', 'sum', 'sum', 'sum', 'sum'],
      rows: [['5', '5', '5', '5', '7.50', '3']],
      types: ['bigint', 'bigint', 'numeric', 'double precision', 'numeric', 'bigint'],
    });
    expect(await one('SELECT SUM(x), SUM(CAST(x AS REAL)) FROM (VALUES (CAST(NULL AS INTEGER))) v(x)')).toEqual(['null', 'null']);
  });
});

describe('SQRT, EXP and POWER return DOUBLE PRECISION (https://docs.aws.amazon.com/redshift/latest/dg/r_SQRT.html, r_EXP.html, r_POWER.html)', () => {
  it('SQRT: the page examples', async () => {
    expect(await run("select sqrt(16), sqrt('16'), sqrt(round(16.4))")).toMatchObject({
      names: ['sqrt', 'sqrt', 'sqrt'],
      rows: [['4', '4', '4']],
      types: ['double precision', 'double precision', 'double precision'],
    });
    // The page's last example says 5.046265044040321 for sqrt(20/pi()): a page error, the square root
    // of 6.366... is 2.523... (5.046... is twice it, the diameter).
    expect(await one('select sqrt(20/pi())')).toEqual(['2.5231325220201604']);
  });

  it('EXP and POWER of a DECIMAL are DOUBLE PRECISION too, not PostgreSQL numeric', async () => {
    expect(await run('select exp(1.0), power(2.0, 3), pow(1.5, 2)')).toMatchObject({
      names: ['exp', 'power', 'pow'],
      rows: [['2.718281828459045', '8', '2.25']],
      types: ['double precision', 'double precision', 'double precision'],
    });
  });
});
