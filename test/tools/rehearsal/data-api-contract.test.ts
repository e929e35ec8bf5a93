import * as DataApiModel from '@aws-sdk/client-redshift-data';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  ResourceNotFoundException,
  StatementStatusString,
  ValidationException,
  paginateGetStatementResult,
} from '@aws-sdk/client-redshift-data';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../../lambda/loader/data-api';
import { loadErrorsQuery } from '../../../lambda/loader/failure-report';
import { SERVED_OPERATIONS } from '../../../tools/rehearsal/server';
import { BUCKET, ROLE_ARN, SECRET_ARN, numbers, startLocalServer, tableGone, waitFor, type LocalServer } from './local-server';
import { httpStatusOf, memberNames, outputOf, validateShape } from './model-shapes';

/**
 * The rehearsal's Data API against the real one's contract: the SDK's own model (the static
 * schemas @aws-sdk/client-redshift-data ships) for every body the server sends, and the real
 * client, which must read each answer and raise each error as its own class.
 */
const model = DataApiModel as unknown as Record<string, readonly unknown[]>;
const where = { ClusterIdentifier: 'contract-wh', Database: 'warehouse', SecretArn: SECRET_ARN };
let local: LocalServer;

beforeAll(async () => {
  local = await startLocalServer({ pageSize: 2 });
});
afterAll(async () => {
  await local.close();
});

