import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct, IDependable } from 'constructs';

/** Which Data API parameter names the warehouse, and what the loader may do to it. */
export interface DataApiTarget {
  /** The custom resource property (and Data API parameter) that names the warehouse. */
  readonly property: 'ClusterIdentifier' | 'WorkgroupName';
  readonly name: string;
  /** The ARN that redshift-data:ExecuteStatement and BatchExecuteStatement are limited to. */
  readonly arn: string;
  /** Read-only calls the loader's preflight makes to see that the warehouse is available and the role attached. */
  readonly preflight: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
}

/** What a provisioned and a Serverless warehouse are both built from. */
export interface WarehouseBaseProps {
  readonly databaseName: string;
  readonly adminUsername: string;
  readonly port: number;
  /**
   * 'destroy': `cdk destroy` deletes the warehouse and its audit logs, no final snapshot;
   * 'snapshot': a final snapshot is kept, and the audit log groups with it.
   */
  readonly removalPolicy: 'destroy' | 'snapshot';
  /** How long CloudWatch keeps the audit logs. @default logs.RetentionDays.THREE_MONTHS */
  readonly auditLogRetention?: logs.RetentionDays;
  readonly enhancedVpcRouting: boolean;
  readonly subnetIds: readonly string[];
  readonly securityGroup: ec2.ISecurityGroup;
  /** The role COPY assumes; attached to the warehouse. */
  readonly sourceReadRole: iam.IRole;
}

/** What the rest of the stack needs from a warehouse, provisioned or Serverless. */
export interface IWarehouse extends IConstruct {
  readonly endpointAddress: string;
  readonly endpointPort: string;
  readonly databaseName: string;
  /** The admin credentials in Secrets Manager (username and password keys). */
  readonly adminSecretArn: string;
  /** Whether Redshift rotates that secret (ManageMasterPassword), or nothing does. */
  readonly adminSecretRotatedByRedshift: boolean;
  /** Where Redshift exports the audit logs: groups of the stack, kept when the warehouse is kept. */
  readonly auditLogGroups: readonly logs.ILogGroup[];
  readonly dataApiTarget: DataApiTarget;
  /** The resource that attaches the S3 read role: a load must not start before it is in place. */
  readonly roleAttachment: IDependable;
  /**
   * Lets `reader` alone (besides the account's administrators) read the admin secret, by the
   * secret's own resource policy where the secret is the stack's; one Redshift manages is Redshift's.
   */
  restrictAdminSecret(reader: iam.IRole): void;
}

export const AUDIT_LOG_EXPORTS = ['connectionlog', 'userlog', 'useractivitylog'] as const;
