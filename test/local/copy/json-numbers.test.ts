import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/project-config';
import { parseCopy } from '../../../local/copy/copy-command';
import { runCopy, type CopyResult } from '../../../local/copy/copy-runner';
import { CopyError, type LoadErrorRow } from '../../../local/copy/load-error';
import type { InsertMode } from '../../../local/copy/open-row-sink';
import { openTestEngine, type TestEngine } from '../../support/engine';
import { readSource } from '../../support/source-files';
import { BucketFixture } from './bucket-fixture';

// The rules under test are in local/copy/number-converters.ts, each with its page:
const JSON_PAGE = 'https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html#copy-usage-json-rounding';
const ROUNDEC_PAGE = 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-roundec';
const NUMERIC_PAGE = 'https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html';
const ERRORS_PAGE = 'https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html';

let db: TestEngine;
const fixture = new BucketFixture();

beforeAll(async () => {
  db = await openTestEngine();
});
afterAll(async () => {
  await db.dispose();
  await fixture.dispose();
});

/** COPY `lines` (one JSON record each) into `table` with JSON 'auto' and `options`, through both kinds of insert. */
async function load(table: string, lines: readonly string[], options = '', insertMode?: InsertMode): Promise<CopyResult> {
  const bucket = await fixture.bucket({ 'n/data.json': lines.join('\n') });
  const command = parseCopy(`COPY ${table} FROM 's3://udacity-dend/n' JSON 'auto' ${options}`);
  if (!command) throw new Error('not a COPY');
  return runCopy(db.engine, command, { buckets: { 'udacity-dend': bucket }, ...(insertMode ? { insertMode } : {}) });
}

async function loadError(table: string, lines: readonly string[], options = ''): Promise<CopyError> {
  const error = await load(table, lines, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CopyError);
  return error as CopyError;
}

async function texts(sql: string): Promise<unknown[]> {
  return (await db.engine.query(sql)).rows.map((row) => Object.values(row)[0]);
}

const brief = (row: LoadErrorRow) => [row.lineNumber, row.colname, row.rawFieldValue, row.errCode, row.errReason];

