import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWarehouseApp } from '../../lib/app/warehouse-app';
import { FEATURE_FLAGS, acknowledgedNagRules, onlyResource, resourcesOf, synthWarehouse } from './synth';

let outRoot: string;
beforeAll(async () => {
  outRoot = await mkdtemp(path.join(tmpdir(), 'sparkify-nag-'));
});
afterAll(async () => {
  await rm(outRoot, { recursive: true, force: true });
});

/** The app as `cdk synth` builds it, not synthesized yet (the Lambda bundling skipped). */
async function freshApp(context: Record<string, unknown>) {
  const outdir = await mkdtemp(path.join(outRoot, 'out-'));
  return createWarehouseApp({
    context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...context },
    outdir,
    builtinCloudFormationValidation: false,
  });
}

/** The findings acknowledged in code (SPEC §6: each with its reason). A new one must be added here, after review. */
const ACKNOWLEDGED = [
  'SparkifyWarehouse/SourceReadRole/Role: AwsSolutions-IAM5[Resource::arn:aws:s3:::udacity-dend/log_data*]',
  'SparkifyWarehouse/SourceReadRole/Role: AwsSolutions-IAM5[Resource::arn:aws:s3:::udacity-dend/song_data*]',
  'SparkifyWarehouse/Loader/HandlerPolicy: AwsSolutions-IAM5[Resource::*]',
  'SparkifyWarehouse/Loader: AwsSolutions-IAM5[Resource::<LoaderOnEventE253691A.Arn>:*]',
  'SparkifyWarehouse/Loader: AwsSolutions-IAM5[Resource::<LoaderIsCompleteED674240.Arn>:*]',
  'SparkifyWarehouse/Loader: AwsSolutions-IAM5[Resource::<LoaderProviderframeworkisComplete7CE2C6AF.Arn>:*]',
  'SparkifyWarehouse/Loader: AwsSolutions-IAM5[Resource::<LoaderProviderframeworkonTimeoutBBE2F668.Arn>:*]',
  'SparkifyWarehouse/Loader: AwsSolutions-SF2',
  'SparkifyWarehouse/Loader/Provider/waiter-state-machine: AwsSolutions-IAM5[Resource::*]',
  'SparkifyWarehouse/Bootstrap/Policy: AwsSolutions-IAM5[Resource::*]',
  'SparkifyWarehouse/Bootstrap: AwsSolutions-IAM5[Resource::<BootstrapFunctionD62F3ADB.Arn>:*]',
  'SparkifyWarehouse/AnalystAccess/Policy: AwsSolutions-IAM5[Resource::*]',
];

