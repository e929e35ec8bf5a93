import * as ServerlessModel from '@aws-sdk/client-redshift-serverless';
import { GetNamespaceCommand, GetWorkgroupCommand, ResourceNotFoundException } from '@aws-sdk/client-redshift-serverless';
import { NoSuchEntityException, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreflightError, preflight } from '../../../lambda/loader/preflight';
import { simulate } from '../../../tools/rehearsal/policy-simulator';
import { BUCKET, REGION, ROLE_ARN, SECRET_ARN, contractAccount, startLocalServer, type LocalServer } from './local-server';
import { outputOf, validateShape } from './model-shapes';

/** The preflight's control-plane calls, read by the real SDK clients (query protocol XML, and JSON). */
let local: LocalServer;

beforeAll(async () => {
  local = await startLocalServer();
});
afterAll(async () => {
  await local.close();
});

describe('the rehearsal Redshift, Redshift Serverless and IAM', () => {
  it('describes the cluster as DescribeClusters does: status, availability, roles and their ApplyStatus', async () => {
    const { Clusters } = await local.redshift.send(new DescribeClustersCommand({ ClusterIdentifier: 'contract-wh' }));
    expect(Clusters).toHaveLength(1);
    expect(Clusters?.[0]).toMatchObject({
      ClusterIdentifier: 'contract-wh',
      ClusterStatus: 'available',
      ClusterAvailabilityStatus: 'Available',
      DBName: 'warehouse',
      NumberOfNodes: 1,
      Endpoint: { Port: 5441 },
      IamRoles: [{ IamRoleArn: ROLE_ARN, ApplyStatus: 'in-sync' }],
      MasterPasswordSecretArn: SECRET_ARN,
    });
    await expect(local.redshift.send(new DescribeClustersCommand({ ClusterIdentifier: 'missing' }))).rejects.toBeInstanceOf(
      ClusterNotFoundFault,
    );
  });

  it("simulates the role's policies: allowed, implicitDeny outside them, the s3:prefix condition, and an unknown role", async () => {
    const decide = async (action: string, resource: string, prefix?: string) => {
      const answer = await local.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: ROLE_ARN,
          ActionNames: [action],
          ResourceArns: [resource],
          ...(prefix === undefined
            ? {}
            : { ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyType: 'string', ContextKeyValues: [prefix] }] }),
        }),
      );
      return answer.EvaluationResults?.map((r) => [
        r.EvalActionName,
        r.EvalDecision,
        r.MatchedStatements?.map((m) => m.SourcePolicyId).join(','),
      ]);
    };
    expect(await decide('s3:GetObject', `arn:aws:s3:::${BUCKET}/data*`)).toEqual([['s3:GetObject', 'allowed', 'ReadData']]);
    expect(await decide('s3:GetObject', `arn:aws:s3:::${BUCKET}/other*`)).toEqual([['s3:GetObject', 'implicitDeny', '']]);
    expect(await decide('s3:ListBucket', `arn:aws:s3:::${BUCKET}`, 'data')).toEqual([['s3:ListBucket', 'allowed', 'ReadData']]);
    expect(await decide('s3:ListBucket', `arn:aws:s3:::${BUCKET}`, 'other')).toEqual([['s3:ListBucket', 'implicitDeny', '']]);
    await expect(
      local.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `${ROLE_ARN}-gone`, ActionNames: ['s3:GetObject'] })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('lets an explicit Deny win over an Allow, as IAM does', () => {
    const role = contractAccount().roles[0]!;
    role.policies.push({ name: 'NoData', statements: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    expect(simulate(role, 's3:GetObject', `arn:aws:s3:::${BUCKET}/data*`, new Map())).toMatchObject({
      EvalDecision: 'explicitDeny',
      MatchedStatements: [{ SourcePolicyId: 'NoData' }],
    });
  });

  it('answers GetWorkgroup and GetNamespace in the shapes of the Serverless model, as the real client reads them', async () => {
    const model = ServerlessModel as unknown as Record<string, readonly unknown[]>;
    const workgroup = await local.serverless.send(new GetWorkgroupCommand({ workgroupName: 'contract-wg' }));
    expect(workgroup.workgroup).toMatchObject({ workgroupName: 'contract-wg', namespaceName: 'contract-ns', status: 'AVAILABLE' });
    const namespace = await local.serverless.send(new GetNamespaceCommand({ namespaceName: 'contract-ns' }));
    expect(namespace.namespace?.iamRoles).toEqual([`IamRole(applyStatus=in-sync, iamRoleArn=${ROLE_ARN})`]);
    await expect(local.serverless.send(new GetWorkgroupCommand({ workgroupName: 'missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    for (const [operation, body] of [
      ['GetWorkgroup', { workgroupName: 'contract-wg' }],
      ['GetNamespace', { namespaceName: 'contract-ns' }],
    ] as const) {
      const response = await fetch(local.server.url, {
        method: 'POST',
        headers: { 'x-amz-target': `RedshiftServerless.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify(body),
      });
      expect(validateShape(outputOf(model[`${operation}$`] ?? []), await response.json(), operation)).toEqual([]);
    }
  });

  it("passes the loader's own preflight when healthy, and fails it plainly when the cluster is paused or the role detached", async () => {
    await expect(preflight(local.deps, local.props)).resolves.toBeUndefined();
    const cluster = local.server.account.clusters[0]!;
    cluster.status = 'paused';
    cluster.availability = 'Unavailable';
    cluster.iamRoles = [];
    try {
      const failure = await preflight(local.deps, local.props).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PreflightError);
      expect((failure as PreflightError).problems).toEqual([
        expect.stringContaining("cluster 'contract-wh' is paused: resume it"),
        expect.stringContaining(`role ${ROLE_ARN} is not attached to cluster 'contract-wh'`),
      ]);
    } finally {
      Object.assign(cluster, { status: 'available', availability: 'Available', iamRoles: [{ arn: ROLE_ARN, applyStatus: 'in-sync' }] });
    }
  });

  it("checks a known caller's calls against its role's policies, the statement owner condition included", async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/contract-loader';
    const roleId = 'AROACONTRACTLOADER0001';
    const followOwn = (id: string) => ({
      Effect: 'Allow' as const,
      Action: 'redshift-data:DescribeStatement',
      Resource: '*',
      Condition: { StringLike: { 'redshift-data:statement-owner-iam-userid': [id, `${id}:*`] } },
    });
    local.server.account.roles.push(
      {
        arn: roleArn,
        name: 'contract-loader',
        managedPolicyArns: [],
        policies: [
          {
            name: 'Loader',
            statements: [
              {
                Effect: 'Allow',
                Action: ['redshift-data:ExecuteStatement'],
                Resource: 'arn:aws:redshift:us-west-2:123456789012:cluster:contract-wh',
              },
              { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
              followOwn(roleId),
            ],
          },
        ],
      },
      // Another role with the same kind of policy: it may follow its own statements only.
      {
        arn: 'arn:aws:iam::123456789012:role/contract-other',
        name: 'contract-other',
        managedPolicyArns: [],
        policies: [{ name: 'Other', statements: [followOwn('AROACONTRACTOTHER0001')] }],
      },
    );
    const client = (key: string) =>
      new RedshiftDataClient({
        region: REGION,
        endpoint: local.server.url,
        credentials: { accessKeyId: key, secretAccessKey: 'x' },
        maxAttempts: 1,
      });
    local.server.addIdentity('ASIALOADER', { roleArn, roleId, session: 'loader-fn' });
    local.server.addIdentity('ASIASTRANGER', {
      roleArn: 'arn:aws:iam::123456789012:role/contract-other',
      roleId: 'AROACONTRACTOTHER0001',
      session: 'other-fn',
    });
    const loader = client('ASIALOADER');
    const where = { ClusterIdentifier: 'contract-wh', Database: 'warehouse', SecretArn: SECRET_ARN };
    const { Id } = await loader.send(new ExecuteStatementCommand({ ...where, Sql: 'SELECT 1' }));
    await expect(loader.send(new DescribeStatementCommand({ Id }))).resolves.toMatchObject({ Id });
    await expect(loader.send(new ExecuteStatementCommand({ ...where, ClusterIdentifier: 'other-wh', Sql: 'SELECT 1' }))).rejects.toThrow(
      'User: arn:aws:sts::123456789012:assumed-role/contract-loader/loader-fn is not authorized to perform: redshift-data:ExecuteStatement on resource: arn:aws:redshift:us-west-2:123456789012:cluster:other-wh because no identity-based policy allows the redshift-data:ExecuteStatement action',
    );
    // Another principal may not follow the loader's statement.
    await expect(client('ASIASTRANGER').send(new DescribeStatementCommand({ Id }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const redshift = new RedshiftClient({
      region: REGION,
      endpoint: local.server.url,
      credentials: { accessKeyId: 'ASIALOADER', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(redshift.send(new DescribeClustersCommand({ ClusterIdentifier: 'contract-wh' }))).rejects.toThrow(
      'is not authorized to perform: redshift:DescribeClusters on resource: arn:aws:redshift:us-west-2:123456789012:cluster:contract-wh',
    );
  });

  // Issue 21: the stack's Serverless sign-in is allowed only while the caller's RedshiftDbRoles tag
  // names the policy's role; the rehearsal reads the caller's role tags as aws:PrincipalTag.
  it("decides a tag-conditioned GetCredentials by the caller role's tags, as IAM reads aws:PrincipalTag", async () => {
    const signIn = {
      Effect: 'Allow' as const,
      Action: 'redshift-serverless:GetCredentials',
      Resource: 'arn:aws:redshift-serverless:us-west-2:123456789012:workgroup/contract-wg',
      Condition: { StringEquals: { 'aws:PrincipalTag/RedshiftDbRoles': 'sparkify_analyst' } },
    };
    const execute = { Effect: 'Allow' as const, Action: 'redshift-data:ExecuteStatement', Resource: signIn.Resource };
    for (const [name, tag] of [
      ['contract-analyst', 'sparkify_analyst'],
      ['contract-retagged', 'sparkify_loader'],
    ] as const) {
      local.server.account.roles.push({
        arn: `arn:aws:iam::123456789012:role/${name}`,
        name,
        managedPolicyArns: [],
        policies: [{ name: 'Analyst', statements: [execute, signIn] }],
        tags: { RedshiftDbRoles: tag },
      });
      local.server.addIdentity(`ASIA${name.toUpperCase().replace(/-/g, '')}`, {
        roleArn: `arn:aws:iam::123456789012:role/${name}`,
        roleId: `AROA${name.toUpperCase().replace(/-/g, '')}`,
        session: 'cli',
      });
    }
    const client = (name: string) =>
      new RedshiftDataClient({
        region: REGION,
        endpoint: local.server.url,
        credentials: { accessKeyId: `ASIA${name.toUpperCase().replace(/-/g, '')}`, secretAccessKey: 'x' },
        maxAttempts: 1,
      });
    const where = { WorkgroupName: 'contract-wg', Database: 'warehouse', Sql: 'SELECT 1' };
    await expect(client('contract-analyst').send(new ExecuteStatementCommand(where))).resolves.toMatchObject({
      DbUser: 'IAMR:contract-analyst',
    });
    // The same policy on a principal tagged as the loader: refused before any sign-in.
    await expect(client('contract-retagged').send(new ExecuteStatementCommand(where))).rejects.toThrow(
      'is not authorized to perform: redshift-serverless:GetCredentials on resource: arn:aws:redshift-serverless:us-west-2:123456789012:workgroup/contract-wg',
    );
  });
});
