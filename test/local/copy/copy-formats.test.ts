import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../../local/copy/copy-command';
import { runCopy, type CopyResult, type CopyRunOptions } from '../../../local/copy/copy-runner';
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

async function copy(sql: string, bucket: string, options: Partial<CopyRunOptions> = {}): Promise<CopyResult> {
  const command = parseCopy(sql);
  if (!command) throw new Error(`not a COPY: ${sql}`);
  return runCopy(db.engine, command, { buckets: { 'udacity-dend': bucket }, ...options });
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.engine.query(sql)).rows;
}

const EVENT_DDL = `(
  artist VARCHAR(1024), auth VARCHAR(32), first_name VARCHAR(256), gender VARCHAR(16), item_in_session INTEGER,
  last_name VARCHAR(256), length DOUBLE PRECISION, level VARCHAR(16), location VARCHAR(1024), method VARCHAR(16),
  page VARCHAR(64), registration DOUBLE PRECISION, session_id INTEGER, song VARCHAR(1024), status INTEGER,
  ts TIMESTAMP, user_agent VARCHAR(2048), user_id VARCHAR(64))`;

const LOG_JSON_PATH = JSON.stringify(
  {
    jsonpaths: [
      "$['artist']",
      "$['auth']",
      "$['firstName']",
      "$['gender']",
      "$['itemInSession']",
      "$['lastName']",
      "$['length']",
      "$['level']",
      "$['location']",
      "$['method']",
      "$['page']",
      "$['registration']",
      "$['sessionId']",
      "$['song']",
      "$['status']",
      "$['ts']",
      "$['userAgent']",
      "$['userId']",
    ],
  },
  null,
  4,
);

function event(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    artist: null,
    auth: 'Logged In',
    firstName: 'Walter',
    gender: 'M',
    itemInSession: 0,
    lastName: 'Frye',
    length: null,
    level: 'free',
    location: 'San Francisco-Oakland-Hayward, CA',
    method: 'GET',
    page: 'Home',
    registration: 1540919166796.0,
    sessionId: 38,
    song: null,
    status: 200,
    ts: 1541105830796,
    userAgent: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4)"',
    userId: '39',
    ...overrides,
  };
}

describe('the project COPY of log events (jsonpaths, epochmillisecs)', () => {
  it('loads every field by position, with ts as a timestamp and "" user ids kept as text', async () => {
    await db.engine.exec(`CREATE TABLE staging_events ${EVENT_DDL}`);
    const bucket = await fixture.bucket({
      'log_json_path.json': LOG_JSON_PATH,
      'log_data/2018/11/2018-11-01-events.json': ndjson([
        event({}),
        event({ artist: "Des'ree", song: 'You Gotta Be', length: 246.30812, page: 'NextSong', ts: 1541106106796 }),
      ]),
      'log_data/2018/11/2018-11-02-events.json': ndjson([
        event({ auth: 'Logged Out', firstName: null, userId: '', sessionId: 52, ts: 1541207073796 }),
      ]),
    });
    const result = await copy(
      `COPY staging_events
       FROM 's3://udacity-dend/log_data'
       IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-read'
       REGION 'us-west-2'
       FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
       TIMEFORMAT 'epochmillisecs'
       MAXERROR 0
       COMPUPDATE OFF STATUPDATE OFF;`,
      bucket,
    );
    expect(result).toEqual({ table: 'staging_events', files: 2, recordsRead: 3, rowsLoaded: 3, rejected: [] });
    expect(
      await rows(`SELECT artist, first_name, item_in_session, length, page, registration, session_id, song, status,
                         to_char(ts, 'YYYY-MM-DD HH24:MI:SS.MS') AS ts, user_agent, user_id
                  FROM staging_events ORDER BY ts`),
    ).toEqual([
      {
        artist: null,
        first_name: 'Walter',
        item_in_session: 0,
        length: null,
        page: 'Home',
        registration: 1540919166796,
        session_id: 38,
        song: null,
        status: 200,
        ts: '2018-11-01 20:57:10.796',
        user_agent: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4)"',
        user_id: '39',
      },
      {
        artist: "Des'ree",
        first_name: 'Walter',
        item_in_session: 0,
        length: 246.30812,
        page: 'NextSong',
        registration: 1540919166796,
        session_id: 38,
        song: 'You Gotta Be',
        status: 200,
        ts: '2018-11-01 21:01:46.796',
        user_agent: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4)"',
        user_id: '39',
      },
      {
        artist: null,
        first_name: null,
        item_in_session: 0,
        length: null,
        page: 'Home',
        registration: 1540919166796,
        session_id: 52,
        song: null,
        status: 200,
        ts: '2018-11-03 01:04:33.796',
        user_agent: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4)"',
        user_id: '',
      },
    ]);
  });
});

