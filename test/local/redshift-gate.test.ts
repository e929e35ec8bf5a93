import { beforeAll, describe, expect, it } from 'vitest';
import { checkAnalystQuery, resolveQuery } from '../../local/analyst-queries';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { checkPlan } from '../../local/redshift-gate/plan-gate';
import { formatRefusal, RedshiftGateError } from '../../local/redshift-gate/refusal';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { ACCEPTED, REFUSED } from '../support/redshift-cases';

// SPEC §7: the twin accepts only what Redshift documents and refuses the rest, naming the construct, file and line.
beforeAll(loadRedshiftGate);

const refusals = (sql: string) => checkRedshiftSql(sql, 'q.sql');

describe('the Redshift gate', () => {
  it.each(REFUSED)('refuses $name, naming the construct, file and line', ({ sql, line, construct }) => {
    const found = checkRedshiftSql(sql, 'sql/marts/users.sql');
    expect(found.map(formatRefusal).join('\n')).toMatch(construct);
    const named = found.find((refusal) => construct.test(refusal.construct));
    expect(named).toMatchObject({ file: 'sql/marts/users.sql', line });
  });

  it.each(Object.entries(ACCEPTED))('accepts %s', (_name, sql) => {
    expect(refusals(sql).map(formatRefusal)).toEqual([]);
  });

  it('says what Redshift offers instead', () => {
    expect(refusals("SELECT STRING_AGG(a, ',') FROM t")[0]?.instead).toMatch(/LISTAGG/);
    expect(refusals('SELECT NOW()')[0]?.instead).toMatch(/GETDATE\(\)/);
    expect(refusals('SELECT CURRENT_TIMESTAMP')[0]?.instead).toMatch(/GETDATE\(\)/);
  });

  it('counts lines and columns in characters after multi-byte text (parser offsets are bytes)', () => {
    const sql = "-- café — naïve “quotes” 日本語\nSELECT 'é', STRING_AGG(a, ',') FROM t";
    expect(refusals(sql)).toMatchObject([{ line: 2, column: 13, construct: 'the function STRING_AGG()' }]);
    expect(refusals('-- é\nSELECT a,\n  b\nFROM t\nWHERE a = = 1')).toMatchObject([{ line: 5, column: 11, syntax: true }]);
  });

  it('checks a QUALIFY condition in place', () => {
    expect(refusals("SELECT a FROM t\nQUALIFY STRING_AGG(b, ',') = 'x'\nORDER BY 1")).toMatchObject([{ line: 2, column: 9 }]);
  });

  it('refuses NULLS FIRST/LAST in a window ORDER BY, and allows it in a query ORDER BY', () => {
    expect(refusals('SELECT ROW_NUMBER() OVER (ORDER BY a NULLS LAST) FROM t')[0]?.construct).toMatch(/NULLS FIRST\/LAST in a window/);
    expect(refusals('SELECT a FROM t ORDER BY a NULLS FIRST')).toEqual([]);
  });

  it('checks COPY parameters against the COPY reference', () => {
    expect(refusals("COPY t FROM 's3://b/k' IAM_ROLE 'r' FORMAT AS JSON 'auto' MAXERROR 3")).toEqual([]);
    expect(refusals("COPY t FROM 's3://b/k' IAM_ROLE 'r' FORMAT AS JSON 'auto' BOGUS 1")[0]?.construct).toBe('COPY parameter BOGUS');
  });

  it('refuses the PostgreSQL types, functions and features Redshift lists as unsupported', () => {
    for (const sql of [
      'SELECT CAST(a AS UUID) FROM t',
      'SELECT a IS DISTINCT FROM b FROM t',
      'SELECT ARRAY[1, 2]',
      'SELECT * FROM (VALUES (1)) AS v (a)',
      'SAVEPOINT s',
      'CREATE TABLE t (a INTEGER CHECK (a > 0))',
    ]) {
      expect(refusals(sql), sql).not.toEqual([]);
    }
  });
});

