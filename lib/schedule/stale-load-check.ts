import { Duration, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IDependable } from 'constructs';
import { BACKGROUND_LOAD_TIMEOUT_HOURS, STALE_CHECK_INTERVAL_MINUTES } from '../rules/limits';
import { SCHEDULED_TIME_PLACEHOLDER, STALE_CHECK_TRIGGER } from '../rules/scheduler';
import { InvalidPropsError } from '../stack/invalid-props-error';
import { addScheduledFunction } from './scheduled-function';

/** The handler the check's schedule invokes: lambda/loader/index.ts exports it. */
export const STALE_CHECK_HANDLER = 'staleLoads';

/** How often the check runs: a load past its timeout is reported within this much. */
export const STALE_CHECK_INTERVAL = Duration.minutes(15);

/** The properties of the load that name where it runs and as whom (lambda/loader/properties.ts readWarehouse). */
const WHERE_KEYS = ['Database', 'DbUser', 'ClusterIdentifier', 'WorkgroupName'] as const;

export interface StaleLoadCheckProps {
  /**
   * The role that submits the background loads to watch, which the check runs as: the Data API's
   * ListStatements lists only the statements of the caller's own role. It must hold the loader's
   * Data API rights on its own statements and its sign-in (loadStatementsPolicy, databaseSignIn).
   */
  readonly role: iam.IRole;
  /** The policies that give the role those rights: the check runs only once they exist. */
  readonly permissions: readonly IDependable[];
  /**
   * Where the loads run, as their properties carry it (WarehouseLoader.scheduleProperties):
   * Database, DbUser on a cluster, ClusterIdentifier or WorkgroupName. Other keys are left out.
   */
  readonly loadProperties: Readonly<Record<string, string>>;
  /** A load still running this long after it was submitted is reported (whole hours, BACKGROUND_LOAD_TIMEOUT_HOURS). */
  readonly timeout: Duration;
  /** Where the report goes (the function's on-failure destination). */
  readonly failureTopic: sns.ITopic;
  /** @default STALE_CHECK_INTERVAL */
  readonly interval?: Duration;
  /** @default LOADER_ENTRY */
  readonly entry?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Reports a background load still running past its timeout, once: EventBridge delivers the Data
 * API's FAILED and ABORTED events on a best-effort basis, and a load that never ends sends none. A
 * schedule (no flexible window: each run at its time) invokes the `staleLoads` handler of the
 * loader's bundle every interval; the handler lists the role's running load batches and fails,
 * naming each load whose timeout ended since the run before, so the function's on-failure
 * destination publishes it to the failure topic (lambda/loader/stale-loads.ts). It has no role of
 * its own: it runs as the submitting role, and adds to it only its log group and sns:Publish on
 * the topic (the destination's grant).
 */
export class StaleLoadCheck extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly schedule: scheduler.CfnSchedule;
  readonly schedulerRole: iam.Role;
  readonly timeout: Duration;
  readonly interval: Duration;

  constructor(scope: Construct, id: string, props: StaleLoadCheckProps) {
    super(scope, id);
    this.timeout = props.timeout;
    this.interval = props.interval ?? STALE_CHECK_INTERVAL;
    const where = validate(this, props, this.interval);
    const minutes = this.interval.toMinutes();

    const scheduled = addScheduledFunction(this, {
      handler: STALE_CHECK_HANDLER,
      role: props.role,
      description: 'Sparkify stale-load check: reports a background load still running past its timeout, once',
      serviceName: 'sparkify-stale-load-check',
      // A listing, and the last succeeded load when there is something to report (the query waits a minute at most).
      timeout: Duration.minutes(2),
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      failureTopic: props.failureTopic,
      permissions: props.permissions,
      entry: props.entry,
      schedule: {
        description: `Sparkify: report a background load still running ${this.timeout.toHours()} h after it was submitted`,
        expression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
        input: Stack.of(this).toJsonString({
          ...where,
          Trigger: STALE_CHECK_TRIGGER,
          TimeoutMinutes: String(this.timeout.toMinutes()),
          IntervalMinutes: String(minutes),
          // The run's window ends at its scheduled time, not at when it happened to run.
          ScheduledTime: SCHEDULED_TIME_PLACEHOLDER,
        }),
        // A run delivered later still reports its own window; older than an interval, the next run's is due.
        retry: { maximumEventAgeSeconds: Math.max(60, this.interval.toSeconds()), maximumRetryAttempts: 3 },
        invokePolicyName: 'InvokeStaleLoadCheck',
        roleDescription: 'Sparkify schedule: invokes the stale-load check function, nothing else',
      },
    });
    this.function = scheduled.function;
    this.logGroup = scheduled.logGroup;
    this.schedule = scheduled.schedule;
    this.schedulerRole = scheduled.schedulerRole;
  }
}

/** The props checked before anything is built; returns the load properties the check takes. */
function validate(scope: Construct, props: StaleLoadCheckProps, interval: Duration): Record<string, string> {
  const fail = (message: string): never => {
    throw new InvalidPropsError(scope, message);
  };
  const hours = props.timeout.toHours({ integral: false });
  const { min, max } = BACKGROUND_LOAD_TIMEOUT_HOURS;
  if (!Number.isInteger(hours) || hours < min || hours > max) {
    fail(`timeout = ${hours} h: use whole hours from ${min} to ${max} (the Data API ends any statement at 24 hours)`);
  }
  const minutes = interval.toMinutes({ integral: false });
  const range = STALE_CHECK_INTERVAL_MINUTES;
  if (!Number.isInteger(minutes) || minutes < range.min || minutes > range.max) {
    fail(`interval = ${minutes} min: use whole minutes from ${range.min} to ${range.max}`);
  }
  const where = Object.fromEntries(
    WHERE_KEYS.filter((key) => props.loadProperties[key] !== undefined).map((key) => [key, props.loadProperties[key]!]),
  );
  if (where.Database === undefined) fail('loadProperties has no Database: pass the load properties (WarehouseLoader.scheduleProperties)');
  if ((where.ClusterIdentifier === undefined) === (where.WorkgroupName === undefined)) {
    fail('loadProperties must have exactly one of ClusterIdentifier or WorkgroupName');
  }
  return where;
}
