import { CONTEXT_PREFIX, ConfigError, parseWarehouseConfig } from '../../lib/config/warehouse-config';
import type { PlanSettings } from '../../lib/plan/load-plan';
import { ROLE_ARN } from '../../lib/rules/arns';
import { FINGERPRINT } from '../../lib/rules/fingerprint';
import { LOAD_ID } from '../../lib/rules/load-id';
import { CLUSTER_IDENTIFIER, DATABASE_NAME, DATABASE_USER, WORKGROUP_NAME } from '../../lib/rules/redshift-names';
import { BUCKET_NAME } from '../../lib/rules/s3-names';
import type { TextRule } from '../../lib/rules/text-rule';

/** The custom resource's properties, parsed: what the CDK stack passes (all strings on the wire). */
export interface LoadProperties {
  readonly loadId: string;
  readonly fingerprint: string;
  readonly roleArn: string;
  readonly settings: PlanSettings;
  readonly database: string;
  /**
   * The database user the load signs in as on a provisioned cluster, with temporary credentials
   * (redshift:GetClusterCredentials); absent for Serverless, where the Lambda's own IAM identity
   * signs in and Redshift grants it the roles its RedshiftDbRoles tag names. Never a secret.
   */
  readonly dbUser?: string;
  /** Exactly one of the two: where the Data API runs the SQL. */
  readonly target: { readonly clusterIdentifier: string } | { readonly workgroupName: string };
  readonly loadMode: 'wait' | 'submit';
  /**
   * With the schedule (TrackSources 'true'): full loads list the source and record it, and the
   * load's files (its listing, an incremental load's manifest) go to this bucket, under loads/.
   */
  readonly sourceTracking?: { readonly manifestBucket: string };
}

/** Names every bad property at once; these are set by the CDK stack, so the fix is in its code or context. */
export class PropertyError extends Error {
  constructor(
    readonly problems: readonly string[],
    resource = 'the load custom resource',
  ) {
    super(`Invalid properties of ${resource}: ${problems.join('; ')}`);
    this.name = 'PropertyError';
  }
}

const SETTING_KEYS = ['sourceBucket', 'sourceRegion', 'eventsPrefix', 'songsPrefix', 'jsonpathsKey', 'maxLoadErrors'] as const;

// The stack checked these values with the same rules (lib/rules) at synth.
const RULES = {
  LoadId: LOAD_ID,
  Fingerprint: FINGERPRINT,
  RoleArn: ROLE_ARN,
  Database: DATABASE_NAME,
  DbUser: DATABASE_USER,
  ClusterIdentifier: CLUSTER_IDENTIFIER,
  WorkgroupName: WORKGROUP_NAME,
  LoadMode: { pattern: /^(wait|submit)$/, expected: "'wait' or 'submit'" },
  TrackSources: { pattern: /^(true|false)$/, expected: "'true' or 'false'" },
  ManifestBucket: BUCKET_NAME,
} as const satisfies Record<string, TextRule>;

/**
 * Reads string properties by their rules: a missing or malformed one reads as '' and adds a
 * problem naming it, so every bad property is named at once.
 */
export function propertyReader<Name extends string>(
  props: Readonly<Record<string, unknown>>,
  rules: Readonly<Record<Name, TextRule>>,
  problems: string[],
): (name: Name, required?: boolean) => string {
  return (name, required = true) => {
    const value = props[name];
    const { pattern, expected } = rules[name];
    if (value === undefined || value === '') {
      if (required) problems.push(`${name} is missing: expected ${expected}`);
      return '';
    }
    if (typeof value !== 'string' || !pattern.test(value)) {
      problems.push(`${name} = ${JSON.stringify(value)}: expected ${expected}`);
      return '';
    }
    return value;
  };
}

/** Parses and validates ResourceProperties; throws PropertyError naming each bad property. */
export function parseProperties(raw: Readonly<Record<string, unknown>> | undefined): LoadProperties {
  const props = raw ?? {};
  const problems: string[] = [];
  const read = propertyReader(props, RULES, problems);

  const loadId = read('LoadId');
  const fingerprint = read('Fingerprint');
  const roleArn = read('RoleArn');
  const where = readWarehouse(props, problems);
  const loadMode = read('LoadMode') as LoadProperties['loadMode'];
  const settings = parseSettings(props.Settings, problems);
  const trackSources = read('TrackSources', false) === 'true';
  const manifestBucket = read('ManifestBucket', false);
  if (trackSources && !manifestBucket && !problems.some((p) => p.startsWith('ManifestBucket')))
    problems.push("ManifestBucket is missing: TrackSources 'true' writes the load's files to the stack's LoadManifests bucket");
  if (problems.length > 0 || !settings) throw new PropertyError(problems);
  return {
    loadId,
    fingerprint,
    roleArn,
    settings,
    ...where,
    loadMode,
    ...(trackSources ? { sourceTracking: { manifestBucket } } : {}),
  };
}