// An unterminated quote is named where it starts, as the parser names it (the scanner's own error was
// libpg-query's "... is not valid JSON", at 1:1).
it('names an unterminated string literal and where it starts', () => {
  expect(refusals("SELECT 1,\n  'abc").map(formatRefusal)).toEqual([
    `q.sql:2:3: SQL the gate cannot read (unterminated quoted string at or near "'abc") (neither Redshift SQL nor Redshift syntax the gate knows)`,
  ]);
});

// Issue 12 item 1: Redshift syntax PostgreSQL does not parse, accepted or refused by name, never as a syntax error.
describe('Redshift-only syntax', () => {
  const messages = (sql: string) => refusals(sql).map(formatRefusal);

  it.each([
    // https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html
    ['MINUS', 'SELECT a FROM t MINUS SELECT a FROM u'],
    ['MINUS in a subquery', 'SELECT * FROM (SELECT a FROM t MINUS (SELECT a FROM u)) AS d'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html
    ['TRY_CAST', "SELECT TRY_CAST(a AS INTEGER), TRY_CAST('2020-01-01' AS DATE) FROM t"],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
    ['ALTER DISTKEY', 'ALTER TABLE songplays ALTER DISTKEY song_id'],
    ['ALTER DISTSTYLE KEY DISTKEY', 'ALTER TABLE songplays ALTER DISTSTYLE KEY DISTKEY song_id'],
    [
      'ALTER DISTSTYLE EVEN / ALL / AUTO',
      'ALTER TABLE a ALTER DISTSTYLE EVEN; ALTER TABLE b ALTER DISTSTYLE ALL; ALTER TABLE c ALTER DISTSTYLE AUTO',
    ],
    ['ALTER COMPOUND SORTKEY', 'ALTER TABLE songplays ALTER COMPOUND SORTKEY (start_time, user_id)'],
    ['ALTER SORTKEY AUTO / NONE', 'ALTER TABLE a ALTER SORTKEY AUTO; ALTER TABLE b ALTER SORTKEY NONE'],
    ['ALTER SORTKEY with ALTER DISTKEY', 'ALTER TABLE songplays ALTER SORTKEY (start_time), ALTER DISTKEY song_id'],
    ['ALTER DISTSTYLE ALL with ALTER SORTKEY', 'ALTER TABLE time ALTER DISTSTYLE ALL, ALTER SORTKEY (start_time)'],
    [
      'ALTER ENCODE AUTO and ALTER COLUMN ... ENCODE',
      'ALTER TABLE a ALTER ENCODE AUTO; ALTER TABLE b ALTER COLUMN x ENCODE zstd, ALTER COLUMN y ENCODE az64',
    ],
    ['ALTER COLUMN ... TYPE VARCHAR', 'ALTER TABLE users ALTER COLUMN level TYPE VARCHAR(20)'],
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html
    ['a late-binding view', 'CREATE VIEW v AS SELECT a FROM public.t WITH NO SCHEMA BINDING'],
    // https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions.html pages added in the review
    ['functions of the reviewed pages', 'SELECT MURMUR3_32_HASH(a), ARRAY_SORT(s), TO_HEX(v), JSON_SIZE(s), CRC32(a) FROM t'],
    // https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html
    ['a leader-node-only function with no table', "SELECT HAS_TABLE_PRIVILEGE('songs', 'select'), CURRENT_SCHEMA()"],
  ])('accepts %s', (_name, sql) => {
    expect(messages(sql)).toEqual([]);
  });

  it.each([
    [
      'MINUS ALL',
      'SELECT a FROM t\nMINUS ALL SELECT a FROM u',
      'q.sql:2:1: MINUS ALL is not Redshift SQL; Redshift offers MINUS (or EXCEPT) without ALL',
    ],
    [
      'EXCEPT ALL',
      'SELECT a FROM t EXCEPT ALL SELECT a FROM u',
      'q.sql:1:35: EXCEPT ALL is not Redshift SQL; Redshift offers EXCEPT without ALL',
    ],
    [
      'INTERSECT ALL',
      'SELECT a FROM t INTERSECT ALL SELECT a FROM u',
      'q.sql:1:38: INTERSECT ALL is not Redshift SQL; Redshift offers INTERSECT without ALL',
    ],
    [
      'TRY_CAST to a type Redshift lacks',
      'SELECT TRY_CAST(a AS UUID) FROM t',
      'q.sql:1:22: the data type UUID is not Redshift SQL; Redshift offers CHAR(36)',
    ],
    [
      'ALTER DISTSTYLE of no style',
      'ALTER TABLE t ALTER DISTSTYLE RANDOM',
      'q.sql:1:15: ALTER DISTSTYLE RANDOM is not Redshift SQL; Redshift offers ALTER DISTSTYLE ALL | EVEN | AUTO, or ALTER DISTSTYLE KEY DISTKEY column_name',
    ],
    [
      'ALTER DISTSTYLE KEY without its DISTKEY',
      'ALTER TABLE t ALTER DISTSTYLE KEY',
      'q.sql:1:15: ALTER DISTSTYLE KEY is not Redshift SQL; Redshift offers ALTER DISTSTYLE ALL | EVEN | AUTO, or ALTER DISTSTYLE KEY DISTKEY column_name',
    ],
    [
      'ALTER DISTKEY of two columns',
      'ALTER TABLE t ALTER DISTKEY (a, b)',
      'q.sql:1:15: ALTER DISTKEY ( A , B ) is not Redshift SQL; Redshift offers ALTER DISTKEY column_name (one column)',
    ],
    [
      'ALTER INTERLEAVED SORTKEY',
      'ALTER TABLE t ALTER INTERLEAVED SORTKEY (a)',
      "q.sql:1:15: ALTER INTERLEAVED SORTKEY is not Redshift SQL; Redshift offers ALTER [COMPOUND] SORTKEY (...): Redshift can't alter a sort key to an interleaved one",
    ],
    [
      'ALTER DISTSTYLE EVEN with ALTER DISTKEY',
      'ALTER TABLE t ALTER DISTSTYLE EVEN, ALTER DISTKEY a',
      'q.sql:1:1: ALTER TABLE combining DISTSTYLE and DISTKEY is not Redshift SQL; Redshift offers ALTER SORTKEY with ALTER DISTKEY, or ALTER SORTKEY with ALTER DISTSTYLE ALL, or one statement per clause',
    ],
    [
      'ALTER DISTKEY with ADD COLUMN',
      'ALTER TABLE t ALTER DISTKEY a, ADD COLUMN b INTEGER',
      'q.sql:1:32: ALTER TABLE combining ADD COLUMN with DISTKEY, DISTSTYLE, SORTKEY or ENCODE is not Redshift SQL; Redshift offers one ALTER TABLE statement per clause',
    ],
    [
      'ALTER COLUMN ... ENCODE of no encoding',
      'ALTER TABLE t ALTER COLUMN a ENCODE gzip',
      'q.sql:1:37: ENCODE gzip is not Redshift SQL; Redshift offers RAW, AZ64',
    ],
    [
      'ALTER COLUMN ... TYPE other than VARCHAR',
      'ALTER TABLE users ALTER COLUMN level TYPE CHAR(10)',
      'q.sql:1:32: ALTER COLUMN ... TYPE CHAR is not Redshift SQL; Redshift offers ALTER COLUMN ... TYPE VARCHAR(n), only to change a VARCHAR size',
    ],
    [
      'a leader-node-only function over a table',
      "SELECT user_id\nFROM users WHERE HAS_TABLE_PRIVILEGE('users', 'select')",
      'q.sql:2:18: the leader-node-only function HAS_TABLE_PRIVILEGE() in a statement that reads a table is not Redshift SQL; Redshift offers a separate query that reads no table, or only catalog (PG_) tables',
    ],
    ['MMH3_HASH (not on the hash page)', 'SELECT MMH3_HASH(a) FROM t', 'q.sql:1:8: the function MMH3_HASH() is not Redshift SQL'],
  ])('refuses %s, naming it', (_name, sql, message) => {
    expect(messages(sql).join('\n')).toContain(message);
    expect(refusals(sql).some((refusal) => refusal.syntax)).toBe(false);
  });

  it.each([
    ["CREATE EXTERNAL SCHEMA s FROM DATA CATALOG DATABASE 'd' IAM_ROLE 'r'", 'CREATE EXTERNAL SCHEMA', ''],
    [
      "CREATE EXTERNAL TABLE s.t (a INTEGER) STORED AS PARQUET LOCATION 's3://b/p/'",
      'CREATE EXTERNAL TABLE',
      `. Redshift's documentation: "You can't run CREATE EXTERNAL TABLE inside a transaction (BEGIN … END).")`,
    ],
    ["UNLOAD ('SELECT * FROM songs') TO 's3://b/p' IAM_ROLE 'r'", 'UNLOAD', ''],
    [
      'VACUUM songplays TO 75 PERCENT',
      'VACUUM',
      `. Redshift's documentation: "You can't run VACUUM within a transaction block (BEGIN ... END).")`,
    ],
    [
      'CREATE DATABASE analytics',
      'CREATE DATABASE',
      `. Redshift's documentation: "You can't run CREATE DATABASE within a transaction block (BEGIN ... END).")`,
    ],
    [
      'DROP DATABASE analytics',
      'DROP DATABASE',
      `. Redshift's documentation: "You can't run DROP DATABASE within a transaction block (BEGIN ... END).")`,
    ],
    [
      'ALTER TABLE songplays APPEND FROM staging_plays',
      'ALTER TABLE APPEND',
      `. Redshift's documentation: "An ALTER TABLE APPEND command automatically commits immediately upon completion of the operation. It can't be rolled back. You can't run ALTER TABLE APPEND within a transaction block (BEGIN ... END).")`,
    ],
    [
      "CREATE LIBRARY l LANGUAGE plpythonu FROM 's3://b/l.zip' IAM_ROLE 'r'",
      'CREATE LIBRARY',
      `. Redshift's documentation: "CREATE LIBRARY can't be run inside a transaction block (BEGIN … END).")`,
    ],
    ["CREATE MODEL m FROM songs TARGET level FUNCTION f_level IAM_ROLE 'r' SETTINGS (S3_BUCKET 'b')", 'CREATE MODEL', ''],
    ['SHOW TABLES FROM SCHEMA dev.public', 'SHOW TABLES', ''],
  ])('refuses %s as not supported offline', (sql, construct, doc) => {
    const found = refusals(`-- offline\n${sql}`);
    expect(found.map(formatRefusal)).toEqual([
      `q.sql:2:1: not supported offline: ${construct} (Redshift runs it; keep it out of the load plan${doc || ')'}`,
    ]);
  });

  // Issue 20: a documented function the twin cannot run is refused as that, in FROM too.
  it.each([
    [
      'SELECT H3_FromLongLat(0, 0, 4) FROM t',
      '2:8: H3_FROMLONGLAT is Redshift SQL that the offline twin does not run; an H3 spatial index function; run it on the cluster',
    ],
    [
      'SELECT ST_MemSize(g) FROM t',
      '2:8: ST_MEMSIZE is Redshift SQL that the offline twin does not run; ST_NPoints(geom) as a measure of relative size offline, or run it on the cluster',
    ],
    [
      "SELECT * FROM pg_get_iam_role_by_user('reg_user1') AS res_iam_role(username text, iam_role text, cmd text)",
      '2:15: PG_GET_IAM_ROLE_BY_USER is Redshift SQL that the offline twin does not run; run it on the cluster: IAM roles are attached to the cluster, not to the offline twin',
    ],
    [
      'SELECT eventid, SLICE_NUM() FROM event',
      '2:17: SLICE_NUM in a statement that reads a table is Redshift SQL that the offline twin does not run; run it on the cluster: the offline twin keeps no slices',
    ],
  ])('refuses %s as Redshift SQL the twin does not run', (sql, message) => {
    expect(refusals(`-- offline\n${sql}`).map(formatRefusal)).toEqual([`q.sql:${message}`]);
  });
});

// Issue 12 item 1: the $$ ... $$ body of a LANGUAGE plpgsql procedure goes through the same gate, at the file's lines.
describe('procedure bodies', () => {
  const procedure = (body: string) =>
    `-- a procedure\nCREATE OR REPLACE PROCEDURE p (n INTEGER) AS $$\nDECLARE\n    x BIGINT;\nBEGIN\n${body}\nEND;\n$$ LANGUAGE plpgsql;\n`;
  const messages = (body: string) => refusals(procedure(body)).map(formatRefusal);

  it('accepts the statements Redshift documents', () => {
    const body = [
      '    x := n + 1;',
      '    SELECT COUNT(*) INTO x FROM songs WHERE year = n;',
      "    EXECUTE 'SELECT COUNT(*) FROM songs' INTO x;",
      '    GET DIAGNOSTICS x := ROW_COUNT;',
      '    FOR i IN 1..3 LOOP CONTINUE; END LOOP;',
      '    WHILE x < 3 LOOP x := x + 1; END LOOP;',
      '    CASE x WHEN 1 THEN NULL; ELSE NULL; END CASE;',
      "    IF x > 0 THEN RAISE EXCEPTION 'x is %', x; END IF;",
      "    RAISE INFO 'done %', x;",
      'EXCEPTION WHEN OTHERS THEN',
      '    RAISE;',
    ].join('\n');
    expect(messages(body)).toEqual([]);
  });

  it.each([
    [
      "a function Redshift lacks, at the file's line and column",
      '    x := NOW();',
      'q.sql:6:10: the function NOW() is not Redshift SQL; Redshift offers GETDATE() or SYSDATE',
    ],
    [
      'a PostgreSQL construct inside a SELECT INTO',
      "    SELECT COUNT(*) FILTER (WHERE level = 'paid') INTO x FROM users;",
      'q.sql:6:41: FILTER (WHERE ...) on COUNT() is not Redshift SQL; Redshift offers CASE WHEN condition THEN value END inside the aggregate',
    ],
    [
      'MINUS inside the body (lifted like the rest)',
      '    SELECT COUNT(*) INTO x FROM (SELECT a FROM t MINUS ALL SELECT a FROM u) AS d;',
      'q.sql:6:50: MINUS ALL is not Redshift SQL',
    ],
    [
      'PERFORM',
      '    PERFORM f_log(n);',
      'q.sql:6:5: PERFORM in a procedure body is not Redshift SQL; Redshift offers SELECT ... INTO a variable, or CALL for a procedure',
    ],
    [
      'FOREACH ... IN ARRAY',
      '    FOREACH x IN ARRAY a LOOP NULL; END LOOP;',
      'q.sql:6:5: FOREACH ... IN ARRAY in a procedure body is not Redshift SQL; Redshift offers a FOR loop over a query',
    ],
    [
      'ASSERT',
      '    ASSERT x > 0;',
      "q.sql:6:5: ASSERT in a procedure body is not Redshift SQL; Redshift offers IF NOT condition THEN RAISE EXCEPTION '...'; END IF",
    ],
    ['EXECUTE ... USING', "    EXECUTE 'SELECT $1' USING n;", 'q.sql:6:5: EXECUTE ... USING in a procedure body is not Redshift SQL'],
    [
      'RAISE DEBUG',
      "    RAISE DEBUG 'x';",
      'q.sql:6:5: a RAISE level other than NOTICE, INFO, LOG, WARNING or EXCEPTION in a procedure body is not Redshift SQL',
    ],
    [
      'RAISE ... USING',
      "    RAISE EXCEPTION 'x' USING HINT = 'h';",
      "q.sql:6:5: RAISE ... USING in a procedure body is not Redshift SQL; Redshift offers RAISE level 'format' [, variable [, ...]]",
    ],
    [
      'a RAISE argument that is an expression',
      "    RAISE INFO 'x %', x + 1;",
      'q.sql:6:23: the RAISE argument x + 1 in a procedure body is not Redshift SQL',
    ],
    [
      'GET DIAGNOSTICS other than ROW_COUNT',
      '    GET DIAGNOSTICS x := PG_ROUTINE_OID;',
      'q.sql:6:5: GET DIAGNOSTICS ... PG_ROUTINE_OID in a procedure body is not Redshift SQL',
    ],
    [
      'an exception condition other than OTHERS',
      '    x := 1;\nEXCEPTION WHEN division_by_zero THEN\n    RAISE;',
      'q.sql:7:16: EXCEPTION WHEN DIVISION_BY_ZERO in a procedure body is not Redshift SQL; Redshift offers EXCEPTION WHEN OTHERS, the only condition Redshift supports',
    ],
    [
      'SET LOCAL (needs its own transaction)',
      '    SET LOCAL search_path TO s;',
      'q.sql:6:5: SET LOCAL in a procedure body is not Redshift SQL',
    ],
  ])('refuses %s', (_name, body, message) => {
    expect(messages(body).join('\n')).toContain(message);
  });

  it('checks the declared types', () => {
    expect(refusals(procedure('    NULL;').replace('x BIGINT;', 'x JSONB;')).map(formatRefusal)).toEqual([
      'q.sql:4:7: the data type JSONB is not Redshift SQL; Redshift offers SUPER (with JSON_PARSE)',
    ]);
  });

  it('refuses a body PL/pgSQL cannot read, at the body', () => {
    expect(messages('    y := 1;')).toEqual([
      expect.stringMatching(/^q\.sql:2:\d+: a PL\/pgSQL body the parser cannot read \("y" is not a known variable\)/),
    ]);
  });
});

// Issue 12 item 1: what only the whole plan can judge (the load runs every step in one transaction).
describe('the plan gate', () => {
  const files = readSqlFiles();
  const plan = (sql: SqlFiles) =>
    checkPlan(sql, buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId: 'gate-1' }));
  const withUsers = (sql: string) => new Map(files).set('marts/users.sql', `-- injected\n${sql}\n`);
  const messages = (sql: string) => plan(withUsers(sql))?.refusals.map(formatRefusal) ?? [];

  it('passes the plan as it is', () => {
    expect(plan(files)).toBeUndefined();
  });

  it('refuses an explicit value for an IDENTITY(seed, step) column, from the DDL in sql/schema', () => {
    expect(
      messages("INSERT INTO load_history (load_seq, load_id, fingerprint, started_at, outcome)\nVALUES (7, 'x', 'f', GETDATE(), 'ok')"),
    ).toEqual([
      'sql/marts/users.sql:2:27: INSERT of an explicit value into load_history.load_seq, an IDENTITY(seed, step) column is not Redshift SQL; Redshift offers a column list without load_seq (Redshift generates it), DEFAULT as its value, or the column declared GENERATED BY DEFAULT AS IDENTITY(seed, step)',
    ]);
    expect(messages('INSERT INTO load_history SELECT * FROM load_history')[0]).toContain(
      'sql/marts/users.sql:2:13: INSERT of an explicit value into load_history.load_seq, an IDENTITY(seed, step) column (no column list: every column gets a value)',
    );
    expect(messages('UPDATE load_history SET load_seq = 1')[0]).toContain(
      'sql/marts/users.sql:2:25: UPDATE of an explicit value into load_history.load_seq',
    );
  });

  it('accepts DEFAULT for an IDENTITY column, and any value for GENERATED BY DEFAULT AS IDENTITY', () => {
    expect(
      messages(
        "INSERT INTO load_history (load_seq, load_id, fingerprint, started_at, outcome) VALUES (DEFAULT, 'x', 'f', GETDATE(), 'ok')",
      ),
    ).toEqual([]);
    const ddl = (files.get('schema/load_history.sql') ?? '').replace(
      'load_seq BIGINT IDENTITY (1, 1)',
      'load_seq BIGINT GENERATED BY DEFAULT AS IDENTITY (1, 1)',
    );
    const sql = withUsers(
      "INSERT INTO load_history (load_seq, load_id, fingerprint, started_at, outcome) VALUES (7, 'x', 'f', GETDATE(), 'ok')",
    );
    expect(plan(new Map(sql).set('schema/load_history.sql', ddl))).toBeUndefined();
  });

  it("refuses ALTER COLUMN inside the load's transaction, quoting the ALTER TABLE page", () => {
    expect(messages('ALTER TABLE users ALTER COLUMN level TYPE VARCHAR(20);')).toEqual([
      `sql/marts/users.sql:2:1: ALTER TABLE users ALTER COLUMN level TYPE cannot run inside the load's transaction (Redshift's documentation: "You can't alter columns within a transaction block (BEGIN ... END).")` +
        '; Redshift offers a new table with the wider column, filled with INSERT ... SELECT in the load (the schema rebuild does this)',
    ]);
  });

  it('refuses an ALTER DISTKEY or SORTKEY naming a column the DDL lacks, and accepts one that names a column', () => {
    expect(
      messages('ALTER TABLE songplays ALTER DISTKEY played_by;\nALTER TABLE songplays ALTER SORTKEY (start_time, played_at);'),
    ).toEqual([
      'sql/marts/users.sql:2:37: ALTER DISTKEY naming played_by, which is not a column of songplays is not Redshift SQL; Redshift offers a DISTKEY on one of: songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent',
      'sql/marts/users.sql:3:50: ALTER SORTKEY naming played_at, which is not a column of songplays is not Redshift SQL; Redshift offers a SORTKEY on one of: songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent',
    ]);
    expect(messages('ALTER TABLE songplays ALTER DISTKEY song_id, ALTER SORTKEY (start_time);')).toEqual([]);
  });

  it('refuses the statements that cannot run in a transaction block before anything runs', () => {
    expect(messages('VACUUM users;')).toEqual([
      `sql/marts/users.sql:2:1: not supported offline: VACUUM (Redshift runs it; keep it out of the load plan. Redshift's documentation: "You can't run VACUUM within a transaction block (BEGIN ... END).")`,
    ]);
  });
});