describe(`a JSON number is a floating point value cut to the column's scale (${JSON_PAGE}, ${ROUNDEC_PAGE})`, () => {
  it('truncates into SMALLINT, INTEGER and BIGINT: 1540919166796.0, 12.7, -12.7, 1.5e3, 2E1, -0 and -0.5, with no MAXERROR', async () => {
    for (const insertMode of ['auto', 'json'] as const) {
      await db.engine.exec('DROP TABLE IF EXISTS truncated; CREATE TABLE truncated (k INTEGER, s SMALLINT, i INTEGER, b BIGINT)');
      const result = await load(
        'truncated',
        [
          '{"k":1,"s":38.0,"i":38.0,"b":1540919166796.0}',
          '{"k":2,"s":12.7,"i":-12.7,"b":1.540919166796e12}',
          '{"k":3,"s":1.5e3,"i":2E1,"b":-0}',
          '{"k":4,"s":-0.5,"i":0.99999999999999994,"b":-1540919166796.9}',
          '{"k":5,"s":32767.9,"i":-2147483648.9,"b":9.2233720368547748e18}',
        ],
        '',
        insertMode,
      );
      expect(result.rejected).toEqual([]);
      expect((await db.engine.query('SELECT k, s, i, b::text AS b FROM truncated ORDER BY k')).rows).toEqual([
        { k: 1, s: 38, i: 38, b: '1540919166796' },
        { k: 2, s: 12, i: -12, b: '1540919166796' },
        { k: 3, s: 1500, i: 20, b: '0' },
        { k: 4, s: 0, i: 0, b: '-1540919166796' },
        // 9.2233720368547748e18 is the double 9223372036854774784, below 2^63.
        { k: 5, s: 32767, i: -2147483648, b: '9223372036854774784' },
      ]);
    }
  });

  it('rounds half away from zero with ROUNDEC (12.5 is 13, -12.5 is -13, 12.49 is 12)', async () => {
    await db.engine.exec('CREATE TABLE rounded (k INTEGER, i INTEGER, b BIGINT)');
    await load(
      'rounded',
      ['{"k":1,"i":12.5,"b":-12.5}', '{"k":2,"i":12.49,"b":1540919166796.5}', '{"k":3,"i":0.49999999999999994,"b":-0.5}'],
      'ROUNDEC',
    );
    expect((await db.engine.query('SELECT k, i, b::text AS b FROM rounded ORDER BY k')).rows).toEqual([
      { k: 1, i: 13, b: '-13' },
      { k: 2, i: 12, b: '1540919166797' },
      { k: 3, i: 0, b: '-1' },
    ]);
  });

  it(`past the type's range once cut is load error 1204 with the range (${ERRORS_PAGE}, ${NUMERIC_PAGE})`, async () => {
    await db.engine.exec('CREATE TABLE ranges (k INTEGER, s SMALLINT, b BIGINT)');
    const lines = ['{"k":1,"s":32768.0}', '{"k":2,"s":-32769.5}', '{"k":3,"b":9.3e18}', '{"k":4,"b":1e400}', '{"k":5,"s":32767.5}'];
    const truncating = await load('ranges', lines, 'MAXERROR 10');
    expect(truncating.rejected.map(brief)).toEqual([
      [1, 's', '32768.0', 1204, 'Overflow (Short valid range -32768 to 32767)'],
      [2, 's', '-32769.5', 1204, 'Overflow (Short valid range -32768 to 32767)'],
      [3, 'b', '9.3e18', 1204, 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)'],
      [4, 'b', '1e400', 1204, 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)'],
    ]);
    expect(await texts('SELECT s FROM ranges')).toEqual([32767]);
    const rounding = await load('ranges', ['{"k":5,"s":32767.5}'], 'ROUNDEC MAXERROR 10');
    expect(rounding.rejected.map(brief)).toEqual([[1, 's', '32767.5', 1204, 'Overflow (Short valid range -32768 to 32767)']]);
  });
});

describe('a whole number with more digits than a double holds (no page settles it: the load stops)', () => {
  it('loads BIGINTs a double holds exactly, and refuses 9007199254740993 whatever MAXERROR says', async () => {
    await db.engine.exec('CREATE TABLE wide (k INTEGER, big BIGINT, small SMALLINT)');
    await load('wide', [
      '{"k":1,"big":9007199254740992,"small":1.0}',
      '{"k":2,"big":1152921504606846976}', // 2^60
      '{"k":3,"big":"9007199254740993"}', // a string is text: its digits load exactly
      '{"k":4,"big":-9223372036854775808}', // -2^63
    ]);
    expect(await texts('SELECT big::text FROM wide ORDER BY k')).toEqual([
      '9007199254740992',
      '1152921504606846976',
      '9007199254740993',
      '-9223372036854775808',
    ]);
    const error = await loadError('wide', ['{"k":5,"big":1}', '{"k":6,"big":9007199254740993}', '{"k":7,"big":2}'], 'MAXERROR 100');
    expect(error.rejected.map((row) => [row.lineNumber, row.colname, row.rawFieldValue, row.errCode])).toEqual([
      [2, 'big', '9007199254740993', 1204],
    ]);
    expect(error.rejected[0]?.errReason).toBe(
      'Not loaded offline: 9007199254740993 has more digits than a double holds; Redshift reads JSON numbers as floating point ' +
        '(COPY from JSON format, Loss of numeric precision) and no page says whether it stores 9007199254740993 or 9007199254740992. ' +
        'Write it as a JSON string to load it exactly',
    );
    expect(error.message.split('\n')[1]).toBe(
      '1 record(s) rejected, MAXERROR is 100. The emulation stopped at the last, a value it cannot load as Redshift would. Rejected:',
    );
    expect(await texts('SELECT count(*)::int FROM wide')).toEqual([4]);
    // 2^63 - 1 fits a BIGINT, its double 2^63 does not: the two readings differ, so it stops the load too.
    expect((await loadError('wide', ['{"big":9223372036854775807}'], 'MAXERROR 10')).rejected[0]?.errReason).toMatch(/^Not loaded offline/);
    // Past the range either way: plain overflow, counted against MAXERROR.
    const overflow = await load('wide', ['{"k":8,"big":99999999999999999999}'], 'MAXERROR 1');
    expect(overflow.rejected.map(brief)).toEqual([
      [1, 'big', '99999999999999999999', 1204, 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)'],
    ]);
  });
});

