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
            Action: ['s3:ListBucket', 's3:GetObject'],
            Resource: ['arn:aws:s3:::udacity-dend', 'arn:aws:s3:::udacity-dend/*'],
          },
        ],
      },
    });
    const routeTables = resourcesOf(template, 'AWS::EC2::RouteTable').map(([id]) => ({ Ref: id }));
    expect(routeTables).toHaveLength(2);
    expect(endpoint.Properties.RouteTableIds).toEqual(routeTables);
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
