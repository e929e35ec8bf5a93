import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  ExecuteStatementCommand,
  ListStatementsCommand,
} from '@aws-sdk/client-redshift-data';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { GetWorkgroupCommand } from '@aws-sdk/client-redshift-serverless';
import { LOADER_USER } from '../../lib/rules/database-identities';
import { describe, expect, it } from 'vitest';
import { buildLoadPlan, gateAssertion } from '../../lib/plan/load-plan';
import { handleIsComplete } from '../../lambda/loader/is-complete';
import { handleOnEvent } from '../../lambda/loader/on-event';
import { PropertyError } from '../../lambda/loader/properties';
import {
  BATCH_ID,
  ROLE_ARN,
  SETTINGS,
  event,
  fakeAws,
  firstDeployAws,
  files,
  historyRow,
  properties,
  type FakeAws,
} from '../../tools/fake-aws';

function batchInput(aws: FakeAws) {
  const calls = aws.mocks.data.commandCalls(BatchExecuteStatementCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

describe('onEvent Create', () => {
  it('checks, finds no history (first deploy: no table), and submits the whole plan as one batch', async () => {
    const aws = firstDeployAws();
    const props = properties();
    const response = await handleOnEvent(event('Create', props), aws.deps);

    expect(response.PhysicalResourceId).toBe('sparkify-load/cluster/sparkify-warehouse/sparkify');
    expect(response.Data).toEqual({
      StatementId: BATCH_ID,
      LoadId: props.LoadId,
      Fingerprint: props.Fingerprint,
      Outcome: 'running',
      SubmittedAt: String(aws.deps.now()),
    });

    const input = batchInput(aws);
    const plan = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: props.LoadId! });
    // The batch is the plan: same statements, same order, gates as CALL assert_gate(...).
    expect(input.Sqls).toEqual(plan.steps.map((step) => (step.kind === 'gate' ? gateAssertion(step) : step.sql)));
    expect(input.Sqls?.filter((sql) => sql.startsWith('CALL assert_gate('))).toHaveLength(
      plan.steps.filter((s) => s.kind === 'gate').length,
    );
    expect(input).toMatchObject({
      ClusterIdentifier: 'sparkify-warehouse',
      Database: 'sparkify',
      // Temporary credentials as the loader, never the admin secret (issue 13).
      DbUser: LOADER_USER,
      StatementName: `sparkify-load:${props.LoadId}`,
      WithEvent: true,
    });
    expect(input.SecretArn).toBeUndefined();
    expect(input.WorkgroupName).toBeUndefined();
    expect(input.ClientToken).toMatch(/^[0-9a-f]{64}$/);

    // Preflight ran: the cluster, and the role's reads of every source object and the listing.
    expect(aws.mocks.redshift.commandCalls(DescribeClustersCommand)).toHaveLength(1);
    const simulated = aws.mocks.iam
      .commandCalls(SimulatePrincipalPolicyCommand)
      .map((call) => `${call.args[0].input.ActionNames?.[0]} ${call.args[0].input.ResourceArns?.[0]}`);
    expect(simulated.sort()).toEqual([
      's3:GetObject arn:aws:s3:::udacity-dend/log_data*',
      's3:GetObject arn:aws:s3:::udacity-dend/log_json_path.json',
      's3:GetObject arn:aws:s3:::udacity-dend/song_data*',
      's3:ListBucket arn:aws:s3:::udacity-dend',
      's3:ListBucket arn:aws:s3:::udacity-dend',
    ]);
  });

  it('targets a Serverless workgroup when WorkgroupName is given', async () => {
    const aws = fakeAws();
    aws.healthyWorkgroup();
    aws.s3Access();
    aws.noHistoryTable();
    const response = await handleOnEvent(
      event('Create', properties({ ClusterIdentifier: undefined, WorkgroupName: 'sparkify' })),
      aws.deps,
    );

    expect(response.PhysicalResourceId).toBe('sparkify-load/workgroup/sparkify/sparkify');
    const input = batchInput(aws);
    expect(input.WorkgroupName).toBe('sparkify');
    expect(input.ClusterIdentifier).toBeUndefined();
    expect(aws.mocks.serverless.commandCalls(GetWorkgroupCommand)).toHaveLength(1);
    expect(aws.mocks.redshift.commandCalls(DescribeClustersCommand)).toHaveLength(0);
  });

  it('logs one line per phase with the load id, statement id and durations, and no SQL', async () => {
    const aws = firstDeployAws();
    await handleOnEvent(event('Create'), aws.deps);
    const info = aws.logs.filter((line) => line.level === 'info');
    expect(info.map((line) => line.message)).toEqual(['history', 'preflight', 'submit']);
    for (const line of info) {
      expect(line.attributes.loadId).toBe('load-20250101T000000Z');
      expect(typeof line.attributes.durationMs).toBe('number');
    }
    expect(info[2]!.attributes.statementId).toBe(BATCH_ID);
    const text = JSON.stringify(aws.logs);
    expect(text).not.toMatch(/COPY |IAM_ROLE|DELETE FROM|password/i);
  });

  it('names every bad property at once, before touching AWS', async () => {
    const aws = fakeAws();
    const bad = properties({
      RoleArn: 'sparkify-role',
      Settings: '{"sourceBucket":"s3://x"}',
      LoadMode: 'later',
      WorkgroupName: 'sparkify',
    });
    const error = await handleOnEvent(event('Create', bad), aws.deps).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(PropertyError);
    for (const part of [
      'RoleArn = "sparkify-role": expected an IAM role ARN',
      "LoadMode = \"later\": expected 'wait' or 'submit'",
      'Settings lacks sourceRegion, eventsPrefix, songsPrefix, jsonpathsKey, maxLoadErrors',
      'exactly one of ClusterIdentifier or WorkgroupName must be set (found both)',
    ]) {
      expect((error as Error).message).toContain(part);
    }
    await expect(handleOnEvent(event('Create', properties({ Database: undefined })), aws.deps)).rejects.toThrow('Database is missing');
    await expect(handleOnEvent(event('Create', properties({ Settings: '{nope' })), aws.deps)).rejects.toThrow('Settings is not valid JSON');
    await expect(
      handleOnEvent(event('Create', properties({ Settings: JSON.stringify({ ...SETTINGS, maxLoadErrors: -1 }) })), aws.deps),
    ).rejects.toThrow('Settings.maxLoadErrors = -1: use a whole number from 0 to 100000');
    expect(aws.mocks.data.calls()).toHaveLength(0);
  });
});