describe('a JSON string holding a number is converted as text (copy-parameters-data-conversion.html)', () => {
  it(`integer columns take [+-]digits only: "12.5", "1e3" and " 7" stay load error 1207 (${ERRORS_PAGE})`, async () => {
    await db.engine.exec('CREATE TABLE as_text (k INTEGER, i INTEGER)');
    const result = await load(
      'as_text',
      ['{"k":1,"i":"12.5"}', '{"k":2,"i":"1e3"}', '{"k":3,"i":" 7"}', '{"k":4,"i":"+5"}', '{"k":5,"i":"-0"}', '{"k":6,"i":""}'],
      'MAXERROR 10',
    );
    expect(result.rejected.map(brief)).toEqual([
      [1, 'i', '12.5', 1207, "Invalid digit, Value '.', Pos 2, Type: Integer"],
      [2, 'i', '1e3', 1207, "Invalid digit, Value 'e', Pos 1, Type: Integer"],
      [3, 'i', ' 7', 1207, "Invalid digit, Value ' ', Pos 0, Type: Integer"],
    ]);
    expect((await db.engine.query('SELECT k, i FROM as_text ORDER BY k')).rows).toEqual([
      { k: 4, i: 5 },
      { k: 5, i: 0 },
      { k: 6, i: null },
    ]);
  });

  it('with ROUNDEC, text with a fraction into an integer column stops the load: no page says whether ROUNDEC rounds it', async () => {
    await db.engine.exec('CREATE TABLE roundec_text (i INTEGER)');
    const error = await loadError('roundec_text', ['{"i":"12.5"}'], 'ROUNDEC MAXERROR 10');
    expect(error.rejected.map((row) => [row.lineNumber, row.errCode])).toEqual([[1, 1207]]);
    expect(error.rejected[0]?.errReason).toMatch(/^Not loaded offline: no page says whether ROUNDEC rounds the text '12\.5' into Integer/);
  });
});

