import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialectError, POSTGRES_PRELUDE, toPostgres } from '../../local/dialect-bridge';
import { openTestEngine, type TestEngine } from '../support/engine';
import { bridgeQueries } from '../support/redshift-query';

/**
 * Redshift functions and clauses run offline: each Redshift statement goes through the dialect
 * bridge and runs on the real engine (PGlite, or a server when SPARKIFY_TEST_DATABASE_URL is set),
 * and must give the answer the cited Redshift page documents, most of them the page's own examples.
 */
let db: TestEngine;
beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
  await db.engine.exec(POSTGRES_PRELUDE); // idempotent
  await db.engine.exec(`CREATE TABLE sales (sellerid INT, dateid INT, qtysold SMALLINT, name VARCHAR(20), price NUMERIC(20,2));
    INSERT INTO sales VALUES (1, 10, 1, 'b', 1234567890123456.01), (2, 11, 3, 'a', 1234567890123456.02), (2, 12, 2, NULL, 3.00),
      (3, 12, 4, '', 4.00), (3, 13, 2, 'a', 5.00);
    CREATE TABLE store_sales (ss_sold_date DATE, ss_sold_time TIME, ss_item TEXT, ss_sales_price FLOAT);
    INSERT INTO store_sales VALUES ('2022-01-01', '09:00:00', 'Product 1', 100.0), ('2022-01-01', '11:00:00', 'Product 2', 500.0),
      ('2022-01-01', '15:00:00', 'Product 3', 20.0), ('2022-01-01', '17:00:00', 'Product 4', 1000.0),
      ('2022-01-01', '18:00:00', 'Product 5', 30.0), ('2022-01-02', '10:00:00', 'Product 6', 5000.0),
      ('2022-01-02', '16:00:00', 'Product 7', 5.0);`);
});
afterAll(async () => db.dispose());

/** The rows of a Redshift query, run through the bridge; values as text (as Redshift prints them). */
const { rows, one, failure } = bridgeQueries(() => db.engine);

describe('NVL, NVL2, DECODE', () => {
  it('NVL2 picks by NULL-ness (https://docs.aws.amazon.com/redshift/latest/dg/r_NVL2.html)', async () => {
    expect(await one("SELECT NVL2(NULL, 1, 2), NVL2('x', 1, 2), NVL(NULL, NULL, 'c')")).toEqual(['2', '1', 'c']);
  });

  it('DECODE matches values, NULL to NULL, and falls back (https://docs.aws.amazon.com/redshift/latest/dg/r_DECODE_expression.html)', async () => {
    expect(
      await one(
        "SELECT DECODE('MLB', 'NHL', 'National Hockey League', 'MLB', 'Major League Baseball', 'Unknown'), DECODE('XX', 'NHL', 'a', 'Unknown'), DECODE(NULL, NULL, 1234, 5), DECODE(7, 8, 'x')",
      ),
    ).toEqual(['Major League Baseball', 'Unknown', '1234', 'null']);
  });
});

