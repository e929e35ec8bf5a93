import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
  ListDatabasesCommand,
  ListSessionsCommand,
  ListSchemasCommand,
  ListStatementsCommand,
  ListTablesCommand,
  RedshiftDataClient,
  paginateGetStatementResultV2,
  paginateListSchemas,
} from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../../lambda/loader/data-api';
import {
  DATA_ROLE_ARN,
  LONG_QUERY,
  REGION,
  SECRET_ARN,
  numbers,
  startLocalServer,
  tableGone,
  waitFor,
  type LocalServer,
} from './local-server';

/**
 * The Data API behaviours the loader does not lean on, held to the service's: sessions (one per call,
 * or kept alive), a cancel that stops a running statement, a server that answers meanwhile, the three
 * ways to sign in, the metadata calls, CSV results, malformed bodies and the service's limits. The same tests run on
 * PGlite (a worker thread) and, with SPARKIFY_TEST_DATABASE_URL, on a PostgreSQL server.
 */
const where = { ClusterIdentifier: 'contract-wh', Database: 'warehouse', SecretArn: SECRET_ARN };
let local: LocalServer;

beforeAll(async () => {
  local = await startLocalServer();
});
afterAll(async () => {
  await local.close();
});

async function run(input: Record<string, unknown>) {
  const { Id } = await local.data.send(new ExecuteStatementCommand({ ...where, ...input } as never));
  return waitFor(local.data, Id);
}

async function rows(id: string | undefined) {
  return (await local.data.send(new GetStatementResultCommand({ Id: id }))).Records;
}

/** A statement that runs for many seconds unless cancelled. */
const LONG = LONG_QUERY;

