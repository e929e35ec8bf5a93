import { RemovalPolicy, Stack, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct, IDependable } from 'constructs';
import { loaderBundleFunction } from '../loader/warehouse-loader';

/** A function of the loader's bundle run by an EventBridge Scheduler schedule, as ScheduledLoad and StaleLoadCheck build it. */
export interface ScheduledFunctionProps {
  /** The handler lambda/loader/index.ts exports. */
  readonly handler: string;
  readonly role: iam.IRole;
  readonly description: string;
  /** Powertools' service name in its log lines. */
  readonly serviceName: string;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  /** Where a failed run is published (the function's on-failure destination). */
  readonly failureTopic: sns.ITopic;
  /** Permissions the function needs before its first run, besides its logs. */
  readonly permissions: readonly IDependable[];
  readonly entry?: string;
  readonly schedule: {
    readonly description: string;
    /** `cron(...)` or `rate(...)`, evaluated in UTC. */
    readonly expression: string;
    /** The Input, a JSON string. */
    readonly input: string;
    /** Minutes Scheduler may defer a run by. @default none: each run at its time */
    readonly flexibleWindowMinutes?: number;
    readonly retry: { readonly maximumEventAgeSeconds: number; readonly maximumRetryAttempts: number };
    /** Where Scheduler puts an invocation it could not deliver. @default none */
    readonly deadLetterQueueArn?: string;
    /** The scheduler role's inline policy (and its statement's Sid). */
    readonly invokePolicyName: string;
    readonly roleDescription: string;
  };
}

export interface ScheduledFunction {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly schedulerRole: iam.Role;
  readonly schedule: scheduler.CfnSchedule;
}

/**
 * Adds, under `scope` with fixed ids (Logs, WriteLogs, Function, SchedulerRole, Schedule): the
 * function with its own log group, invoked asynchronously by the schedule with no retry (a retry
 * repeats what failed), its failures published to the topic, and a scheduler role that may invoke
 * this function only (no version or alias).
 */
export function addScheduledFunction(scope: Construct, props: ScheduledFunctionProps): ScheduledFunction {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
  const logsPolicy = new iam.Policy(scope, 'WriteLogs', {
    roles: [props.role],
    statements: [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    ],
  });
  const fn = loaderBundleFunction(scope, 'Function', {
    entry: props.entry,
    handler: props.handler,
    timeout: props.timeout,
    role: props.role,
    logGroup,
    description: props.description,
    environment: { POWERTOOLS_SERVICE_NAME: props.serviceName },
  });
  // Never invoked before its permissions exist.
  fn.node.addDependency(logsPolicy, ...props.permissions);
  // Asynchronous invocations (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html):
  // no retry, and a failure is published, with the event, to the topic.
  fn.configureAsyncInvoke({ retryAttempts: 0, onFailure: new destinations.SnsDestination(props.failureTopic) });

  const spec = props.schedule;
  const deadLetters = spec.deadLetterQueueArn;
  const schedulerRole = new iam.Role(scope, 'SchedulerRole', {
    description: spec.roleDescription,
    // Only schedules of this account (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role).
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    inlinePolicies: {
      [spec.invokePolicyName]: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ sid: spec.invokePolicyName, actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
          ...(deadLetters ? [new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [deadLetters] })] : []),
        ],
      }),
    },
  });
  // The L1 resource: the L2 target would grant InvokeFunction on every version and alias (:*).
  const schedule = new scheduler.CfnSchedule(scope, 'Schedule', {
    description: spec.description,
    scheduleExpression: spec.expression,
    scheduleExpressionTimezone: 'UTC',
    state: 'ENABLED',
    // A window spreads Scheduler's load (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html).
    flexibleTimeWindow:
      spec.flexibleWindowMinutes === undefined ? { mode: 'OFF' } : { mode: 'FLEXIBLE', maximumWindowInMinutes: spec.flexibleWindowMinutes },
    target: {
      arn: fn.functionArn,
      roleArn: schedulerRole.roleArn,
      input: spec.input,
      // Retries of the delivery, not of the run
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-scheduler-schedule-retrypolicy.html).
      retryPolicy: {
        maximumEventAgeInSeconds: spec.retry.maximumEventAgeSeconds,
        maximumRetryAttempts: spec.retry.maximumRetryAttempts,
      },
      ...(deadLetters ? { deadLetterConfig: { arn: deadLetters } } : {}),
    },
  });
  schedule.node.addDependency(schedulerRole);
  return { function: fn, logGroup, schedulerRole, schedule };
}
