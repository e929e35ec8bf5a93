import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { InvalidPropsError } from '../../lib/stack/invalid-props-error';
import { ProvisionedWarehouse, type ProvisionedWarehouseProps } from '../../lib/warehouse/provisioned-warehouse';
import { onlyResource, resourcesOf, synthWarehouse } from '../stack/synth';

describe('ProvisionedWarehouse', () => {
  it('is by default one ra3.large node named after the stack, with the configured database', () => {
    const cluster = onlyResource(synthWarehouse().template, 'AWS::Redshift::Cluster');
    expect(cluster.Properties).toMatchObject({
      ClusterIdentifier: 'sparkify-warehouse',
      ClusterType: 'single-node',
      NodeType: 'ra3.large',
      DBName: 'sparkify',
    });
    expect(cluster.Properties).not.toHaveProperty('NumberOfNodes');
  });

  it('becomes multi-node with the configured node type and count', () => {
    const cluster = onlyResource(
      synthWarehouse({ 'sparkify:nodeType': 'ra3.xlplus', 'sparkify:numberOfNodes': 4 }).template,
      'AWS::Redshift::Cluster',
    );
    expect(cluster.Properties).toMatchObject({ ClusterType: 'multi-node', NodeType: 'ra3.xlplus', NumberOfNodes: 4 });
  });

  it("creates Redshift's audit log groups itself, with a retention, before the cluster, so they go with the stack", () => {
    const { template } = synthWarehouse();
    const cluster = onlyResource(template, 'AWS::Redshift::Cluster');
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('WarehouseAuditLog'));
    expect(groups.map(([, g]) => g.Properties?.LogGroupName).sort()).toEqual([
      '/aws/redshift/cluster/sparkify-warehouse/connectionlog',
      '/aws/redshift/cluster/sparkify-warehouse/useractivitylog',
      '/aws/redshift/cluster/sparkify-warehouse/userlog',
    ]);
    for (const [id, group] of groups) {
      expect(group.Properties?.RetentionInDays).toBe(90);
      expect(group.DeletionPolicy).toBe('Delete');
      expect(cluster.DependsOn).toContain(id);
    }
  });

  it("removalPolicy 'destroy' (default): cdk destroy deletes everything and keeps no final snapshot", () => {
    const { template } = synthWarehouse();
    expect(onlyResource(template, 'AWS::Redshift::Cluster').DeletionPolicy).toBe('Delete');
    const kept = Object.entries(
      template.toJSON().Resources as Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>,
    ).filter(([, r]) => (r.DeletionPolicy ?? 'Delete') !== 'Delete');
    expect(kept).toEqual([]);
  });

  it("removalPolicy 'snapshot': CloudFormation takes a final snapshot on delete, and keeps the audit logs", () => {
    const { template } = synthWarehouse({ 'sparkify:removalPolicy': 'snapshot', 'sparkify:auditLogRetentionDays': '365' });
    expect(onlyResource(template, 'AWS::Redshift::Cluster').DeletionPolicy).toBe('Snapshot');
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('WarehouseAuditLog'));
    expect(groups).toHaveLength(3);
    for (const [, group] of groups) {
      // A log group has no snapshot: it is kept whole, and its retention still applies.
      expect(group.DeletionPolicy).toBe('Retain');
      expect(group.Properties?.RetentionInDays).toBe(365);
    }
  });

  describe('props validation', () => {
    const build = (override: Partial<ProvisionedWarehouseProps>) => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
      return new ProvisionedWarehouse(stack, 'Warehouse', {
        clusterIdentifier: 'sparkify',
        nodeType: 'ra3.large',
        numberOfNodes: 1,
        databaseName: 'sparkify',
        adminUsername: 'sparkify_admin',
        port: 5441,
        removalPolicy: 'destroy',
        enhancedVpcRouting: false,
        subnetIds: ['subnet-1'],
        securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
        sourceReadRole: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('redshift.amazonaws.com') }),
        ...override,
      });
    };
    it.each([
      [{ clusterIdentifier: 'Sparkify--DW' }, 'clusterIdentifier = "Sparkify--DW"'],
      [{ nodeType: 'dc2.large' }, 'nodeType = "dc2.large": use an RA3 node type'],
      [{ numberOfNodes: 0 }, 'numberOfNodes = 0'],
      [{ port: 5439 }, 'port = 5439'],
      [{ port: 5491 }, 'port = 5491'],
      [{ adminUsername: 'awsuser' }, 'adminUsername = "awsuser"'],
      [{ subnetIds: [] }, 'subnetIds is empty'],
      [{ automatedSnapshotRetentionDays: 0 }, 'automatedSnapshotRetentionDays = 0'],
    ])('refuses %j', (override, message) => {
      expect(() => build(override)).toThrowError(InvalidPropsError);
      expect(() => build(override)).toThrowError(message);
    });
    it('accepts valid props', () => {
      expect(build({}).dataApiTarget.property).toBe('ClusterIdentifier');
    });
  });
});
