import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_QUERY, REGION, SECRET_ARN, startLocalServer, type LocalServer } from './local-server';

/**
 * The official AWS CLI v2 as a client of the rehearsal's Data API: Debian's package `awscli`
 * (2.9.19, /usr/bin/aws; an `aws` earlier on PATH may be v1), through every redshift-data command
 * that version has. It predates kept-alive sessions (--session-keep-alive-seconds, --session-id),
 * list-sessions, --result-format and get-statement-result-v2: data-api-service.test.ts covers sessions,
 * ListSessions, ResultFormat CSV and GetStatementResultV2 with the SDK.
 */
const AWS = '/usr/bin/aws';
let local: LocalServer;
const run = promisify(execFile);

beforeAll(async () => {
  if (!existsSync(AWS))
    throw new Error(`${AWS} is missing: install the AWS CLI v2 from Debian (apt-get install -y awscli), as .ci/run does`);
  local = await startLocalServer();
});
afterAll(async () => {
  await local?.close();
});

/** One CLI command against the local endpoint, with dummy credentials and no config of this machine's. */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS, ['redshift-data', ...args, '--endpoint-url', local.server.url, '--no-cli-pager', '--output', 'json'], {
    env: {
      PATH: '/usr/bin:/bin',
      AWS_ACCESS_KEY_ID: 'AKIDCLI',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    },
  });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

/** The CLI's failure: its exit code and what it printed. */
async function awsFails(...args: string[]): Promise<string> {
  const failed = await aws(...args).then(
    () => undefined,
    (error: { stderr?: string }) => error.stderr ?? '',
  );
  if (failed === undefined) throw new Error(`aws ${args.join(' ')} succeeded`);
  return failed;
}

const target = ['--cluster-identifier', 'contract-wh', '--database', 'warehouse'];
const withSecret = [...target, '--secret-arn', SECRET_ARN];

describe('the AWS CLI v2 (Debian 2.9.19) against the rehearsal Data API', () => {
  it('is the CLI v2', async () => {
    const { stdout } = await run(AWS, ['--version']);
    expect(stdout).toMatch(/^aws-cli\/2\./);
  });

  it('execute-statement, describe-statement, get-statement-result, list-statements', async () => {
    const { Id } = await aws('execute-statement', ...withSecret, '--sql', "SELECT 1 AS one, 'a' AS letter", '--statement-name', 'cli-one');
    await local.server.dataApi.idle();
    expect(await aws('describe-statement', '--id', String(Id))).toMatchObject({
      Id,
      Status: 'FINISHED',
      HasResultSet: true,
      ResultRows: 1,
    });
    const result = await aws('get-statement-result', '--id', String(Id));
    expect(result.Records).toEqual([[{ longValue: 1 }, { stringValue: 'a' }]]);
    expect(result.TotalNumRows).toBe(1);
    const listed = await aws('list-statements', '--statement-name', 'cli-');
    expect((listed.Statements as { Id: string }[]).map((s) => s.Id)).toContain(Id);
  });

  it('batch-execute-statement with sub-statement ids, and a failure the CLI reports', async () => {
    const { Id } = await aws(
      'batch-execute-statement',
      ...withSecret,
      '--sqls',
      'CREATE TEMP TABLE cli_batch (n INT)',
      'INSERT INTO cli_batch VALUES (1), (2)',
      'SELECT n FROM cli_batch ORDER BY n',
    );
    await local.server.dataApi.idle();
    const described = await aws('describe-statement', '--id', String(Id));
    expect((described.SubStatements as { Status: string }[]).map((sub) => sub.Status)).toEqual(['FINISHED', 'FINISHED', 'FINISHED']);
    expect((await aws('get-statement-result', '--id', `${String(Id)}:3`)).Records).toEqual([[{ longValue: 1 }], [{ longValue: 2 }]]);
    expect(await awsFails('get-statement-result', '--id', String(Id))).toContain('ValidationException');
    expect(await awsFails('describe-statement', '--id', '00000000-0000-4000-8000-000000000000')).toContain('ResourceNotFoundException');
  });

  it('cancel-statement stops a running statement', async () => {
    const { Id } = await aws('execute-statement', ...withSecret, '--sql', LONG_QUERY);
    while (local.server.dataApi.describeStatement({ Id }).Status !== 'STARTED') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await aws('cancel-statement', '--id', String(Id))).toEqual({ Status: true });
    await local.server.dataApi.idle();
    expect((await aws('describe-statement', '--id', String(Id))).Status).toBe('ABORTED');
  });

  it('list-databases, list-schemas, list-tables, describe-table', async () => {
    expect((await aws('list-databases', ...withSecret)).Databases).toEqual(['dev', 'warehouse']);
    expect((await aws('list-schemas', ...withSecret, '--schema-pattern', 'pub%')).Schemas).toEqual(['public']);
    expect((await aws('list-tables', ...withSecret, '--schema-pattern', 'public', '--table-pattern', 'sys_load%')).Tables).toEqual([
      { name: 'sys_load_error_detail', schema: 'public', type: 'TABLE' },
    ]);
    const table = await aws('describe-table', ...withSecret, '--schema', 'public', '--table', 'sys_load_error_detail');
    expect(table.TableName).toBe('sys_load_error_detail');
    expect((table.ColumnList as { name: string }[]).slice(0, 2).map((column) => column.name)).toEqual(['user_id', 'query_id']);
  });

  it('signs in with --db-user (temporary credentials) and as the IAM identity (IAM:<user>)', async () => {
    expect((await aws('execute-statement', ...target, '--db-user', 'loader', '--sql', 'SELECT 1')).DbUser).toBe('loader');
    expect((await aws('execute-statement', ...target, '--sql', 'SELECT 1')).DbUser).toBe('IAM:AKIDCLI');
    await local.server.dataApi.idle();
  });
});
