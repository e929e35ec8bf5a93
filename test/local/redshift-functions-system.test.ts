import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../local/copy/copy-command';
import { runCopy } from '../../local/copy/copy-runner';
import { toPostgresStatement } from '../../local/table-design-record';
import { twinStatement } from '../../local/twin-statement';
import { BucketFixture } from './copy/bucket-fixture';
import { openRedshiftSession, type RedshiftSession } from '../support/redshift-query';

/**
 * Redshift's system information functions whose answer is the session's or the twin's own state
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_System_information_functions.html), on the
 * real engine, as `sparkify query` runs them: the gate, the dialect bridge, the prelude.
 */
let rs: RedshiftSession;
const fixture = new BucketFixture();
// Roles are a server's, not a database's: names of this run only, dropped after it.
const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
const [roleA, roleB, roleC, user, other] = ['role_a', 'role_b', 'role_c', 'member', 'other'].map((name) => `sys_${name}_${suffix}`);

beforeAll(async () => {
  rs = await openRedshiftSession();
  await rs.engine.exec(
    `CREATE ROLE ${roleA} NOLOGIN; CREATE ROLE ${roleB} NOLOGIN; CREATE ROLE ${roleC} NOLOGIN;
     CREATE ROLE ${user} LOGIN; CREATE ROLE ${other} LOGIN;
     GRANT ${roleB} TO ${roleA}; GRANT ${roleC} TO ${roleB}; GRANT ${roleA} TO ${user}`,
  );
  await rs.rows('CREATE TABLE public.sales (salesid INTEGER NOT NULL, pricepaid DECIMAL(8,2), saletime TIMESTAMP, eventname VARCHAR(200))');
});
afterAll(async () => {
  await rs.engine.exec('RESET ROLE');
  await rs.engine.exec(`DROP TABLE public.sales CASCADE; DROP ROLE ${user}, ${other}, ${roleA}, ${roleB}, ${roleC}`);
  await rs.dispose();
  await fixture.dispose();
});

/** Column names and first-row values of a statement, through the dialect bridge. */
async function named(sql: string): Promise<{ names: string[]; row: unknown[] }> {
  const result = await rs.engine.queryArrays(toPostgresStatement(sql));
  return { names: result.fields.map((field) => field.name), row: result.rows[0] ?? [] };
}

describe('query ids of the session', () => {
  // Through twinStatement, as `sparkify query` and the load run a statement: it marks the session.
  const run = async (sql: string): Promise<string[][]> =>
    (await rs.engine.queryArrays(await twinStatement(rs.engine, sql))).rows.map((row) => row.map(String));

  it('PG_LAST_QUERY_ID and LAST_USER_QUERY_ID are -1 until the session runs a query on the compute nodes, then refused: the twin keeps no query ids', async () => {
    // PG_LAST_QUERY_ID.html: "If no queries have been run in the current session, PG_LAST_QUERY_ID returns
    // -1", and no id for "queries that run exclusively on the leader node": no table, the catalog, DDL.
    const ids = 'SELECT PG_LAST_QUERY_ID(), LAST_USER_QUERY_ID()';
    try {
      expect(await run(ids)).toEqual([['-1', '-1']]);
      await run('SELECT 1');
      await run('SELECT count(*) FROM pg_class');
      await run('CREATE TABLE query_ids (n INTEGER)');
      expect(await run(ids)).toEqual([['-1', '-1']]);
      expect((await rs.engine.query('SELECT pg_typeof(pg_last_query_id())::text AS t')).rows).toEqual([{ t: 'integer' }]);
      await run('SELECT count(*) FROM query_ids');
      await expect(run('SELECT PG_LAST_QUERY_ID()')).rejects.toThrow(
        /^PG_LAST_QUERY_ID after a query of the session is Redshift SQL that the offline twin does not run$/,
      );
      await expect(run('SELECT LAST_USER_QUERY_ID()')).rejects.toThrow(/^LAST_USER_QUERY_ID after a query of the session/);
    } finally {
      await rs.engine.exec("DROP TABLE IF EXISTS query_ids; SELECT set_config('sparkify.query_ran', '', false)");
    }
  });
});

