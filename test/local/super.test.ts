import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialectError, POSTGRES_PRELUDE, toPostgres } from '../../local/dialect-bridge';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { formatRefusal } from '../../local/redshift-gate/refusal';
import { superText } from '../../local/super/print';
import { twinStatement } from '../../local/twin-statement';
import { openTestEngine, type TestEngine } from '../support/engine';
import { bridgeQueries } from '../support/redshift-query';

/**
 * SUPER offline (docs/super.md): each Redshift statement passes the Redshift gate, goes through the
 * dialect bridge and runs on the real engine (PGlite, or a server when SPARKIFY_TEST_DATABASE_URL
 * is set). Expected values are the cited pages' printed results, as Redshift prints them (a SUPER
 * value as compact JSON text, strings quoted; NULL as null).
 */
let db: TestEngine;
beforeAll(async () => {
  await loadRedshiftGate();
  db = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
  await db.engine.exec(POSTGRES_PRELUDE); // idempotent
});
afterAll(async () => db.dispose());

async function run(redshift: string): Promise<(string | null)[][]> {
  expect(checkRedshiftSql(redshift, 'q.sql').map(formatRefusal)).toEqual([]);
  const { rows } = await db.engine.queryArrays(toPostgres(redshift));
  return rows.map((row) => row.map(shown));
}

/** A value as Redshift prints it: a DATE as YYYY-MM-DD (the engine gives a Date). */
function shown(value: unknown): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

/** As the twin runs a statement (local/twin-statement.ts): the bridge is told the statement's SUPER columns. */
async function runTwin(redshift: string): Promise<(string | null)[][]> {
  expect(checkRedshiftSql(redshift, 'q.sql').map(formatRefusal)).toEqual([]);
  const { rows } = await db.engine.queryArrays(await twinStatement(db.engine, redshift));
  return rows.map((row) => row.map(shown));
}

async function columns(redshift: string): Promise<string[]> {
  const { fields } = await db.engine.queryArrays(toPostgres(redshift));
  return fields.map((field) => field.name);
}

const { failure } = bridgeQueries(() => db.engine);

