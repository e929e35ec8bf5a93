import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, synthWarehouse } from './synth';

// SPEC §6, property by property, for the default (provisioned) stack and the Serverless variant.
describe.each([
  ['provisioned', {}],
  ['serverless', { 'sparkify:compute': 'serverless' }],
])('security posture (%s)', (compute, context) => {
  const { template } = synthWarehouse(context);
  const serverless = compute === 'serverless';

  it('passes cdk-nag AwsSolutions with every remaining finding acknowledged (synth would have thrown)', () => {
    expect(template.toJSON()).toHaveProperty('Resources');
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
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^NetworkVpcwarehouseSubnet1') }, { Ref: Match.stringLikeRegexp('^NetworkVpcwarehouseSubnet2') }],
      });
    }
  });

  it('is encrypted at rest', () => {
    if (serverless) {
      // Serverless namespaces are always encrypted (an AWS owned key unless KmsKeyId is given).
      template.resourceCountIs('AWS::RedshiftServerless::Namespace', 1);
    } else {
      template.hasResourceProperties('AWS::Redshift::Cluster', { Encrypted: true });
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
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"awsuser"|5439/);
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
    const policies = role.Properties?.Policies as { PolicyDocument: { Statement: { Action: string | string[] }[] } }[];
    const actions = policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((st) => [st.Action].flat()));
    expect(actions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it("limits the Lambda's permissions to this warehouse and this secret", () => {
    const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('LoaderHandlerPolicy'))!;
    const statements = (policy.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] }).Statement;
    const warehouseArn = serverless
      ? { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseWorkgroup'), 'Workgroup.WorkgroupArn'] }
      : { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':redshift:us-west-2:', { Ref: 'AWS::AccountId' }, ':cluster:sparkify-warehouse']] };
    const secretArn = serverless
      ? { Ref: Match.stringLikeRegexp('^WarehouseAdminSecret') }
      : { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseCluster'), 'MasterPasswordSecretArn'] };
    const byAction = (action: string) => statements.filter((st) => [st.Action].flat().includes(action));
    for (const action of ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement']) {
      expect(byAction(action)).toHaveLength(1);
      expect(Match.objectLike({ Resource: warehouseArn }).test(byAction(action)[0])).toHaveProperty('failCount', 0);
    }
    expect(byAction('secretsmanager:GetSecretValue')).toHaveLength(1);
    expect(Match.objectLike({ Resource: secretArn }).test(byAction('secretsmanager:GetSecretValue')[0])).toHaveProperty('failCount', 0);
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
    expect(actions.filter((a) => /^(s3|iam|secretsmanager|redshift|redshift-serverless):/.test(a) && !/^(redshift:DescribeClusters|redshift-serverless:Get(Workgroup|Namespace)|iam:SimulatePrincipalPolicy|secretsmanager:GetSecretValue)$/.test(a))).toEqual([]);
  });
});
