import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { InvalidPropsError } from '../stack/invalid-props-error';
import { AUDIT_LOG_EXPORTS } from './warehouse';

export interface AuditLogGroupsProps {
  /**
   * The name Redshift gives each group, before `/<log type>`: `/aws/redshift/cluster/<cluster id>`
   * for a cluster, `/aws/redshift/<namespace>` for Serverless.
   */
  readonly namePrefix: string;
  readonly retention: logs.RetentionDays;
  /** Keep the groups when the stack is deleted: the logs outlive a warehouse that is kept. */
  readonly keep: boolean;
}

/**
 * The CloudWatch log groups Redshift exports its audit logs to (connections, users, user activity),
 * created in `scope` as `AuditLog-<log type>` under Redshift's own names. Redshift writes to a group
 * that already exists, so the stack owns them: their retention, and whether they outlive the stack.
 * The warehouse must depend on them, or Redshift creates them first (never expiring, owned by nobody).
 * https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-audit-logging.html
 * https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html#db-auditing-cloudwatch-provisioned
 *
 * A function, not a construct: the groups keep the construct ids (so the logical ids) they were
 * deployed with; a named log group whose logical id changes is replaced, and the replacement fails
 * because the name still exists.
 */
export function createAuditLogGroups(scope: Construct, props: AuditLogGroupsProps): logs.LogGroup[] {
  if (!/^\/aws\/redshift\/[a-z0-9/-]*[a-z0-9]$/.test(props.namePrefix)) {
    throw new InvalidPropsError(
      scope,
      `audit log namePrefix = ${JSON.stringify(props.namePrefix)}: use the name Redshift writes to, /aws/redshift/... without a trailing slash`,
    );
  }
  // A log group has no snapshot: keeping the warehouse keeps the groups whole (DeletionPolicy Retain).
  const removalPolicy = props.keep ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  return AUDIT_LOG_EXPORTS.map(
    (logType) =>
      new logs.LogGroup(scope, `AuditLog-${logType}`, {
        logGroupName: `${props.namePrefix}/${logType}`,
        retention: props.retention,
        removalPolicy,
      }),
  );
}
