import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import { Construct, type IDependable } from 'constructs';
import { ADMIN_USERNAME, wellKnownAdminUsername } from '../rules/admin-user';
import { portProblem } from '../rules/port';
import { WAREHOUSE_NAME } from '../rules/redshift-names';
import { follows, refusal } from '../rules/text-rule';
import { InvalidPropsError } from '../stack/invalid-props-error';
import { createAuditLogGroups } from './audit-log-groups';
import { AUDIT_LOG_EXPORTS, type DataApiTarget, type IWarehouse, type WarehouseBaseProps } from './warehouse';

export interface ProvisionedWarehouseProps extends WarehouseBaseProps {
  /** Fixed, so the audit log groups can be created (and destroyed) with the stack under Redshift's names. */
  readonly clusterIdentifier: string;
  readonly nodeType: string;
  readonly numberOfNodes: number;
  /** @default 1 */
  readonly automatedSnapshotRetentionDays?: number;
  /** UTC. @default 'sun:10:00-sun:10:30' */
  readonly preferredMaintenanceWindow?: string;
}

/**
 * A Redshift cluster that is private (isolated subnets, not publicly accessible), encrypted at
 * rest, requires SSL, logs connections, users and user activity to CloudWatch, keeps automated
 * snapshots, takes version upgrades, and whose admin password Redshift generates and keeps in
 * Secrets Manager (ManageMasterPassword): it never exists in a file or in the template.
 */
export class ProvisionedWarehouse extends Construct implements IWarehouse {
  readonly cluster: redshift.CfnCluster;
  readonly parameterGroup: redshift.CfnClusterParameterGroup;
  readonly auditLogGroups: readonly logs.LogGroup[];
  readonly endpointAddress: string;
  readonly endpointPort: string;
  readonly databaseName: string;
  readonly adminSecretArn: string;
  readonly adminSecretRotatedByRedshift = true;
  readonly dataApiTarget: DataApiTarget;
  readonly roleAttachment: IDependable;

  constructor(scope: Construct, id: string, props: ProvisionedWarehouseProps) {
    super(scope, id);
    validate(this, props);
    const snapshotDays = props.automatedSnapshotRetentionDays ?? 1;

    const subnetGroup = new redshift.CfnClusterSubnetGroup(this, 'SubnetGroup', {
      description: 'Isolated subnets of the Sparkify warehouse',
      subnetIds: [...props.subnetIds],
    });

    this.parameterGroup = new redshift.CfnClusterParameterGroup(this, 'ParameterGroup', {
      description: 'Sparkify warehouse: SSL required, user activity logged',
      parameterGroupFamily: 'redshift-1.0',
      parameters: [
        { parameterName: 'require_ssl', parameterValue: 'true' },
        { parameterName: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });

    // Redshift writes to /aws/redshift/cluster/<cluster id>/<log type>; created here first, they get
    // a retention and are kept with the final snapshot.
    this.auditLogGroups = createAuditLogGroups(this, {
      namePrefix: `/aws/redshift/cluster/${props.clusterIdentifier}`,
      retention: props.auditLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      keep: props.removalPolicy !== 'destroy',
    });

    const single = props.numberOfNodes === 1;
    this.cluster = new redshift.CfnCluster(this, 'Cluster', {
      clusterIdentifier: props.clusterIdentifier,
      clusterType: single ? 'single-node' : 'multi-node',
      numberOfNodes: single ? undefined : props.numberOfNodes,
      nodeType: props.nodeType,
      dbName: props.databaseName,
      masterUsername: props.adminUsername,
      manageMasterPassword: true,
      port: props.port,
      encrypted: true,
      publiclyAccessible: false,
      enhancedVpcRouting: props.enhancedVpcRouting,
      clusterSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroupIds: [props.securityGroup.securityGroupId],
      clusterParameterGroupName: this.parameterGroup.ref,
      iamRoles: [props.sourceReadRole.roleArn],
      automatedSnapshotRetentionPeriod: snapshotDays,
      allowVersionUpgrade: true,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:10:00-sun:10:30',
      loggingProperties: { logDestinationType: 'cloudwatch', logExports: [...AUDIT_LOG_EXPORTS] },
    });
    // CloudFormation skips the final snapshot on Delete and takes one on Snapshot.
    this.cluster.applyRemovalPolicy(props.removalPolicy === 'snapshot' ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY);
    this.cluster.node.addDependency(...this.auditLogGroups);

    const clusterArn = Stack.of(this).formatArn({
      service: 'redshift',
      resource: 'cluster',
      resourceName: props.clusterIdentifier,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.endpointAddress = this.cluster.attrEndpointAddress;
    this.endpointPort = this.cluster.attrEndpointPort;
    this.databaseName = props.databaseName;
    this.adminSecretArn = this.cluster.attrMasterPasswordSecretArn;
    this.dataApiTarget = {
      property: 'ClusterIdentifier',
      name: this.cluster.ref,
      arn: clusterArn,
      preflight: [{ actions: ['redshift:DescribeClusters'], resources: [clusterArn] }],
    };
    this.roleAttachment = this.cluster;
  }

  /**
   * Nothing to add: Redshift creates this secret, rotates it every 30 days and deletes it
   * (ManageMasterPassword), and a Deny of the stack's in its policy could stop that rotation. Who
   * reads it is left to IAM: in this stack, only the bootstrap's role is allowed to.
   */
  restrictAdminSecret(_reader: iam.IRole): void {}
}

function validate(scope: Construct, props: ProvisionedWarehouseProps): void {
  const fail = (message: string) => {
    throw new InvalidPropsError(scope, message);
  };
  if (!follows(WAREHOUSE_NAME, props.clusterIdentifier)) fail(refusal('clusterIdentifier', props.clusterIdentifier, WAREHOUSE_NAME));
  if (!/^ra3\./.test(props.nodeType))
    fail(`nodeType = ${JSON.stringify(props.nodeType)}: use an RA3 node type (dc2 can no longer be created)`);
  if (!Number.isInteger(props.numberOfNodes) || props.numberOfNodes < 1 || props.numberOfNodes > 128) {
    fail(`numberOfNodes = ${props.numberOfNodes}: use a whole number from 1 to 128`);
  }
  const port = portProblem(props.port);
  if (port) fail(`port = ${props.port}: ${port}`);
  if (!follows(ADMIN_USERNAME, props.adminUsername)) fail(refusal('adminUsername', props.adminUsername, ADMIN_USERNAME));
  const wellKnown = wellKnownAdminUsername(props.adminUsername);
  if (wellKnown) fail(`adminUsername = ${JSON.stringify(props.adminUsername)}: ${wellKnown}`);
  if (props.subnetIds.length === 0) fail('subnetIds is empty: give the isolated subnets the cluster lives in');
  const days = props.automatedSnapshotRetentionDays ?? 1;
  if (!Number.isInteger(days) || days < 1 || days > 35) fail(`automatedSnapshotRetentionDays = ${days}: use 1 to 35 days`);
}