// The CI check: every file of sql/ runs on Redshift, so a refused construct added to sql/ fails `npm test`.
describe('sql/', () => {
  const files = [...readSqlFiles()].filter(([file]) => file.endsWith('.sql'));

  it.each(files.map(([file]) => file))('sql/%s passes the Redshift gate', (file) => {
    expect(checkRedshiftSql(readSqlFiles().get(file) ?? '', `sql/${file}`).map(formatRefusal)).toEqual([]);
  });

  it('refuses a named analyst query that Redshift would not run, naming its file', async () => {
    const named = resolveQuery(readSqlFiles(), 'most_played_songs');
    await expect(checkAnalystQuery(named)).resolves.toBeUndefined();
    const edited = { ...named, source: named.source.replace(/COUNT\(\*\)/, "STRING_AGG(title, ',')") };
    const error = await checkAnalystQuery(edited).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedshiftGateError);
    expect((error as Error).message).toMatch(/sql\/queries\/most_played_songs\.sql:\d+:\d+: the function STRING_AGG\(\)/);
  });
});

describe('Redshift calls PostgreSQL reads as other syntax', () => {
  const messages = (sql: string) => refusals(sql).map(formatRefusal);

  // https://docs.aws.amazon.com/redshift/latest/dg/r_CONVERT_function.html: CONVERT(type, expression).
  it.each([
    'SELECT CONVERT(char(4), 2008)',
    'SELECT CONVERT(integer, 162.00)',
    'SELECT CONVERT(VARCHAR(30), GETDATE())',
    'SELECT CONVERT(decimal(2,1), 123.456)',
    "SELECT CONVERT(timestamp with time zone, '2008-01-01'), CONVERT(double precision, 1), CONVERT(varchar(max), 'x')",
    'SELECT CONVERT(int, CONVERT(char(4), 2008))',
    'SELECT a FROM t QUALIFY CONVERT(char(4), b) = 1',
  ])('accepts %s', (sql) => {
    expect(messages(sql)).toEqual([]);
  });

  it('checks CONVERT’s type against the data type allowlist, and its expression, where they are written', () => {
    expect(messages('SELECT CONVERT(serial, 1)')).toEqual([
      'q.sql:1:16: the data type SERIAL is not Redshift SQL; Redshift offers INTEGER IDENTITY(1, 1)',
    ]);
    expect(messages('SELECT a,\n  CONVERT(int, nosuchfn(a)) FROM t')).toEqual(['q.sql:2:16: the function NOSUCHFN() is not Redshift SQL']);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_COLLATE.html: the page's own query.
  it('refuses COLLATE(string, collation) as not run offline, and still refuses PostgreSQL’s COLLATE clause', () => {
    expect(messages("SELECT * FROM T WHERE collate(col1, 'case_insensitive') = 'john'")).toEqual([
      'q.sql:1:23: COLLATE is Redshift SQL that the offline twin does not run; compare LOWER(string) for a case-insensitive match, or run it on the cluster',
    ]);
    expect(messages('SELECT x COLLATE "C" FROM t')).toEqual(['q.sql:1:10: COLLATE is not Redshift SQL']);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_USER.html: the page's options, not PostgreSQL's.
  it('accepts ALTER USER with the page’s options and refuses PostgreSQL’s', () => {
    for (const sql of [
      'alter user dbuser createdb;',
      'alter user iamuser1 password disable;',
      "alter user admin with password 'adminPass9' valid until '2017-12-31 23:59';",
      'alter user admin rename to sysadmin;',
      'alter user dbuser connection limit 10;',
      'alter user dbuser session timeout 300, syslog access unrestricted;',
      'alter user dbuser set search_path to public, sparkify;',
    ])
      expect(messages(sql)).toEqual([]);
    expect(messages('alter user dbuser superuser;')).toEqual([
      'q.sql:1:19: ALTER USER option SUPERUSER is not Redshift SQL; Redshift offers the options of ALTER USER (r_ALTER_USER.html)',
    ]);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_AWS_ACCOUNT.html
  it.each([['current_aws_account', 'offline there is no AWS account']])(
    'refuses the bare system word %s as not run offline',
    (word, why) => {
      expect(messages(`select ${word};`)).toEqual([
        `q.sql:1:8: ${word.toUpperCase()} is Redshift SQL that the offline twin does not run; run it on the cluster: ${why}`,
      ]);
    },
  );

  // PG_GET_COLS.html, PG_GET_LATE_BINDING_VIEW_COLS.html: in FROM with a column list of NAMEs.
  it('accepts the pages’ table functions in FROM, and nothing else of the kind', () => {
    const cols = 'cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int)';
    expect(messages(`select * from pg_get_cols('sales_vw') ${cols};`)).toEqual([]);
    expect(messages(`select * from pg_get_late_binding_view_cols() ${cols};`)).toEqual([]);
    expect(messages(`select * from generate_series(1, 3) ${cols};`)).toEqual([
      'q.sql:1:15: GENERATE_SERIES() in FROM (a table function) is not Redshift SQL; Redshift offers a numbers table or a CTE of the integers you need',
    ]);
  });

  it('accepts the bare CURRENT_USER_ID, which the twin answers (r_CURRENT_USER_ID.html)', () => {
    expect(messages('select user, current_user_id;')).toEqual([]);
  });

  it('leaves a column of that name alone where the statement reads a table', () => {
    expect(messages('SELECT current_user_id FROM users')).toEqual([]);
    expect(messages('SELECT current_namespace FROM (SELECT 1 AS current_namespace) AS t')).toEqual([]);
  });
});
