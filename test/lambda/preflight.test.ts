import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { ClusterNotFoundFault, DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, GetWorkgroupCommand, ResourceNotFoundException } from '@aws-sdk/client-redshift-serverless';
import { describe, expect, it } from 'vitest';
import { handleOnEvent } from '../../lambda/loader/on-event';
import { PreflightError, parseNamespaceRole } from '../../lambda/loader/preflight';
import { ROLE_ARN, event, fakeAws, properties, type FakeAws } from '../../tools/fake-aws';

function setup(): FakeAws {
  const aws = fakeAws();
  aws.noHistory();
  aws.healthyCluster();
  aws.s3Access();
  return aws;
}

async function preflightMessage(aws: FakeAws, props = properties()): Promise<string> {
  const error = await handleOnEvent(event('Create', props), aws.deps).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PreflightError);
  expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  return (error as Error).message;
}

describe('preflight (provisioned cluster)', () => {
  it('a missing cluster', async () => {
    const aws = setup();
    aws.mocks.redshift
      .on(DescribeClustersCommand)
      .rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-warehouse not found.', $metadata: {} }));
    expect(await preflightMessage(aws)).toContain("cluster 'sparkify-warehouse' does not exist in this account and region");
  });

  it('a paused cluster, with the command that resumes it', async () => {
    const aws = setup();
    aws.healthyCluster({ ClusterStatus: 'paused', ClusterAvailabilityStatus: 'Unavailable' });
    expect(await preflightMessage(aws)).toContain(
      "cluster 'sparkify-warehouse' is paused: resume it (aws redshift resume-cluster --cluster-identifier sparkify-warehouse) and deploy again",
    );
  });

  it('a cluster busy resizing', async () => {
    const aws = setup();
    aws.healthyCluster({ ClusterStatus: 'resizing', ClusterAvailabilityStatus: 'Unavailable' });
    expect(await preflightMessage(aws)).toContain(
      "cluster 'sparkify-warehouse' is not available (status 'resizing', availability 'Unavailable')",
    );
  });

  it('the role not attached', async () => {
    const aws = setup();
    aws.healthyCluster({ IamRoles: [{ IamRoleArn: 'arn:aws:iam::123456789012:role/other', ApplyStatus: 'in-sync' }] });
    expect(await preflightMessage(aws)).toContain(
      `role ${ROLE_ARN} is not attached to cluster 'sparkify-warehouse', so COPY cannot assume it: attach it (aws redshift modify-cluster-iam-roles --cluster-identifier sparkify-warehouse --add-iam-roles ${ROLE_ARN})`,
    );
  });

  it('the role attached but not yet in sync', async () => {
    const aws = setup();
    aws.healthyCluster({ IamRoles: [{ IamRoleArn: ROLE_ARN, ApplyStatus: 'adding' }] });
    expect(await preflightMessage(aws)).toContain(
      `role ${ROLE_ARN} is not in sync on cluster 'sparkify-warehouse' (ApplyStatus 'adding'): wait until it is 'in-sync'`,
    );
  });

  it('every S3 read the role is denied, each named', async () => {
    const aws = setup();
    aws.s3Access([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::udacity-dend/log_data*' },
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::udacity-dend' },
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::udacity-dend/log_json_path.json',
        decision: 'explicitDeny',
        policy: 'DenyJsonpaths',
      },
    ]);
    const message = await preflightMessage(aws);
    expect(message).toMatch(/^Preflight failed, nothing was loaded: \(1\) /);
    expect(message).toContain(
      `role ${ROLE_ARN} may not s3:GetObject on arn:aws:s3:::udacity-dend/log_data* (implicitDeny): grant it in the role's policy`,
    );
    expect(message).toContain(
      `role ${ROLE_ARN} is explicitly denied s3:GetObject on arn:aws:s3:::udacity-dend/log_json_path.json by DenyJsonpaths: remove that Deny`,
    );
    expect(message).toContain("may not s3:ListBucket on arn:aws:s3:::udacity-dend (prefix 'log_data')");
    expect(message).toContain("may not s3:ListBucket on arn:aws:s3:::udacity-dend (prefix 'song_data')");
    expect(message).not.toContain('song_data*');
    const listing = aws.mocks.iam
      .commandCalls(SimulatePrincipalPolicyCommand)
      .find((call) => call.args[0].input.ActionNames?.[0] === 's3:ListBucket');
    expect(listing?.args[0].input.ContextEntries?.[0]).toMatchObject({ ContextKeyName: 's3:prefix', ContextKeyType: 'string' });
  });

  it('reports the cluster and the S3 problems together', async () => {
    const aws = setup();
    aws.healthyCluster({ ClusterStatus: 'paused', ClusterAvailabilityStatus: 'Unavailable', IamRoles: [] });
    aws.s3Access([{ action: 's3:GetObject', resource: 'arn:aws:s3:::udacity-dend/song_data*' }]);
    const message = await preflightMessage(aws);
    expect(message).toMatch(/\(1\) cluster .* is paused.*\(2\) role .* is not attached.*\(3\) role .* may not s3:GetObject .*song_data\*/);
  });

  it('skips a check it may not run (logged), instead of failing the deploy on it', async () => {
    const aws = setup();
    aws.mocks.iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(Object.assign(new Error('not authorized to perform: iam:SimulatePrincipalPolicy'), { name: 'AccessDenied' }));
    await handleOnEvent(event('Create'), aws.deps);
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
    expect(aws.logs.filter((line) => line.level === 'warn' && line.message === 'preflight')).toHaveLength(5);
  });
});

describe('preflight (Serverless workgroup)', () => {
  const serverless = () => properties({ ClusterIdentifier: undefined, WorkgroupName: 'sparkify' });

  it('a missing workgroup', async () => {
    const aws = setup();
    aws.mocks.serverless.on(GetWorkgroupCommand).rejects(new ResourceNotFoundException({ message: 'Workgroup not found', $metadata: {} }));
    expect(await preflightMessage(aws, serverless())).toContain("workgroup 'sparkify' does not exist in this account and region");
  });

  it('a workgroup not available, and a namespace without the role', async () => {
    const aws = setup();
    aws.mocks.serverless
      .on(GetWorkgroupCommand)
      .resolves({ workgroup: { workgroupName: 'sparkify', namespaceName: 'sparkify-ns', status: 'MODIFYING' } });
    aws.mocks.serverless
      .on(GetNamespaceCommand)
      .resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [] } });
    const message = await preflightMessage(aws, serverless());
    expect(message).toContain("workgroup 'sparkify' is not available (status 'MODIFYING'): wait until it is AVAILABLE");
    expect(message).toContain(`role ${ROLE_ARN} is not attached to namespace 'sparkify-ns'`);
  });

  it('reads the namespace role strings in either field order', () => {
    expect(parseNamespaceRole(`IamRole(applyStatus=in-sync, iamRoleArn=${ROLE_ARN})`)).toEqual({ arn: ROLE_ARN, applyStatus: 'in-sync' });
    expect(parseNamespaceRole(`IamRole(iamRoleArn=${ROLE_ARN}, applyStatus=adding)`)).toEqual({ arn: ROLE_ARN, applyStatus: 'adding' });
    expect(parseNamespaceRole(ROLE_ARN)).toEqual({ arn: ROLE_ARN, applyStatus: undefined });
  });
});
