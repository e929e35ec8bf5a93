import { fileURLToPath } from 'node:url';
import { CustomResource, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import { databaseSignIn } from '../identity/database-sign-in';
import type { PlanSettings } from '../plan/load-plan';
import { LOADER_ROLE, LOADER_USER } from '../rules/database-identities';
import { FINGERPRINT } from '../rules/fingerprint';
import { LOAD_ID } from '../rules/load-id';
import { acknowledgeLoadFiles, sourceTrackingStatements, type SourceTrackingProps } from '../schedule/source-tracking';
import type { LoadedTable } from '../rules/tables';
import { follows, refusal } from '../rules/text-rule';
import { InvalidPropsError } from '../stack/invalid-props-error';
import type { DataApiTarget, IWarehouse } from '../warehouse/warehouse';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LOADER_ENTRY = `${PROJECT_ROOT}lambda/loader/index.ts`;

/**
 * How the loader is bundled: one minified ESM file with the plan's sql/ copied beside it. Exported so
 * the benchmark (tools/bench) builds exactly what deploys.
 */
export const LOADER_BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: false,
  // The SDK is bundled: the version tested is the version that runs.
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into ESM still call require().
  banner: "import { createRequire as sparkifyCreateRequire } from 'node:module'; const require = sparkifyCreateRequire(import.meta.url);",
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    // The handler reads the plan's SQL from sql/ next to itself, as the offline run does.
    afterBundling: (inputDir: string, outputDir: string) => [`cp -R "${inputDir}/sql" "${outputDir}/sql"`],
  },
};

/** A function of the loader's bundle (lambda/loader/index.ts): one of its handlers, on Node.js 24, arm64. */
export function loaderBundleFunction(
  scope: Construct,
  id: string,
  props: Pick<nodejs.NodejsFunctionProps, 'handler' | 'role' | 'logGroup' | 'description' | 'environment' | 'timeout'> & {
    readonly entry?: string;
  },
): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    entry: props.entry ?? LOADER_ENTRY,
    handler: props.handler,
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: props.timeout,
    role: props.role,
    logGroup: props.logGroup,
    description: props.description,
    environment: props.environment,
    bundling: LOADER_BUNDLING,
  });
}

