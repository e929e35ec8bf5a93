import { CfnOutput, Duration, Fn, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IDependable } from 'constructs';
import { SourceReadRole } from '../access/source-read-role';
import { checkDeploymentConfig, hasBackgroundLoads, type WarehouseConfig } from '../config/warehouse-config';
import { AnalystAccess } from '../identity/analyst-access';
import { WarehouseBootstrap } from '../identity/warehouse-bootstrap';
import { WarehouseLoader } from '../loader/warehouse-loader';
import { WarehouseNetwork } from '../network/warehouse-network';
import { planFingerprint } from '../plan/load-plan';
import { readSqlFiles, type SqlFiles } from '../plan/sql-files';
import { LOAD_STATEMENT_PREFIX } from '../rules/load-id';
import { WAREHOUSE_NAME } from '../rules/redshift-names';
import { LOADED_TABLES } from '../rules/tables';
import { follows } from '../rules/text-rule';
import { LOAD_FILES_PREFIX, LoadFilesBucket } from '../schedule/load-files-bucket';
import { LoadFailureNotices } from '../schedule/load-failure-notices';
import { ScheduledLoad } from '../schedule/scheduled-load';
import { StaleLoadCheck } from '../schedule/stale-load-check';
import type { SourceTrackingProps } from '../schedule/source-tracking';
import { ProvisionedWarehouse } from '../warehouse/provisioned-warehouse';
import { ServerlessWarehouse } from '../warehouse/serverless-warehouse';
import type { IWarehouse } from '../warehouse/warehouse';
import { InvalidPropsError } from './invalid-props-error';

export interface SparkifyWarehouseStackProps extends StackProps {
  /** Parsed and validated by parseWarehouseConfig. The stack's region is config.region. */
  readonly config: WarehouseConfig;
  /** @default readSqlFiles() (the project's sql/ folder) */
  readonly sqlFiles?: SqlFiles;
  /** Names the load when it is not pinned, so every synth (every deploy) reloads. @default new Date() */
  readonly synthTime?: Date;
  /** @default the loader's lambda/loader/index.ts */
  readonly loaderEntry?: string;
}

/**
 * Sparkify's warehouse: a private network, Redshift (a provisioned cluster, or Serverless), the
 * role that lets it read the source bucket, and the custom resource that loads it on every deploy.
 */
export class SparkifyWarehouseStack extends Stack {
  readonly config: WarehouseConfig;
  readonly network: WarehouseNetwork;
  readonly sourceReadRole: SourceReadRole;
  readonly warehouse: IWarehouse;
  readonly loader: WarehouseLoader;
  /** Creates the database roles and users as the admin: the only code that reads the admin secret. */
  readonly bootstrap: WarehouseBootstrap;
  /** Read-only analysts through the Data API, without a password. */
  readonly analystAccess: AnalystAccess;
  /** The load id this synth gives the custom resource. */
  readonly loadId: string;
  readonly fingerprint: string;
  /** With sparkify:incrementalSchedule: the bucket of load files and the schedule. */
  readonly loadFiles?: LoadFilesBucket;
  readonly scheduledLoad?: ScheduledLoad;
  /** With background loads (loadMode submit, or the schedule): the failure topic and its rule. */
  readonly loadFailures?: LoadFailureNotices;
  /** With background loads: a check of each role that submits them, for a load still running past its timeout. */
  readonly staleLoadChecks: readonly StaleLoadCheck[];