describe(`DECIMAL(p,s): cut to the scale, truncated unless ROUNDEC (${ROUNDEC_PAGE})`, () => {
  it('the ROUNDEC page: 20.259 into DECIMAL(8,2) is 20.25 by default and 20.26 with ROUNDEC, as text and as a JSON number', async () => {
    await db.engine.exec('CREATE TABLE roundec_example (k INTEGER, d DECIMAL(8,2))');
    await load('roundec_example', ['{"k":1,"d":"20.259"}', '{"k":2,"d":20.259}']);
    await load('roundec_example', ['{"k":3,"d":"20.259"}', '{"k":4,"d":20.259}'], 'ROUNDEC');
    expect(await texts('SELECT d::text FROM roundec_example ORDER BY k')).toEqual(['20.25', '20.25', '20.26', '20.26']);
  });

  it(`a JSON number is the double nearest it: 0.29 loads 0.28 (0.29 with ROUNDEC, or written as a string) (${JSON_PAGE})`, async () => {
    await db.engine.exec('CREATE TABLE prices (k INTEGER, d DECIMAL(8,2), wide DECIMAL(38,17))');
    for (const insertMode of ['auto', 'json'] as const) {
      await db.engine.exec('DELETE FROM prices');
      await load(
        'prices',
        ['{"k":1,"d":0.29,"wide":0.29}', '{"k":2,"d":"0.29","wide":"0.29"}', '{"k":3,"d":1.5e3,"wide":-0}'],
        '',
        insertMode,
      );
      await load('prices', ['{"k":4,"d":0.29,"wide":-0.29}'], 'ROUNDEC', insertMode);
      expect((await db.engine.query('SELECT k, d::text AS d, wide::text AS wide FROM prices ORDER BY k')).rows).toEqual([
        { k: 1, d: '0.28', wide: '0.28999999999999998' },
        { k: 2, d: '0.29', wide: '0.29000000000000000' },
        { k: 3, d: '1500.00', wide: '0.00000000000000000' },
        { k: 4, d: '0.29', wide: '-0.28999999999999998' },
      ]);
    }
  });

  it(`overflow is load error 1204: numeric(5,2) holds -999.99 to 999.99; DECIMAL(19,s) at most 9223372036854775807 units (${NUMERIC_PAGE})`, async () => {
    await db.engine.exec('CREATE TABLE limits (k INTEGER, n NUMERIC(5,2), d19 DECIMAL(19,0), f19 DECIMAL(19,18))');
    const result = await load(
      'limits',
      [
        '{"k":1,"n":999.999,"d19":"9223372036854775807","f19":"9.223372036854775807"}',
        '{"k":2,"n":"-999.999"}',
        '{"k":3,"n":1000}',
        '{"k":4,"d19":"9999999999999999999"}',
        '{"k":5,"f19":"9.223372036854775808"}',
        '{"k":6,"d19":"-9223372036854775807"}',
      ],
      'MAXERROR 10',
    );
    expect(result.rejected.map(brief)).toEqual([
      [3, 'n', '1000', 1204, 'Numeric data overflow (result precision), the column holds NUMERIC(5,2)'],
      [4, 'd19', '9999999999999999999', 1204, 'Numeric data overflow (result precision), the column holds NUMERIC(19,0)'],
      [5, 'f19', '9.223372036854775808', 1204, 'Numeric data overflow (result precision), the column holds NUMERIC(19,18)'],
    ]);
    expect((await db.engine.query('SELECT k, n::text AS n, d19::text AS d19, f19::text AS f19 FROM limits ORDER BY k')).rows).toEqual([
      { k: 1, n: '999.99', d19: '9223372036854775807', f19: '9.223372036854775807' },
      { k: 2, n: '-999.99', d19: null, f19: null },
      { k: 6, n: null, d19: '-9223372036854775807', f19: null },
    ]);
    const rounding = await load('limits', ['{"k":7,"n":999.995}'], 'ROUNDEC MAXERROR 1');
    expect(rounding.rejected.map((row) => [row.rawFieldValue, row.errCode])).toEqual([['999.995', 1204]]);
  });

  it("stops the load where the scale keeps digits past a double's 17: 0.1 into DECIMAL(38,20); 0.5 and the string '0.1' load", async () => {
    await db.engine.exec('CREATE TABLE fine (k INTEGER, d DECIMAL(38,20))');
    await load('fine', ['{"k":1,"d":0.5}', '{"k":2,"d":"0.1"}', '{"k":3,"d":12345}']);
    expect(await texts('SELECT d::text FROM fine ORDER BY k')).toEqual([
      '0.50000000000000000000',
      '0.10000000000000000000',
      '12345.00000000000000000000',
    ]);
    const error = await loadError('fine', ['{"k":4,"d":0.1}'], 'MAXERROR 10');
    expect(error.rejected.map((row) => [row.colname, row.rawFieldValue, row.errCode])).toEqual([['d', '0.1', 1209]]);
    expect(error.rejected[0]?.errReason).toMatch(/^Not loaded offline: the JSON number 0\.1 is a floating point value/);
  });

  it('text in exponent form stops the load: no page says COPY reads it as DECIMAL text (t_preparing-input-data.html: floating-point strings)', async () => {
    await db.engine.exec('CREATE TABLE exponent_text (d DECIMAL(8,2), f DOUBLE PRECISION)');
    await load('exponent_text', ['{"d":1.5e3,"f":"1.0E4"}']);
    expect((await db.engine.query('SELECT d::text AS d, f FROM exponent_text')).rows).toEqual([{ d: '1500.00', f: 10000 }]);
    const error = await loadError('exponent_text', ['{"d":"1.5e3"}'], 'MAXERROR 10');
    expect(error.rejected.map((row) => [row.rawFieldValue, row.errCode])).toEqual([['1.5e3', 1209]]);
    expect(error.rejected[0]?.errReason).toMatch(/^Not loaded offline: no page says whether COPY reads the exponent form '1\.5e3'/);
  });

  it('DECIMAL(38,0): 1e20 and 2^53 load; a whole number no double holds stops the load, its string loads', async () => {
    await db.engine.exec('CREATE TABLE big_decimal (k INTEGER, d DECIMAL(38,0))');
    await load('big_decimal', ['{"k":1,"d":1e20}', '{"k":2,"d":9007199254740992}', '{"k":3,"d":"12345678901234567890123"}']);
    expect(await texts('SELECT d::text FROM big_decimal ORDER BY k')).toEqual([
      '100000000000000000000',
      '9007199254740992',
      '12345678901234567890123',
    ]);
    const error = await loadError('big_decimal', ['{"k":4,"d":12345678901234567890123}'], 'MAXERROR 10');
    expect(error.rejected.map((row) => [row.rawFieldValue, row.errCode])).toEqual([['12345678901234567890123', 1204]]);
    expect(error.rejected[0]?.errReason).toMatch(/^Not loaded offline: 12345678901234567890123 has more digits than a double holds/);
  });
});

