import { App, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { InvalidPropsError } from '../../lib/stack/invalid-props-error';
import { ServerlessWarehouse, type ServerlessWarehouseProps } from '../../lib/warehouse/serverless-warehouse';
import { onlyResource, resourcesOf, synthWarehouse } from '../stack/synth';

const SERVERLESS = { 'sparkify:compute': 'serverless' };

describe('ServerlessWarehouse', () => {
  it('makes a namespace and a workgroup named after the stack, with the configured base capacity and database', () => {
    const { template } = synthWarehouse({ ...SERVERLESS, 'sparkify:serverlessBaseCapacity': 32 });
    const namespace = onlyResource(template, 'AWS::RedshiftServerless::Namespace');
    const workgroup = onlyResource(template, 'AWS::RedshiftServerless::Workgroup');
    expect(namespace.Properties).toMatchObject({ NamespaceName: 'sparkify-warehouse', DbName: 'sparkify' });
    expect(workgroup.Properties).toMatchObject({
      WorkgroupName: 'sparkify-warehouse',
      NamespaceName: 'sparkify-warehouse',
      BaseCapacity: 32,
      EnhancedVpcRouting: true,
    });
    expect(workgroup.DependsOn).toContain(namespace.id);
    template.resourceCountIs('AWS::Redshift::Cluster', 0);
  });

  it('creates the audit log groups Redshift Serverless writes to (/aws/redshift/<namespace>/<log type>) before the namespace', () => {
    const { template } = synthWarehouse({ ...SERVERLESS, 'sparkify:auditLogRetentionDays': 30 });
    const namespace = onlyResource(template, 'AWS::RedshiftServerless::Namespace');
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('WarehouseAuditLog'));
    expect(groups.map(([, g]) => g.Properties?.LogGroupName).sort()).toEqual([
      '/aws/redshift/sparkify-warehouse/connectionlog',
      '/aws/redshift/sparkify-warehouse/useractivitylog',
      '/aws/redshift/sparkify-warehouse/userlog',
    ]);
    for (const [id, group] of groups) {
      expect(group.Properties?.RetentionInDays).toBe(30);
      expect(group.DeletionPolicy).toBe('Delete');
      expect(namespace.DependsOn).toContain(id);
    }
  });

  it("removalPolicy 'snapshot': the audit log groups outlive the namespace", () => {
    const { template } = synthWarehouse({ ...SERVERLESS, 'sparkify:removalPolicy': 'snapshot' });
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('WarehouseAuditLog'));
    expect(groups.map(([, g]) => [g.DeletionPolicy, g.Properties?.RetentionInDays])).toEqual([
      ['Retain', 90],
      ['Retain', 90],
      ['Retain', 90],
    ]);
  });

  it('says in the AdminSecretArn output that nothing rotates that secret', () => {
    const outputs = synthWarehouse(SERVERLESS).template.toJSON().Outputs as Record<string, { Description: string }>;
    expect(outputs.AdminSecretArn!.Description).toContain('not rotated');
    expect(outputs.AdminSecretArn!.Description).not.toContain('rotated by Redshift');
  });

  it("removalPolicy 'destroy': the namespace and its admin secret go with the stack, no final snapshot", () => {
    const { template } = synthWarehouse(SERVERLESS);
    const namespace = onlyResource(template, 'AWS::RedshiftServerless::Namespace');
    expect(namespace.Properties).not.toHaveProperty('FinalSnapshotName');
    expect(namespace.DeletionPolicy).toBe('Delete');
    expect(onlyResource(template, 'AWS::SecretsManager::Secret').DeletionPolicy).toBe('Delete');
  });

  it("removalPolicy 'snapshot': the namespace leaves a final snapshot", () => {
    const namespace = onlyResource(
      synthWarehouse({ ...SERVERLESS, 'sparkify:removalPolicy': 'snapshot' }).template,
      'AWS::RedshiftServerless::Namespace',
    );
    expect(namespace.Properties.FinalSnapshotName).toEqual({
      'Fn::Join': ['-', ['sparkify-warehouse-final', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]],
    });
  });

  it('outputs the configured port as the endpoint port', () => {
    const outputs = synthWarehouse(SERVERLESS).template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.EndpointPort!.Value).toBe('5441');
    expect(outputs.WorkgroupName!.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupName'],
    });
  });

  // Issue 21: "only the bootstrap reads the admin secret" held only inside the stack; the secret's
  // own policy now says it to every principal of the account.
  describe("the admin secret's resource policy", () => {
    const CHANGES = [
      'secretsmanager:CancelRotateSecret',
      'secretsmanager:DeleteResourcePolicy',
      'secretsmanager:DeleteSecret',
      'secretsmanager:PutResourcePolicy',
      'secretsmanager:PutSecretValue',
      'secretsmanager:RemoveRegionsFromReplication',
      'secretsmanager:ReplicateSecretToRegions',
      'secretsmanager:RestoreSecret',
      'secretsmanager:RotateSecret',
      'secretsmanager:StopReplicationToReplica',
      'secretsmanager:UpdateSecret',
      'secretsmanager:UpdateSecretVersionStage',
    ];

    it('denies reading the value to all but the bootstrap, the root user and the CloudFormation execution role, and changing it to all but the last two', () => {
      const { template } = synthWarehouse(SERVERLESS, { account: '123456789012' });
      const secret = onlyResource(template, 'AWS::SecretsManager::Secret');
      const policy = onlyResource(template, 'AWS::SecretsManager::ResourcePolicy');
      const bootstrapRole = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('BootstrapRole'))![0];
      const administrators = [
        'arn:aws:iam::123456789012:root',
        // The CDK bootstrap's role CloudFormation deploys with: it resolves the namespace's reference to the password.
        { 'Fn::Sub': 'arn:${AWS::Partition}:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-west-2' },
      ];
      expect(policy.Properties.SecretId).toEqual({ Ref: secret.id });
      expect(policy.Properties.ResourcePolicy).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OnlyTheBootstrapAndAdministratorsRead',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [bootstrapRole, 'Arn'] }, ...administrators] } },
          },
          {
            Sid: 'OnlyAdministratorsChange',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: CHANGES,
            Resource: '*',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': administrators } },
          },
        ],
      });
      // Denies only: what is allowed stays with IAM (the bootstrap's own policy reads the value).
      expect(JSON.stringify(policy.Properties.ResourcePolicy)).not.toContain('"Allow"');
    });

    it("without a CloudFormation execution role (the deployer's own credentials), leaves calls made through CloudFormation allowed", () => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'S', { synthesizer: new CliCredentialsStackSynthesizer() });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
      const warehouse = new ServerlessWarehouse(stack, 'Warehouse', {
        name: 'sparkify',
        baseCapacity: 8,
        databaseName: 'sparkify',
        adminUsername: 'sparkify_admin',
        port: 5441,
        removalPolicy: 'destroy',
        enhancedVpcRouting: false,
        subnetIds: ['subnet-1', 'subnet-2', 'subnet-3'],
        securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
        sourceReadRole: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('redshift.amazonaws.com') }),
      });
      warehouse.restrictAdminSecret(new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
      const policy = onlyResource(Template.fromStack(stack), 'AWS::SecretsManager::ResourcePolicy');
      const statements = (policy.Properties.ResourcePolicy as { Statement: { Condition: Record<string, unknown> }[] }).Statement;
      expect(statements).toHaveLength(2);
      for (const statement of statements) {
        expect(statement.Condition['ForAllValues:StringNotEquals']).toEqual({ 'aws:CalledVia': ['cloudformation.amazonaws.com'] });
        expect(JSON.stringify(statement.Condition.ArnNotEquals)).not.toContain('cfn-exec-role');
      }
    });

    it('is the only resource policy of the stack, and the provisioned cluster gets none (Redshift manages and rotates its secret)', () => {
      expect(resourcesOf(synthWarehouse(SERVERLESS).template, 'AWS::SecretsManager::ResourcePolicy')).toHaveLength(1);
      expect(resourcesOf(synthWarehouse({}).template, 'AWS::SecretsManager::ResourcePolicy')).toHaveLength(0);
    });
  });

  describe('props validation', () => {
    const build = (override: Partial<ServerlessWarehouseProps>) => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
      return new ServerlessWarehouse(stack, 'Warehouse', {
        name: 'sparkify',
        baseCapacity: 8,
        databaseName: 'sparkify',
        adminUsername: 'sparkify_admin',
        port: 5441,
        removalPolicy: 'destroy',
        enhancedVpcRouting: false,
        subnetIds: ['subnet-1', 'subnet-2', 'subnet-3'],
        securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
        sourceReadRole: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('redshift.amazonaws.com') }),
        ...override,
      });
    };
    it.each([
      [{ name: 'x' }, 'name = "x"'],
      [{ baseCapacity: 12 }, 'baseCapacity = 12'],
      [{ port: 5439 }, 'port = 5439'],
      [{ adminUsername: 'admin' }, 'adminUsername = "admin"'],
      [{ subnetIds: ['subnet-1', 'subnet-2'] }, 'subnetIds has 2'],
    ])('refuses %j', (override, message) => {
      expect(() => build(override)).toThrowError(InvalidPropsError);
      expect(() => build(override)).toThrowError(message);
    });
    it('accepts valid props', () => {
      expect(build({}).dataApiTarget.property).toBe('WorkgroupName');
    });
  });
});
