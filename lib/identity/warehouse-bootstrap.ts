import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import { loaderBundleFunction } from '../loader/warehouse-loader';
import { bootstrapFingerprint } from '../plan/bootstrap-plan';
import { readSqlFiles, type SqlFiles } from '../plan/sql-files';
import type { IWarehouse } from '../warehouse/warehouse';

export interface WarehouseBootstrapProps {
  readonly warehouse: IWarehouse;
  /** The role COPY assumes: only the loader role may assume it (GRANT ASSUMEROLE ... FOR COPY). */
  readonly sourceReadRole: iam.IRole;
  /** Anything the bootstrap must wait for (the role attachment). */
  readonly dependsOn?: readonly IDependable[];
  /** @default readSqlFiles() */
  readonly sqlFiles?: SqlFiles;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The product's database roles and users, created by the admin: a custom resource whose function
 * (and only it) may read the admin secret, and runs sql/security through the Data API
 * (lib/plan/bootstrap-plan.ts) on Create and whenever sql/security or the source role changes.
 * The load depends on it and signs in as the loader.
 */
export class WarehouseBootstrap extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: WarehouseBootstrapProps) {
    super(scope, id);
    const target = props.warehouse.dataApiTarget;
    const mode = target.property === 'WorkgroupName' ? 'serverless' : 'provisioned';
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logGroup = new logs.LogGroup(this, 'Logs', { retention, removalPolicy: RemovalPolicy.DESTROY });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sparkify bootstrap: creates the database roles and users as the admin, through the Data API',
    });
    const policy = new iam.Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'RunStatementsOnThisWarehouse',
          actions: ['redshift-data:BatchExecuteStatement'],
          resources: [target.arn],
        }),
        new iam.PolicyStatement({
          sid: 'FollowOwnStatements',
          actions: ['redshift-data:DescribeStatement'],
          resources: ['*'],
          conditions: { StringLike: { 'redshift-data:statement-owner-iam-userid': [this.role.roleId, `${this.role.roleId}:*`] } },
        }),
        // The only principal of the stack that may read the admin secret (the secret's own policy
        // says so too, where the secret is the stack's).
        new iam.PolicyStatement({
          sid: 'ReadAdminSecret',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.warehouse.adminSecretArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      ],
    });
    props.warehouse.restrictAdminSecret(this.role);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'redshift-data:DescribeStatement supports no resource ARN; the condition redshift-data:statement-owner-iam-userid = this role or a session of it limits it to the bootstrap’s own statements.',
    });

    this.function = loaderBundleFunction(this, 'Function', {
      handler: 'bootstrap',
      timeout: Duration.minutes(3),
      role: this.role,
      logGroup,
      description: 'Sparkify bootstrap: the database roles and users, as the admin',
      environment: { POWERTOOLS_SERVICE_NAME: 'sparkify-bootstrap' },
    });

    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    const frameworkRole = new iam.Role(this, 'FrameworkRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Sparkify bootstrap: the Provider framework's framework-onEvent function",
    });
    frameworkRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [frameworkLogs.logGroupArn] }),
    );
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason:
        "The Provider framework's framework-onEvent role may invoke the bootstrap function by any version or alias (the :* is the qualifier); the framework writes this grant itself.",
    });

    // The source role ARN is a token at synth: it is a property of its own, so a new role re-runs the bootstrap.
    const files = props.sqlFiles ?? readSqlFiles();
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SparkifyBootstrap',
      properties: {
        Fingerprint: bootstrapFingerprint(files, {
          mode,
          sourceRoleArn: 'arn:aws:iam::000000000000:role/source-read',
          database: props.warehouse.databaseName,
        }),
        Mode: mode,
        SourceRoleArn: props.sourceReadRole.roleArn,
        Database: props.warehouse.databaseName,
        SecretArn: props.warehouse.adminSecretArn,
        [target.property]: target.name,
      },
    });
    this.resource.node.addDependency(policy, ...(props.dependsOn ?? []));
  }
}