describe('dates and times', () => {
  it('GETDATE and SYSDATE are UTC timestamps without a zone', async () => {
    expect(await one('SELECT pg_typeof(GETDATE())::text, pg_typeof(SYSDATE)::text')).toEqual([
      'timestamp without time zone',
      'timestamp without time zone',
    ]);
  });

  it('DATEADD follows the doc examples (https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html)', async () => {
    expect(
      await one(
        "SELECT DATEADD(month, 18, '2008-02-28'), DATEADD(m, 30, '2008-02-28'), DATEADD(month, 1, '2008-04-30'), DATEADD(month, 12, '2016-02-29'), DATEADD(year, 1, '2016-02-29'), DATEADD(day, 30, DATE '2008-11-01')",
      ),
    ).toEqual([
      '2009-08-28 00:00:00',
      '2008-02-28 00:30:00',
      '2008-05-30 00:00:00',
      '2017-02-28 00:00:00',
      '2017-03-01 00:00:00',
      '2008-12-01 00:00:00',
    ]);
    expect(
      await one("SELECT DATEADD(hour, 8, TIME '13:24:55'), DATEADD(hour, 12, TIME '13:24:55'), DATEADD(hour, 2, TIMETZ '13:24:55 PST')"),
    ).toEqual(['21:24:55', '01:24:55', '23:24:55+00']);
  });

  it('DATEADD takes every documented date part and abbreviation', async () => {
    const parts: [string, string][] = [
      ['mils', '3008-01-31 10:00:00'],
      ['cent', '2108-01-31 10:00:00'],
      ['decs', '2018-01-31 10:00:00'],
      ['yrs', '2009-01-31 10:00:00'],
      ['qtr', '2008-04-30 10:00:00'],
      ['mon', '2008-02-29 10:00:00'],
      ['w', '2008-02-07 10:00:00'],
      ['d', '2008-02-01 10:00:00'],
      ['hr', '2008-01-31 11:00:00'],
      ['mins', '2008-01-31 10:01:00'],
      ['secs', '2008-01-31 10:00:01'],
      ['ms', '2008-01-31 10:00:00.001'],
      ['usecs', '2008-01-31 10:00:00.000001'],
    ];
    for (const [part, expected] of parts) {
      const row = await one(`SELECT CAST(DATEADD(${part}, 1, TIMESTAMP '2008-01-31 10:00:00') AS VARCHAR)`);
      expect([part, row[0]]).toEqual([part, expected]);
    }
  });

  it('DATEDIFF counts boundaries crossed (https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html)', async () => {
    expect(
      await one(
        "SELECT DATEDIFF(week, '2009-01-01', '2009-12-31'), DATEDIFF(hour, '2023-01-01', '2023-01-03 05:04:03'), DATEDIFF(days, 'Jun 1,2008 09:59:59 EST', 'Jul 4,2008 09:59:59 EST'), DATEDIFF(year, DATE '2008-12-31', DATE '2009-01-01'), DATEDIFF(hour, TIMESTAMP '2009-01-01 08:30:00', TIMESTAMP '2009-01-01 10:00:00')",
      ),
    ).toEqual(['52', '53', '33', '1', '2']);
    expect(
      await one(
        "SELECT DATEDIFF(hour, TIME '20:00:00', TIME '15:24:45'), DATEDIFF(minute, TIME '20:00:00', TIME '21:00:00'), DATEDIFF(hours, TIMETZ '20:00:00 PST', TIMETZ '00:58:00 EST')",
      ),
    ).toEqual(['-5', '60', '1']);
  });

  it('a DATEDIFF week boundary is a Monday, as DATE_TRUNC(week) says (https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_TRUNC.html)', async () => {
    // 2018-11-03 is a Saturday, 11-04 a Sunday, 11-05 a Monday.
    expect(
      await one(
        "SELECT DATEDIFF(week, '2018-11-03', '2018-11-04'), DATEDIFF(week, '2018-11-04', '2018-11-05'), DATEDIFF(w, '2018-11-05', '2018-11-03')",
      ),
    ).toEqual(['0', '1', '-1']);
    expect(
      await one(
        "SELECT DATEDIFF(month, '2018-01-31', '2018-02-01'), DATEDIFF(qtr, '2018-03-31', '2018-04-01'), DATEDIFF(decade, '2009-12-31', '2010-01-01')",
      ),
    ).toEqual(['1', '1', '1']);
  });

  it('a date part Redshift does not document for DATEADD is refused, naming it', () => {
    expect(() => toPostgres('SELECT DATEADD(dow, 1, x) FROM t', { file: 'q.sql', line: 3 })).toThrow(DialectError);
    expect(() => toPostgres('SELECT DATEADD(dow, 1, x) FROM t', { file: 'q.sql', line: 3 })).toThrow(/q\.sql:3: DATEADD\(dow/);
  });

  it('CONVERT_TIMEZONE: names, abbreviations and POSIX offsets (https://docs.aws.amazon.com/redshift/latest/dg/CONVERT_TIMEZONE.html)', async () => {
    expect(
      await one(
        "SELECT CONVERT_TIMEZONE('PST', TIMESTAMP '2008-08-24 09:36:12'), CONVERT_TIMEZONE('US/Pacific', TIMESTAMP '2008-08-24 09:36:12'), CONVERT_TIMEZONE('EST', 'PST', '20080305 12:25:29'), CONVERT_TIMEZONE('America/New_York', '2013-02-01 08:00:00'), CONVERT_TIMEZONE('America/New_York', '2013-06-01 08:00:00')",
      ),
    ).toEqual(['2008-08-24 01:36:12', '2008-08-24 02:36:12', '2008-03-05 09:25:29', '2013-02-01 03:00:00', '2013-06-01 04:00:00']);
    expect(
      await one(
        "SELECT CONVERT_TIMEZONE('GMT','NEWZONE +2','2014-05-17 12:00:00'), CONVERT_TIMEZONE('GMT','NEWZONE-2:15','2014-05-17 12:00:00'), CONVERT_TIMEZONE('GMT','America/Los_Angeles+2','2014-05-17 12:00:00'), CONVERT_TIMEZONE('GMT','GMT+2','2014-05-17 12:00:00')",
      ),
    ).toEqual(['2014-05-17 10:00:00', '2014-05-17 14:15:00', '2014-05-17 10:00:00', '2014-05-17 10:00:00']);
    expect(await failure("SELECT CONVERT_TIMEZONE('+02:00', '2014-05-17 12:00:00')")).toMatch(/not supported offline: CONVERT_TIMEZONE/);
  });
});

describe('strings', () => {
  it('LEN and LENGTH: CHAR trailing blanks not counted, VARCHAR ones counted (https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html)', async () => {
    expect(
      await one(
        "SELECT LEN('cat'), LEN('cat   '), LEN(CAST('cat   ' AS CHAR(6))), LEN(CAST('cat   ' AS VARCHAR(6))), LENGTH(CAST('cat   ' AS CHAR(6))), LEN('français')",
      ),
    ).toEqual(['3', '6', '3', '6', '3', '8']);
  });

  it('CHARINDEX (https://docs.aws.amazon.com/redshift/latest/dg/r_CHARINDEX.html)', async () => {
    expect(await one("SELECT CHARINDEX('fish', 'dogfish'), CHARINDEX('dog', 'fish')")).toEqual(['4', '0']);
  });
});

describe('aggregates', () => {
  it('LISTAGG ignores NULLs and empty strings, orders WITHIN GROUP (https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html)', async () => {
    expect(await one('SELECT LISTAGG(sellerid) WITHIN GROUP (ORDER BY sellerid) FROM sales')).toEqual(['12233']);
    expect(await one("SELECT LISTAGG(name, ', ') WITHIN GROUP (ORDER BY dateid DESC) FROM sales")).toEqual(['a, a, b']);
    expect(await one("SELECT LISTAGG(DISTINCT name, ',') WITHIN GROUP (ORDER BY name) FROM sales")).toEqual(['a,b']);
    expect(
      await rows("SELECT sellerid, LISTAGG(dateid, '-') WITHIN GROUP (ORDER BY dateid) FROM sales GROUP BY sellerid ORDER BY 1"),
    ).toEqual([
      ['1', '10'],
      ['2', '11-12'],
      ['3', '12-13'],
    ]);
  });

  it('LISTAGG(DISTINCT) over trailing-blank duplicates is refused, not guessed', async () => {
    expect(await failure("SELECT LISTAGG(DISTINCT x, ',') FROM (SELECT 'a' AS x UNION ALL SELECT 'a ') s")).toMatch(
      /not supported offline: LISTAGG\(DISTINCT/,
    );
  });

  it('MEDIAN is exact PERCENTILE_CONT(0.5), also as a window function (https://docs.aws.amazon.com/redshift/latest/dg/r_MEDIAN.html)', async () => {
    expect(await one('SELECT MEDIAN(qtysold), MEDIAN(price), MEDIAN(CAST(qtysold AS FLOAT)) FROM sales')).toEqual(['2.0', '5.000', '2']);
    expect(await one('SELECT MEDIAN(price) FROM sales WHERE dateid < 12')).toEqual(['1234567890123456.015']);
    expect(await rows('SELECT DISTINCT sellerid, MEDIAN(qtysold) OVER (PARTITION BY sellerid) FROM sales ORDER BY 1')).toEqual([
      ['1', '1.0'],
      ['2', '2.5'],
      ['3', '3.0'],
    ]);
  });

  it('APPROXIMATE COUNT(DISTINCT) is answered exactly, within its documented error', async () => {
    expect(await one('SELECT APPROXIMATE COUNT(DISTINCT sellerid) FROM sales')).toEqual(['3']);
  });
});

describe('clauses', () => {
  it('SELECT TOP n is LIMIT n, with DISTINCT and ORDER BY (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html)', async () => {
    expect(await rows('SELECT TOP 2 sellerid FROM sales ORDER BY dateid DESC, sellerid DESC')).toEqual([['3'], ['3']]);
    expect(await rows('SELECT DISTINCT TOP 2 sellerid FROM sales ORDER BY sellerid')).toEqual([['1'], ['2']]);
    expect(await rows('SELECT * FROM (SELECT TOP 1 sellerid FROM sales ORDER BY sellerid DESC) AS s')).toEqual([['3']]);
  });

  it('QUALIFY filters after the window functions (https://docs.aws.amazon.com/redshift/latest/dg/r_QUALIFY_clause.html)', async () => {
    // The doc's example: the two most expensive items sold after 12:00 each day.
    expect(
      await rows(`select *
from store_sales ss
where ss_sold_time > time '12:00:00'
qualify row_number()
over (partition by ss_sold_date order by ss_sales_price desc) <= 2
order by ss_sold_date, ss_sales_price desc`),
    ).toEqual([
      ['2022-01-01 00:00:00', '17:00:00', 'Product 4', '1000'],
      ['2022-01-01 00:00:00', '18:00:00', 'Product 5', '30'],
      ['2022-01-02 00:00:00', '16:00:00', 'Product 7', '5'],
    ]);
    expect(
      await rows(
        'SELECT TOP 1 sellerid, COUNT(*) AS n FROM sales GROUP BY sellerid QUALIFY ROW_NUMBER() OVER (ORDER BY COUNT(*) DESC, sellerid) <= 2 ORDER BY sellerid DESC',
      ),
    ).toEqual([['3', '2']]);
  });

  it('a QUALIFY shape the rewrite cannot carry is refused with file, line and the subquery to write', () => {
    expect(() =>
      toPostgres('SELECT a, COUNT(*)\nFROM t GROUP BY a\nQUALIFY RANK() OVER (ORDER BY a) = 1', { file: 'q.sql', line: 1 }),
    ).toThrow(
      /^q\.sql:1: not supported offline: QUALIFY with an unnamed select-list expression \(COUNT\(\*\)\): name it with AS; or write the filter as a subquery/,
    );
    expect(() =>
      toPostgres('SELECT *\nFROM t JOIN u ON t.a = u.a\nQUALIFY RANK() OVER (ORDER BY t.a) = 1', { file: 'q.sql', line: 1 }),
    ).toThrow(/q\.sql:1: not supported offline: QUALIFY with SELECT \* over more than one relation/);
  });

  it('MINUS is EXCEPT (https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html)', async () => {
    expect(await rows('SELECT sellerid FROM sales MINUS SELECT 2 ORDER BY 1')).toEqual([['1'], ['3']]);
  });

  it('TRY_CAST answers NULL where the conversion fails (https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html)', async () => {
    expect(
      await one("SELECT TRY_CAST('12' AS INTEGER), TRY_CAST('x' AS INTEGER), TRY_CAST('2018-11-31' AS DATE), TRY_CAST(NULL AS INT)"),
    ).toEqual(['12', 'null', 'null', 'null']);
    expect(await one("SELECT TRY_CAST(TRY_CAST('7.5' AS DECIMAL(4,1)) AS INTEGER), TRY_CAST('2018-11-30' AS DATE)")).toEqual([
      '8',
      '2018-11-30 00:00:00',
    ]);
  });
});
