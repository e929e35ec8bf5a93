import { BatchExecuteStatementCommand, ExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { BootstrapFailedError, handleBootstrap } from '../../lambda/loader/bootstrap';
import { MAX_FAILURE_MESSAGE_BYTES } from '../../lambda/loader/failure-report';
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
const plan = buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn: ROLE_ARN, database: 'sparkify' });

/** The error handleBootstrap throws, which must be the one-line BootstrapFailedError. */
async function failure(run: Promise<unknown>): Promise<BootstrapFailedError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BootstrapFailedError);
  return error as BootstrapFailedError;
}

/**
 * What CloudFormation receives: the Provider framework sends the message and the stack's lines
 * after the first (aws-cdk-lib custom-resources provider-framework/runtime/framework.js).
 */
function expectOneClippedLine(error: Error): void {
  expect(error.stack).toBe(`BootstrapFailedError: ${error.message}`);
  expect(error.stack).not.toContain('    at ');
  expect(error.message).not.toMatch(/\n/);
  expect(Buffer.byteLength(error.message, 'utf8')).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_BYTES);
}

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
    // The database the properties name, from sparkify:databaseName.
    expect(input?.Sqls).toContain(plan.steps.find((step) => step.name === 'security.revoke_temp_on_database_from_public')?.sql);
    expect(input?.Sqls?.at(-1)).toMatch(/^REVOKE TEMP ON DATABASE "sparkify"\s+FROM\s+PUBLIC$/m);
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
    const error = await failure(handleBootstrap(event('Update'), aws.deps));
    expect(error.message).toBe(
      `The bootstrap failed at step ${plan.steps[2]!.name} (sql/${plan.steps[2]!.file}, statement 3 of ${plan.steps.length}): ERROR: permission denied. Nothing was changed (one transaction); fix the cause and deploy again.`,
    );
    expectOneClippedLine(error);
  });

  it("names the failing statement's file and its own message, on one clipped line however long the database's is", async () => {
    const aws = fakeAws();
    const last = plan.steps.length - 1;
    const huge = `ERROR: permission denied for database sparkify\nDETAIL: ${'x'.repeat(100_000)}\n  at the end`;
    aws.scriptBatch({
      Status: 'FAILED',
      Error: "a batch-level message, which the sub-statement's own replaces",
      SubStatements: plan.steps.map((_, i) => ({
        Id: `${BATCH_ID}:${i + 1}`,
        Status: i < last ? 'FINISHED' : 'FAILED',
        ...(i === last ? { Error: huge } : {}),
      })),
    });
    const error = await failure(handleBootstrap(event('Update'), aws.deps));
    expectOneClippedLine(error);
    expect(error.message).toContain(
      `(sql/security/revoke_temp_on_database_from_public.sql, statement ${last + 1} of ${plan.steps.length})`,
    );
    expect(error.message).toContain('ERROR: permission denied for database sparkify DETAIL: xxx');
    expect(error.message).toContain('…');
    expect(error.message).toMatch(/Nothing was changed \(one transaction\); fix the cause and deploy again\.$/);
    // The function's own log keeps what CloudFormation does not show.
    expect(aws.logs.find((line) => line.level === 'error')?.attributes).toMatchObject({ reason: error.message });
  });

  it('turns an SDK error (IAM refusing the Data API) into one line naming the call, its stack left in the log', async () => {
    const aws = fakeAws();
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::123456789012:assumed-role/Bootstrap/fn is not authorized to perform: redshift-data:BatchExecuteStatement on resource: arn:aws:redshift:us-west-2:123456789012:cluster:sparkify-warehouse because no identity-based policy allows the redshift-data:BatchExecuteStatement action',
      ),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
    );
    expect(denied.stack).toContain('    at ');
    aws.mocks.data.on(BatchExecuteStatementCommand).rejects(denied);
    const error = await failure(handleBootstrap(event('Create'), aws.deps));
    expectOneClippedLine(error);
    expect(error.message).toBe(
      `The bootstrap failed submitting its batch (BatchExecuteStatement): AccessDeniedException: ${denied.message}. Nothing was run; fix the cause and deploy again.`,
    );
    expect(aws.logs.find((line) => line.level === 'error')?.attributes).toMatchObject({ stack: denied.stack });
  });

  it('says a batch that did not finish in time may still be running, on one line', async () => {
    const aws = fakeAws();
    aws.scriptBatch({ Status: 'STARTED' });
    const error = await failure(handleBootstrap(event('Create'), aws.deps));
    expectOneClippedLine(error);
    expect(error.message).toBe(
      `The bootstrap did not finish within 10 s. The batch may still be running: see aws redshift-data describe-statement --id ${BATCH_ID}, then deploy again.`,
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
    const error = await failure(handleBootstrap(event('Create', { ...properties, Mode: 'cloud', SourceRoleArn: 'nope' }), aws.deps));
    expect(error.message).toMatch(
      /^Invalid properties of the bootstrap custom resource: SourceRoleArn = "nope": .*; Mode = "cloud": expected provisioned, serverless, offline$/,
    );
    expectOneClippedLine(error);
    expect((await failure(handleBootstrap(event('Create', { ...properties, Database: 'Sparkify' }), aws.deps))).message).toMatch(
      /^Invalid properties of the bootstrap custom resource: Database = "Sparkify": /,
    );
  });
});