// SPEC §6, property by property, for the default (provisioned) stack and the Serverless variant.
describe.each([
  ['provisioned', {}],
  ['serverless', { 'sparkify:compute': 'serverless' }],
])('security posture (%s)', (compute, context) => {
  const { template } = synthWarehouse(context);
  const serverless = compute === 'serverless';

  it('passes cdk-nag AwsSolutions: synth runs its checks, and they report no unacknowledged finding', async () => {
    const { app } = await freshApp(context);
    const validate = vi.spyOn(AwsSolutionsChecks.prototype, 'validate');
    try {
      app.synth();
      // The plugin the app registered ran, once, on this synth, and found nothing left.
      expect(validate).toHaveBeenCalledTimes(1);
      const result = validate.mock.results[0];
      expect(result?.type).toBe('return');
      const report = result?.value as PolicyValidationPluginReport;
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    } finally {
      validate.mockRestore();
    }
    // The same checks run directly on that tree agree.
    expect(new AwsSolutionsChecks().validateScope(app)).toEqual({ success: true, violations: [] });
  });

  it('acknowledges exactly the reviewed findings, each with its reason', async () => {
    const { app } = await freshApp(context);
    const acknowledged = acknowledgedNagRules(app);
    const expected = serverless ? [...ACKNOWLEDGED, 'SparkifyWarehouse/Warehouse/AdminSecret: AwsSolutions-SMG4'] : ACKNOWLEDGED;
    expect([...acknowledged.keys()].sort()).toEqual([...expected].sort());
    for (const [rule, reason] of acknowledged) expect(reason.length, rule).toBeGreaterThan(40);
  });

  it('an unacknowledged finding fails synth, naming the rule and the resource (the negative control)', async () => {
    const { app, stack } = await freshApp(context);
    new s3.Bucket(stack, 'Unacknowledged'); // no access logs, no SSL-only policy: AwsSolutions-S1 and -S10
    expect(
      new AwsSolutionsChecks().validateScope(app).violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]),
    ).toEqual([
      ['AwsSolutions-S1', ['SparkifyWarehouse/Unacknowledged/Resource']],
      ['AwsSolutions-S10', ['SparkifyWarehouse/Unacknowledged/Resource']],
    ]);
    expect(() => app.synth()).toThrow(/SparkifyWarehouse\/Unacknowledged\/Resource[\s\S]*AwsSolutions-S1'[\s\S]*AwsSolutions-S10'/);
  });

  it('has no way in from or out to the internet: isolated subnets only, no internet gateway, no NAT', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
    const subnets = resourcesOf(template, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(serverless ? 3 : 2);
    for (const [, subnet] of subnets) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
    // One subnet per zone, each zone a different index into the region's zones.
    const zones = subnets.map(([, subnet]) => JSON.stringify(subnet.Properties?.AvailabilityZone));
    expect(new Set(zones).size).toBe(subnets.length);
  });

  it('admits nothing from outside: the warehouse security group has no inbound rule', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const groups = resourcesOf(template, 'AWS::EC2::SecurityGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0]![1].Properties?.SecurityGroupIngress).toBeUndefined();
  });

  it('is not publicly accessible and lives in the isolated subnets behind that group', () => {
    const groupRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkWarehouseSecurityGroup'), 'GroupId'] };
    if (serverless) {
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
        PubliclyAccessible: false,
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcwarehouseSubnet1') }]),
        SecurityGroupIds: [groupRef],
      });
      expect((onlyResource(template, 'AWS::RedshiftServerless::Workgroup').Properties.SubnetIds as unknown[]).length).toBe(3);
    } else {
      template.hasResourceProperties('AWS::Redshift::Cluster', {
        PubliclyAccessible: false,
        VpcSecurityGroupIds: [groupRef],
        ClusterSubnetGroupName: { Ref: Match.stringLikeRegexp('^WarehouseSubnetGroup') },
      });
      template.hasResourceProperties('AWS::Redshift::ClusterSubnetGroup', {
        SubnetIds: [
          { Ref: Match.stringLikeRegexp('^NetworkVpcwarehouseSubnet1') },
          { Ref: Match.stringLikeRegexp('^NetworkVpcwarehouseSubnet2') },
        ],
      });
    }
  });

  it('is encrypted at rest', () => {
    // No key of the stack's own: the cluster and the namespace use keys AWS manages (below).
    template.resourceCountIs('AWS::KMS::Key', 0);
    if (serverless) {
      // Redshift Serverless has no switch to turn encryption off: a namespace is encrypted with the
      // key in KmsKeyId or, without one, an AWS owned key. None is given: the AWS owned key.
      const namespace = onlyResource(template, 'AWS::RedshiftServerless::Namespace');
      expect(namespace.Properties).not.toHaveProperty('KmsKeyId');
      expect(namespace.Properties).not.toHaveProperty('AdminPasswordSecretKmsKeyId');
      // The admin password's secret: Secrets Manager always encrypts, here with its AWS managed key.
      expect(onlyResource(template, 'AWS::SecretsManager::Secret').Properties).not.toHaveProperty('KmsKeyId');
    } else {
      // A provisioned cluster is encrypted only when asked: Encrypted true, with the AWS managed key (aws/redshift).
      const cluster = onlyResource(template, 'AWS::Redshift::Cluster');
      expect(cluster.Properties.Encrypted).toBe(true);
      expect(cluster.Properties).not.toHaveProperty('KmsKeyId');
    }
  });

  it('requires SSL and logs user activity', () => {
    const parameters = [
      { key: 'require_ssl', value: 'true' },
      { key: 'enable_user_activity_logging', value: 'true' },
    ];
    if (serverless) {
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
        ConfigParameters: Match.arrayWith(parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value }))),
      });
    } else {
      template.hasResourceProperties('AWS::Redshift::ClusterParameterGroup', {
        ParameterGroupFamily: 'redshift-1.0',
        Parameters: Match.arrayWith(parameters.map((p) => ({ ParameterName: p.key, ParameterValue: p.value }))),
      });
      template.hasResourceProperties('AWS::Redshift::Cluster', {
        ClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^WarehouseParameterGroup') },
      });
    }
  });

  it('exports the audit logs (connections, users, user activity) to CloudWatch', () => {
    const exportsList = ['connectionlog', 'userlog', 'useractivitylog'];
    if (serverless) {
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { LogExports: exportsList });
    } else {
      template.hasResourceProperties('AWS::Redshift::Cluster', {
        LoggingProperties: { LogDestinationType: 'cloudwatch', LogExports: exportsList },
      });
    }
  });

  it('uses neither the default admin name nor the default port', () => {
    if (serverless) {
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { AdminUsername: 'sparkify_admin' });
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { Port: 5441 });
    } else {
      template.hasResourceProperties('AWS::Redshift::Cluster', { MasterUsername: 'sparkify_admin', Port: 5441 });
    }
    // Nowhere as a value of its own (a hash or an asset name may hold the digits 5439 by chance).
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"awsuser"|[":]5439[",}]/);
  });

  it('keeps the admin password in Secrets Manager, generated there: no password anywhere in the template', () => {
    const text = JSON.stringify(template.toJSON());
    if (serverless) {
      // A secret of the stack, generated by Secrets Manager; the namespace gets a dynamic reference only.
      const secret = onlyResource(template, 'AWS::SecretsManager::Secret');
      expect(secret.Properties.GenerateSecretString).toMatchObject({
        SecretStringTemplate: '{"username":"sparkify_admin"}',
        GenerateStringKey: 'password',
        PasswordLength: 32,
      });
      expect(secret.Properties).not.toHaveProperty('SecretString');
      const namespace = onlyResource(template, 'AWS::RedshiftServerless::Namespace');
      expect(namespace.Properties.AdminUserPassword).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret.id }, ':SecretString:password::}}']],
      });
      expect(text.match(/resolve:secretsmanager/g)).toHaveLength(1);
    } else {
      // Redshift generates, keeps and rotates it (ManageMasterPassword); the template never sees it.
      const cluster = onlyResource(template, 'AWS::Redshift::Cluster');
      expect(cluster.Properties.ManageMasterPassword).toBe(true);
      expect(cluster.Properties).not.toHaveProperty('MasterUserPassword');
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      expect(text).not.toMatch(/UserPassword|resolve:secretsmanager/);
    }
  });

  it.runIf(!serverless)('keeps automated snapshots, takes version upgrades, and has a maintenance window', () => {
    template.hasResourceProperties('AWS::Redshift::Cluster', {
      AutomatedSnapshotRetentionPeriod: 1,
      AllowVersionUpgrade: true,
      PreferredMaintenanceWindow: Match.stringLikeRegexp('^[a-z]{3}:\\d\\d:\\d\\d-[a-z]{3}:\\d\\d:\\d\\d$'),
    });
  });

  it('attaches the S3 read role, which only Redshift may assume and which may only read the source prefixes', () => {
    const [roleId, role] = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('SourceReadRole'))!;
    const attached = serverless
      ? onlyResource(template, 'AWS::RedshiftServerless::Namespace').Properties.IamRoles
      : onlyResource(template, 'AWS::Redshift::Cluster').Properties.IamRoles;
    expect(attached).toEqual([{ 'Fn::GetAtt': [roleId, 'Arn'] }]);
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' } }],
    });
    // Exactly: list the bucket only under the two source prefixes, read only the objects under them
    // and the jsonpaths object. No other statement, action, resource or policy.
    expect(role.Properties?.Policies).toEqual([
      {
        PolicyName: 'ReadSource',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ListSourcePrefixes',
              Effect: 'Allow',
              Action: 's3:ListBucket',
              Resource: 'arn:aws:s3:::udacity-dend',
              Condition: { StringLike: { 's3:prefix': ['log_data*', 'song_data*'] } },
            },
            {
              Sid: 'ReadSourceObjects',
              Effect: 'Allow',
              Action: 's3:GetObject',
              // Sorted by @aws-cdk/aws-iam:minimizePolicies.
              Resource: [
                'arn:aws:s3:::udacity-dend/log_data*',
                'arn:aws:s3:::udacity-dend/log_json_path.json',
                'arn:aws:s3:::udacity-dend/song_data*',
              ],
            },
          ],
        },
      },
    ]);
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties?.PermissionsBoundary).toBeUndefined();
    // Nothing else grants this role anything.
    const otherGrants = resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties?.Roles ?? []).includes(`"${roleId}"`),
    );
    expect(otherGrants).toEqual([]);
  });

  it("limits the Lambda's permissions to this warehouse, signed in as the loader: no secret", () => {
    const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('LoaderHandlerPolicy'))!;
    const statements = (
      policy.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] }
    ).Statement;
    const warehouseArn = serverless
      ? { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseWorkgroup'), 'Workgroup.WorkgroupArn'] }
      : { 'Fn::Join': ['', ['arn:aws:redshift:us-west-2:', { Ref: 'AWS::AccountId' }, ':cluster:sparkify-warehouse']] };
    const byAction = (action: string) => statements.filter((st) => [st.Action].flat().includes(action));
    for (const action of ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement']) {
      expect(byAction(action)).toHaveLength(1);
      expect(Match.objectLike({ Resource: warehouseArn }).test(byAction(action)[0])).toHaveProperty('failCount', 0);
    }
    // Issue 13: temporary credentials as the loader, never the admin secret.
    expect(byAction('secretsmanager:GetSecretValue')).toHaveLength(0);
    expect(byAction(serverless ? 'redshift-serverless:GetCredentials' : 'redshift:GetClusterCredentials')).toHaveLength(1);
    // '*' only where the Data API supports no resource, and then only for the loader's own statements.
    const unscoped = statements.filter((st) => JSON.stringify(st.Resource).includes('"*"'));
    expect(unscoped).toHaveLength(1);
    expect([unscoped[0]!.Action].flat().sort()).toEqual([
      'redshift-data:CancelStatement',
      'redshift-data:DescribeStatement',
      'redshift-data:GetStatementResult',
      'redshift-data:ListStatements',
    ]);
    expect(unscoped[0]!.Condition).toHaveProperty(['StringLike', 'redshift-data:statement-owner-iam-userid']);
    // Nothing else may write or administer anything.
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(
      actions.filter(
        (a) =>
          /^(s3|iam|secretsmanager|redshift|redshift-serverless):/.test(a) &&
          !/^(redshift:DescribeClusters|redshift:GetClusterCredentials|redshift-serverless:Get(Workgroup|Namespace|Credentials)|iam:SimulatePrincipalPolicy)$/.test(
            a,
          ),
      ),
    ).toEqual([]);
  });
});