  constructor(scope: Construct, id: string, props: SparkifyWarehouseStackProps) {
    // A stack built without the app (tests, other apps) gets the same rules between settings.
    const config = checkDeploymentConfig(props.config);
    if (props.env?.region !== undefined && props.env.region !== config.region) {
      throw new Error(
        `${id}: env.region = ${JSON.stringify(props.env.region)} but sparkify:region = ${JSON.stringify(config.region)}: let the configuration choose the region`,
      );
    }
    super(scope, id, {
      description: 'Sparkify analytics warehouse on Amazon Redshift, loaded from S3 on every deploy',
      ...props,
      env: { account: props.env?.account, region: config.region },
    });
    this.config = config;
    // Redshift's identifiers: lower case with hyphens ('SparkifyWarehouse' -> 'sparkify-warehouse').
    const name = this.stackName
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .toLowerCase();
    if (!follows(WAREHOUSE_NAME, name)) {
      throw new InvalidPropsError(
        this,
        `stack name ${JSON.stringify(this.stackName)} gives the warehouse name ${JSON.stringify(name)}: use a stack name that gives ${WAREHOUSE_NAME.expected}`,
      );
    }
    const serverless = config.compute === 'serverless';
    const schedule = config.incrementalSchedule;

    // Off: nothing of the schedule exists, and no role gets a permission for it.
    this.loadFiles = schedule !== 'off' ? new LoadFilesBucket(this, 'LoadManifests') : undefined;
    const loadFilesRead = this.loadFiles ? { bucketArn: this.loadFiles.bucket.bucketArn, keyPrefix: LOAD_FILES_PREFIX } : undefined;

    this.network = new WarehouseNetwork(this, 'Network', {
      // Serverless needs subnets in three zones; a cluster lives in one and keeps a second for relocation.
      availabilityZones: serverless ? 3 : 2,
      s3ReadEndpoint: config.enhancedVpcRouting ? { bucketName: config.sourceBucket, loadFiles: loadFilesRead } : undefined,
    });

    this.sourceReadRole = new SourceReadRole(this, 'SourceReadRole', {
      sourceBucket: config.sourceBucket,
      eventsPrefix: config.eventsPrefix,
      songsPrefix: config.songsPrefix,
      jsonpathsKey: config.jsonpathsKey,
      loadFiles: loadFilesRead,
    });

    const common = {
      databaseName: config.databaseName,
      adminUsername: config.adminUsername,
      port: config.port,
      removalPolicy: config.removalPolicy,
      auditLogRetention: config.auditLogRetentionDays,
      enhancedVpcRouting: config.enhancedVpcRouting,
      subnetIds: this.network.subnetIds,
      securityGroup: this.network.securityGroup,
      sourceReadRole: this.sourceReadRole.role,
    };
    this.warehouse = serverless
      ? new ServerlessWarehouse(this, 'Warehouse', { ...common, name, baseCapacity: config.serverlessBaseCapacity })
      : new ProvisionedWarehouse(this, 'Warehouse', {
          ...common,
          clusterIdentifier: name,
          nodeType: config.nodeType,
          numberOfNodes: config.numberOfNodes,
        });

    this.bootstrap = new WarehouseBootstrap(this, 'Bootstrap', {
      warehouse: this.warehouse,
      sourceReadRole: this.sourceReadRole.role,
      sqlFiles: props.sqlFiles,
      dependsOn: [this.warehouse.roleAttachment],
    });
    this.analystAccess = new AnalystAccess(this, 'AnalystAccess', { warehouse: this.warehouse });

    this.fingerprint = planFingerprint(props.sqlFiles ?? readSqlFiles(), config);
    this.loadId = config.pinLoad ? this.fingerprint : (props.synthTime ?? new Date()).toISOString();

    const tracking: SourceTrackingProps | undefined = this.loadFiles && {
      sourceBucket: config.sourceBucket,
      eventsPrefix: config.eventsPrefix,
      songsPrefix: config.songsPrefix,
      jsonpathsKey: config.jsonpathsKey,
      loadFilesBucketName: this.loadFiles.bucket.bucketName,
      loadFilesArn: this.loadFiles.loadFilesArn,
    };

    this.loader = new WarehouseLoader(this, 'Loader', {
      warehouse: this.warehouse,
      sourceReadRole: this.sourceReadRole.role,
      sourceReadPermissions: this.sourceReadRole,
      settings: config,
      loadId: this.loadId,
      fingerprint: this.fingerprint,
      loadMode: config.loadMode,
      pollInterval: Duration.seconds(config.pollIntervalSeconds),
      totalTimeout: Duration.minutes(config.loadTimeoutMinutes),
      entry: props.loaderEntry,
      sourceTracking: tracking,
      // With enhanced VPC routing, COPY reaches S3 only once the endpoint's routes exist.
      dependsOn: this.network.s3Endpoint ? [this.network.s3Endpoint] : [],
    });

    // The load signs in as the loader, which the bootstrap creates.
    this.loader.load.node.addDependency(this.bootstrap.resource);

    // A load that ends after the deploy returned must reach a person when it fails or never ends.
    if (hasBackgroundLoads(config)) {
      const loadFailures = new LoadFailureNotices(this, 'LoadFailures', {
        statementNamePrefix: LOAD_STATEMENT_PREFIX,
        email: config.alarmEmail === '' ? undefined : config.alarmEmail,
      });
      this.loadFailures = loadFailures;
      if (schedule !== 'off' && tracking) {
        this.scheduledLoad = new ScheduledLoad(this, 'ScheduledLoader', {
          warehouse: this.warehouse,
          expression: schedule,
          loadProperties: this.loader.scheduleProperties,
          tracking,
          failureTopic: loadFailures.topic,
          // Serverless signs the IAM identity in as IAMR:<role name>, the tables' owner: the same role as deploys.
          role: serverless ? this.loader.role : undefined,
          entry: props.loaderEntry,
        });
        // The first run must find the tables the first deploy creates.
        this.scheduledLoad.schedule.node.addDependency(this.loader.load);
      }
      // One check per role that submits background loads: the Data API lists a role only its own statements.
      const submitters = new Map<iam.Role, readonly IDependable[]>();
      if (config.loadMode === 'submit') submitters.set(this.loader.role, [this.loader.policy]);
      if (this.scheduledLoad && !submitters.has(this.scheduledLoad.role)) {
        submitters.set(this.scheduledLoad.role, this.scheduledLoad.policy ? [this.scheduledLoad.policy] : [this.loader.policy]);
      }
      this.staleLoadChecks = [...submitters].map(
        ([role, permissions]) =>
          new StaleLoadCheck(this, role === this.loader.role ? 'StaleLoadCheck' : 'ScheduledStaleLoadCheck', {
            role,
            permissions,
            loadProperties: this.loader.scheduleProperties,
            timeout: Duration.hours(config.backgroundLoadTimeoutHours),
            failureTopic: loadFailures.topic,
            entry: props.loaderEntry,
          }),
      );
    } else {
      this.staleLoadChecks = [];
    }

    Tags.of(this).add('project', 'sparkify-warehouse');
    this.addOutputs(serverless);
  }