describe('onEvent Update', () => {
  it('reloads under the same physical id (so CloudFormation deletes nothing)', async () => {
    const aws = fakeAws();
    aws.healthyCluster();
    aws.s3Access();
    aws.onQuery(/FROM\s+load_history/, { rows: [] }); // the table exists; this load id has no row yet
    const props = properties({ LoadId: 'load-20250102T000000Z' });
    const response = await handleOnEvent(event('Update', props, { OldResourceProperties: properties() }), aws.deps);
    expect(response.PhysicalResourceId).toBe('sparkify-load/cluster/sparkify-warehouse/sparkify');
    expect(batchInput(aws).StatementName).toBe('sparkify-load:load-20250102T000000Z');
  });

  it('reloads a load id whose latest attempt failed', async () => {
    const aws = fakeAws();
    aws.healthyCluster();
    aws.s3Access();
    aws.onQuery(/FROM\s+load_history/, { rows: [historyRow('load-20250101T000000Z', 'failed')] });
    await handleOnEvent(event('Update'), aws.deps);
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
  });

  it('rollback update: the previous load already succeeded, so it answers with its data and touches nothing', async () => {
    const aws = fakeAws();
    // Preflight would fail (the failed update changed the role), but a rollback must not depend on it.
    aws.healthyCluster({ IamRoles: [] });
    aws.s3Access([{ action: 's3:GetObject', resource: 'arn:aws:s3:::udacity-dend/log_data*' }]);
    aws.onQuery(/FROM\s+load_history/, { rows: [historyRow('load-20250101T000000Z', 'succeeded')] });
    // The failed reload timed out and is still running: it must not commit after the rollback.
    aws.mocks.data.on(ListStatementsCommand).resolves({
      Statements: [
        { Id: 'aaaaaaaa-0000-4000-8000-000000000001', StatementName: 'sparkify-load:load-20250102T000000Z', Status: 'STARTED' },
        { Id: 'aaaaaaaa-0000-4000-8000-000000000002', StatementName: 'sparkify-load:load-20250101T000000Z', Status: 'FINISHED' },
        { Id: 'aaaaaaaa-0000-4000-8000-000000000003', StatementName: 'sparkify-load:load-20241231T000000Z', Status: 'FAILED' },
      ],
    });
    const rollback = event('Update', properties(), { OldResourceProperties: properties({ LoadId: 'load-20250102T000000Z' }) });
    const response = await handleOnEvent(rollback, aws.deps);

    expect(response).toEqual({
      PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify',
      Data: {
        LoadId: 'load-20250101T000000Z',
        Fingerprint: properties().Fingerprint,
        Outcome: 'succeeded',
        Rows_songs: '14896',
        Rows_artists: '10025',
        Rows_users: '104',
        Rows_songplays: '6820',
        Rows_time: '6813',
        Rows_staging_events: '8056',
        Rows_staging_songs: '14896',
      },
    });
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
    expect(aws.mocks.redshift.calls()).toHaveLength(0);
    expect(aws.mocks.iam.calls()).toHaveLength(0);
    expect(aws.mocks.data.commandCalls(ExecuteStatementCommand)).toHaveLength(1); // the history read only
    const cancelled = aws.mocks.data.commandCalls(CancelStatementCommand).map((call) => call.args[0].input.Id);
    expect(cancelled).toEqual(['aaaaaaaa-0000-4000-8000-000000000001']);
    expect(aws.mocks.data.commandCalls(ListStatementsCommand)[0]!.args[0].input).toMatchObject({
      StatementName: 'sparkify-load:',
      ClusterIdentifier: 'sparkify-warehouse',
      Database: 'sparkify',
    });

    // isComplete then has nothing to wait for.
    const done = await handleIsComplete({ ...rollback, PhysicalResourceId: response.PhysicalResourceId, Data: response.Data }, aws.deps);
    expect(done).toEqual({ IsComplete: true });
    expect(aws.mocks.data.commandCalls(ExecuteStatementCommand)).toHaveLength(1);
  });

  it('still loads when load_history cannot be read for another reason (preflight then speaks)', async () => {
    const aws = fakeAws();
    aws.healthyCluster();
    aws.s3Access();
    aws.onQuery(/FROM\s+load_history/, { error: 'ERROR: permission denied for relation load_history' });
    await handleOnEvent(event('Update'), aws.deps);
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
    expect(aws.logs.find((line) => line.level === 'warn' && line.message === 'history')?.attributes.error).toMatch(/permission denied/);
  });
});

