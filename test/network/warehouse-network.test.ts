import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { WarehouseNetwork } from '../../lib/network/warehouse-network';
import { InvalidPropsError } from '../../lib/stack/invalid-props-error';
import { onlyResource, resourcesOf, synthWarehouse } from '../stack/synth';

describe('WarehouseNetwork', () => {
  it('gives enhanced VPC routing an S3 gateway endpoint that only reads the source bucket, on every isolated route table', () => {
    const { template, stack } = synthWarehouse();
    expect(stack.config.enhancedVpcRouting).toBe(true);
    template.hasResourceProperties('AWS::Redshift::Cluster', { EnhancedVpcRouting: true });
    const endpoint = onlyResource(template, 'AWS::EC2::VPCEndpoint');
    expect(endpoint.Properties).toMatchObject({
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadSourceBucketOnly',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: ['arn:aws:s3:::udacity-dend', 'arn:aws:s3:::udacity-dend/*'],
          },
        ],
      },
    });
    const routeTables = resourcesOf(template, 'AWS::EC2::RouteTable').map(([id]) => ({ Ref: id }));
    expect(routeTables).toHaveLength(2);
    expect(endpoint.Properties.RouteTableIds).toEqual(routeTables);
  });

  it("lets the warehouse out only to HTTPS, COPY's way to S3, and only when the S3 endpoint exists", () => {
    const egress = (context: Record<string, unknown>) =>
      onlyResource(synthWarehouse(context).template, 'AWS::EC2::SecurityGroup').Properties.SecurityGroupEgress;
    expect(egress({})).toEqual([
      {
        CidrIp: '0.0.0.0/0',
        Description: 'COPY reads S3 over HTTPS through the S3 gateway endpoint',
        FromPort: 443,
        IpProtocol: 'tcp',
        ToPort: 443,
      },
    ]);
    // No endpoint: nothing in the VPC to reach; CDK's rule that matches no traffic stands in for "none".
    expect(egress({ 'sparkify:enhancedVpcRouting': false, 'sparkify:sourceRegion': 'us-east-1' })).toEqual([
      { CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 },
    ]);
  });

  it("strips the VPC's default security group of its rules, and owns the log group of the function that does it", () => {
    const { template } = synthWarehouse();
    const [restrictId, restrict] = resourcesOf(template, 'Custom::VpcRestrictDefaultSG')[0]!;
    expect(restrict.Properties?.DefaultSecurityGroupId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^NetworkVpc/), 'DefaultSecurityGroup'],
    });
    const [groupId, group] = resourcesOf(template, 'AWS::Logs::LogGroup').find(([id]) =>
      id.startsWith('NetworkRestrictDefaultSecurityGroupLogs'),
    )!;
    const handler = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('CustomVpcRestrictDefaultSG'))!;
    expect(group.Properties?.LogGroupName).toEqual({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: handler[0] }]] });
    expect(group.Properties?.RetentionInDays).toBe(30);
    expect(group.DeletionPolicy).toBe('Delete');
    expect(onlyResource(template, 'Custom::VpcRestrictDefaultSG').DependsOn).toContain(groupId);
    expect(restrictId).toMatch(/^NetworkVpcRestrictDefaultSecurityGroup/);
    // The function calls EC2's API from outside the VPC: nothing else runs in the VPC.
    expect(handler[1].Properties).not.toHaveProperty('VpcConfig');
  });

  it('has no endpoint when enhanced VPC routing is off (COPY then takes Redshift’s own path, any region)', () => {
    const { template } = synthWarehouse({ 'sparkify:enhancedVpcRouting': false, 'sparkify:sourceRegion': 'us-east-1' });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.hasResourceProperties('AWS::Redshift::Cluster', { EnhancedVpcRouting: false });
  });

  it('logs every flow to a log group that has a retention and goes with the stack', () => {
    const { template } = synthWarehouse();
    const flowLog = onlyResource(template, 'AWS::EC2::FlowLog');
    expect(flowLog.Properties).toMatchObject({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    const [groupId, group] = resourcesOf(template, 'AWS::Logs::LogGroup').find(([id]) => id.startsWith('NetworkFlowLogs'))!;
    expect(flowLog.Properties.LogGroupName).toEqual({ Ref: groupId });
    expect(group.Properties?.RetentionInDays).toBe(30);
    expect(group.DeletionPolicy).toBe('Delete');
  });

  it('never looks anything up at synth, even with an account: zones come from Fn::GetAZs at deploy time', () => {
    const { template, app } = synthWarehouse({}, { account: '123456789012' });
    for (const [, subnet] of resourcesOf(template, 'AWS::EC2::Subnet')) {
      expect(subnet.Properties?.AvailabilityZone).toEqual({ 'Fn::Select': [expect.any(Number), { 'Fn::GetAZs': '' }] });
    }
    expect(app.synth().manifest.missing ?? []).toEqual([]);
  });

  it('refuses fewer than two zones', () => {
    expect(() => new WarehouseNetwork(new Stack(new App(), 'S'), 'Network', { availabilityZones: 1 })).toThrowError(InvalidPropsError);
    expect(() => new WarehouseNetwork(new Stack(new App(), 'S'), 'Network', { availabilityZones: 1 })).toThrowError(
      'availabilityZones = 1',
    );
  });
});
