import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, toJson, engineResult } from '../../local/format-table';
import { POSTGRES_PRELUDE } from '../../local/dialect-bridge';
import { toPostgresStatement } from '../../local/table-design-record';
import { openTestEngine, type TestEngine } from '../support/engine';
import { openRedshiftSession, type RedshiftSession } from '../support/redshift-query';

/** VARBYTE offline: printed as Redshift prints it (hex, no \x), its functions, operators and casts, on the guide's examples. */
let rs: RedshiftSession;
beforeAll(async () => {
  rs = await openRedshiftSession();
});
afterAll(async () => rs.dispose());

describe('VARBYTE', () => {
  it("prints as hex without PostgreSQL's \\x, in the table and in --json (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html)", async () => {
    let db: TestEngine | undefined;
    try {
      db = await openTestEngine();
      const result = engineResult(await db.engine.queryArrays(toPostgresStatement("SELECT 'abc'::varbyte AS v")));
      expect(formatResult(result)).toBe('v\n------\n616263');
      expect(JSON.parse(toJson(result))).toEqual([{ v: '616263' }]);
    } finally {
      await db?.dispose();
    }
  });

  it("an array prints and exports as PostgreSQL's text on both engines (https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_SCHEMAS.html)", async () => {
    let db: TestEngine | undefined;
    try {
      db = await openTestEngine();
      const result = engineResult(await db.engine.queryArrays(toPostgresStatement('SELECT CURRENT_SCHEMAS(false) AS current_schemas')));
      expect(formatResult(result)).toBe('current_schemas\n---------------\n{public}');
      expect(JSON.parse(toJson(result))).toEqual([{ current_schemas: '{public}' }]);
    } finally {
      await db?.dispose();
    }
  });

  it('casts (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html)', async () => {
    expect(await rs.row("SELECT FROM_HEX('6162'), 'abc'::varbyte")).toEqual(['6162', '616263']);
    expect(await rs.row('SELECT 5::smallint::varbyte, 5::int::varbyte, 5::bigint::varbyte')).toEqual([
      '0005',
      '00000005',
      '0000000000000005',
    ]);
    expect(await rs.row("SELECT CAST('aa' AS CHAR(10))::varbyte, 'abc'::varbyte::varchar")).toEqual(['61612020202020202020', 'abc']);
    // "Amazon Redshift supports casting between VARBYTE and ... SMALLINT, INTEGER, BIGINT": back again.
    expect(await rs.row('SELECT 5::smallint::varbyte::smallint, (-5)::int::varbyte::int, 5::bigint::varbyte::bigint')).toEqual([
      '5',
      '-5',
      '5',
    ]);
  });

  it('names an unaliased cast to VARBYTE varbyte (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html)', async () => {
    let db: TestEngine | undefined;
    try {
      db = await openTestEngine();
      await db.engine.exec(POSTGRES_PRELUDE); // the prelude's casts from integers
      const json = async (sql: string) =>
        JSON.parse(toJson(engineResult(await db!.engine.queryArrays(toPostgresStatement(sql))))) as unknown;
      expect(await json("SELECT 'abc'::varbyte")).toEqual([{ varbyte: '616263' }]);
      expect(await json('SELECT 5::int::varbyte')).toEqual([{ varbyte: '00000005' }]);
    } finally {
      await db?.dispose();
    }
  });

  it('SUBSTRING and CONCAT of a VARBYTE return a VARBYTE (r_SUBSTRING.html, r_CONCAT.html)', async () => {
    expect(
      await rs.row(
        "select substring('abc'::varbyte, -3), substring('abc'::varbyte, 1), substring('abc'::varbyte, 3), substring('abc'::varbyte, 2, 10), substring('abc'::varbyte, 2, 1)",
      ),
    ).toEqual(['616263', '616263', '63', '6263', '62']);
    expect(await rs.row("select concat('abc'::varbyte, 'def'::varbyte)")).toEqual(['616263646566']);
    // Strings stay strings, compared as Redshift compares them: trailing blanks do not count (r_Character_types.html).
    expect(await rs.row("select substring('abc ', 1, 4) = 'abc', concat('ab', 'c ') = 'abc', substr('xabc', 2)")).toEqual([
      'true',
      'true',
      'abc',
    ]);
  });

  it('FROM_HEX, TO_HEX, TO_VARBYTE, FROM_VARBYTE, GETBIT (the varbyte-functions pages)', async () => {
    expect(await rs.row("SELECT TO_HEX(2147676847), TO_HEX('abc'::varbyte)")).toEqual(['8002f2af', '616263']);
    expect(
      await rs.row("SELECT TO_VARBYTE('6162', 'hex'), TO_VARBYTE('01001101', 'binary'), TO_VARBYTE('a', 'utf8'), TO_VARBYTE('4', 'hex')"),
    ).toEqual(['6162', '4d', '61', '04']);
    expect(await rs.row("SELECT FROM_VARBYTE('ab', 'hex'), FROM_VARBYTE(FROM_HEX('4d'), 'binary')")).toEqual(['6162', '01001101']);
    expect(
      await rs.row(
        "SELECT GETBIT(FROM_HEX('4d'), 7), GETBIT(FROM_HEX('4d'), 6), GETBIT(FROM_HEX('4d'), 5), GETBIT(FROM_HEX('4d'), 4), GETBIT(FROM_HEX('4d'), 3), GETBIT(FROM_HEX('4d'), 2), GETBIT(FROM_HEX('4d'), 1), GETBIT(FROM_HEX('4d'), 0)",
      ),
    ).toEqual(['0', '1', '0', '0', '1', '1', '0', '1']);
  });

  it('operators (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_OPERATORS.html)', async () => {
    expect(await rs.row("SELECT 'a'::varbyte || 'b'::varbyte AS concat, 'a'::varbyte + 'b'::varbyte AS plus")).toEqual(['6162', '6162']);
    expect(await rs.row("SELECT 'a'::varbyte < 'b'::varbyte AS less_than, 'a'::varbyte = 'b'::varbyte AS equal")).toEqual([
      'true',
      'false',
    ]);
    expect(await rs.row("SELECT FROM_VARBYTE(~'a'::varbyte, 'binary'), FROM_VARBYTE('a'::varbyte & 'b'::varbyte, 'binary')")).toEqual([
      '10011110',
      '01100000',
    ]);
    expect(await rs.row("SELECT 'a'::varbyte | 'b'::varbyte, 'a'::varbyte # 'b'::varbyte")).toEqual(['63', '03']);
  });
});