describe('onEvent Delete', () => {
  it('succeeds at once, keeps the physical id, and calls nothing', async () => {
    const aws = fakeAws();
    const response = await handleOnEvent(event('Delete'), aws.deps);
    expect(response).toEqual({ PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify' });
    expect(await handleIsComplete(event('Delete'), aws.deps)).toEqual({ IsComplete: true });
    for (const mock of Object.values(aws.mocks)) expect(mock.calls()).toHaveLength(0);
  });

  it('succeeds after a failed Create, whatever its properties', async () => {
    const aws = fakeAws();
    // The Create failed on bad properties, so the framework marked the physical id.
    const marker = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
    for (const props of [{ LoadId: "'; DROP TABLE songs; --", Settings: '{' }, {}, undefined]) {
      const garbage = { ...event('Delete'), PhysicalResourceId: marker, ResourceProperties: props };
      expect(await handleOnEvent(garbage, aws.deps)).toEqual({ PhysicalResourceId: marker });
      expect(await handleIsComplete({ ...garbage, Data: { StatementId: 'not-a-statement' } }, aws.deps)).toEqual({ IsComplete: true });
    }
    // A Create that failed after submitting: isComplete threw, and the stack deletes the resource.
    const afterFailedLoad = { ...event('Delete'), Data: { StatementId: BATCH_ID } };
    expect(await handleOnEvent(afterFailedLoad, aws.deps)).toEqual({
      PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify',
    });
    for (const mock of Object.values(aws.mocks)) expect(mock.calls()).toHaveLength(0);
  });
});
