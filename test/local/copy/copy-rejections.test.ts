import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../../local/copy/copy-command';
import { runCopy, type CopyResult } from '../../../local/copy/copy-runner';
import { CopyError } from '../../../local/copy/load-error';
import { openTestEngine, type TestEngine } from '../../support/engine';
import { BucketFixture, ndjson } from './bucket-fixture';

let db: TestEngine;
const fixture = new BucketFixture();

beforeAll(async () => {
  db = await openTestEngine();
});
afterAll(async () => {
  await db.dispose();
  await fixture.dispose();
});

async function copy(sql: string, bucket: string): Promise<CopyResult> {
  const command = parseCopy(sql);
  if (!command) throw new Error(`not a COPY: ${sql}`);
  return runCopy(db.engine, command, { buckets: { 'udacity-dend': bucket } });
}

async function copyError(sql: string, bucket: string): Promise<CopyError> {
  const error = await copy(sql, bucket).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CopyError);
  return error as CopyError;
}

async function column(sql: string): Promise<unknown[]> {
  return (await db.engine.query(sql)).rows.map((row) => Object.values(row)[0]);
}

describe('MAXERROR', () => {
  const files = {
    'events/2018-11-01.json': ndjson([
      { id: 1, name: 'one' },
      { id: 'two', name: 'two' },
      { id: 3, name: 'three' },
    ]),
    'events/2018-11-02.json': '{"id": 4, "name": "four"}\n{"id": 5, "name": \n{"id": 6, "name": "six"}',
  };

  it('skips up to MAXERROR rejected records, loads the rest and reports each one', async () => {
    await db.engine.exec('CREATE TABLE within_limit (id INTEGER, name VARCHAR(16))');
    const bucket = await fixture.bucket(files);
    const result = await copy("COPY within_limit FROM 's3://udacity-dend/events' JSON 'auto' MAXERROR 2", bucket);
    expect(result).toMatchObject({ files: 2, recordsRead: 6, rowsLoaded: 4 });
    expect(await column('SELECT id FROM within_limit ORDER BY id')).toEqual([1, 3, 4, 6]);
    expect(result.rejected).toEqual([
      {
        filename: 's3://udacity-dend/events/2018-11-01.json',
        lineNumber: 2,
        colname: 'id',
        type: 'integer',
        rawFieldValue: 'two',
        rawLine: '{"id":"two","name":"two"}',
        errCode: 1207,
        errReason: "Invalid digit, Value 't', Pos 0, Type: Integer",
      },
      expect.objectContaining({
        filename: 's3://udacity-dend/events/2018-11-02.json',
        lineNumber: 2,
        colname: '',
        errCode: 1216,
        errReason: expect.stringMatching(/^Invalid JSON: /),
        rawLine: '{"id": 5, "name": ',
      }),
    ]);
  });

  it('past MAXERROR fails naming file, line, column and reason, and leaves the table as it was', async () => {
    await db.engine.exec("CREATE TABLE beyond_limit (id INTEGER, name VARCHAR(16)); INSERT INTO beyond_limit VALUES (0, 'kept')");
    const bucket = await fixture.bucket(files);
    const error = await copyError("COPY beyond_limit FROM 's3://udacity-dend/events' JSON 'auto' MAXERROR 1", bucket);
    expect(error.message).toMatch(/^Load into table 'beyond_limit' failed\. Check 'stl_load_errors' system table for details\.\n/);
    expect(error.message).toContain(
      `s3://udacity-dend/events/2018-11-01.json:2 column id (integer): Invalid digit, Value 't', Pos 0, Type: Integer [code 1207], value "two"`,
    );
    expect(error.message).toMatch(/s3:\/\/udacity-dend\/events\/2018-11-02\.json:2 record: Invalid JSON: .* \[code 1216\]/);
    expect(error.rejected.map((row) => [row.filename.split('/').pop(), row.lineNumber])).toEqual([
      ['2018-11-01.json', 2],
      ['2018-11-02.json', 2],
    ]);
    expect(await column('SELECT name FROM beyond_limit')).toEqual(['kept']);
  });

  it('MAXERROR 0 (the default) fails on the first rejected record and loads nothing', async () => {
    await db.engine.exec('CREATE TABLE no_errors (id INTEGER, name VARCHAR(16))');
    const bucket = await fixture.bucket(files);
    const error = await copyError("COPY no_errors FROM 's3://udacity-dend/events' JSON 'auto'", bucket);
    expect(error.rejected).toHaveLength(1);
    expect(error.message).toContain('1 record(s) rejected, MAXERROR is 0');
    expect(await column('SELECT count(*)::int FROM no_errors')).toEqual([0]);
  });
});