export interface WarehouseLoaderProps {
  readonly warehouse: IWarehouse;
  /** The role COPY assumes: passed to the load, and checked by the preflight with IAM's policy simulation. */
  readonly sourceReadRole: iam.IRole;
  /** The resources that grant the role its S3 permissions: the load waits for them. */
  readonly sourceReadPermissions: IDependable;
  readonly settings: PlanSettings;
  /** Names the load in load_history; a new value makes CloudFormation run the load again. */
  readonly loadId: string;
  /** planFingerprint of the SQL and settings. */
  readonly fingerprint: string;
  /** 'wait': the deploy polls the load to its end; 'submit': it returns once the load is submitted. */
  readonly loadMode: 'wait' | 'submit';
  /** How often the Provider framework calls isComplete. */
  readonly pollInterval: Duration;
  /** How long the Provider framework waits for the load; at most CloudFormation's hour. */
  readonly totalTimeout: Duration;
  /** Anything else a load must wait for, e.g. the S3 endpoint COPY goes through. @default none */
  readonly dependsOn?: readonly IDependable[];
  /**
   * With a schedule, full loads record what they read: the loader lists the source and writes the
   * listing to the LoadManifests bucket (properties TrackSources and ManifestBucket).
   * @default no tracking: no S3 call and no extra permission
   */
  readonly sourceTracking?: SourceTrackingProps;
  /** @default LOADER_ENTRY (lambda/loader/index.ts, exporting `onEvent` and `isComplete`) */
  readonly entry?: string;
  /** @default Duration.minutes(5) */
  readonly handlerTimeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Loads the warehouse on deploy: a CloudFormation custom resource through the CDK Provider
 * framework, whose `onEvent` submits the load plan through the Redshift Data API and whose
 * `isComplete` polls it, so a load is bounded by the framework's hour, not by Lambda's 15 minutes.
 * The bundle carries the plan's sql/ folder. The Lambdas may touch this warehouse only, signed in
 * as the loader (lib/rules/database-identities.ts) with temporary credentials: no secret.
 */
export class WarehouseLoader extends Construct {
  readonly onEventFunction: nodejs.NodejsFunction;
  readonly isCompleteFunction: nodejs.NodejsFunction;
  readonly provider: cr.Provider;
  readonly role: iam.Role;
  /** The handlers' permissions: the load depends on it, so it never races IAM. */
  readonly policy: iam.Policy;
  readonly load: CustomResource;
  readonly loadMode: 'wait' | 'submit';
  /**
   * The load's properties as a scheduled run takes them (lib/schedule): the custom resource's,
   * without LoadId (the run names itself after its scheduled time, and the schedule is not changed
   * by every deploy's new id) and with LoadMode 'submit' (a scheduled run submits and returns).
   */
  readonly scheduleProperties: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WarehouseLoaderProps) {
    super(scope, id);
    validate(this, props);
    this.loadMode = props.loadMode;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const target = props.warehouse.dataApiTarget;

    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sparkify loader: runs the load plan on one warehouse through the Data API',
    });
    const signIn = databaseSignIn(this, props.warehouse, { user: LOADER_USER, role: LOADER_ROLE });
    for (const [key, value] of Object.entries(signIn.tags)) Tags.of(this.role).add(key, value);

    const handler = (name: 'onEvent' | 'isComplete') => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention, removalPolicy: RemovalPolicy.DESTROY });
      const fn = loaderBundleFunction(this, name === 'onEvent' ? 'OnEvent' : 'IsComplete', {
        entry: props.entry,
        handler: name,
        timeout: props.handlerTimeout ?? Duration.minutes(5),
        role: this.role,
        logGroup,
        description: `Sparkify loader ${name}: ${name === 'onEvent' ? 'preflight and submit the load plan' : 'poll the load and report rows'}`,
        // The poll interval lets isComplete back off (lambda/loader/poll-backoff.ts).
        environment: { POWERTOOLS_SERVICE_NAME: 'sparkify-loader', SPARKIFY_POLL_INTERVAL_SECONDS: String(props.pollInterval.toSeconds()) },
      });
      return { fn, logGroup };
    };
    const onEvent = handler('onEvent');
    const isComplete = handler('isComplete');
    this.onEventFunction = onEvent.fn;
    this.isCompleteFunction = isComplete.fn;

    this.policy = new iam.Policy(this, 'HandlerPolicy', {
      roles: [this.role],
      statements: [
        ...handlerStatements(props, this.role, [onEvent.logGroup, isComplete.logGroup]),
        ...signIn.statements,
        ...(props.sourceTracking ? sourceTrackingStatements(this, props.sourceTracking) : []),
      ],
    });
    if (props.sourceTracking) acknowledgeLoadFiles(this.policy, props.sourceTracking.loadFilesArn);
    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'redshift-data:DescribeStatement, GetStatementResult, CancelStatement and ListStatements support no resource ARN; ' +
        'the statement carries the condition redshift-data:statement-owner-iam-userid = this role or a session of it (roleId, roleId:*), so they reach only the statements the loader itself submitted.',
    });

    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    const waiterLogs = new logs.LogGroup(this, 'WaiterLogs', {
      // Step Functions delivers through CloudWatch's vended-logs path.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-load-waiter`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The framework's own functions get roles of ours that may write their log group only (no AWS
    // managed AWSLambdaBasicExecutionRole); the framework adds the invoke grants it needs.
    const frameworkRole = (name: string, does: string) => {
      const role = new iam.Role(this, name, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Sparkify loader: the Provider framework's ${does}`,
      });
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [frameworkLogs.logGroupArn] }),
      );
      return role;
    };
    this.provider = new cr.Provider(this, 'Provider', {
      frameworkOnEventRole: frameworkRole('FrameworkOnEventRole', 'framework-onEvent function'),
      frameworkCompleteAndTimeoutRole: frameworkRole('FrameworkWaiterRole', 'framework-isComplete and framework-onTimeout functions'),
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      queryInterval: props.pollInterval,
      totalTimeout: props.totalTimeout,
      logGroup: frameworkLogs,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: { destination: waiterLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeProviderFindings(this.provider, [this.onEventFunction, this.isCompleteFunction]);

    const settings: PlanSettings = {
      sourceBucket: props.settings.sourceBucket,
      sourceRegion: props.settings.sourceRegion,
      eventsPrefix: props.settings.eventsPrefix,
      songsPrefix: props.settings.songsPrefix,
      jsonpathsKey: props.settings.jsonpathsKey,
      maxLoadErrors: props.settings.maxLoadErrors,
    };
    const shared: Record<string, string> = {
      Fingerprint: props.fingerprint,
      RoleArn: props.sourceReadRole.roleArn,
      Settings: JSON.stringify(settings),
      Database: props.warehouse.databaseName,
      ...(signIn.dbUser ? { DbUser: signIn.dbUser } : {}),
      [target.property]: target.name,
      ...(props.sourceTracking ? { TrackSources: 'true', ManifestBucket: props.sourceTracking.loadFilesBucketName } : {}),
    };
    this.scheduleProperties = { ...shared, LoadMode: 'submit' };
    this.load = new CustomResource(this, 'Load', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::SparkifyLoad',
      // A little past the framework's own timeout, so its message, not CloudFormation's, reports a stuck load.
      serviceTimeout: Duration.minutes(Math.min(60, props.totalTimeout.toMinutes() + 5)),
      // LoadId first and LoadMode last, as before tracking existed: the default template is unchanged.
      properties: { LoadId: props.loadId, ...shared, LoadMode: props.loadMode },
    });
    // No deploy races IAM: the role is attached and every permission in place before a load starts.
    this.load.node.addDependency(props.warehouse.roleAttachment, props.sourceReadPermissions, this.policy, ...(props.dependsOn ?? []));
  }

  /** The load id of the load that ran (or was submitted) on this deploy. */
  get loadId(): string {
    return this.load.getAttString('LoadId');
  }

  /** Rows in a table after the load (`Rows_<table>`, LOADED_TABLES); the loader returns them in 'wait' mode only. */
  rows(table: LoadedTable): string {
    if (this.loadMode !== 'wait') {
      throw new InvalidPropsError(this, `rows(${table}): a 'submit' load returns before the rows are known; use loadMode 'wait'`);
    }
    return this.load.getAttString(`Rows_${table}`);
  }
}