describe('COPY and UNLOAD of the session', () => {
  it('PG_LAST_COPY_ID is -1 before any COPY (https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_COPY_ID.html), an integer', async () => {
    expect(await rs.row('SELECT PG_LAST_COPY_ID()')).toEqual(['-1']);
    expect((await rs.engine.query('SELECT pg_typeof(pg_last_copy_id())::text AS t')).rows).toEqual([{ t: 'integer' }]);
  });

  it('after a COPY, PG_LAST_COPY_COUNT has its rows and PG_LAST_COPY_ID is refused: the twin keeps no query ids', async () => {
    await rs.engine.exec('CREATE TABLE numbers (n INTEGER)');
    const bucket = await fixture.bucket({ 'data/part-0.json': '{"n": 1}\n{"n": 2}' });
    const command = parseCopy("COPY numbers FROM 's3://bucket/data' JSON 'auto'");
    if (!command) throw new Error('not a COPY');
    await rs.engine.exec('BEGIN');
    try {
      await runCopy(rs.engine, command, { buckets: { bucket } });
      expect(await rs.row('SELECT PG_LAST_COPY_COUNT()')).toEqual(['2']);
      expect(await rs.failure('SELECT PG_LAST_COPY_ID()')).toMatch(
        /^PG_LAST_COPY_ID after a COPY is Redshift SQL that the offline twin does not run$/,
      );
    } finally {
      await rs.engine.exec('ROLLBACK');
    }
  });

  it('the twin never UNLOADs: PG_LAST_UNLOAD_COUNT is 0, a BIGINT, and PG_LAST_UNLOAD_ID -1, an integer', async () => {
    // PG_LAST_UNLOAD_COUNT.html: "If no UNLOAD commands were completed in the current session ... returns 0";
    // PG_LAST_UNLOAD_ID.html: "If no UNLOAD commands have been run in the current session, ... returns -1".
    expect(await rs.row('SELECT PG_LAST_UNLOAD_COUNT(), PG_LAST_UNLOAD_ID()')).toEqual(['0', '-1']);
    expect(await rs.failure("UNLOAD ('SELECT 1') TO 's3://bucket/out' IAM_ROLE default")).toMatch(/UNLOAD/);
    const { rows } = await rs.engine.query(
      'SELECT pg_typeof(pg_last_unload_count())::text AS c, pg_typeof(pg_last_unload_id())::text AS i',
    );
    expect(rows).toEqual([{ c: 'bigint', i: 'integer' }]);
  });
});

describe('who and where', () => {
  it('CURRENT_USER_ID is the signed-in user’s id, the one PG_USER and SVV_RELATION_PRIVILEGES give (https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_USER_ID.html)', async () => {
    await rs.engine.exec(`GRANT SELECT ON public.sales TO ${user}; SET ROLE ${user}`);
    try {
      const { names, row } = await named('SELECT user, current_user_id');
      // The pages print USER under current_user (r_CURRENT_USER_ID.html, r_CURRENT_NAMESPACE.html).
      expect(names).toEqual(['current_user', 'current_user_id']);
      expect(row[0]).toBe(user);
      expect(await rs.row(`SELECT current_user_id = usesysid FROM pg_user WHERE usename = '${user}'`)).toEqual(['true']);
      expect(
        await rs.row(
          `SELECT identity_id = current_user_id FROM svv_relation_privileges WHERE identity_name = '${user}' AND relation_name = 'sales'`,
        ),
      ).toEqual(['true']);
      // A reserved word, so the function in a statement that reads a table too.
      expect(await rs.rows('SELECT current_user_id > 0 FROM public.sales')).toEqual([]);
    } finally {
      await rs.engine.exec(`RESET ROLE; REVOKE SELECT ON public.sales FROM ${user}`);
    }
  });

  it('CURRENT_NAMESPACE is the warehouse’s own namespace, a UUID kept for its life; a column of that name still wins (https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_NAMESPACE.html)', async () => {
    const { names, row } = await named('select user, current_namespace;');
    expect(names).toEqual(['current_user', 'current_namespace']);
    expect(String(row[1])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await rs.row('SELECT current_namespace')).toEqual([String(row[1])]);
    await rs.engine.exec("CREATE TABLE namespaces (current_namespace VARCHAR(10)); INSERT INTO namespaces VALUES ('column')");
    try {
      expect(await rs.rows('SELECT current_namespace FROM namespaces')).toEqual([['column']]);
    } finally {
      await rs.engine.exec('DROP TABLE namespaces');
    }
  });

  it('SLICE_NUM() is 10000 where the leader node runs the query alone, and refused where a row’s slice is asked (https://docs.aws.amazon.com/redshift/latest/dg/r_SLICE_NUM.html)', async () => {
    expect(await rs.row('SELECT SLICE_NUM()')).toEqual(['10000']);
    expect(await rs.failure('SELECT salesid, SLICE_NUM() FROM public.sales')).toMatch(
      /q\.sql:1:17: SLICE_NUM in a statement that reads a table is Redshift SQL that the offline twin does not run; run it on the cluster: the offline twin keeps no slices/,
    );
  });

  it.each([
    [
      'VERSION()',
      /VERSION is Redshift SQL that the offline twin does not run; run it on the cluster: the version is the cluster's Redshift release/,
    ],
    [
      'current_aws_account',
      /CURRENT_AWS_ACCOUNT is Redshift SQL that the offline twin does not run; run it on the cluster: offline there is no AWS account/,
    ],
    [
      'DEFAULT_IAM_ROLE()',
      /DEFAULT_IAM_ROLE is Redshift SQL that the offline twin does not run; run it on the cluster: IAM roles are attached to the cluster/,
    ],
  ])('%s, which only a cluster can answer, is refused as not run offline', async (call, message) => {
    expect(await rs.failure(`SELECT ${call}`)).toMatch(message);
  });
});