describe('the real-shaped events into a staging table that declares registration BIGINT', () => {
  const SAMPLE_DIR = path.join(PROJECT_ROOT, 'sample');

  it('the generated sample writes registration as a float, like the real bucket ("registration":1540548281796.0)', async () => {
    const dir = path.join(SAMPLE_DIR, 'log_data');
    const files = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.json'));
    const text = (await Promise.all(files.map((name) => readFile(path.join(dir, name), 'utf8')))).join('\n');
    const written = text.match(/"registration":[^,}]*/g) ?? [];
    expect(written.length).toBeGreaterThan(2000);
    expect(written.filter((member) => !/^"registration":(?:\d+\.0|null)$/.test(member))).toEqual([]);
  });

  it('loads every event with no MAXERROR, registration truncated to its whole milliseconds', async () => {
    // A public project's staging DDL: registration BIGINT, the jsonpaths COPY without MAXERROR.
    await db.engine.exec(`CREATE TABLE staging_events_bigint (
      artist VARCHAR(256), auth VARCHAR(256), first_name VARCHAR(256), gender VARCHAR(256), item_in_session INTEGER,
      last_name VARCHAR(256), length DOUBLE PRECISION, level VARCHAR(256), location VARCHAR(256), method VARCHAR(256),
      page VARCHAR(256), registration BIGINT, session_id INTEGER, song VARCHAR(256), status INTEGER, ts BIGINT,
      user_agent VARCHAR(256), user_id INTEGER)`);
    const command = parseCopy(
      "COPY staging_events_bigint FROM 's3://udacity-dend/log_data' IAM_ROLE 'arn:aws:iam::123456789012:role/r' " +
        "REGION 'us-west-2' FORMAT AS JSON 's3://udacity-dend/log_json_path.json';",
    );
    if (!command) throw new Error('not a COPY');
    const result = await runCopy(db.engine, command, { buckets: { 'udacity-dend': SAMPLE_DIR } });
    const { events } = await readSource(SAMPLE_DIR);
    expect(result.rejected).toEqual([]);
    expect(result.rowsLoaded).toBe(events.length);
    expect(events.length).toBe(3000);
    const expected = events.map((event) => [
      event.ts,
      event.itemInSession,
      event.registration === null ? null : String(Math.trunc(event.registration)),
    ]);
    const loaded = await db.engine.query<{ ts: string; item: number; registration: string | null }>(
      'SELECT ts::text AS ts, item_in_session AS item, registration::text AS registration FROM staging_events_bigint',
    );
    const key = (row: readonly unknown[]) => JSON.stringify(row);
    expect(loaded.rows.map((row) => key([Number(row.ts), row.item, row.registration])).sort()).toEqual(expected.map(key).sort());
    expect(expected.filter((row) => row[2] !== null).length).toBeGreaterThan(2000);
  });
});