/**
 * A loader's Data API rights: run statements on this warehouse only, and follow (describe, read,
 * cancel, list: a run skips while another load of its role is running) only the statements of its
 * own role, whichever function (session) of the role submitted them.
 */
export function loadStatementsPolicy(target: DataApiTarget, role: iam.Role): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'RunStatementsOnThisWarehouse',
      actions: ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement'],
      resources: [target.arn],
    }),
    new iam.PolicyStatement({
      sid: 'FollowOwnStatements',
      actions: [
        'redshift-data:DescribeStatement',
        'redshift-data:GetStatementResult',
        'redshift-data:CancelStatement',
        'redshift-data:ListStatements',
      ],
      resources: ['*'],
      conditions: { StringLike: { 'redshift-data:statement-owner-iam-userid': [role.roleId, `${role.roleId}:*`] } },
    }),
  ];
}

function handlerStatements(props: WarehouseLoaderProps, role: iam.Role, logGroups: readonly logs.LogGroup[]): iam.PolicyStatement[] {
  const target = props.warehouse.dataApiTarget;
  return [
    ...loadStatementsPolicy(target, role),
    ...target.preflight.map(
      (call, i) => new iam.PolicyStatement({ sid: `PreflightWarehouse${i}`, actions: [...call.actions], resources: [...call.resources] }),
    ),
    new iam.PolicyStatement({
      sid: 'PreflightSourceReadRole',
      actions: ['iam:SimulatePrincipalPolicy'],
      resources: [props.sourceReadRole.roleArn],
    }),
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: logGroups.map((group) => group.logGroupArn),
    }),
  ];
}

/** The Provider framework's own resources: what cdk-nag finds there and why it stands. */
function acknowledgeProviderFindings(provider: cr.Provider, handlers: readonly lambda.Function[]): void {
  // On the loader: the framework's roles are ours (beside the provider), its grants are in them.
  const ack = (id: string, reason: string) => Validations.of(provider.node.scope ?? provider).acknowledge({ id, reason });
  const stack = Stack.of(provider);
  for (const fn of handlers) {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    ack(
      `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      "The Provider framework's framework-onEvent, framework-isComplete and framework-onTimeout roles may invoke the loader's onEvent and isComplete functions by any version or alias (the :* is the qualifier); the framework writes these grants itself.",
    );
  }
  for (const child of ['framework-isComplete', 'framework-onTimeout']) {
    const fn = provider.node.findChild(child).node.defaultChild as lambda.CfnFunction;
    ack(
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn)}.Arn>:*]`,
      "The waiter state machine's role may invoke the framework's framework-isComplete and framework-onTimeout functions by any version or alias (the :* is the qualifier).",
    );
  }
  Validations.of(provider.node.findChild('waiter-state-machine')).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: "The waiter state machine's log delivery (logs:CreateLogDelivery, DescribeLogGroups and the like) supports no resource ARN.",
  });
  ack(
    'AwsSolutions-SF2',
    "The Provider framework's waiter state machine offers no X-Ray option; its executions are logged (level ALL) instead.",
  );
}

function validate(scope: Construct, props: WarehouseLoaderProps): void {
  const fail = (message: string) => {
    throw new InvalidPropsError(scope, message);
  };
  if (!follows(LOAD_ID, props.loadId)) fail(refusal('loadId', props.loadId, LOAD_ID));
  if (!follows(FINGERPRINT, props.fingerprint)) fail(refusal('fingerprint', props.fingerprint, FINGERPRINT));
  const poll = props.pollInterval.toSeconds();
  if (poll < 1 || poll > 300) fail(`pollInterval = ${poll} s: use 1 to 300 seconds`);
  const total = props.totalTimeout.toMinutes({ integral: false });
  if (total < 1 || total > 60) fail(`totalTimeout = ${total} min: use 1 to 60 minutes (CloudFormation waits an hour at most)`);
  if (props.pollInterval.toSeconds() >= props.totalTimeout.toSeconds()) fail('pollInterval must be shorter than totalTimeout');
}
