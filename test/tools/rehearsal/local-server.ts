import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { DescribeStatementCommand, RedshiftDataClient, type DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadProperties } from '../../../lambda/loader/properties';
import { S3Client } from '@aws-sdk/client-s3';
import type { LoaderDeps } from '../../../lambda/loader/types';
import { readSqlFiles } from '../../../lib/plan/sql-files';
import type { FakeAccount } from '../../../tools/rehearsal/fake-account';
import { startRehearsalServer, type RehearsalServer } from '../../../tools/rehearsal/server';
import { inject } from 'vitest';
import { clonePgliteFolder } from '../../../local/engine';
import { openTestEngine, serverUrl } from '../../support/engine';

export const REGION = 'us-west-2';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/contract-copy-role';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:redshift!contract-wh-admin-AbCdEf';
export const BUCKET = 'contract-bucket';
/** A role that may use the Data API on the cluster, but not sign in as its IAM identity. */
export const DATA_ROLE_ARN = 'arn:aws:iam::123456789012:role/contract-data-role';

/** A small account: one cluster, one workgroup, one role that may read s3://contract-bucket/data*. */
export function contractAccount(): FakeAccount {
  return {
    accountId: '123456789012',
    region: REGION,
    partition: 'aws',
    clusters: [
      {
        identifier: 'contract-wh',
        status: 'available',
        availability: 'Available',
        dbName: 'warehouse',
        nodeType: 'ra3.large',
        numberOfNodes: 1,
        port: 5441,
        iamRoles: [{ arn: ROLE_ARN, applyStatus: 'in-sync' }],
        adminSecretArn: SECRET_ARN,
      },
    ],
    namespaces: [{ name: 'contract-ns', status: 'AVAILABLE', dbName: 'warehouse', iamRoles: [{ arn: ROLE_ARN, applyStatus: 'in-sync' }] }],
    workgroups: [{ name: 'contract-wg', namespaceName: 'contract-ns', status: 'AVAILABLE', port: 5441 }],
    roles: [
      {
        arn: ROLE_ARN,
        name: 'contract-copy-role',
        managedPolicyArns: [],
        policies: [
          {
            name: 'ReadData',
            statements: [
              { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/data*` },
              {
                Effect: 'Allow',
                Action: 's3:ListBucket',
                Resource: `arn:aws:s3:::${BUCKET}`,
                Condition: { StringLike: { 's3:prefix': ['data*'] } },
              },
            ],
          },
        ],
      },
    ],
    secrets: [SECRET_ARN],
  };
}

/** The contract account and a role allowed the Data API and GetClusterCredentials, not GetClusterCredentialsWithIAM. */
export function contractAccountWithDataRole(): FakeAccount {
  const account = contractAccount();
  account.roles.push({
    arn: DATA_ROLE_ARN,
    name: 'contract-data-role',
    managedPolicyArns: [],
    policies: [
      {
        name: 'DataApi',
        statements: [{ Effect: 'Allow', Action: ['redshift-data:*', 'redshift:GetClusterCredentials'], Resource: '*' }],
      },
    ],
  });
  return account;
}

/**
 * A database the server opens its own sessions on: a fresh database on the test server, or a copy
 * of the PGlite template that nothing in this thread holds open (the server runs it in a worker).
 */
export async function testDatabase(): Promise<{ target: string; dispose(): Promise<void> }> {
  if (serverUrl) {
    const opened = await openTestEngine();
    await opened.engine.close();
    return { target: opened.target, dispose: () => opened.dispose() };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-contract-db-'));
  await clonePgliteFolder(inject('pgliteTemplate'), path.join(dir, 'db'));
  return { target: path.join(dir, 'db'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

export interface LocalServer {
  readonly server: RehearsalServer;
  readonly data: RedshiftDataClient;
  readonly redshift: RedshiftClient;
  readonly serverless: RedshiftServerlessClient;
  readonly iam: IAMClient;
  /** The loader's dependencies, its clients on the local server (for runQuery, preflight). */
  readonly deps: LoaderDeps;
  readonly props: LoadProperties;
  close(): Promise<void>;
}

/** The server on a fresh test engine, a bucket folder with one good and one bad record, and real SDK clients. */
export async function startLocalServer(options: { pageSize?: number; s3PageSize?: number } = {}): Promise<LocalServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-contract-'));
  await mkdir(path.join(dir, 'data'), { recursive: true });
  await writeFile(path.join(dir, 'data', 'a.json'), '{"id": 1, "name": "one"}\n{"id": "two", "name": "bad"}');
  let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
  try {
    database = await testDatabase();
    const server = await startRehearsalServer({
      database: database.target,
      account: contractAccountWithDataRole(),
      buckets: { [BUCKET]: dir },
      pageSize: options.pageSize,
      s3PageSize: options.s3PageSize,
    });
    const config = {
      region: REGION,
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIDCONTRACT', secretAccessKey: 'not-a-secret' },
      maxAttempts: 1,
    };
    const clients = {
      data: new RedshiftDataClient(config),
      redshift: new RedshiftClient(config),
      serverless: new RedshiftServerlessClient(config),
      iam: new IAMClient(config),
    };
    const deps: LoaderDeps = {
      // Path style: the local endpoint has no per-bucket host names (the loader does the same there).
      s3: new S3Client({ ...config, forcePathStyle: true }),
      ...clients,
      files: () => readSqlFiles(),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, random: () => 0 },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
      now: () => Date.now(),
      queryPollMs: 10,
      queryTimeoutMs: 10_000,
    };
    // The contract tests' probes sign in as the admin, through the secret.
    const props: LoadProperties & { readonly secretArn: string } = {
      loadId: 'contract',
      fingerprint: 'contract',
      roleArn: ROLE_ARN,
      settings: {
        sourceBucket: BUCKET,
        sourceRegion: REGION,
        eventsPrefix: 'data',
        songsPrefix: 'data',
        jsonpathsKey: 'data/a.json',
        maxLoadErrors: 0,
      },
      database: 'warehouse',
      secretArn: SECRET_ARN,
      target: { clusterIdentifier: 'contract-wh' },
      loadMode: 'wait',
    };
    const opened = database;
    return {
      server,
      ...clients,
      deps,
      props,
      async close() {
        await server.close();
        await opened.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database?.dispose();
    throw error;
  }
}

/** Polls DescribeStatement to a final status, as a caller of the Data API does. */
export async function waitFor(data: RedshiftDataClient, id: string | undefined): Promise<DescribeStatementResponse> {
  for (;;) {
    const statement = await data.send(new DescribeStatementCommand({ Id: id }));
    if (statement.Status === 'FINISHED' || statement.Status === 'FAILED' || statement.Status === 'ABORTED') return statement;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Redshift SQL for the tests' probes: the rehearsal's Data API refuses what Redshift refuses
// (generate_series runs on Redshift's leader node only; to_regclass is PostgreSQL's).
/** The numbers 1..count as column n. */
export const numbers = (count: number) =>
  `SELECT n FROM (SELECT ROW_NUMBER() OVER (ORDER BY attrelid, attnum) AS n FROM pg_attribute) AS numbers WHERE n <= ${count}`;
/** A query that runs until it is cancelled (billions of rows). */
export const LONG_QUERY = 'SELECT COUNT(*) FROM pg_attribute AS a, pg_attribute AS b, pg_attribute AS c';
/** True once no table of that name exists. */
export const tableGone = (name: string) => `SELECT COUNT(*) = 0 AS gone FROM pg_table_def WHERE tablename = '${name}'`;