describe('membership of roles and users', () => {
  it('ROLE_IS_MEMBER_OF: granted roles, nested ones too; not a role itself, nor the other way (https://docs.aws.amazon.com/redshift/latest/dg/r_ROLE_IS_MEMBER_OF.html)', async () => {
    expect(await rs.row(`SELECT ROLE_IS_MEMBER_OF('${roleA}', '${roleB}'), ROLE_IS_MEMBER_OF('${roleA}', '${roleC}')`)).toEqual([
      'true',
      'true',
    ]);
    expect(await rs.row(`SELECT ROLE_IS_MEMBER_OF('${roleB}', '${roleA}'), ROLE_IS_MEMBER_OF('${roleA}', '${roleA}')`)).toEqual([
      'false',
      'false',
    ]);
    expect(await rs.failure(`SELECT ROLE_IS_MEMBER_OF('${roleA}', 'no_such_role_${suffix}')`)).toMatch(
      new RegExp(`^ROLE_IS_MEMBER_OF: role "no_such_role_${suffix}" does not exist$`),
    );
  });

  it('USER_IS_MEMBER_OF: the roles granted to the user and those they hold; a superuser is a member of none by being one (https://docs.aws.amazon.com/redshift/latest/dg/r_USER_IS_MEMBER_OF.html)', async () => {
    expect(await rs.row(`SELECT USER_IS_MEMBER_OF('${user}', '${roleA}'), USER_IS_MEMBER_OF('${user}', '${roleC}')`)).toEqual([
      'true',
      'true',
    ]);
    expect(await rs.row(`SELECT USER_IS_MEMBER_OF('${other}', '${roleA}'), USER_IS_MEMBER_OF(CURRENT_USER, '${roleA}')`)).toEqual([
      'false',
      'false',
    ]);
    expect(await rs.failure(`SELECT USER_IS_MEMBER_OF('no_such_user_${suffix}', '${roleA}')`)).toMatch(
      /user "no_such_user_\w+" does not exist/,
    );
  });

  it('a regular user checks only itself, and only roles granted to it; errors otherwise, as on Redshift', async () => {
    await rs.engine.exec(`SET ROLE ${user}`);
    try {
      expect(await rs.row(`SELECT USER_IS_MEMBER_OF('${user}', '${roleB}')`)).toEqual(['true']);
      expect(await rs.failure(`SELECT USER_IS_MEMBER_OF('${other}', '${roleA}')`)).toMatch(
        /^USER_IS_MEMBER_OF: permission denied: a regular user can only check itself$/,
      );
      expect(await rs.row(`SELECT ROLE_IS_MEMBER_OF('${roleA}', '${roleC}')`)).toEqual(['true']);
    } finally {
      await rs.engine.exec('RESET ROLE');
    }
    await rs.engine.exec(`SET ROLE ${other}`);
    try {
      expect(await rs.failure(`SELECT ROLE_IS_MEMBER_OF('${roleA}', '${roleB}')`)).toMatch(
        /^ROLE_IS_MEMBER_OF: permission denied: a regular user can only check roles granted to it$/,
      );
    } finally {
      await rs.engine.exec('RESET ROLE');
    }
  });
});