/** Where the loader's statements run, and as whom: the properties every handler of the bundle reads alike. */
export type LoaderWhere = Pick<LoadProperties, 'database' | 'dbUser' | 'target'>;

/**
 * Database, DbUser and exactly one of ClusterIdentifier or WorkgroupName, each by its rule; a
 * problem for each bad one (the caller throws them all at once).
 */
export function readWarehouse(props: Readonly<Record<string, unknown>>, problems: string[]): LoaderWhere {
  const read = propertyReader(props, RULES, problems);
  const database = read('Database');
  const dbUser = read('DbUser', false);
  const clusterIdentifier = read('ClusterIdentifier', false);
  const workgroupName = read('WorkgroupName', false);
  const hasCluster = props.ClusterIdentifier !== undefined && props.ClusterIdentifier !== '';
  const hasWorkgroup = props.WorkgroupName !== undefined && props.WorkgroupName !== '';
  if (hasCluster === hasWorkgroup) {
    problems.push(`exactly one of ClusterIdentifier or WorkgroupName must be set (found ${hasCluster ? 'both' : 'neither'})`);
  }
  // The Data API takes DbUser for a cluster only; Serverless signs in with the IAM identity.
  if (hasCluster && !dbUser && !problems.some((p) => p.startsWith('DbUser')))
    problems.push('DbUser is missing: a cluster load signs in as a database user');
  if (hasWorkgroup && dbUser)
    problems.push('DbUser is set for a workgroup: Serverless signs in with the IAM identity, not a database user');
  return {
    database,
    ...(dbUser ? { dbUser } : {}),
    target: hasCluster ? { clusterIdentifier } : { workgroupName },
  };
}

/** Settings is a JSON object of PlanSettings, checked by the same rules as the CDK context. */
function parseSettings(raw: unknown, problems: string[]): PlanSettings | undefined {
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    problems.push(`Settings is not valid JSON: expected a JSON object with ${SETTING_KEYS.join(', ')}`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`Settings = ${JSON.stringify(raw)}: expected a JSON object with ${SETTING_KEYS.join(', ')}`);
    return undefined;
  }
  const given = parsed as Record<string, unknown>;
  const missing = SETTING_KEYS.filter((key) => given[key] === undefined);
  // No defaults here: a setting the stack forgot must not silently become the default bucket.
  if (missing.length > 0) {
    problems.push(`Settings lacks ${missing.join(', ')}`);
    return undefined;
  }
  try {
    const config = parseWarehouseConfig(Object.fromEntries(SETTING_KEYS.map((key) => [CONTEXT_PREFIX + key, given[key]])));
    return Object.fromEntries(SETTING_KEYS.map((key) => [key, config[key]])) as unknown as PlanSettings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `Settings.${problem.slice(CONTEXT_PREFIX.length)}`));
    return undefined;
  }
}

/** Stable per cluster or workgroup and database, so a reload (Update) never makes CloudFormation Delete the old one. */
export function physicalResourceId(props: LoadProperties): string {
  const where =
    'clusterIdentifier' in props.target ? `cluster/${props.target.clusterIdentifier}` : `workgroup/${props.target.workgroupName}`;
  return `sparkify-load/${where}/${props.database}`;
}

/**
 * Where the Data API runs SQL, and as whom: the loader's properties, or the CLI's options for a
 * deployed warehouse. With neither dbUser nor secretArn, the caller's IAM identity signs in.
 */
export type WarehouseTarget = Pick<LoadProperties, 'database' | 'dbUser' | 'target'> & {
  /** A Secrets Manager secret's ARN (the admin's): the bootstrap only, or a user who asks for it. */
  readonly secretArn?: string;
};

/** The warehouse as the Data API names it: the cluster or workgroup and the database. */
export function dataApiWhere(props: Pick<WarehouseTarget, 'database' | 'target'>): {
  Database: string;
  ClusterIdentifier?: string;
  WorkgroupName?: string;
} {
  return {
    Database: props.database,
    ...('clusterIdentifier' in props.target
      ? { ClusterIdentifier: props.target.clusterIdentifier }
      : { WorkgroupName: props.target.workgroupName }),
  };
}

/**
 * Where the Data API runs a statement, and as whom
 * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ExecuteStatement.html):
 * DbUser (temporary credentials), SecretArn (its ARN; the value never passes here), or neither
 * (the caller's IAM identity).
 */
export function dataApiTarget(props: WarehouseTarget): ReturnType<typeof dataApiWhere> & { DbUser?: string; SecretArn?: string } {
  return {
    ...dataApiWhere(props),
    ...(props.dbUser ? { DbUser: props.dbUser } : {}),
    ...(props.secretArn ? { SecretArn: props.secretArn } : {}),
  };
}