describe('the rehearsal Data API, as the service behaves', () => {
  it('cancels a running statement: it stops, ends ABORTED, and the server answers while it runs', async () => {
    const { Id } = await local.data.send(new ExecuteStatementCommand({ ...where, Sql: LONG }));
    for (;;) {
      const began = performance.now();
      const described = await local.data.send(new DescribeStatementCommand({ Id }));
      // A frozen server would answer only once the statement ended.
      expect(performance.now() - began).toBeLessThan(1000);
      if (described.Status === 'STARTED') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const listed = await local.data.send(new DescribeStatementCommand({ Id }));
    expect(listed.Status).toBe('STARTED');
    const cancelledAt = performance.now();
    expect((await local.data.send(new CancelStatementCommand({ Id }))).Status).toBe(true);
    const ended = await waitFor(local.data, Id);
    expect(ended.Status).toBe('ABORTED');
    expect(performance.now() - cancelledAt).toBeLessThan(5000);
    // The engine is free again.
    expect((await run({ Sql: 'SELECT 1' })).Status).toBe('FINISHED');
  });

  it('cancels a batch mid-way: ABORTED, and what it did is rolled back', async () => {
    const { Id } = await local.data.send(
      new BatchExecuteStatementCommand({ ...where, Sqls: ['CREATE TABLE cancelled_midway (n INT)', LONG, 'SELECT 1'] }),
    );
    while ((await local.data.send(new DescribeStatementCommand({ Id: `${Id}:2` }))).Status !== 'STARTED')
      await new Promise((resolve) => setTimeout(resolve, 20));
    await local.data.send(new CancelStatementCommand({ Id }));
    const ended = await waitFor(local.data, Id);
    expect(ended.Status).toBe('ABORTED');
    expect(ended.Error).toBeUndefined();
    expect(ended.SubStatements?.map((sub) => sub.Status)).toEqual(['FINISHED', 'ABORTED', 'ABORTED']);
    expect(await runQuery(local.deps, local.props, tableGone('cancelled_midway'))).toEqual([{ gone: true }]);
  });

  it('gives each call its own session: temporary tables and SET do not reach the next call', async () => {
    const batch = await local.data.send(
      new BatchExecuteStatementCommand({ ...where, Sqls: ['CREATE TEMP TABLE scratch (n INT)', "SET statement_timeout = '12345'"] }),
    );
    expect((await waitFor(local.data, batch.Id)).Status).toBe('FINISHED');
    const after = await run({ Sql: 'SELECT n FROM scratch' });
    expect(after).toMatchObject({ Status: 'FAILED', Error: expect.stringMatching(/relation "scratch" does not exist/) });
    const setting = await run({ Sql: 'SHOW statement_timeout' });
    expect(await rows(setting.Id)).toEqual([[{ stringValue: '0' }]]);
  });

  it('keeps a session alive for SessionKeepAliveSeconds: SessionId reuses it, then it expires', async () => {
    const first = await local.data.send(
      new ExecuteStatementCommand({ ...where, Sql: 'CREATE TEMP TABLE kept (n INT)', SessionKeepAliveSeconds: 1 }),
    );
    expect(first.SessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await waitFor(local.data, first.Id)).SessionId).toBe(first.SessionId);
    const again = await local.data.send(
      new BatchExecuteStatementCommand({ Sqls: ['INSERT INTO kept VALUES (7)', 'SELECT n FROM kept'], SessionId: first.SessionId }),
    );
    expect(again.SessionId).toBe(first.SessionId);
    expect((await waitFor(local.data, again.Id)).Status).toBe('FINISHED');
    expect(await rows(`${again.Id}:2`)).toEqual([[{ longValue: 7 }]]);
    const open = await local.data.send(new ListSessionsCommand({ SessionId: first.SessionId }));
    expect(open.Sessions).toEqual([expect.objectContaining({ SessionId: first.SessionId, Status: 'AVAILABLE', Database: 'warehouse' })]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await local.data.send(new ListSessionsCommand({ Status: 'CLOSED' }))).Sessions?.map((session) => session.SessionId)).toContain(
      first.SessionId,
    );
    await expect(local.data.send(new ExecuteStatementCommand({ Sql: 'SELECT 1', SessionId: first.SessionId }))).rejects.toThrow(
      expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining('not available') }),
    );
  });

  it('signs in three ways: a secret; a DbUser with temporary credentials; the IAM identity (IAM:<user>, IAMR:<role>)', async () => {
    const { ClusterIdentifier, Database } = where;
    // A DbUser must exist (GetClusterCredentials without AutoCreate); an admin creates it.
    const missing = await local.data.send(
      new ExecuteStatementCommand({ ClusterIdentifier, Database, DbUser: 'nobody_here', Sql: 'SELECT 1' }),
    );
    expect(await waitFor(local.data, missing.Id)).toMatchObject({ Status: 'FAILED', Error: 'FATAL: user "nobody_here" does not exist' });
    await waitFor(
      local.data,
      (await local.data.send(new ExecuteStatementCommand({ ...where, Sql: 'CREATE USER loader PASSWORD DISABLE' }))).Id,
    );
    const asUser = await local.data.send(new ExecuteStatementCommand({ ClusterIdentifier, Database, DbUser: 'loader', Sql: 'SELECT 1' }));
    expect(asUser.DbUser).toBe('loader');
    expect(await waitFor(local.data, asUser.Id)).toMatchObject({ Status: 'FINISHED', DbUser: 'loader' });
    // Signed with the access key AKIDCONTRACT, unknown to the server: the IAM user of that name.
    const asIam = await local.data.send(new ExecuteStatementCommand({ ClusterIdentifier, Database, Sql: 'SELECT 1' }));
    expect(asIam.DbUser).toBe('IAM:AKIDCONTRACT');
    const serverless = await local.data.send(new ExecuteStatementCommand({ WorkgroupName: 'contract-wg', Database, Sql: 'SELECT 1' }));
    expect(await waitFor(local.data, serverless.Id)).toMatchObject({ Status: 'FINISHED', DbUser: 'IAM:AKIDCONTRACT' });
    // Made at its first sign-in as a user with PASSWORD DISABLE: offline, no one connects as it.
    const made = await run({ Sql: "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'IAM:AKIDCONTRACT'" });
    expect(await rows(made.Id)).toEqual([[{ longValue: 0 }]]);
    await expect(
      local.data.send(new ExecuteStatementCommand({ WorkgroupName: 'contract-wg', Database, DbUser: 'loader', Sql: 'SELECT 1' })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ValidationException' }));
    await expect(local.data.send(new ExecuteStatementCommand({ ...where, DbUser: 'loader', Sql: 'SELECT 1' }))).rejects.toThrow(
      expect.objectContaining({ name: 'ValidationException' }),
    );

    // A role signs in as IAMR:<role>, and needs redshift:GetClusterCredentialsWithIAM for it.
    local.server.addIdentity('AKIDROLE', { roleArn: DATA_ROLE_ARN, roleId: 'AROACONTRACT', session: 'test' });
    const role = new RedshiftDataClient({
      region: REGION,
      endpoint: local.server.url,
      credentials: { accessKeyId: 'AKIDROLE', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(role.send(new ExecuteStatementCommand({ ClusterIdentifier, Database, Sql: 'SELECT 1' }))).rejects.toThrow(
      expect.objectContaining({ name: 'AccessDeniedException', message: expect.stringContaining('redshift:GetClusterCredentialsWithIAM') }),
    );
    const roleUser = await role.send(new ExecuteStatementCommand({ ClusterIdentifier, Database, DbUser: 'loader', Sql: 'SELECT 1' }));
    expect(roleUser.DbUser).toBe('loader');
    // The Data API reads the secret as the caller.
    await expect(role.send(new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1' }))).rejects.toThrow('secretsmanager:GetSecretValue');
    await expect(role.send(new ExecuteStatementCommand({ WorkgroupName: 'contract-wg', Database, Sql: 'SELECT 1' }))).rejects.toThrow(
      'redshift-serverless:GetCredentials',
    );
    expect(local.server.calls.filter((call) => call.role === DATA_ROLE_ARN).map((call) => `${call.operation} ${call.status}`)).toEqual([
      'ExecuteStatement 400',
      'ExecuteStatement 200',
      'ExecuteStatement 400',
      'ExecuteStatement 400',
    ]);
    role.destroy();
  });

  it('serves the metadata calls: ListDatabases, ListSchemas, ListTables, DescribeTable, with patterns and pages', async () => {
    await run({ Sql: 'CREATE TABLE meta_plays (id BIGINT NOT NULL, title VARCHAR(256), at TIMESTAMP, n NUMERIC(10,2) DEFAULT 0)' });
    await run({ Sql: 'CREATE VIEW meta_view AS SELECT id FROM meta_plays' });
    expect((await local.data.send(new ListDatabasesCommand(where))).Databases).toEqual(['dev', 'warehouse']);
    expect((await local.data.send(new ListSchemasCommand({ ...where, SchemaPattern: 'pub%' }))).Schemas).toEqual(['public']);
    const pages: string[][] = [];
    for await (const page of paginateListSchemas({ client: local.data, pageSize: 2 }, { ...where, SchemaPattern: '%' }))
      pages.push(page.Schemas ?? []);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(expect.arrayContaining(['information_schema', 'pg_catalog', 'public']));
    const tables = await local.data.send(new ListTablesCommand({ ...where, SchemaPattern: 'public', TablePattern: 'meta\\_%' }));
    expect(tables.Tables).toEqual([
      { name: 'meta_plays', schema: 'public', type: 'TABLE' },
      { name: 'meta_view', schema: 'public', type: 'VIEW' },
    ]);
    const first = await local.data.send(new DescribeTableCommand({ ...where, Schema: 'public', Table: 'meta_plays', MaxResults: 3 }));
    expect(first.TableName).toBe('meta_plays');
    expect(first.ColumnList?.map((c) => [c.name, c.typeName, c.nullable, c.length])).toEqual([
      ['id', 'int8', 0, 0],
      ['title', 'varchar', 1, 256],
      ['at', 'timestamp', 1, 0],
    ]);
    const rest = await local.data.send(
      new DescribeTableCommand({ ...where, Schema: 'public', Table: 'meta_plays', MaxResults: 3, NextToken: first.NextToken }),
    );
    expect(rest.ColumnList?.map((c) => [c.name, c.typeName, c.precision, c.scale, c.columnDefault])).toEqual([
      ['n', 'numeric', 10, 2, '0'],
    ]);
    expect(rest.NextToken).toBeUndefined();
    await expect(local.data.send(new ListSchemasCommand({ ...where, Database: 'nowhere' }))).rejects.toThrow(
      expect.objectContaining({ name: 'DatabaseConnectionException' }),
    );
  });

  it('serves ResultFormat CSV through GetStatementResultV2: quoting, NULL, pages, and each result call refuses the other format', async () => {
    const csv = await run({
      ResultFormat: 'CSV',
      StatementName: 'csv-quoting',
      Sql: `SELECT 1 AS n, 'a,b' AS comma, 'say "hi"' AS quote, 'two' || chr(10) || 'lines' AS newline, NULL::varchar AS nothing, '' AS empty, true AS yes, 2.5::float8 AS half`,
    });
    expect(csv).toMatchObject({ Status: 'FINISHED', ResultFormat: 'CSV', HasResultSet: true, ResultRows: 1 });
    const result = await local.data.send(new GetStatementResultV2Command({ Id: csv.Id }));
    expect(result.Records).toEqual([
      { CSVRecords: 'n,comma,quote,newline,nothing,empty,yes,half\n1,"a,b","say ""hi""","two\nlines",,"",true,2.5\n' },
    ]);
    expect(result).toMatchObject({ ResultFormat: 'CSV', TotalNumRows: 1 });
    expect(result.NextToken).toBeUndefined();
    expect(result.ColumnMetadata?.map((column) => column.name)).toEqual([
      'n',
      'comma',
      'quote',
      'newline',
      'nothing',
      'empty',
      'yes',
      'half',
    ]);
    const listed = await local.data.send(new ListStatementsCommand({ StatementName: 'csv-quoting' }));
    expect(listed.Statements?.map((s) => s.ResultFormat)).toEqual(['CSV']);

    // Pages of the service's page size (1000 rows here): the header once, on the first page.
    const many = await run({ ResultFormat: 'CSV', Sql: `${numbers(2500)} ORDER BY n` });
    const pages = [];
    for await (const page of paginateGetStatementResultV2({ client: local.data }, { Id: many.Id })) pages.push(page);
    expect(pages.map((page) => [page.Records?.length, page.TotalNumRows])).toEqual([
      [1, 2500],
      [1, 2500],
      [1, 2500],
    ]);
    const text = pages.map((page) => page.Records?.[0]?.CSVRecords ?? '').join('');
    expect(text).toBe(`n\n${Array.from({ length: 2500 }, (_, i) => `${i + 1}\n`).join('')}`);
    expect(pages[1]?.Records?.[0]?.CSVRecords?.startsWith('1001\n')).toBe(true);

    const batch = await local.data.send(
      new BatchExecuteStatementCommand({ ...where, ResultFormat: 'CSV', Sqls: ['SELECT 1 AS a', "SELECT 'x' AS b"] }),
    );
    expect((await waitFor(local.data, batch.Id)).ResultFormat).toBe('CSV');
    expect((await local.data.send(new GetStatementResultV2Command({ Id: `${batch.Id}:2` }))).Records).toEqual([{ CSVRecords: 'b\nx\n' }]);
    await expect(local.data.send(new GetStatementResultV2Command({ Id: batch.Id }))).rejects.toThrow(
      'BatchExecuteStatement result can only be retrieved with sub-statement id.',
    );

    await expect(local.data.send(new GetStatementResultCommand({ Id: csv.Id }))).rejects.toThrow(
      expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining('GetStatementResultV2') }),
    );
    const json = await run({ Sql: 'SELECT 1' });
    expect(json.ResultFormat).toBe('JSON');
    await expect(local.data.send(new GetStatementResultV2Command({ Id: json.Id }))).rejects.toThrow(
      expect.objectContaining({
        name: 'ValidationException',
        message: expect.stringMatching(/JSON: fetch its result with GetStatementResult\.$/),
      }),
    );
    await expect(local.data.send(new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1', ResultFormat: 'XML' as never }))).rejects.toThrow(
      "1 validation error detected: Value 'XML' at 'resultFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, CSV]",
    );
  });

  it('answers a malformed body 400 with the error shape, not 500', async () => {
    for (const body of ['{"Sql": ', '[1, 2]', 'null']) {
      const response = await fetch(local.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'RedshiftData.ExecuteStatement' },
        body,
      });
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'SerializationException', message: expect.any(String) });
    }
  });

  it("keeps the service's limits: 40 statements a batch, 100 KB a statement, 64 KB a row", async () => {
    await expect(
      local.data.send(new BatchExecuteStatementCommand({ ...where, Sqls: Array.from({ length: 41 }, () => 'SELECT 1') })),
    ).rejects.toThrow(
      "1 validation error detected: Value '41' at 'sqls' failed to satisfy constraint: Member must have length between 1 and 40",
    );
    const forty = await local.data.send(new BatchExecuteStatementCommand({ ...where, Sqls: Array.from({ length: 40 }, () => 'SELECT 1') }));
    expect((await waitFor(local.data, forty.Id)).SubStatements).toHaveLength(40);
    await expect(local.data.send(new ExecuteStatementCommand({ ...where, Sql: `SELECT '${'x'.repeat(100 * 1024)}'` }))).rejects.toThrow(
      'Cannot process query string larger than 100kB',
    );
    const wide = await run({ Sql: `SELECT repeat('x', ${64 * 1024 + 1}) AS wide` });
    expect(wide).toMatchObject({ Status: 'FAILED', Error: expect.stringMatching(/^Packet for query is too large/) });
    const fits = await run({ Sql: `SELECT repeat('x', ${64 * 1024}) AS wide` });
    expect(fits.Status).toBe('FINISHED');
  });
});