describe('rejected values', () => {
  it('rejects values the column type cannot hold, with Redshift codes and reasons', async () => {
    await db.engine.exec(`CREATE TABLE strict_types (
      id INTEGER NOT NULL, small SMALLINT, big BIGINT, ratio DOUBLE PRECISION, amount NUMERIC(5,2), flag BOOLEAN,
      at TIMESTAMP, day DATE, code CHAR(2), label VARCHAR(4))`);
    const bucket = await fixture.bucket({
      'bad.json': ndjson([
        { id: 1 },
        { id: '1.5' }, // text: a JSON number 1.5 would load 1 (json-numbers.test.ts)
        { id: 2, small: 40000 },
        { id: 3, big: '99999999999999999999' },
        { id: 4, ratio: 'abc' },
        { id: 5, amount: 1234.5 },
        { id: 6, flag: 'maybe' },
        { id: 7, at: 'yesterday' },
        { id: 8, at: '2018-02-30 10:00:00' },
        { id: 9, day: 20181101 },
        { id: 10, code: 'é' },
        { id: 11, label: 'toolong' },
        { name: 'no id' },
        { id: 12, label: { too: 'long' } },
        [1, 2],
      ]),
    });
    const result = await copy("COPY strict_types FROM 's3://udacity-dend/bad' JSON 'auto' MAXERROR 100", bucket);
    expect(result.rowsLoaded).toBe(1);
    expect(result.rejected.map((row) => [row.lineNumber, row.colname, row.errCode, row.errReason])).toEqual([
      [2, 'id', 1207, "Invalid digit, Value '.', Pos 1, Type: Integer"],
      [3, 'small', 1204, 'Overflow (Short valid range -32768 to 32767)'],
      [4, 'big', 1204, 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)'],
      [5, 'ratio', 1208, "Invalid digit, Value 'a', Pos 0, Type: Double"],
      [6, 'amount', 1204, 'Numeric data overflow (result precision), the column holds NUMERIC(5,2)'],
      [7, 'flag', 1210, "Invalid boolean format, Value 'maybe'"],
      [8, 'at', 1206, 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]'],
      [9, 'at', 1206, 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]'],
      [10, 'day', 1205, 'Invalid date format or value [YYYY-MM-DD]'],
      [11, 'code', 1220, 'Multibyte character not supported for CHAR (Hint: Try using VARCHAR). Invalid char: c3 a9'],
      [12, 'label', 1204, 'String length exceeds DDL length'],
      [13, 'id', 1213, 'Missing data for not-null field'],
      [14, 'label', 1204, 'String length exceeds DDL length'],
      [15, '', 1216, "Invalid JSONPath format: Member is not an object. 'auto' loads JSON objects, this record is an array"],
    ]);
    expect(result.rejected[10]).toMatchObject({ type: 'character varying(4)', rawFieldValue: 'toolong' });
    expect(await column('SELECT id FROM strict_types')).toEqual([1]);
  });

  it('loads "" and blanks as NULL in non-character columns, and epoch text with epochmillisecs', async () => {
    await db.engine.exec('CREATE TABLE blanks (id INTEGER, ratio REAL, at TIMESTAMP, flag BOOLEAN)');
    const bucket = await fixture.bucket({
      'b.json': '{"id": "", "ratio": " ", "at": "", "flag": ""}\n{"id": "7", "ratio": "0.5", "at": "1541105830796"}',
    });
    await copy("COPY blanks FROM 's3://udacity-dend/b' JSON 'auto' TIMEFORMAT 'epochmillisecs'", bucket);
    expect((await db.engine.query('SELECT id, ratio, at::text AS at, flag FROM blanks ORDER BY id NULLS FIRST')).rows).toEqual([
      { id: null, ratio: null, at: null, flag: null },
      { id: 7, ratio: 0.5, at: '2018-11-01 20:57:10.796', flag: null },
    ]);
  });

  it('rejects records on lines that are not UTF-8, or replaces the bad bytes with ACCEPTINVCHARS', async () => {
    await db.engine.exec('CREATE TABLE latin (name VARCHAR(16))');
    const bytes = Buffer.concat([Buffer.from('{"name": "ok"}\n{"name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const bucket = await fixture.bucket({ 'l.json': bytes });
    const strict = await copy("COPY latin FROM 's3://udacity-dend/l' JSON 'auto' MAXERROR 5", bucket);
    expect(strict.rejected.map((row) => [row.lineNumber, row.errCode])).toEqual([[2, 1220]]);
    await copy("COPY latin FROM 's3://udacity-dend/l' JSON 'auto' ACCEPTINVCHARS AS '^'", bucket);
    expect(await column('SELECT name FROM latin ORDER BY name')).toEqual(['caf^', 'ok', 'ok']);
  });

  it('rejects strings with NUL, which PostgreSQL cannot store', async () => {
    await db.engine.exec('CREATE TABLE nul (name VARCHAR(16))');
    const bucket = await fixture.bucket({ 'n.json': '{"name": "a\\u0000b"}\n{"name": "fine \\u00e9"}' });
    const result = await copy("COPY nul FROM 's3://udacity-dend/n' JSON 'auto' MAXERROR 1", bucket);
    expect(result.rejected.map((row) => [row.lineNumber, row.errCode])).toEqual([[1, 1220]]);
    expect(await column('SELECT name FROM nul')).toEqual(['fine é']);
  });
});

describe('EMPTYASNULL, BLANKSASNULL, TRUNCATECOLUMNS', () => {
  const records = ndjson([
    { id: 1, name: '' },
    { id: 2, name: '   ' },
    { id: 3, name: 'abcdefgh' },
    { id: 4, name: 'ééééé' },
    { id: 5, name: 'abcé' },
  ]);

  it('without them: "" and blanks load as they are, and a value over the DDL length in bytes is rejected', async () => {
    await db.engine.exec('CREATE TABLE no_options (id INTEGER, name VARCHAR(5))');
    const bucket = await fixture.bucket({ 'o.json': records });
    const result = await copy("COPY no_options FROM 's3://udacity-dend/o' JSON 'auto' MAXERROR 10", bucket);
    expect(result.rejected.map((row) => [row.lineNumber, row.errReason])).toEqual([
      [3, 'String length exceeds DDL length'],
      [4, 'String length exceeds DDL length'], // 5 characters, 10 bytes
    ]);
    expect((await db.engine.query('SELECT id, name FROM no_options ORDER BY id')).rows).toEqual([
      { id: 1, name: '' },
      { id: 2, name: '   ' },
      { id: 5, name: 'abcé' }, // 5 bytes
    ]);
  });

  it('with them: "" and blanks load NULL, and long values are cut to the DDL length on a character boundary', async () => {
    await db.engine.exec('CREATE TABLE with_options (id INTEGER, name VARCHAR(5))');
    const bucket = await fixture.bucket({ 'o.json': records });
    const result = await copy("COPY with_options FROM 's3://udacity-dend/o' JSON 'auto' EMPTYASNULL BLANKSASNULL TRUNCATECOLUMNS", bucket);
    expect(result.rejected).toEqual([]);
    expect((await db.engine.query('SELECT id, name FROM with_options ORDER BY id')).rows).toEqual([
      { id: 1, name: null },
      { id: 2, name: null },
      { id: 3, name: 'abcde' },
      { id: 4, name: 'éé' },
      { id: 5, name: 'abcé' },
    ]);
  });

  it('EMPTYASNULL alone keeps blanks, BLANKSASNULL alone keeps ""', async () => {
    await db.engine.exec('CREATE TABLE one_option (id INTEGER, name VARCHAR(16))');
    const bucket = await fixture.bucket({
      'o.json': ndjson([
        { id: 1, name: '' },
        { id: 2, name: ' \t' },
      ]),
    });
    await copy("COPY one_option FROM 's3://udacity-dend/o' JSON 'auto' EMPTYASNULL", bucket);
    await copy("COPY one_option FROM 's3://udacity-dend/o' JSON 'auto' BLANKSASNULL", bucket);
    expect((await db.engine.query('SELECT id, name FROM one_option ORDER BY id, name NULLS FIRST')).rows).toEqual([
      { id: 1, name: null },
      { id: 1, name: '' },
      { id: 2, name: null },
      { id: 2, name: ' \t' },
    ]);
  });
});

// A character column keeps a JSON number as written (NumberText); the number columns' rules are in json-numbers.test.ts.
describe('numbers as written, in character columns', () => {
  it('finds the literal a column reads when names repeat, hide in strings or are escaped, in every JSON format', async () => {
    await db.engine.exec('CREATE TABLE literal_of (n VARCHAR(16), tag VARCHAR(16))');
    const bucket = await fixture.bucket({
      'cases.json': [
        '{"n":1,"x":{"n":38.0},"tag":"nested"}', // the nested n is another member: '1' loads
        '{"n":38.0,"n":2,"tag":"last wins"}', // JSON.parse keeps the last: '2' loads
        '{"n":2,"n":38.5e0,"tag":"last kept"}',
        '{"note":"\\"n\\":1.5","n":3,"tag":"in string"}', // "n": inside a string is not a member
        '{"\\u006e":4.0,"tag":"escaped"}', // \u006e is n
        '{"tag":"no n"}',
      ].join('\n'),
    });
    await copy("COPY literal_of FROM 's3://udacity-dend/cases' JSON 'auto'", bucket);
    expect((await db.engine.query('SELECT n, tag FROM literal_of ORDER BY tag')).rows).toEqual([
      { n: '4.0', tag: 'escaped' },
      { n: '3', tag: 'in string' },
      { n: '38.5e0', tag: 'last kept' },
      { n: '2', tag: 'last wins' },
      { n: '1', tag: 'nested' },
      { n: null, tag: 'no n' },
    ]);

    await db.engine.exec('DELETE FROM literal_of');
    const mixedCase = await fixture.bucket({
      'ic.json': '{"N":5.0,"tag":"upper"}\n{"n":6,"TAG":"lower"}',
      'paths.json': '{"jsonpaths": ["$.a[0]", "$.tag"]}',
      'arrays.json': '{"a":[7.0],"tag":"index"}\n{"a":[8],"tag":"index ok"}',
    });
    await copy("COPY literal_of FROM 's3://udacity-dend/ic' JSON 'auto ignorecase'", mixedCase);
    await copy("COPY literal_of FROM 's3://udacity-dend/arrays' JSON 's3://udacity-dend/paths.json'", mixedCase);
    expect((await db.engine.query('SELECT n, tag FROM literal_of ORDER BY n')).rows).toEqual([
      { n: '5.0', tag: 'upper' },
      { n: '6', tag: 'lower' },
      { n: '7.0', tag: 'index' },
      { n: '8', tag: 'index ok' },
    ]);
  });

  it('a character column keeps a number as written: userId 39 loads "39", 39.0 loads "39.0"', async () => {
    await db.engine.exec('CREATE TABLE user_ids (n INTEGER, user_id VARCHAR(32), code CHAR(8), note TEXT)');
    const bucket = await fixture.bucket({
      'u.json': [
        '{"n":1,"user_id":39,"code":7,"note":-0}',
        '{"n":2,"user_id":39.0,"code":1E3,"note":12345678901234567890}',
        '{"n":3,"user_id":"39.0","code":0.50,"note":1.5e-7}',
      ].join('\n'),
    });
    await copy("COPY user_ids FROM 's3://udacity-dend/u' JSON 'auto'", bucket);
    expect((await db.engine.query('SELECT user_id, code, note FROM user_ids ORDER BY n')).rows).toEqual([
      { user_id: '39', code: '7       ', note: '-0' },
      { user_id: '39.0', code: '1E3     ', note: '12345678901234567890' },
      { user_id: '39.0', code: '0.50    ', note: '1.5e-7' },
    ]);
  });
});