/** One request as the SDK sends it (awsJson1_1), the answer as it travels. */
async function raw(operation: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(local.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `RedshiftData.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Problems of one answer: an output against its operation's output shape, an error against its error shape. */
function shapeProblems(operation: string, answer: { status: number; json: Record<string, unknown> }): string[] {
  if (answer.status === 200) return validateShape(outputOf(model[`${operation}$`] ?? []), answer.json, operation);
  const type = String(answer.json.__type);
  const shape = model[`${type}$`];
  if (!shape || shape[0] !== -3) return [`${operation}: error ${type} is no error shape of the Data API model`];
  const problems: string[] = [];
  if (httpStatusOf(shape) !== answer.status)
    problems.push(`${operation}: ${type} sent with status ${answer.status}, the model says ${String(httpStatusOf(shape))}`);
  // awsJson errors carry __type and the message (any case); any other member must be the shape's.
  const members = memberNames(shape).map((name) => name.toLowerCase());
  for (const key of Object.keys(answer.json))
    if (key !== '__type' && !members.includes(key.toLowerCase())) problems.push(`${operation}: ${type} has no member ${key}`);
  return problems;
}

async function settled(id: unknown): Promise<void> {
  await waitFor(local.data, String(id));
}

describe('the rehearsal Data API', () => {
  it('serves every operation the loader calls, on every client the loader uses', () => {
    const used = new Map<string, Set<string>>();
    for (const file of readdirSync('lambda/loader').filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(`lambda/loader/${file}`, 'utf8');
      for (const [, names = '', client = ''] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
        const commands = [...names.matchAll(/\b(\w+)Command\b/g)]
          .map((match) => match[1] ?? '')
          .filter((name) => new RegExp(`new ${name}Command\\(`).test(text));
        for (const command of commands) used.set(client, new Set([...(used.get(client) ?? []), command]));
      }
    }
    expect([...used.keys()].sort()).toEqual([
      'client-iam',
      'client-redshift',
      'client-redshift-data',
      'client-redshift-serverless',
      'client-s3',
    ]);
    for (const [client, commands] of used) {
      const served = (SERVED_OPERATIONS as Record<string, readonly string[]>)[client] ?? [];
      expect(
        [...commands].filter((command) => !served.includes(command)),
        client,
      ).toEqual([]);
    }
  });

  it('checks shapes for real: a stray member, a wrong type, a missing required member, a union with two members', () => {
    expect(validateShape(outputOf(model.DescribeStatement$ ?? []), { Status: 'FINISHED', Bogus: 1, Duration: 'long' })).toEqual([
      expect.stringMatching(/^\$\.Bogus: not a member of DescribeStatementResponse \(members: Id, /),
      '$.Duration: expected a number (schema 1), got "long"',
      '$.Id: required by DescribeStatementResponse, missing',
    ]);
    expect(validateShape(outputOf(model.GetStatementResult$ ?? []), { Records: [[{ longValue: 1, isNull: false }]] })).toEqual([
      '$.Records[0][0]: the union Field must carry exactly one member, has longValue, isNull',
    ]);
  });

  it("answers in the shapes of the Data API's model: member names, types, required members, unions, errors", async () => {
    const answers: [string, { status: number; json: Record<string, unknown> }][] = [];
    const call = async (operation: string, body: Record<string, unknown>) => {
      const answer = await raw(operation, body);
      answers.push([operation, answer]);
      return answer.json;
    };
    const single = await call('ExecuteStatement', {
      ...where,
      Sql: "SELECT 1 AS one, 'a' AS letter, NULL::int AS nothing, 2.5::float8 AS half, true AS yes",
      StatementName: 'contract-shapes',
    });
    await settled(single.Id);
    await call('DescribeStatement', { Id: single.Id });
    await call('GetStatementResult', { Id: single.Id });
    const batch = await call('BatchExecuteStatement', {
      ...where,
      Sqls: ['CREATE TEMP TABLE shapes (n INT)', 'INSERT INTO shapes VALUES (1), (2), (3)', 'SELECT n FROM shapes ORDER BY n'],
      StatementName: 'contract-shapes-batch',
      WithEvent: true,
    });
    await settled(batch.Id);
    await call('DescribeStatement', { Id: batch.Id });
    await call('DescribeStatement', { Id: `${String(batch.Id)}:3` });
    const page = await call('GetStatementResult', { Id: `${String(batch.Id)}:3` });
    await call('GetStatementResult', { Id: `${String(batch.Id)}:3`, NextToken: page.NextToken });
    await call('ListStatements', { StatementName: 'contract-shapes', Status: 'ALL', MaxResults: 10 });
    await call('ListDatabases', { ...where });
    await call('ListSchemas', { ...where, SchemaPattern: 'pub%', MaxResults: 1 });
    await call('ListTables', { ...where, SchemaPattern: 'public', TablePattern: 'sys_load%' });
    await call('DescribeTable', { ...where, Schema: 'public', Table: 'sys_load_error_detail', MaxResults: 3 });
    const csv = await call('ExecuteStatement', {
      ...where,
      Sql: `SELECT n, 'a,"b"' AS text, NULL::int AS nothing FROM (${numbers(3)}) AS s ORDER BY n`,
      ResultFormat: 'CSV',
    });
    await settled(csv.Id);
    await call('DescribeStatement', { Id: csv.Id });
    const csvPage = await call('GetStatementResultV2', { Id: csv.Id });
    await call('GetStatementResultV2', { Id: csv.Id, NextToken: csvPage.NextToken });
    await call('ListStatements', { Status: 'FINISHED', MaxResults: 1 });
    const kept = await call('ExecuteStatement', { ...where, Sql: 'SELECT 1', SessionKeepAliveSeconds: 1 });
    await settled(kept.Id);
    await call('ListSessions', { SessionId: kept.SessionId });
    const failing = await call('ExecuteStatement', { ...where, Sql: 'SELECT * FROM no_such_table' });
    await settled(failing.Id);
    await call('DescribeStatement', { Id: failing.Id });
    // Errors, each as the model declares it.
    await call('GetStatementResult', { Id: batch.Id });
    await call('GetStatementResult', { Id: csv.Id });
    await call('GetStatementResultV2', { Id: single.Id });
    await call('CancelStatement', { Id: single.Id });
    await call('DescribeStatement', { Id: '00000000-0000-4000-8000-000000000000' });
    await call('DescribeStatement', { Id: 'not-an-id' });
    await call('ExecuteStatement', { ...where, ClusterIdentifier: 'no-such-cluster', Sql: 'SELECT 1' });

    expect(answers.flatMap(([operation, answer]) => shapeProblems(operation, answer))).toEqual([]);
    const statuses = answers
      .flatMap(([, answer]) => [
        answer.json.Status,
        ...((answer.json.SubStatements as { Status?: unknown }[] | undefined) ?? []).map((sub) => sub.Status),
      ])
      .filter((status) => typeof status === 'string');
    expect(statuses.filter((status) => !Object.values(StatementStatusString).includes(status as never))).toEqual([]);
    expect(
      answers
        .map(([operation, answer]) => `${operation} ${answer.status}${answer.status === 200 ? '' : ` ${String(answer.json.__type)}`}`)
        .slice(-7),
    ).toEqual([
      'GetStatementResult 400 ValidationException',
      'GetStatementResult 400 ValidationException',
      'GetStatementResultV2 400 ValidationException',
      'CancelStatement 400 ValidationException',
      'DescribeStatement 404 ResourceNotFoundException',
      'DescribeStatement 400 ValidationException',
      'ExecuteStatement 400 ValidationException',
    ]);
  });

  it('gives typed records the real client reads: long, double, string for DECIMAL and date/time, boolean, isNull', async () => {
    const { Id } = await local.data.send(
      new ExecuteStatementCommand({
        ...where,
        Sql: "SELECT 1::int4 AS i, 9007199254740::int8 AS l, 2.5::float8 AS d, 12.34::numeric(10,2) AS n, true AS b, 'x'::varchar(8) AS s, TIMESTAMP '2018-11-01 21:01:46.796' AS t, DATE '2018-11-01' AS dt, NULL::varchar AS z",
      }),
    );
    const described = await waitFor(local.data, Id);
    expect(described).toMatchObject({
      Status: 'FINISHED',
      HasResultSet: true,
      ResultRows: 1,
      QueryString: expect.stringContaining('SELECT 1::int4'),
    });
    expect(described.CreatedAt).toBeInstanceOf(Date);
    const result = await local.data.send(new GetStatementResultCommand({ Id }));
    expect(result.Records).toEqual([
      [
        { longValue: 1 },
        { longValue: 9007199254740 },
        { doubleValue: 2.5 },
        { stringValue: '12.34' },
        { booleanValue: true },
        { stringValue: 'x' },
        { stringValue: '2018-11-01 21:01:46.796' },
        { stringValue: '2018-11-01' },
        { isNull: true },
      ],
    ]);
    expect(result.ColumnMetadata?.map((column) => [column.name, column.typeName])).toEqual([
      ['i', 'int4'],
      ['l', 'int8'],
      ['d', 'float8'],
      ['n', 'numeric'],
      ['b', 'bool'],
      ['s', 'varchar'],
      ['t', 'timestamp'],
      ['dt', 'date'],
      ['z', 'varchar'],
    ]);
    expect(result.TotalNumRows).toBe(1);
    // The loader's own reader turns them into plain values.
    expect(await runQuery(local.deps, local.props, "SELECT COUNT(*) AS n, 'v' AS label, NULL AS missing")).toEqual([
      { n: 1, label: 'v', missing: null },
    ]);
  });

  it('refuses what Redshift refuses, as a FAILED statement naming the construct and what Redshift offers', async () => {
    const { Id } = await local.data.send(
      new ExecuteStatementCommand({ ...where, Sql: "SELECT STRING_AGG(title, ',') FROM (SELECT 'a' AS title) AS t" }),
    );
    const described = await waitFor(local.data, Id);
    expect(described.Status).toBe('FAILED');
    expect(described.Error).toMatch(/^ERROR: statement:1:8: the function STRING_AGG\(\) is not Redshift SQL; Redshift offers LISTAGG/);
  });

  it('pages a result with NextToken, as the SDK paginator follows it', async () => {
    const { Id } = await local.data.send(new ExecuteStatementCommand({ ...where, Sql: `${numbers(5)} ORDER BY n` }));
    await waitFor(local.data, Id);
    const pages = [];
    for await (const page of paginateGetStatementResult({ client: local.data }, { Id }))
      pages.push(page.Records?.map((record) => record[0]?.longValue));
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('runs a batch all or nothing: sub-statements <id>:<n> FINISHED, FAILED, then ABORTED, and nothing kept', async () => {
    const { Id } = await local.data.send(
      new BatchExecuteStatementCommand({
        ...where,
        Sqls: [
          'CREATE TABLE all_or_nothing (n INT)',
          'INSERT INTO all_or_nothing VALUES (1)',
          'SELECT missing FROM all_or_nothing',
          'INSERT INTO all_or_nothing VALUES (2)',
        ],
      }),
    );
    const described = await waitFor(local.data, Id);
    expect(described.Status).toBe('FAILED');
    expect(described.Error).toBe('ERROR: column "missing" does not exist');
    expect(described.QueryString).toBeUndefined();
    expect(described.SubStatements?.map((sub) => [sub.Id, sub.Status])).toEqual([
      [`${Id}:1`, 'FINISHED'],
      [`${Id}:2`, 'FINISHED'],
      [`${Id}:3`, 'FAILED'],
      [`${Id}:4`, 'ABORTED'],
    ]);
    expect(described.SubStatements?.[2]?.Error).toBe('ERROR: column "missing" does not exist');
    expect(await runQuery(local.deps, local.props, tableGone('all_or_nothing'))).toEqual([{ gone: true }]);
    await expect(local.data.send(new GetStatementResultCommand({ Id }))).rejects.toThrow(
      expect.objectContaining({
        name: 'ValidationException',
        message: 'BatchExecuteStatement result can only be retrieved with sub-statement id.',
      }),
    );
  });

  it('keeps the rejected rows of a failed COPY through the rollback, where the loader looks for them', async () => {
    const since = new Date(Date.now() - 60_000);
    const { Id } = await local.data.send(
      new BatchExecuteStatementCommand({
        ...where,
        Sqls: [
          'CREATE TABLE copied (id INTEGER, name VARCHAR(8))',
          `COPY copied FROM 's3://${BUCKET}/data' IAM_ROLE '${ROLE_ARN}' FORMAT AS JSON 'auto' MAXERROR 0`,
        ],
      }),
    );
    const described = await waitFor(local.data, Id);
    expect(described.Status).toBe('FAILED');
    expect(described.SubStatements?.[1]?.Error).toMatch(/^ERROR: Load into table 'copied' failed\./);
    expect(described.SubStatements?.[1]?.Error).not.toContain('\n');
    // The loader's own query (sql/diagnostics/rejected_records.sql), through the Data API.
    const rows = await runQuery(local.deps, local.props, loadErrorsQuery(`s3://${BUCKET}/data`, since));
    expect(rows).toEqual([
      {
        file_name: `s3://${BUCKET}/data/a.json`,
        line_number: 2,
        column_name: 'id',
        error_message: expect.stringContaining('Invalid digit'),
      },
    ]);
    expect(await runQuery(local.deps, local.props, tableGone('copied'))).toEqual([{ gone: true }]);
  });

  it('answers errors as the service does, each as the SDK error class', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(local.data.send(new DescribeStatementCommand({ Id: unknown }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(local.data.send(new DescribeStatementCommand({ Id: 'nope' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(
      local.data.send(new ExecuteStatementCommand({ ...where, ClusterIdentifier: 'elsewhere', Sql: 'SELECT 1' })),
    ).rejects.toThrow("Redshift endpoint doesn't exist in this region.");
    await expect(
      local.data.send(new ExecuteStatementCommand({ ...where, SecretArn: `${SECRET_ARN}x`, Sql: 'SELECT 1' })),
    ).rejects.toBeInstanceOf(ValidationException);
    const { Id } = await local.data.send(new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1' }));
    await waitFor(local.data, Id);
    await expect(local.data.send(new CancelStatementCommand({ Id }))).rejects.toThrow(
      `Could not cancel a query that is already in FINISHED state with ID: ${Id}`,
    );
    const ddl = await local.data.send(new ExecuteStatementCommand({ ...where, Sql: 'CREATE TEMP TABLE no_rows (n INT)' }));
    await waitFor(local.data, ddl.Id);
    await expect(local.data.send(new GetStatementResultCommand({ Id: ddl.Id }))).rejects.toThrow(
      'Query does not have result. Please check query status with DescribeStatement.',
    );
    const elsewhere = await local.data.send(new ExecuteStatementCommand({ ...where, Database: 'nowhere', Sql: 'SELECT 1' }));
    expect(await waitFor(local.data, elsewhere.Id)).toMatchObject({ Status: 'FAILED', Error: 'FATAL: database "nowhere" does not exist' });
  });

  it('lists statements by name prefix (case-sensitive) and status, newest first; a repeated ClientToken is the same statement', async () => {
    const first = await local.data.send(
      new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1', StatementName: 'listed:a', ClientToken: 'token-1' }),
    );
    const again = await local.data.send(
      new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1', StatementName: 'listed:a', ClientToken: 'token-1' }),
    );
    expect(again.Id).toBe(first.Id);
    const bad = await local.data.send(new ExecuteStatementCommand({ ...where, Sql: 'SELECT nothing_here', StatementName: 'listed:b' }));
    await local.data.send(new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1', StatementName: 'Listed:c' }));
    await waitFor(local.data, bad.Id);
    await local.server.dataApi.idle();
    const all = await local.data.send(new ListStatementsCommand({ StatementName: 'listed:', Status: 'ALL' }));
    expect(all.Statements?.map((s) => [s.StatementName, s.Status, s.IsBatchStatement])).toEqual([
      ['listed:b', 'FAILED', false],
      ['listed:a', 'FINISHED', false],
    ]);
    const failed = await local.data.send(new ListStatementsCommand({ StatementName: 'listed:', Status: 'FAILED' }));
    expect(failed.Statements?.map((s) => s.Id)).toEqual([bad.Id]);
  });

  it('cancels a statement still queued (it never runs)', async () => {
    const { dataApi } = local.server;
    // Cancelled in the same turn as its submit: before any session picks it up.
    const queued = dataApi.executeStatement({ ...where, Sql: 'CREATE TABLE never_made (n INT)' }, 'admin');
    expect(dataApi.cancelStatement({ Id: queued.Id })).toEqual({ Status: true });
    expect((await waitFor(local.data, String(queued.Id))).Status).toBe('ABORTED');
    expect(await runQuery(local.deps, local.props, tableGone('never_made'))).toEqual([{ gone: true }]);
  });
});