  /**
   * The zones as tokens resolved at deploy time, with or without an account: synth never looks
   * anything up, so it runs with no credentials and no network.
   */
  override get availabilityZones(): string[] {
    return [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs()));
  }

  private addOutputs(serverless: boolean): void {
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    const target = this.warehouse.dataApiTarget;
    output(
      'EndpointAddress',
      this.warehouse.endpointAddress,
      'Host name of the warehouse (reachable only inside its VPC; analysts use the Data API)',
    );
    output('EndpointPort', this.warehouse.endpointPort, 'Port the warehouse listens on');
    output('DatabaseName', this.warehouse.databaseName, 'Database that holds the star schema');
    output(serverless ? 'WorkgroupName' : 'ClusterIdentifier', target.name, 'What the Data API names as the warehouse');
    output(
      'AdminSecretArn',
      this.warehouse.adminSecretArn,
      this.warehouse.adminSecretRotatedByRedshift
        ? 'Secrets Manager secret with the admin user name and password (generated and rotated by Redshift)'
        : 'Secrets Manager secret with the admin user name and password (generated by Secrets Manager when the stack was created; not rotated)',
    );
    output('SourceReadRoleArn', this.sourceReadRole.role.roleArn, 'Role Redshift assumes to COPY from the source bucket');
    output('AnalystRoleArn', this.analystAccess.role.roleArn, 'Role analysts assume to query read-only through the Data API, no password');
    output(
      'AnalystPolicyArn',
      this.analystAccess.policy.managedPolicyArn,
      'Managed policy to attach to existing principals for the same access',
    );
    if (this.analystAccess.dbUser)
      output('AnalystDbUser', this.analystAccess.dbUser, 'Database user analysts sign in as (Data API --db-user)');
    output('LoadId', this.loader.loadId, 'Load id of the load this deploy ran (a row of load_history)');
    output('LoadFingerprint', this.fingerprint, 'Digest of the SQL and source settings of the load');
    if (this.loadFailures) {
      output(
        'LoadFailuresTopicArn',
        this.loadFailures.topic.topicArn,
        'SNS topic told of every background load (loadMode submit, the schedule) that fails or runs past its timeout (subscribe to it)',
      );
    }
    if (this.loader.loadMode === 'wait') {
      for (const table of LOADED_TABLES) {
        const id = `Rows${table.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase())}`;
        output(id, this.loader.rows(table), `Rows in ${table} after the load`);
      }
    }
  }
}