describe("FORMAT AS JSON 'auto'", () => {
  it('fills columns from top-level keys of the same name, case-sensitively; missing keys load NULL', async () => {
    await db.engine.exec('CREATE TABLE auto_songs (song_id VARCHAR(32), title VARCHAR(256), year INTEGER, firstname VARCHAR(64))');
    const bucket = await fixture.bucket({
      'song_data/A/A/A/TRAAAAK128F9318786.json': JSON.stringify({
        num_songs: 1,
        song_id: 'SOBLFFE12AF72AA5BA',
        title: 'Scream',
        year: 2009,
        firstName: 'ignored',
        extra: [1, 2],
      }),
      'song_data/A/A/B/TRAABJL12903CDCF1A.json': JSON.stringify({ song_id: 'SOUDSGM12AC9618304', title: 'Insatiable' }),
    });
    const result = await copy("COPY auto_songs FROM 's3://udacity-dend/song_data' JSON 'auto'", bucket);
    expect(result.rowsLoaded).toBe(2);
    expect(await rows('SELECT * FROM auto_songs ORDER BY song_id')).toEqual([
      { song_id: 'SOBLFFE12AF72AA5BA', title: 'Scream', year: 2009, firstname: null },
      { song_id: 'SOUDSGM12AC9618304', title: 'Insatiable', year: null, firstname: null },
    ]);
  });

  it('never fills a column from what every JS object inherits', async () => {
    await db.engine.exec('CREATE TABLE inherited (id INTEGER, constructor VARCHAR(64))');
    const bucket = await fixture.bucket({ 'x.json': '{"id": 1}\n{"id": 2, "constructor": "own"}' });
    await copy("COPY inherited FROM 's3://udacity-dend/x' JSON 'auto'", bucket);
    await copy("COPY inherited FROM 's3://udacity-dend/x' JSON 'auto ignorecase'", bucket);
    expect(await rows('SELECT * FROM inherited ORDER BY id, constructor')).toEqual([
      { id: 1, constructor: null },
      { id: 1, constructor: null },
      { id: 2, constructor: 'own' },
      { id: 2, constructor: 'own' },
    ]);
  });

  it("'auto ignorecase' matches keys to columns whatever their case", async () => {
    await db.engine.exec('CREATE TABLE auto_users (firstname VARCHAR(64), lastname VARCHAR(64), userid INTEGER)');
    const bucket = await fixture.bucket({
      'users.json': ndjson([
        { firstName: 'Kaylee', LASTNAME: 'Summers', userId: '8' },
        { firstname: 'Walter', userId: 39 },
      ]),
    });
    await copy("COPY auto_users FROM 's3://udacity-dend/users' FORMAT AS JSON 'auto ignorecase'", bucket);
    expect(await rows('SELECT * FROM auto_users ORDER BY userid')).toEqual([
      { firstname: 'Kaylee', lastname: 'Summers', userid: 8 },
      { firstname: 'Walter', lastname: null, userid: 39 },
    ]);
  });

  it('loads only the columns of a column list; the others take their default', async () => {
    await db.engine.exec("CREATE TABLE listed (a INTEGER, b VARCHAR(8) DEFAULT 'dflt', c INTEGER)");
    const bucket = await fixture.bucket({ 'x.json': '{"a": 1, "b": "ignored", "c": 3}' });
    await copy("COPY listed (c, a) FROM 's3://udacity-dend/x' JSON 'auto'", bucket);
    expect(await rows('SELECT * FROM listed')).toEqual([{ a: 1, b: 'dflt', c: 3 }]);
  });

  it('leaves an identity column out when there is no column list', async () => {
    await db.engine.exec('CREATE TABLE with_identity (id INTEGER GENERATED BY DEFAULT AS IDENTITY, name VARCHAR(8))');
    const bucket = await fixture.bucket({ 'x.json': '{"id": 99, "name": "a"}\n{"name": "b"}' });
    await copy("COPY with_identity FROM 's3://udacity-dend/x' JSON 'auto'", bucket);
    expect(await rows('SELECT * FROM with_identity ORDER BY id')).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
  });
});

