import { LOADER_USER } from '../lib/rules/database-identities';
import { IAMClient, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from '@aws-sdk/client-iam';
import { DescribeClustersCommand, RedshiftClient, type Cluster } from '@aws-sdk/client-redshift';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type Field,
} from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, GetWorkgroupCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { planFingerprint, type LoadPlan } from '../lib/plan/load-plan';
import { readSqlFiles } from '../lib/plan/sql-files';
import type { RetryPolicy } from '../lambda/loader/types';
import type { LoaderDeps, PhaseLog, ProviderEvent } from '../lambda/loader/types';

export const files = readSqlFiles();

export const SETTINGS = {
  sourceBucket: 'udacity-dend',
  sourceRegion: 'us-west-2',
  eventsPrefix: 'log_data',
  songsPrefix: 'song_data',
  jsonpathsKey: 'log_json_path.json',
  maxLoadErrors: 0,
};
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/sparkify-s3-read';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-admin-AbCdEf';
export const BATCH_ID = '0b4c2f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f';

export function properties(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    ServiceToken: 'arn:aws:lambda:us-west-2:123456789012:function:provider-framework-onEvent',
    LoadId: 'load-20250101T000000Z',
    Fingerprint: planFingerprint(files, SETTINGS),
    RoleArn: ROLE_ARN,
    Settings: JSON.stringify(SETTINGS),
    Database: 'sparkify',
    // A workgroup load signs in with the IAM identity: no DbUser unless a test sets one.
    ...('WorkgroupName' in overrides && !('DbUser' in overrides) ? {} : { DbUser: LOADER_USER }),
    ClusterIdentifier: 'sparkify-warehouse',
    LoadMode: 'wait',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export function event(
  requestType: 'Create' | 'Update' | 'Delete',
  props: Record<string, string> = properties(),
  extra: Partial<ProviderEvent> = {},
): ProviderEvent {
  return {
    RequestType: requestType,
    RequestId: `req-${requestType.toLowerCase()}-0001`,
    StackId: 'arn:aws:cloudformation:us-west-2:123456789012:stack/SparkifyWarehouse/5f3c1e20-0000-11ef-9a3b-0a1b2c3d4e5f',
    LogicalResourceId: 'WarehouseLoad',
    ResourceType: 'Custom::WarehouseLoad',
    ResourceProperties: props,
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify' }),
    ...extra,
  };
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A query outcome for the fake Data API: rows, or the database's error. */
export interface QueryOutcome {
  readonly rows?: readonly Record<string, string | number | null>[];
  readonly error?: string;
  /** DescribeStatement answers STARTED this many times before the final status. */
  readonly runningPolls?: number;
}

/** A scripted DescribeStatement of the batch (its Id is filled in). */
export type BatchAnswer = Omit<DescribeStatementResponse, 'Id'> & { Id?: string };

type QueryRule = { readonly match: RegExp; readonly outcome: QueryOutcome };

function toField(value: string | number | null): Field {
  if (value === null) return { isNull: true };
  return typeof value === 'number' ? { longValue: value } : { stringValue: value };
}

/**
 * Mocks the five clients (S3 answers nothing unless a test says so). ExecuteStatement answers by the first rule whose pattern matches the SQL
 * (a query without a rule finishes with no rows); the batch's DescribeStatement is what the test sets.
 */
export function fakeAws(options: { retry?: Partial<RetryPolicy> } = {}) {
  const data = new RedshiftDataClient({ region: 'us-west-2' });
  const redshift = new RedshiftClient({ region: 'us-west-2' });
  const serverless = new RedshiftServerlessClient({ region: 'us-west-2' });
  const iam = new IAMClient({ region: 'us-west-2' });
  const s3 = new S3Client({ region: 'us-west-2' });
  const mocks = {
    data: mockClient(data),
    redshift: mockClient(redshift),
    serverless: mockClient(serverless),
    iam: mockClient(iam),
    s3: mockClient(s3),
  };

  const rules: QueryRule[] = [];
  const statements = new Map<string, { sql: string; outcome: QueryOutcome; polls: number }>();
  const batch: { description: BatchAnswer[] } = { description: [] };
  const logs: LogLine[] = [];
  const sleeps: number[] = [];
  let clock = 1_700_000_000_000;
  let next = 0;

  mocks.data.on(ExecuteStatementCommand).callsFake((input: { Sql?: string }) => {
    const sql = input.Sql ?? '';
    const id = `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
    const outcome = rules.find((rule) => rule.match.test(sql))?.outcome ?? {};
    statements.set(id, { sql, outcome, polls: 0 });
    return { Id: id };
  });
  mocks.data.on(DescribeStatementCommand).callsFake((input: { Id?: string }) => {
    if (input.Id === BATCH_ID) {
      // Each DescribeStatement of the batch takes the next scripted answer; the last one repeats.
      const answer = batch.description.length > 1 ? batch.description.shift() : batch.description[0];
      if (!answer) throw new Error('test did not script the batch');
      return { ...answer, Id: BATCH_ID };
    }
    const statement = statements.get(input.Id ?? '');
    if (!statement) throw Object.assign(new Error(`no statement ${input.Id}`), { name: 'ResourceNotFoundException' });
    if (statement.polls++ < (statement.outcome.runningPolls ?? 0)) return { Id: input.Id, Status: 'STARTED' };
    if (statement.outcome.error) return { Id: input.Id, Status: 'FAILED', Error: statement.outcome.error, QueryString: statement.sql };
    return { Id: input.Id, Status: 'FINISHED', HasResultSet: statement.outcome.rows !== undefined, QueryString: statement.sql };
  });
  mocks.data.on(GetStatementResultCommand).callsFake((input: { Id?: string }) => {
    const rows = statements.get(input.Id ?? '')?.outcome.rows ?? [];
    const columns = Object.keys(rows[0] ?? {});
    return {
      ColumnMetadata: columns.map((name) => ({ name, label: name })),
      Records: rows.map((row) => columns.map((name) => toField(row[name] ?? null))),
      TotalNumRows: rows.length,
    };
  });
  mocks.data.on(BatchExecuteStatementCommand).resolves({ Id: BATCH_ID, CreatedAt: new Date(clock) });
  mocks.data.on(ListStatementsCommand).resolves({ Statements: [] });
  mocks.data.on(CancelStatementCommand).resolves({ Status: true });

  const log = (level: LogLine['level']) => (message: string, attributes: Readonly<Record<string, unknown>>) => {
    logs.push({ level, message, attributes });
  };
  const phaseLog: PhaseLog = { info: log('info'), warn: log('warn'), error: log('error') };

  const deps: LoaderDeps = {
    data,
    redshift,
    serverless,
    iam,
    s3,
    files: () => files,
    log: phaseLog,
    retry: { attempts: 6, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 1, ...options.retry },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    queryPollMs: 200,
    queryTimeoutMs: 10_000,
  };

  return {
    deps,
    mocks,
    logs,
    sleeps,
    /** The SQL of every ExecuteStatement, in order. */
    queries: () => [...statements.values()].map((s) => s.sql),
    onQuery(match: RegExp, outcome: QueryOutcome) {
      rules.push({ match, outcome });
    },
    scriptBatch(...answers: BatchAnswer[]) {
      batch.description = answers;
    },
    /** A healthy provisioned cluster with the role attached and in sync. */
    healthyCluster(cluster: Partial<Cluster> = {}) {
      mocks.redshift.on(DescribeClustersCommand).resolves({
        Clusters: [
          {
            ClusterIdentifier: 'sparkify-warehouse',
            ClusterStatus: 'available',
            ClusterAvailabilityStatus: 'Available',
            IamRoles: [{ IamRoleArn: ROLE_ARN, ApplyStatus: 'in-sync' }],
            ...cluster,
          },
        ],
      });
    },
    healthyWorkgroup() {
      mocks.serverless
        .on(GetWorkgroupCommand)
        .resolves({ workgroup: { workgroupName: 'sparkify', namespaceName: 'sparkify-ns', status: 'AVAILABLE' } });
      mocks.serverless.on(GetNamespaceCommand).resolves({
        namespace: {
          namespaceName: 'sparkify-ns',
          status: 'AVAILABLE',
          iamRoles: [`IamRole(applyStatus=in-sync, iamRoleArn=${ROLE_ARN})`],
        },
      });
    },
    /** The simulator allows everything except the (action, resource) pairs given. */
    s3Access(denied: { action: string; resource: string; decision?: 'implicitDeny' | 'explicitDeny'; policy?: string }[] = []) {
      mocks.iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => {
        const action = input.ActionNames?.[0] ?? '';
        const resource = input.ResourceArns?.[0] ?? '*';
        const deny = denied.find((d) => d.action === action && d.resource === resource);
        return {
          EvaluationResults: [
            {
              EvalActionName: action,
              EvalResourceName: resource,
              EvalDecision: deny ? (deny.decision ?? 'implicitDeny') : 'allowed',
              MatchedStatements: deny?.policy ? [{ SourcePolicyId: deny.policy, SourcePolicyType: 'IAM Policy' }] : [],
            },
          ],
          IsTruncated: false,
        };
      });
    },
    /** No load_history table yet: a first deploy. */
    noHistoryTable() {
      rules.push({ match: /FROM\s+load_history/, outcome: { error: 'ERROR: relation "load_history" does not exist' } });
    },
    /** load_history has no row for this load yet (the table exists). */
    noHistory() {
      rules.push({ match: /FROM load_history/, outcome: { rows: [] } });
    },
  };
}

export type FakeAws = ReturnType<typeof fakeAws>;

/** A first deploy's AWS: a healthy cluster, the role allowed its S3 reads, no load_history table yet. */
export function firstDeployAws(): FakeAws {
  const aws = fakeAws();
  aws.healthyCluster();
  aws.s3Access();
  aws.noHistoryTable();
  return aws;
}

export function throttling(message = 'Rate exceeded'): Error {
  return Object.assign(new Error(message), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

/** A load_history row as load_report.sql returns it. */
export function historyRow(loadId: string, outcome: string, rows = 1): Record<string, string | number | null> {
  return {
    load_id: loadId,
    fingerprint: planFingerprint(files, SETTINGS),
    started_at: '2025-01-01 00:00:00',
    finished_at: '2025-01-01 00:03:00',
    outcome,
    error: null,
    rows_staging_events: 8056 * rows,
    rows_staging_songs: 14896 * rows,
    rows_songplays: 6820 * rows,
    rows_users: 104 * rows,
    rows_songs: 14896 * rows,
    rows_artists: 10025 * rows,
    rows_time: 6813 * rows,
  };
}

/** The rows sql/catalog/table_columns.sql returns for a warehouse holding every table of the plan as declared. */
export function declaredCatalog(plan: LoadPlan): Record<string, string | number>[] {
  return plan.tables.flatMap((table) =>
    table.columns.map((column, i) => ({
      table_name: table.name,
      column_name: column.name,
      ordinal: i + 1,
      type: column.type,
      not_null: String(column.notNull),
      distkey: String(table.distkey === column.name),
      sortkey: table.sortkey.indexOf(column.name) + 1,
      diststyle: table.diststyle,
    })),
  );
}
