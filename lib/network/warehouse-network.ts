import { RemovalPolicy } from 'aws-cdk-lib';
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
  /** 'aws', 'aws-cn' or 'aws-us-gov'. */
  readonly partition: string;
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
 * A VPC with isolated subnets only: no internet gateway, no NAT (nothing billed by the hour), and
 * the warehouse's security group, which admits nothing from outside. The Data API and the Lambda
 * reach the warehouse through the Redshift service, not through this network.
 */
export class WarehouseNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnetIds: string[];
  readonly s3Endpoint?: ec2.GatewayVpcEndpoint;

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
      // Nothing is ever placed in the default security group; restricting it would take a
      // custom-resource Lambda of its own.
      restrictDefaultSecurityGroup: false,
    });

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
      // Egress is bounded by routing: the isolated subnets' only way out is the S3 endpoint.
      allowAllOutbound: true,
    });

    this.subnetIds = this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId);

    if (props.s3ReadEndpoint) {
      const { bucketName, partition } = props.s3ReadEndpoint;
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
    }
  }
}