describe('jsonpaths', () => {
  it('maps paths to columns by position, including nested members, array indexes and every notation', async () => {
    await db.engine.exec(
      'CREATE TABLE nested (city VARCHAR(32), first_tag VARCHAR(16), second_score INTEGER, name VARCHAR(16), missing INTEGER)',
    );
    const bucket = await fixture.bucket({
      'paths/nested.json': JSON.stringify({
        jsonpaths: ["$['location']['city']", '$.tags[0]', '$["scores"][1]', '$.name', "$['no']['such']"],
      }),
      'data/one.json': ndjson([
        { name: 'first', location: { city: 'Oslo' }, tags: ['a', 'b'], scores: [10, 20] },
        { name: 'second', location: 'not an object', tags: [], scores: [1] },
      ]),
    });
    await copy("COPY nested FROM 's3://udacity-dend/data' FORMAT AS JSON 's3://udacity-dend/paths/nested.json'", bucket);
    expect(await rows('SELECT * FROM nested ORDER BY name')).toEqual([
      { city: 'Oslo', first_tag: 'a', second_score: 20, name: 'first', missing: null },
      { city: null, first_tag: null, second_score: null, name: 'second', missing: null },
    ]);
  });

  it('reads JSON arrays by index and maps to a column list', async () => {
    await db.engine.exec('CREATE TABLE from_arrays (id INTEGER, label VARCHAR(8), unused INTEGER)');
    const bucket = await fixture.bucket({
      'paths.json': '{"jsonpaths": ["$[0]", "$[1]"]}',
      'rows.json': '["x", 1]\n["y", 2]',
    });
    await copy("COPY from_arrays (label, id) FROM 's3://udacity-dend/rows' JSON 's3://udacity-dend/paths.json'", bucket);
    expect(await rows('SELECT * FROM from_arrays ORDER BY id')).toEqual([
      { id: 1, label: 'x', unused: null },
      { id: 2, label: 'y', unused: null },
    ]);
  });
});

