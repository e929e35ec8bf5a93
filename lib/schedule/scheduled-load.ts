import { Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleExpressionProblem } from '../config/warehouse-config';
import { databaseSignIn } from '../identity/database-sign-in';
import { loadStatementsPolicy } from '../loader/warehouse-loader';
import { LOADER_ROLE, LOADER_USER } from '../rules/database-identities';
import { SCHEDULED_TIME_PLACEHOLDER } from '../rules/scheduler';
import { InvalidPropsError } from '../stack/invalid-props-error';
import type { IWarehouse } from '../warehouse/warehouse';
import { addScheduledFunction } from './scheduled-function';
import { acknowledgeLoadFiles, sourceTrackingStatements, type SourceTrackingProps } from './source-tracking';

/** How Scheduler retries delivering an invocation, and how long it may wait for a free window. */
export const SCHEDULE_DELIVERY = { flexibleWindowMinutes: 30, maximumEventAgeSeconds: 3600, maximumRetryAttempts: 3 } as const;

/** The handler the schedule invokes: lambda/loader/index.ts exports it. */
export const SCHEDULED_HANDLER = 'scheduled';

export interface ScheduledLoadProps {
  readonly warehouse: IWarehouse;
  /** An EventBridge Scheduler `cron(...)` or `rate(...)` expression, evaluated in UTC. */
  readonly expression: string;
  /**
   * The load custom resource's properties (WarehouseLoader.scheduleProperties): the handler parses
   * them as a deploy's, and names the load after the scheduled time itself.
   */
  readonly loadProperties: Readonly<Record<string, string>>;
  readonly tracking: SourceTrackingProps;
  /** Where a failed run is published (the function's on-failure destination). */
  readonly failureTopic: sns.ITopic;
  /**
   * The role to run as instead of one of its own. On Serverless the load must sign in as the same
   * IAM identity as the deploys (its database user IAMR:<role> owns the tables), so the stack passes
   * the deploy loader's role, which already holds the Data API, sign-in and tracking permissions.
   * @default a role of its own, limited to what a scheduled load does
   */
  readonly role?: iam.Role;
  /** @default LOADER_ENTRY */
  readonly entry?: string;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The incremental load on a schedule (docs/incremental-loads.md §6): an EventBridge Scheduler
 * schedule invokes the `scheduled` handler of the loader's bundle asynchronously with the load's
 * properties; the handler lists the source, decides (nothing new, new log files, or a full load)
 * and submits one batch. Undelivered invocations go to a dead-letter queue; a run that fails is not
 * retried (a retry cannot fix a changed file) and is published to the failure topic.
 */
export class ScheduledLoad extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  /** The own role's Data API, sign-in and tracking permissions; undefined when props.role is used. */
  readonly policy?: iam.Policy;
  readonly logGroup: logs.LogGroup;
  readonly schedule: scheduler.CfnSchedule;
  readonly schedulerRole: iam.Role;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ScheduledLoadProps) {
    super(scope, id);
    const problem = scheduleExpressionProblem(props.expression);
    if (problem) throw new InvalidPropsError(this, `expression = ${JSON.stringify(props.expression)}: ${problem}`);
    for (const key of ['LoadId', 'RequestType', 'Trigger', 'ScheduledTime']) {
      if (key in props.loadProperties) {
        throw new InvalidPropsError(this, `loadProperties has ${key}: the schedule sets it (leave it out)`);
      }
    }

    const own = props.role ? { role: props.role, policy: undefined } : this.ownRole(props);
    this.role = own.role;
    this.policy = own.policy;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the schedule's DeadLetterConfig, where Scheduler puts invocations it could not deliver after its retries.",
    });

    const scheduled = addScheduledFunction(this, {
      handler: SCHEDULED_HANDLER,
      role: this.role,
      description: 'Sparkify scheduled load: list the source, load the new log files (or reload), submit and return',
      serviceName: 'sparkify-scheduled-load',
      timeout: props.timeout ?? Duration.minutes(5),
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      failureTopic: props.failureTopic,
      permissions: own.policy ? [own.policy] : [],
      entry: props.entry,
      schedule: {
        description: 'Sparkify: the incremental load (new log files since the last load)',
        expression: props.expression,
        input: Stack.of(this).toJsonString({
          ...props.loadProperties,
          Trigger: 'schedule',
          // Scheduler replaces it with the invocation's scheduled time.
          ScheduledTime: SCHEDULED_TIME_PLACEHOLDER,
        }),
        // A daily batch needs no precision.
        flexibleWindowMinutes: SCHEDULE_DELIVERY.flexibleWindowMinutes,
        retry: SCHEDULE_DELIVERY,
        deadLetterQueueArn: this.deadLetterQueue.queueArn,
        invokePolicyName: 'InvokeScheduledLoad',
        roleDescription: 'Sparkify schedule: invokes the scheduled load function, nothing else',
      },
    });
    this.function = scheduled.function;
    this.logGroup = scheduled.logGroup;
    this.schedulerRole = scheduled.schedulerRole;
    this.schedule = scheduled.schedule;
  }

  /** Runs the plan on this warehouse as the loader, lists the source, writes the load's files. */
  private ownRole(props: ScheduledLoadProps): { role: iam.Role; policy: iam.Policy } {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sparkify scheduled load: lists the source, writes the load files, runs the load plan through the Data API',
    });
    const signIn = databaseSignIn(this, props.warehouse, { user: LOADER_USER, role: LOADER_ROLE });
    for (const [key, value] of Object.entries(signIn.tags)) Tags.of(role).add(key, value);
    const target = props.warehouse.dataApiTarget;
    const policy = new iam.Policy(this, 'Policy', {
      roles: [role],
      statements: [...loadStatementsPolicy(target, role), ...signIn.statements, ...sourceTrackingStatements(this, props.tracking)],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'redshift-data:DescribeStatement, GetStatementResult, CancelStatement and ListStatements support no resource ARN; the condition redshift-data:statement-owner-iam-userid = this role or a session of it limits them to the scheduled load’s own statements.',
    });
    acknowledgeLoadFiles(policy, props.tracking.loadFilesArn);
    return { role, policy };
  }
}
