import { RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUCKET_NAME } from '../rules/s3-names';
import { follows, refusal } from '../rules/text-rule';
import { InvalidPropsError } from '../stack/invalid-props-error';

/** The S3 gateway endpoint that enhanced VPC routing needs, limited to reading one bucket. */
export interface S3ReadEndpointOptions {
  readonly bucketName: string;
  /**
   * Also let COPY read the load files of the stack's LoadManifests bucket: its ARN (a token) and
   * the files' key prefix.
   * @default the source bucket only
   */
  readonly loadFiles?: { readonly bucketArn: string; readonly keyPrefix: string };
}

export interface WarehouseNetworkProps {
  /**
   * Availability zones to spread the subnets over (Redshift's subnet group and a relocation need
   * more than one).
   * @default 2
   */
  readonly availabilityZones?: number;
  /**
   * An S3 gateway endpoint whose policy allows only listing and reading this bucket.
   * Give it when the warehouse uses enhanced VPC routing: the VPC has no other way out.
   * @default - no endpoint
   */
  readonly s3ReadEndpoint?: S3ReadEndpointOptions;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A VPC with isolated subnets only: no internet gateway, no NAT (nothing billed by the hour), its
 * default security group stripped of rules, and the warehouse's security group, which admits
 * nothing and lets out only COPY's HTTPS to S3 when there is an S3 endpoint. Nothing else runs in
 * this VPC: the Data API and the loader's Lambdas (not attached to the VPC) reach the warehouse
 * through the Redshift service, not through this network.
 */
export class WarehouseNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnetIds: string[];
  readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  /** The log group of CDK's function that strips the default security group. */
  readonly restrictDefaultSecurityGroupLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WarehouseNetworkProps = {}) {
    super(scope, id);
    const azs = props.availabilityZones ?? 2;
    if (!Number.isInteger(azs) || azs < 2) {
      throw new InvalidPropsError(this, `availabilityZones = ${azs}: use a whole number of at least 2`);
    }
    if (props.s3ReadEndpoint && !follows(BUCKET_NAME, props.s3ReadEndpoint.bucketName)) {
      throw new InvalidPropsError(this, refusal('s3ReadEndpoint.bucketName', props.s3ReadEndpoint.bucketName, BUCKET_NAME));
    }

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: azs,
      natGateways: 0,
      createInternetGateway: false,
      subnetConfiguration: [{ name: 'warehouse', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      // Nothing is placed in the default security group, but it allows all traffic between its
      // members and all egress until its rules are removed (Security Hub EC2.2:
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2). CloudFormation
      // cannot edit it, so CDK removes the rules with a custom resource (its own small Lambda, outside the VPC).
      restrictDefaultSecurityGroup: true,
    });

    this.restrictDefaultSecurityGroupLogs = this.ownRestrictFunctionLogs(props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH);

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'WarehouseSecurityGroup', {
      vpc: this.vpc,
      description: 'Sparkify warehouse: no inbound rule (clients use the Redshift Data API)',
      // Only the rules below; with none, CDK writes a rule that matches no traffic.
      allowAllOutbound: false,
    });

    this.subnetIds = this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId);

    if (props.s3ReadEndpoint) {
      const { bucketName } = props.s3ReadEndpoint;
      const partition = Stack.of(this).partition;
      this.s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      // Whatever runs in the VPC can only read the source bucket through it: no other bucket, no write.
      this.s3Endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadSourceBucketOnly',
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:ListBucket', 's3:GetObject'],
          resources: [`arn:${partition}:s3:::${bucketName}`, `arn:${partition}:s3:::${bucketName}/*`],
        }),
      );
      const files = props.s3ReadEndpoint.loadFiles;
      if (files) {
        // The manifest and listing a load writes before its COPY (lib/schedule), read-only here too.
        this.s3Endpoint.addToPolicy(
          new iam.PolicyStatement({
            sid: 'ReadLoadFilesOnly',
            principals: [new iam.AnyPrincipal()],
            actions: ['s3:ListBucket', 's3:GetObject'],
            resources: [files.bucketArn, `${files.bucketArn}/${files.keyPrefix}*`],
          }),
        );
      }
      // Enhanced VPC routing sends COPY's S3 traffic through this group; Redshift talks to S3 over
      // SSL (https://docs.aws.amazon.com/redshift/latest/mgmt/security-encryption-in-transit.html).
      // The destination is any address because CloudFormation has no attribute for the S3 prefix
      // list's id (it would take a synth-time lookup or a custom resource); the isolated subnets'
      // only route out is the endpoint's prefix-list route, so HTTPS can reach S3 here and nothing else.
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'COPY reads S3 over HTTPS through the S3 gateway endpoint');
    }
  }

  /**
   * Lambda writes to /aws/lambda/<function name>, creating it on first use (never expiring, left
   * after the stack): created here first, it has a retention and goes with the stack.
   * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
   */
  private ownRestrictFunctionLogs(retention: logs.RetentionDays): logs.LogGroup {
    const stack = Stack.of(this);
    const provider = stack.node.findChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    const handler = provider.node.findChild('Handler') as CfnResource;
    const group = new logs.LogGroup(this, 'RestrictDefaultSecurityGroupLogs', {
      logGroupName: `/aws/lambda/${handler.ref}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.node.findChild('RestrictDefaultSecurityGroupCustomResource').node.addDependency(group);
    return group;
  }
}
