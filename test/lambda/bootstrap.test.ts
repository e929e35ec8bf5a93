import { BatchExecuteStatementCommand, ExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { handleBootstrap } from '../../lambda/loader/bootstrap';
import { buildBootstrapPlan } from '../../lib/plan/bootstrap-plan';
import { BATCH_ID, ROLE_ARN, SECRET_ARN, fakeAws, files } from '../../tools/fake-aws';
import type { ProviderEvent } from '../../lambda/loader/types';

// Issue 13: the bootstrap is the only code that signs in with the admin secret.
const properties = {
  Fingerprint: 'abcdef0123456789',
  Mode: 'provisioned',
  SourceRoleArn: ROLE_ARN,
  Database: 'sparkify',
  SecretArn: SECRET_ARN,
  ClusterIdentifier: 'sparkify-warehouse',
};
const event = (RequestType: string, props: Record<string, string> = properties): ProviderEvent => ({
  RequestType,
  RequestId: 'request-1',
  ResourceProperties: props,
});
const plan = buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn: ROLE_ARN });

describe('the bootstrap handler', () => {
  it('runs sql/security as the admin in one batch and waits for it', async () => {
    const aws = fakeAws();
    aws.scriptBatch({ Status: 'STARTED' }, { Status: 'FINISHED' });
    const response = await handleBootstrap(event('Create'), aws.deps);
    expect(response).toEqual({
      PhysicalResourceId: 'sparkify-bootstrap/cluster/sparkify-warehouse/sparkify',
      Data: { Fingerprint: plan.fingerprint },
    });
    const input = aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ ClusterIdentifier: 'sparkify-warehouse', Database: 'sparkify', SecretArn: SECRET_ARN });
    expect(input?.DbUser).toBeUndefined();
    expect(input?.Sqls).toEqual(plan.steps.map((step) => step.sql));
    expect(input?.Sqls?.some((sql) => /GRANT ASSUMEROLE/i.test(sql))).toBe(true);
    expect(aws.logs.find((line) => line.message === 'bootstrap')?.attributes).toMatchObject({
      mode: 'provisioned',
      steps: plan.steps.length,
    });
  });

  it('fails the deploy naming the step and the database message; the batch changed nothing', async () => {
    const aws = fakeAws();
    aws.scriptBatch({
      Id: BATCH_ID,
      Status: 'FAILED',
      Error: 'ERROR: permission denied',
      SubStatements: plan.steps.map((_, i) => ({
        Id: `${BATCH_ID}:${i + 1}`,
        Status: i < 2 ? 'FINISHED' : i === 2 ? 'FAILED' : 'ABORTED',
      })),
    });
    await expect(handleBootstrap(event('Update'), aws.deps)).rejects.toThrow(
      `The bootstrap failed at step ${plan.steps[2]!.name} (sql/${plan.steps[2]!.file}): ERROR: permission denied. Nothing was changed (one transaction); fix the cause and deploy again.`,
    );
  });

  it('touches nothing on Delete: the roles go with the warehouse', async () => {
    const aws = fakeAws();
    expect(await handleBootstrap({ RequestType: 'Delete', PhysicalResourceId: 'sparkify-bootstrap/x' }, aws.deps)).toEqual({
      PhysicalResourceId: 'sparkify-bootstrap/x',
    });
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
    expect(aws.mocks.data.commandCalls(ExecuteStatementCommand)).toHaveLength(0);
  });

  it('names every bad property', async () => {
    const aws = fakeAws();
    await expect(handleBootstrap(event('Create', { ...properties, Mode: 'cloud', SourceRoleArn: 'nope' }), aws.deps)).rejects.toThrow(
      /^Invalid properties of the bootstrap custom resource: SourceRoleArn = "nope": .*; Mode = "cloud": expected provisioned, serverless, offline$/,
    );
  });
});