describe('column metadata', () => {
  it('PG_GET_COLS: one row per column, (schema, relation, column, type, number), as the page prints them (https://docs.aws.amazon.com/redshift/latest/dg/PG_GET_COLS.html)', async () => {
    await rs.rows('CREATE VIEW sales_vw AS SELECT * FROM public.sales');
    expect(await rs.rows("SELECT PG_GET_COLS('sales_vw')")).toEqual([
      ['(public,sales_vw,salesid,integer,1)'],
      ['(public,sales_vw,pricepaid,"numeric(8,2)",2)'],
      ['(public,sales_vw,saletime,"timestamp without time zone",3)'],
      ['(public,sales_vw,eventname,"character varying(200)",4)'],
    ]);
    // In FROM, with the page's own column definition list; a table, by its schema-qualified name.
    expect(
      await rs.rows(
        "SELECT * FROM pg_get_cols('public.sales') cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int) WHERE col_num > 2",
      ),
    ).toEqual([
      ['public', 'sales', 'saletime', 'timestamp without time zone', '3'],
      ['public', 'sales', 'eventname', 'character varying(200)', '4'],
    ]);
    expect(await rs.failure("SELECT PG_GET_COLS('no_such_view')")).toMatch(/relation "no_such_view" does not exist/);
  });

  it('PG_GET_LATE_BINDING_VIEW_COLS: the views made WITH NO SCHEMA BINDING, and only while they are (https://docs.aws.amazon.com/redshift/latest/dg/PG_GET_LATE_BINDING_VIEW_COLS.html)', async () => {
    await rs.rows('CREATE VIEW bound_vw AS SELECT salesid FROM public.sales');
    await rs.rows('CREATE VIEW myevent AS SELECT eventname FROM public.sales WITH NO SCHEMA BINDING');
    await rs.rows('CREATE VIEW sales_lbv AS SELECT salesid, pricepaid FROM public.sales WITH NO SCHEMA BINDING');
    expect(await rs.rows('SELECT PG_GET_LATE_BINDING_VIEW_COLS()')).toEqual([
      ['(public,myevent,eventname,"character varying(200)",1)'],
      ['(public,sales_lbv,salesid,integer,1)'],
      ['(public,sales_lbv,pricepaid,"numeric(8,2)",2)'],
    ]);
    // Replaced by a bound view, it is late-binding no more.
    await rs.rows('CREATE OR REPLACE VIEW sales_lbv AS SELECT salesid, pricepaid FROM public.sales');
    expect(
      await rs.rows(
        'SELECT view_name, col_name, col_type, col_num FROM pg_get_late_binding_view_cols() cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int)',
      ),
    ).toEqual([['myevent', 'eventname', 'character varying(200)', '1']]);
  });

  it('the gate reads them in FROM only as their pages do: one call with a column list, NAME allowed there alone', async () => {
    expect(
      await rs.failure("SELECT * FROM pg_get_cols('sales_vw') WITH ORDINALITY cols(a name, b name, c name, d varchar, e int, n bigint)"),
    ).toMatch(/PG_GET_COLS\(\) in FROM \(a table function\)/);
    expect(await rs.failure("SELECT * FROM pg_get_cols('sales_vw') cols(a name, b name, c name, d json, e int)")).toMatch(
      /the data type JSON/,
    );
    expect(await rs.failure('CREATE TABLE t (a name)')).toMatch(/the data type NAME/);
  });
});

describe("STRTOL's null character", () => {
  it("STRTOL('\\0', 2) is 0: C's strtol stops at the null character, which no base has as a digit (https://docs.aws.amazon.com/redshift/latest/dg/r_STRTOL.html)", async () => {
    expect(await rs.row("SELECT STRTOL('\\0', 2), STRTOL('12\\0', 10), STRTOL('\\000ff', 16)")).toEqual(['0', '12', '0']);
    // Anywhere else PostgreSQL's text cannot hold it: still refused.
    expect(await rs.failure("SELECT UPPER('\\0')")).toMatch(
      /the backslash escape \\0 in a string literal is Redshift SQL that the offline twin does not run/,
    );
  });
});