describe('JSON_PARSE, JSON_SERIALIZE, JSON_TYPEOF and the constructors, as their pages print them', () => {
  it.each([
    // https://docs.aws.amazon.com/redshift/latest/dg/JSON_PARSE.html
    [`SELECT JSON_PARSE('[10001,10002,"abc"]')`, '[10001,10002,"abc"]'],
    [`SELECT JSON_TYPEOF(JSON_PARSE('[10001,10002,"abc"]'))`, 'array'],
    // https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE.html
    [`SELECT JSON_SERIALIZE(JSON_PARSE('[10001,10002,"abc"]'))`, '[10001,10002,"abc"]'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_array.html
    ['select array(1,50,null,100)', '[1,50,null,100]'],
    [`select array(1,'abc',true,3.14)`, '[1,"abc",true,3.14]'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_object_function.html
    ['select object()', '{}'],
    [`select object('a', 1, 'b', true, 'c', 3.14)`, '{"a":1,"b":true,"c":3.14}'],
    [`select object('a', object('aa', 1), 'b', array(2,3), 'c', json_parse('{}'))`, '{"a":{"aa":1},"b":[2,3],"c":{}}'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_json_typeof.html
    ['SELECT JSON_TYPEOF(ARRAY(1,2))', 'array'],
    [`SELECT JSON_TYPEOF(JSON_PARSE('{"name":"Joe"}'))`, 'object'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_json_size.html
    [`SELECT JSON_SIZE(JSON_PARSE('[10001,10002,"⬤"]'))`, '19'],
    // https://docs.aws.amazon.com/redshift/latest/dg/get_array_length.html
    ['SELECT GET_ARRAY_LENGTH(ARRAY(1,2,3,4,5,6,7,8,9,10))', '10'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_array_concat.html
    ['SELECT ARRAY_CONCAT(ARRAY(10001,10002),ARRAY(10003,10004))', '[10001,10002,10003,10004]'],
    [`SELECT ARRAY_CONCAT(ARRAY(10001,10002),ARRAY('ab','cd'))`, '[10001,10002,"ab","cd"]'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_subarray.html
    [`SELECT SUBARRAY(ARRAY('a', 'b', 'c', 'd', 'e', 'f'), 2, 3)`, '["c","d","e"]'],
    // https://docs.aws.amazon.com/redshift/latest/dg/array_flatten.html
    ['SELECT ARRAY_FLATTEN(ARRAY(ARRAY(1,2,3,4),ARRAY(5,6,7,8),ARRAY(9,10)))', '[1,2,3,4,5,6,7,8,9,10]'],
    // https://docs.aws.amazon.com/redshift/latest/dg/split_to_array.html
    [`SELECT SPLIT_TO_ARRAY('12|345|6789', '|')`, '["12","345","6789"]'],
    // https://docs.aws.amazon.com/redshift/latest/dg/array_sort.html
    [`SELECT ARRAY_SORT(ARRAY('b', 'a', 0, NULL, 1, false))`, '[false,0,1,"a","b",null]'],
    [`SELECT ARRAY_SORT(ARRAY('b', 'a', 0, NULL, 1, false), False)`, '[null,"b","a",1,0,false]'],
    [`SELECT ARRAY_SORT(ARRAY('b', 'a', 0, NULL, 1, false), False, False)`, '["b","a",1,0,false,null]'],
  ])('%s', async (sql, expected) => {
    expect(await run(sql)).toEqual([[expected]]);
  });

  it('names unaliased constructors and casts through SUPER as Redshift does', async () => {
    // r_array.html and r_object_function.html print the columns array and object.
    expect(await columns('select array(1,50,null,100)')).toEqual(['array']);
    expect(await columns(`select object('a', 1, 'b', true, 'c', 3.14)`)).toEqual(['object']);
    expect(await columns('SELECT ARRAY_CONCAT(ARRAY(10001,10002),ARRAY(10003,10004))')).toEqual(['array_concat']);
    // https://docs.aws.amazon.com/redshift/latest/dg/limitations-super.html: bool | True; 5.0 gives NULL.
    expect(await columns('SELECT 5::super::bool')).toEqual(['bool']);
    expect(await run('SELECT 5::super::bool, 5.0::super::bool')).toEqual([['true', null]]);
    // An alias still wins.
    expect(await columns('SELECT array(1) AS a, 5::super::bool AS b')).toEqual(['a', 'b']);
  });

  it('refuses what Redshift refuses or the twin cannot answer as Redshift does', async () => {
    // r_object_function.html: "errors out because DATE type can't be converted to SUPER type"
    expect(await failure(`select object('k', '2008-12-31'::date)`)).toMatch(/date/i);
  });

  it.each([
    // https://docs.aws.amazon.com/redshift/latest/dg/r_SIZE.html: Redshift's in-memory size
    [`SELECT SIZE(json_parse('[0,1,2,3]'))`, 'SIZE', 'JSON_SIZE for the serialized size'],
    // array_contains.html and the pages beside it: how an element compares with the value is not on them
    ['SELECT ARRAY_CONTAINS(ARRAY(1, 2), 1)', 'ARRAY_CONTAINS', 'unnest the array (FROM t, t.arr AS e WHERE e = value)'],
    ['SELECT ARRAY_POSITION(ARRAY(1, 2), 1)', 'ARRAY_POSITION', 'unnest the array with its index'],
    // array_distinct.html: "The order of elements in the output array is not guaranteed"
    ['SELECT ARRAY_DISTINCT(ARRAY(1, 1))', 'ARRAY_DISTINCT', 'unnest the array and SELECT DISTINCT'],
  ])('refuses %s before it runs, as Redshift SQL the twin does not run', (sql, name, instead) => {
    const [refusal, ...more] = checkRedshiftSql(sql, 'q.sql').map(formatRefusal);
    expect(more).toEqual([]);
    expect(refusal).toContain(`q.sql:1:8: ${name} is Redshift SQL that the offline twin does not run; ${instead}`);
  });

  it('sorts by type, then within it, as array_sort.html orders mixed types', async () => {
    expect(await run(`SELECT ARRAY_SORT(ARRAY(true, 'b', NULL, 'ab', 2.5, false, 10, 'a'), TRUE, TRUE)`)).toEqual([
      ['[null,false,true,2.5,10,"a","ab","b"]'],
    ]);
    expect(
      await run(`SELECT ARRAY_SORT(JSON_PARSE('[]')), ARRAY_SORT(JSON_PARSE('{"a":1}')), ARRAY_SORT(ARRAY(NULL, NULL), FALSE)`),
    ).toEqual([['[]', null, '[null,null]']]);
    // How arrays and objects order among themselves is not on the page.
    expect(await failure('SELECT ARRAY_SORT(ARRAY(ARRAY(2), ARRAY(1)))')).toMatch(
      /not supported offline: ARRAY_SORT of an array holding arrays or objects/,
    );
  });
});

describe("unnesting's AT index, and a column named at", () => {
  it('reads `AS a AT i` as the index, and leaves a column named at alone', async () => {
    await loadRedshiftGate();
    expect(checkRedshiftSql('CREATE TABLE meta_plays (id BIGINT NOT NULL, at TIMESTAMP, n NUMERIC(10,2))', 'q.sql')).toEqual([]);
    expect(checkRedshiftSql('SELECT c.c_name, o AS orders, i FROM customer_orders_lineitem c, c.c_orders AS o AT i', 'q.sql')).toEqual([]);
  });
});

describe('a SUPER column and the type information functions (the pages that create table t)', () => {
  it.each([
    // https://docs.aws.amazon.com/redshift/latest/dg/r_is_integer.html, r_is_smallint.html, r_is_bigint.html
    ['INSERT INTO t VALUES (5)', 'SELECT s, is_integer(s), is_smallint(s), is_bigint(s) FROM t', [['5', 'true', 'true', 'true']]],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_is_decimal.html
    ['INSERT INTO t VALUES (1.22)', 'SELECT s, is_decimal(s), is_integer(s) FROM t', [['1.22', 'true', 'false']]],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_is_boolean.html (the page prints s as "true", a string; a boolean prints true)
    ['INSERT INTO t VALUES (TRUE)', 'SELECT s, is_boolean(s), is_scalar(s) FROM t', [['true', 'true', 'true']]],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_decimal_precision.html, r_decimal_scale.html
    ['INSERT INTO t VALUES (3.14159)', 'SELECT decimal_precision(s), decimal_scale(s) FROM t', [['6', '5']]],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_is_scalar.html
    [`INSERT INTO t VALUES (JSON_PARSE('{"name": "Joe"}'))`, 'SELECT s, is_scalar(s.name) FROM t', [['{"name":"Joe"}', 'true']]],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_is_varchar.html
    [`INSERT INTO t VALUES ('abc')`, 'SELECT s, is_varchar(s) FROM t', [['"abc"', 'true']]],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_is_char.html (and a non-ASCII string, which is not a CHAR)
    [
      `INSERT INTO t VALUES ('t'), ('é')`,
      'SELECT s, is_char(s) FROM t',
      [
        ['"t"', 'true'],
        ['"é"', 'false'],
      ],
    ],
    // ingest-super.html: "If the json_parse function is missing in the query, Amazon Redshift treats the value as a single string"
    [
      `INSERT INTO t VALUES ('{"a":1}'), ('5')`,
      'SELECT s, json_typeof(s) FROM t',
      [
        ['"{\\"a\\":1}"', 'string'],
        ['"5"', 'string'],
      ],
    ],
  ])('%s; %s', async (insert, select, expected) => {
    await db.engine.exec(`DROP TABLE IF EXISTS t; ${toPostgres('CREATE TABLE t(s super)')}; ${toPostgres(insert)}`);
    expect(await run(select)).toEqual(expected);
  });

  it("reads a literal in UPDATE ... SET by its column's type too: a SUPER string", async () => {
    await db.engine.exec(
      `DROP TABLE IF EXISTS t; ${toPostgres('CREATE TABLE t(s super, n INTEGER)')}; ${toPostgres('INSERT INTO t VALUES (1, 1)')}`,
    );
    await db.engine.exec(toPostgres(`UPDATE t SET s = '{"a":1}', n = '2' WHERE n = 1`));
    expect(await run('SELECT s, json_typeof(s), n FROM t')).toEqual([['"{\\"a\\":1}"', 'string', '2']]);
  });

  it('all of them are false for NULL (query-super.html: "All these functions return false if the input value is null")', async () => {
    expect(await run('SELECT is_array(NULL::super), is_object(NULL::super), is_scalar(NULL::super), is_varchar(NULL::super)')).toEqual([
      ['false', 'false', 'false', 'false'],
    ]);
  });

  it('refuses a FLOAT into SUPER, which Redshift keeps a float (r_is_float.html prints 2.22e+0) and the twin cannot', async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS t; ${toPostgres('CREATE TABLE t(s super)')}`);
    expect(await failure('INSERT INTO t VALUES(2.22::FLOAT)')).toMatch(/not supported offline: a FLOAT value into SUPER/);
  });

  it('OBJECT over table columns (r_object_function.html)', async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS bar; ${toPostgres('create table bar (k varchar, v super)')}`);
    await db.engine.exec(toPostgres(`insert into bar values ('k1', json_parse('[1]')), ('k2', json_parse('{}'))`));
    expect(await run('select object(k, v) from bar order by k')).toEqual([['{"k1":[1]}'], ['{"k2":{}}']]);
  });
});

describe('PartiQL navigation, lax semantics and dynamic typing (query-super.html)', () => {
  beforeAll(async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS customer_orders_lineitem;
      ${toPostgres('CREATE TABLE customer_orders_lineitem (c_custkey INTEGER, c_name VARCHAR(30), c_orders SUPER)')};
      ${toPostgres(`INSERT INTO customer_orders_lineitem VALUES
        (1, 'Customer#000008251', JSON_PARSE('[{"o_orderkey": 3020007, "o_orderstatus": "P", "o_orderdate": "2001-09-08"}]')),
        (2, 'Customer#000009452', JSON_PARSE('[{"o_orderkey": 4043971, "o_orderstatus": "Good"}, {"o_orderkey": 5}]')),
        (3, 'Customer#000000003', JSON_PARSE('[{"o_orderkey": 17, "o_orderstatus": 1}]'))`)}`);
  });

  it('navigates with dots and brackets, with or without the table alias', async () => {
    expect(await run('SELECT c_orders[0].o_orderkey FROM customer_orders_lineitem ORDER BY c_custkey')).toEqual([
      ['3020007'],
      ['4043971'],
      ['17'],
    ]);
    expect(await run('SELECT cust.c_orders[0].o_orderkey FROM customer_orders_lineitem AS cust ORDER BY 1')).toEqual([
      ['17'],
      ['3020007'],
      ['4043971'],
    ]);
    expect(await run('SELECT count(*) FROM customer_orders_lineitem WHERE c_orders[0]. o_orderkey IS NOT NULL')).toEqual([['3']]);
  });

  it('names an unaliased navigation after its last attribute', async () => {
    expect(await columns('SELECT c.c_orders[0].o_orderkey, c.c_name FROM customer_orders_lineitem AS c')).toEqual(['o_orderkey', 'c_name']);
  });

  it('gives NULL for an invalid navigation and an invalid cast (Lax semantics)', async () => {
    expect(await run('SELECT c.c_orders.something, c.c_orders[1][1] FROM customer_orders_lineitem c WHERE c_custkey = 1')).toEqual([
      [null, null],
    ]);
    expect(await run('SELECT c.c_orders[0].o_orderstatus::integer FROM customer_orders_lineitem c ORDER BY c_custkey')).toEqual([
      [null],
      [null],
      ['1'],
    ]);
    expect(
      await run(
        'SELECT c.c_orders[0].o_orderdate::date, CAST(c.c_orders[0].o_orderstatus AS VARCHAR) FROM customer_orders_lineitem c WHERE c_custkey = 1',
      ),
    ).toEqual([['2001-09-08', 'P']]);
  });

  it("= 'P' is true only for the string 'P', false for other types; <= gives NULL for other types (Dynamic typing)", async () => {
    expect(
      await run(
        `SELECT c_custkey, c_orders[0].o_orderstatus = 'P', c_orders[0].o_orderstatus <= 'P' FROM customer_orders_lineitem ORDER BY 1`,
      ),
    ).toEqual([
      ['1', 'true', 'true'],
      ['2', 'false', 'true'],
      ['3', 'false', null],
    ]);
    expect(await run(`SELECT c_orders[0].o_orderkey FROM customer_orders_lineitem WHERE c_orders[0].o_orderstatus = 'P'`)).toEqual([
      ['3020007'],
    ]);
    expect(await run('SELECT c_custkey FROM customer_orders_lineitem WHERE c_orders[0].o_orderkey = 17')).toEqual([['3']]);
  });

  it('unnests arrays in FROM, with AT index (Unnesting queries)', async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS bar; DROP TABLE IF EXISTS foo;
      ${toPostgres(`CREATE TABLE bar AS SELECT json_parse('{"scalar_array": [1, 2.3, 45000000]}') AS data`)};
      ${toPostgres(`CREATE TABLE foo AS SELECT json_parse('[[1.1, 1.2], [2.1, 2.2], [3.1, 3.2]]') AS multi_level_array`)}`);
    expect(await run('SELECT index, element FROM bar AS b, b.data.scalar_array AS element AT index')).toEqual([
      ['0', '1'],
      ['1', '2.3'],
      ['2', '45000000'],
    ]);
    expect(await run('SELECT array, element FROM foo AS f, f.multi_level_array AS array, array AS element')).toEqual([
      ['[1.1,1.2]', '1.1'],
      ['[1.1,1.2]', '1.2'],
      ['[2.1,2.2]', '2.1'],
      ['[2.1,2.2]', '2.2'],
      ['[3.1,3.2]', '3.1'],
      ['[3.1,3.2]', '3.2'],
    ]);
    expect(
      await run(`SELECT c_name, orders.o_orderkey AS orderkey, index AS orderkey_index
        FROM customer_orders_lineitem c, c.c_orders AS orders AT index WHERE c_custkey < 3 ORDER BY orderkey_index, c_name`),
    ).toEqual([
      ['Customer#000008251', '3020007', '0'],
      ['Customer#000009452', '4043971', '0'],
      ['Customer#000009452', '5', '1'],
    ]);
    // What the gate offers for ARRAY_CONTAINS and ARRAY_POSITION (functions.ts) runs offline.
    expect(await run(`SELECT index FROM bar AS b, b.data.scalar_array AS element AT index WHERE element = 2.3`)).toEqual([['1']]);
  });

  it('refuses UNPIVOT as Redshift SQL the twin does not run', () => {
    const sql = 'SELECT attr FROM customer_orders_lineitem c, UNPIVOT c.c_orders[0] AS val AT attr WHERE c_custkey = 9451';
    expect(checkRedshiftSql(sql, 'q.sql').map(formatRefusal)).toEqual([
      'q.sql:1:46: not supported offline: UNPIVOT of a SUPER object in FROM (PartiQL object unpivoting) (Redshift runs it; keep it out of the load plan)',
    ]);
    expect(() => toPostgres(sql)).toThrow(DialectError);
  });
});

describe('operators and functions on SUPER values (https://docs.aws.amazon.com/redshift/latest/dg/operators-functions.html)', () => {
  const doc = `(SELECT json_parse('{"a": 7, "s": "ab", "f": 1389636795898.0500, "orders": [{"o_orderkey": 4192801}]}') AS x) AS t`;

  it("gives the page's (c_orders[0]. o_orderkey + 0.5) * c_orders[0]. o_orderkey / 10 = 1757958232200.1500", async () => {
    // The page does not print the key; 4192801 is the order key that gives its result.
    expect(await run(`SELECT (t.x.orders[0]. o_orderkey + 0.5) * t.x.orders[0]. o_orderkey / 10 AS math FROM ${doc}`)).toEqual([
      ['1757958232200.1500'],
    ]);
  });

  it('computes integers as integers, + concatenates strings, and NULL for other types', async () => {
    expect(
      await run(
        `SELECT t.x.a + 1, t.x.a - 1, t.x.a * 2, t.x.a / 2, t.x.a % 2, -t.x.a, t.x.s + t.x.s, t.x.s + t.x.a, t.x.s * 2 FROM ${doc}`,
      ),
    ).toEqual([['8', '6', '14', '3', '1', '-7', '"abab"', null, null]]);
  });

  it('FLOOR, CEIL, ROUND and ABS of a SUPER number, as the page prints them', async () => {
    expect(await run(`SELECT t.x.f, FLOOR(t.x.f), CEIL(t.x.f), ROUND(t.x.f), ABS(t.x.f), FLOOR(t.x.s) FROM ${doc}`)).toEqual([
      ['1389636795898.0500', '1389636795898', '1389636795899', '1389636795898', '1389636795898.0500', null],
    ]);
  });

  it('string functions read a SUPER string, and NULL for another type', async () => {
    expect(await run(`SELECT UPPER(t.x.s), UPPER(t.x.a), t.x.s || '!', LEN(t.x.s) FROM ${doc}`)).toEqual([['AB', null, 'ab!', '2']]);
  });

  it('refuses what it cannot type as Redshift would: other functions, aggregates', async () => {
    const error = (() => {
      try {
        toPostgres(`SELECT DATEADD(day, 1, t.x.a) FROM ${doc}`);
      } catch (caught) {
        return caught as DialectError;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/DATEADD\(\) of a SUPER value: is Redshift SQL that the offline twin does not run/);
    expect(await failure(`SELECT SUM(t.x.a) FROM ${doc}`)).toMatch(/not supported offline: SUM of a SUPER value \(cast it first/);
    expect(await run(`SELECT SUM(t.x.a::integer) FROM ${doc}`)).toEqual([['7']]);
  });

  it('a SUPER integer cast to BOOLEAN is true', async () => {
    expect(await run(`SELECT t.x.a::bool FROM ${doc}`)).toEqual([['true']]);
  });
});

describe('casts to and from SUPER (https://docs.aws.amazon.com/redshift/latest/dg/limitations-super.html)', () => {
  it('5::super::bool is True, 5.0::super::bool is NULL', async () => {
    expect(await run('SELECT 5::super::bool')).toEqual([['true']]);
    expect(await run('SELECT 5.0::super::bool')).toEqual([[null]]);
  });

  it('casts a SUPER column as it casts a navigated value: NULL where invalid (query-super.html, Lax semantics)', async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS t; ${toPostgres('CREATE TABLE t(id INTEGER, s SUPER)')};
      ${toPostgres(`INSERT INTO t VALUES (1, 'Good'), (2, 5), (3, 2.75), (4, JSON_PARSE('"2019-01-02"')), (5, JSON_PARSE('[1]'))`)}`);
    expect(
      await run(
        'SELECT s::integer, CAST(s AS DECIMAL(10,1)), s::bool, s::varchar, s::char(2), s::date FROM t WHERE id IN (1, 4, 5) ORDER BY id',
      ),
    ).toEqual([
      [null, null, null, 'Good', 'Go', null],
      [null, null, null, '2019-01-02', '20', '2019-01-02'],
      [null, null, null, null, null, null],
    ]);
    expect(await run('SELECT s::integer, CAST(s AS DECIMAL(10,1)), s::bool FROM t WHERE id IN (2, 3) ORDER BY id')).toEqual([
      ['5', '5.0', 'true'],
      ['3', '2.8', null],
    ]);
  });

  it('reads a SUPER column next to a string literal, in a string function, || and LIKE as it reads a navigated value', async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS t; ${toPostgres('CREATE TABLE t(id INTEGER, s SUPER)')};
      ${toPostgres(`INSERT INTO t VALUES (1, 'abc'), (2, 5), (3, JSON_PARSE('"5"')), (4, ARRAY(1))`)}`);
    expect(
      await runTwin(`SELECT id, s = 'abc', s = '5', '5' = t.s, s <= 'b', UPPER(s), s || 'x', 'y' || s, s LIKE 'a%' FROM t ORDER BY id`),
    ).toEqual([
      ['1', 'true', 'false', 'false', 'true', 'ABC', 'abcx', 'yabc', 'true'],
      ['2', 'false', 'false', 'false', null, null, null, null, null],
      ['3', 'false', 'true', 'true', 'true', '5', '5x', 'y5', 'false'],
      ['4', 'false', 'false', 'false', null, null, null, null, null],
    ]);
    // An unnested element likewise (query-super.html, Unnesting queries).
    expect(await runTwin(`SELECT e FROM t, t.s AS e WHERE e = 1`)).toEqual([['1']]);
    // Any SUPER value's || is Redshift's, even where the bridge has no catalog.
    expect(await run(`SELECT JSON_PARSE('"a"') || 'b', JSON_PARSE('1') || 'b'`)).toEqual([['ab', null]]);
  });

  it('refuses a date: \'2019-09-09\'::date::super is "cannot cast type date to super"', async () => {
    expect(await failure(`SELECT '2019-09-09'::date::super`)).toMatch(/cannot cast a date or time type to super/);
  });

  it('casts a string to SUPER as a SUPER string, not a parsed document (ingest-super.html)', async () => {
    expect(await run(`SELECT '{"a":1}'::super, json_typeof('5'::super)`)).toEqual([['"{\\"a\\":1}"', 'string']]);
  });

  it('an object or array cast to VARCHAR is NULL; JSON_SERIALIZE gives its text', async () => {
    await db.engine
      .exec(`DROP TABLE IF EXISTS region_nations; ${toPostgres('CREATE TABLE region_nations (r_regionkey INTEGER, r_nations SUPER)')};
      ${toPostgres(`INSERT INTO region_nations VALUES (300, ARRAY(1, 'abc', null))`)}`);
    expect(await run('SELECT r_nations, r_nations::varchar, JSON_SERIALIZE(r_nations) FROM region_nations WHERE r_regionkey=300')).toEqual([
      ['[1,"abc",null]', null, '[1,"abc",null]'],
    ]);
  });
});

describe('attribute names and enable_case_sensitive_super_attribute (super-configurations.html)', () => {
  const query = `SELECT json_table.data.ITEMS.Name, json_table.data.price
    FROM (SELECT json_parse('{"ITEMS":{"Name":"TV"}, "price": 345}') AS data) AS json_table`;

  it('folds names to lower case by default, so ITEMS.Name is NULL', async () => {
    expect(await run(query)).toEqual([[null, '345']]);
    expect(await columns(query)).toEqual(['name', 'price']);
  });

  it('navigates case-sensitively once the setting is on, and back after RESET', async () => {
    await db.engine.exec(toPostgres('SET enable_case_sensitive_super_attribute to TRUE'));
    expect(await run(query)).toEqual([['"TV"', '345']]);
    await db.engine.exec(toPostgres('RESET enable_case_sensitive_super_attribute'));
    expect(await run(query)).toEqual([[null, '345']]);
  });

  it('the r_enable_case_sensitive_super_attribute.html example', async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS tbl; ${toPostgres('CREATE TABLE tbl (col SUPER)')};
      ${toPostgres(`INSERT INTO tbl VALUES (json_parse('{\n "A": "A", "a": "a"\n}'))`)}`);
    await db.engine.exec(toPostgres('SET enable_case_sensitive_super_attribute TO ON'));
    expect([...(await run('SELECT col.A FROM tbl')), ...(await run('SELECT col.a FROM tbl'))]).toEqual([['"A"'], ['"a"']]);
    await db.engine.exec(toPostgres('SET enable_case_sensitive_super_attribute TO OFF'));
    expect([...(await run('SELECT col.A FROM tbl')), ...(await run('SELECT col.a FROM tbl'))]).toEqual([['"a"'], ['"a"']]);
  });
});

describe("an object's attributes in the document's order, and duplicate attributes", () => {
  it('prints, serializes and navigates an object with its attributes as the document wrote them', async () => {
    // r_explain_model_function.html prints {"state":...,"account_length":...,"area_code":...,"phone":...}: not sorted.
    const doc = `{"state":0.1098, "account_length":0.1772, "area_code":0.0862, "phone":0.0736, "10":1, "b":{"z":1, "a":[2.50, "x"]}}`;
    const compact = '{"state":0.1098,"account_length":0.1772,"area_code":0.0862,"phone":0.0736,"10":1,"b":{"z":1,"a":[2.50,"x"]}}';
    expect(await run(`SELECT JSON_PARSE('${doc}'), JSON_SERIALIZE(JSON_PARSE('${doc}')), JSON_SIZE(JSON_PARSE('${doc}'))`)).toEqual([
      [compact, compact, String(Buffer.byteLength(compact))],
    ]);
    expect(await run(`SELECT j.doc.b FROM (SELECT JSON_PARSE('${doc}') AS doc) AS j`)).toEqual([['{"z":1,"a":[2.50,"x"]}']]);
    expect(await run(`select object('zeta', 1, 'alpha', array(2, 'b'))`)).toEqual([['{"zeta":1,"alpha":[2,"b"]}']]);
  });

  it('prints json text compacted, never reordered, strings re-escaped only where JSON must (local/super/print.ts)', () => {
    expect(superText(String.raw`{ "b" : [1.50, 12345678901234567890], "10": "caf\u00e9 \/ \"q\"\ttab", "a":{"z" :null} }`)).toBe(
      String.raw`{"b":[1.50,12345678901234567890],"10":"café / \"q\"\ttab","a":{"z":null}}`,
    );
  });

  it('refuses an attribute twice in one object, and allows it in a nested one (super-configurations.html, Parsing options)', async () => {
    expect(await failure(`SELECT JSON_PARSE('{"a":1,"b":{"c":2},"a":3}')`)).toMatch(/"a" appears more than once in one object/);
    expect(await failure(`SELECT JSON_PARSE('[{"x":{"c":2,"c":2}}]')`)).toMatch(/"c" appears more than once/);
    expect(await run(`SELECT JSON_PARSE('{"a":1,"b":{"a":2}}')`)).toEqual([['{"a":1,"b":{"a":2}}']]);
    // "The json_parse_dedup_attributes configuration option allows JSON_PARSE to keep only the last occurrence": not run offline.
    expect(() => toPostgres('SET json_parse_dedup_attributes=ON')).toThrow(/changes how Redshift reads identifiers or JSON/);
  });
});

describe('comparing, grouping, joining and ordering SUPER values (query-super.html)', () => {
  beforeAll(async () => {
    await db.engine.exec(`DROP TABLE IF EXISTS sv; ${toPostgres('CREATE TABLE sv (id INTEGER, v SUPER)')};
      ${toPostgres(`INSERT INTO sv VALUES
        (1, JSON_PARSE('{"a":1,"b":[1,"x"]}')), (2, JSON_PARSE('{"b":[1.0,"x  "],"a":1.00}')), (3, JSON_PARSE('"x"')),
        (4, JSON_PARSE('"x  "')), (5, JSON_PARSE('1')), (6, JSON_PARSE('1.0')), (7, JSON_PARSE('true')), (8, NULL)`)}`);
  });

  it("= is deep equality: attribute order, a number's scale and a string's trailing blanks do not matter (Dynamic typing)", async () => {
    expect(await run('SELECT a.id, b.id FROM sv a, sv b WHERE a.v = b.v AND a.id < b.id ORDER BY 1, 2')).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
    expect(await run('SELECT a.v = b.v, a.v <> b.v FROM sv a, sv b WHERE a.id = 3 AND b.id = 5')).toEqual([['false', 'true']]);
  });

  it('< between two types is NULL ("A SUPER value that is a string is neither smaller nor larger than a SUPER value that is a number")', async () => {
    expect(await run('SELECT a.v < b.v, a.v > b.v, b.v < c.v FROM sv a, sv b, sv c WHERE a.id = 3 AND b.id = 5 AND c.id = 6')).toEqual([
      [null, null, 'false'],
    ]);
  });

  it('groups and counts DISTINCT by the same deep equality', async () => {
    expect(await run('SELECT count(DISTINCT v), count(*) FROM sv')).toEqual([['4', '8']]);
    expect(await run('SELECT min(id), count(*) FROM sv GROUP BY v ORDER BY 1')).toEqual([
      ['1', '2'],
      ['3', '2'],
      ['5', '2'],
      ['7', '1'],
      ['8', '1'],
    ]);
    expect(
      await run('SELECT min(id) FROM (SELECT DISTINCT v, min(id) OVER (PARTITION BY v) AS id FROM sv) AS d GROUP BY id ORDER BY 1'),
    ).toEqual([['1'], ['3'], ['5'], ['7'], ['8']]);
  });

  it.each([
    ['Hash Join', 'enable_hashjoin'],
    ['Merge Join', 'enable_mergejoin'],
    ['Nested Loop', 'enable_nestloop'],
  ])('joins on SUPER values by deep equality (Using dynamic typing for joins), as a %s', async (plan, setting) => {
    const sql = 'SELECT a.id, b.id FROM sv a JOIN sv b ON a.v = b.v WHERE a.id <> b.id ORDER BY 1, 2';
    const others = ['enable_hashjoin', 'enable_mergejoin', 'enable_nestloop'].filter((other) => other !== setting);
    await db.engine.exec(others.map((other) => `SET ${other} = off`).join('; '));
    try {
      const explained = await db.engine.queryArrays(`EXPLAIN ${toPostgres(sql)}`);
      expect(explained.rows.map(([line]) => String(line)).join('\n')).toContain(plan);
      expect(await run(sql)).toEqual([
        ['1', '2'],
        ['2', '1'],
        ['3', '4'],
        ['4', '3'],
        ['5', '6'],
        ['6', '5'],
      ]);
    } finally {
      await db.engine.exec('RESET enable_hashjoin; RESET enable_mergejoin; RESET enable_nestloop');
    }
  });

  it('ORDER BY ranks boolean, number, string, array, object, then NULL (Order by, r_ORDER_BY_clause.html)', async () => {
    // query-super.html's example; its strings are ordered here as r_ORDER_BY_clause.html says ("binary
    // UTF-8 ordering"), "AWS" before "Amazon", where the example prints "Amazon" first (docs/super.md).
    await db.engine.exec(`DROP TABLE IF EXISTS region_nations;
      ${toPostgres('CREATE TABLE region_nations (r_regionkey INTEGER, r_name VARCHAR(10), r_comment VARCHAR(10), r_nations SUPER)')};
      ${toPostgres(`INSERT INTO region_nations VALUES
        (100,'name1','comment1','AWS'), (200,'name2','comment2',1), (300,'name3','comment3',ARRAY(1, 'abc', null)),
        (400,'name4','comment4',-2.5), (500,'name5','comment5','Amazon')`)}`);
    expect(await run('SELECT r_nations FROM region_nations order by r_nations')).toEqual([
      ['-2.5'],
      ['1'],
      ['"AWS"'],
      ['"Amazon"'],
      ['[1,"abc",null]'],
    ]);
    expect(await run('SELECT v FROM sv ORDER BY v, id')).toEqual([
      ['true'],
      ['1'],
      ['1.0'],
      ['"x"'],
      ['"x  "'],
      ['{"a":1,"b":[1,"x"]}'],
      ['{"b":[1.0,"x  "],"a":1.00}'],
      [null],
    ]);
    expect(await run('SELECT v FROM sv ORDER BY v DESC, id')).toEqual([
      [null],
      ['{"a":1,"b":[1,"x"]}'],
      ['{"b":[1.0,"x  "],"a":1.00}'],
      ['"x"'],
      ['"x  "'],
      ['1'],
      ['1.0'],
      ['true'],
    ]);
  });
});