describe('records in a file', () => {
  it('loads several objects per line, objects spanning lines, no trailing newline and empty files', async () => {
    await db.engine.exec('CREATE TABLE many (n INTEGER)');
    const bucket = await fixture.bucket({
      'many/a.json': '{"n": 1}{"n": 2} {"n": 3}\n{\n  "n": 4\n}\n\n{"n": 5}',
      'many/b.json': '',
      'many/c.json': '\n\n',
      'many/d.json': '{"n": 6}\n',
    });
    const result = await copy("COPY many FROM 's3://udacity-dend/many' JSON 'auto'", bucket);
    expect(result).toMatchObject({ files: 4, recordsRead: 6, rowsLoaded: 6, rejected: [] });
    expect((await rows('SELECT n FROM many ORDER BY n')).map((row) => row['n'])).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('column types', () => {
  it('converts numbers, numeric strings, booleans, dates, JSON and text the way Redshift loads them', async () => {
    await db.engine.exec(`CREATE TABLE typed (
      s SMALLINT, i INTEGER, b BIGINT, r REAL, d DOUBLE PRECISION, n NUMERIC(8,2), ok BOOLEAN, day DATE,
      doc JSONB, label VARCHAR(32), code CHAR(3), note TEXT)`);
    const bucket = await fixture.bucket({
      'typed.json': ndjson([
        {
          s: '12',
          i: -7,
          b: '9007199254740993',
          r: 1.5,
          d: '2.25',
          n: '123.456',
          ok: 'yes',
          day: '2018-11-30',
          doc: { a: [1, 'x'] },
          label: 42,
          code: 'AB',
          note: { nested: true },
        },
        {
          s: '',
          i: ' ',
          b: 1541105830796,
          r: '1e-50',
          d: 1e300,
          n: 999999.994,
          ok: 0,
          day: '2018-11-30T10:00:00Z',
          doc: 'text',
          label: true,
          code: 'ABC',
          note: 'tab\there, back\\slash, "quote", line\nbreak, café',
        },
      ]),
    });
    await copy("COPY typed FROM 's3://udacity-dend/typed' JSON 'auto'", bucket);
    expect(
      await rows(`SELECT s, i, b::text AS b, r, d, n::text AS n, ok, day::text AS day, doc::text AS doc, label, code, note
                  FROM typed ORDER BY s NULLS LAST`),
    ).toEqual([
      {
        s: 12,
        i: -7,
        b: '9007199254740993',
        r: 1.5,
        d: 2.25,
        n: '123.45', // COPY truncates to the scale: copy-parameters-data-conversion.html#copy-roundec
        ok: true,
        day: '2018-11-30',
        doc: '{"a": [1, "x"]}',
        label: '42',
        code: 'AB ',
        note: '{"nested":true}',
      },
      {
        s: null,
        i: null,
        b: '1541105830796',
        r: 0,
        d: 1e300,
        n: '999999.99',
        ok: false,
        day: '2018-11-30',
        doc: '"text"',
        label: 'true',
        code: 'ABC',
        note: 'tab\there, back\\slash, "quote", line\nbreak, café',
      },
    ]);
  });

  it("reads TIMEFORMAT 'epochsecs', 'auto' and the default ISO-like strings, into timestamp and timestamptz", async () => {
    await db.engine.exec('CREATE TABLE times (label VARCHAR(8), at TIMESTAMP, at_tz TIMESTAMPTZ)');
    const epochBucket = await fixture.bucket({ 'e.json': '{"label": "secs", "at": 1541105830, "at_tz": "1541105830.5"}' });
    await copy("COPY times FROM 's3://udacity-dend/e' JSON 'auto' TIMEFORMAT 'epochsecs'", epochBucket);
    const isoBucket = await fixture.bucket({
      'i.json': ndjson([
        { label: 'iso', at: '2018-11-01T20:57:10.796Z', at_tz: '2018-11-01 22:57:10+02:00' },
        { label: 'plain', at: '2018-11-01 20:57', at_tz: '2018-11-01 20:57:10.123456' },
      ]),
    });
    await copy("COPY times FROM 's3://udacity-dend/i' JSON 'auto' TIMEFORMAT 'auto'", isoBucket);
    await copy("COPY times FROM 's3://udacity-dend/i' JSON 'auto'", isoBucket);
    expect(
      await rows(`SELECT label, to_char(at, 'YYYY-MM-DD HH24:MI:SS.US') AS at,
                         to_char(at_tz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at_tz
                  FROM times ORDER BY label, at`),
    ).toEqual([
      { label: 'iso', at: '2018-11-01 20:57:10.796000', at_tz: '2018-11-01 20:57:10.000000' },
      { label: 'iso', at: '2018-11-01 20:57:10.796000', at_tz: '2018-11-01 20:57:10.000000' },
      { label: 'plain', at: '2018-11-01 20:57:00.000000', at_tz: '2018-11-01 20:57:10.123456' },
      { label: 'plain', at: '2018-11-01 20:57:00.000000', at_tz: '2018-11-01 20:57:10.123456' },
      { label: 'secs', at: '2018-11-01 20:57:10.000000', at_tz: '2018-11-01 20:57:10.500000' },
    ]);
  });

  it('loads the same rows through parameterised JSON inserts (what a PostgreSQL server gets)', async () => {
    const ddl = `(i INTEGER, b BIGINT, r REAL, d DOUBLE PRECISION, n NUMERIC(6,3), ok BOOLEAN, day DATE,
                  at TIMESTAMP, at_tz TIMESTAMPTZ, doc JSON, label VARCHAR(64))`;
    await db.engine.exec(`CREATE TABLE via_file ${ddl}; CREATE TABLE via_json ${ddl}`);
    const bucket = await fixture.bucket({
      'mixed.json': ndjson([
        {
          i: 1,
          b: '-9223372036854775808',
          r: 3.4e38,
          d: -0.5,
          n: '-12.3456',
          ok: true,
          day: '0001-01-01',
          at: 1541105830796,
          at_tz: 1541105830796.25,
          doc: { k: 'v\u0001' },
          label: 'naïve "quoted" \\ text',
        },
        { i: null, b: null, r: null, d: null, n: null, ok: null, day: null, at: null, at_tz: null, doc: null, label: null },
        { i: 2, b: 0, r: -1.25, d: 1e-300, n: 0.0005, ok: 'f', day: '9999-12-31', at: -1, at_tz: 253402300799999, doc: [], label: '' },
      ]),
    });
    const sql = (table: string) => `COPY ${table} FROM 's3://udacity-dend/mixed' JSON 'auto' TIMEFORMAT 'epochmillisecs'`;
    await copy(sql('via_file'), bucket);
    await copy(sql('via_json'), bucket, { insertMode: 'json' });
    const text = (table: string) => rows(`SELECT row_to_json(t)::text AS row FROM ${table} AS t ORDER BY i NULLS LAST`);
    const viaFile = await text('via_file');
    expect(viaFile).toHaveLength(3);
    expect(await text('via_json')).toEqual(viaFile);
    expect(viaFile[0]?.['row']).toContain('"b":-9223372036854775808');
    expect(viaFile[0]?.['row']).toContain('"at_tz":"2018-11-01T20:57:10.79625');
    expect(viaFile[1]?.['row']).toContain('"at":"1969-12-31T23:59:59.999"');
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-roundec: "By default,
  // COPY truncates values when necessary to fit the scale of the column" (PostgreSQL would round). A NUMERIC
  // without (p,s) is DECIMAL(18,0): https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html.
  it('loads NUMERIC text truncated to the scale, as Redshift does, through both kinds of insert', async () => {
    const values = ['0', '-0.5', '123456.789', '1000', '12345.6785', '-99999.9995', '0.00001234', '.00000015', '999999999.9994'];
    await db.engine.exec('CREATE TABLE nums_file (k INTEGER, fixed NUMERIC(12,3), free NUMERIC); CREATE TABLE nums_json (LIKE nums_file)');
    const bucket = await fixture.bucket({ 'n.json': ndjson(values.map((value, k) => ({ k, fixed: value, free: value }))) });
    await copy("COPY nums_file FROM 's3://udacity-dend/n' JSON 'auto'", bucket);
    await copy("COPY nums_json FROM 's3://udacity-dend/n' JSON 'auto'", bucket, { insertMode: 'json' });
    const fixed = ['0.000', '-0.500', '123456.789', '1000.000', '12345.678', '-99999.999', '0.000', '0.000', '999999999.999'];
    const free = ['0', '0', '123456', '1000', '12345', '-99999', '0', '0', '999999999'];
    const expected = values.map((_, k) => ({ k, fixed: fixed[k], free: free[k] }));
    const loaded = (table: string) => rows(`SELECT k, fixed::text AS fixed, free::text AS free FROM ${table} ORDER BY k`);
    expect(await loaded('nums_file')).toEqual(expected);
    expect(await loaded('nums_json')).toEqual(expected);
  });
});
