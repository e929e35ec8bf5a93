import { CONTEXT_PREFIX, ConfigError, parseWarehouseConfig } from '../../lib/config/warehouse-config';
import type { PlanSettings } from '../../lib/plan/load-plan';

/** The custom resource's properties, parsed: what the CDK stack passes (all strings on the wire). */
export interface LoadProperties {
  readonly loadId: string;
  readonly fingerprint: string;
  readonly roleArn: string;
  readonly settings: PlanSettings;
  readonly database: string;
  readonly secretArn: string;
  /** Exactly one of the two: where the Data API runs the SQL. */
  readonly target: { readonly clusterIdentifier: string } | { readonly workgroupName: string };
  readonly loadMode: 'wait' | 'submit';
}

/** Names every bad property at once; these are set by the CDK stack, so the fix is in its code or context. */
export class PropertyError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid properties of the load custom resource: ${problems.join('; ')}`);
    this.name = 'PropertyError';
  }
}

const SETTING_KEYS = ['sourceBucket', 'sourceRegion', 'eventsPrefix', 'songsPrefix', 'jsonpathsKey', 'maxLoadErrors'] as const;

const RULES = {
  LoadId: [/^[A-Za-z0-9._:-]{1,128}$/, '1-128 letters, digits or . _ : -'],
  Fingerprint: [/^[A-Za-z0-9]{1,64}$/, 'the plan fingerprint (letters and digits)'],
  RoleArn: [/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)'],
  Database: [/^[a-z_][a-z0-9_$]{0,63}$/, 'a lower-case database name'],
  // '!' too: the secret Redshift manages for a cluster is named 'redshift!<cluster>-<admin user>'.
  SecretArn: [/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@!-]+$/, 'a Secrets Manager secret ARN'],
  ClusterIdentifier: [/^[a-z][a-z0-9-]{0,62}$/, 'a cluster identifier (lower case, 1-63 characters)'],
  WorkgroupName: [/^[a-z0-9-]{3,64}$/, 'a workgroup name (lower case, 3-64 characters)'],
  LoadMode: [/^(wait|submit)$/, "'wait' or 'submit'"],
} as const satisfies Record<string, readonly [RegExp, string]>;

type Name = keyof typeof RULES;

/** Parses and validates ResourceProperties; throws PropertyError naming each bad property. */
export function parseProperties(raw: Readonly<Record<string, unknown>> | undefined): LoadProperties {
  const props = raw ?? {};
  const problems: string[] = [];
  const read = (name: Name, required = true): string => {
    const value = props[name];
    const [pattern, expected] = RULES[name];
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

  const loadId = read('LoadId');
  const fingerprint = read('Fingerprint');
  const roleArn = read('RoleArn');
  const database = read('Database');
  const secretArn = read('SecretArn');
  const clusterIdentifier = read('ClusterIdentifier', false);
  const workgroupName = read('WorkgroupName', false);
  const loadMode = read('LoadMode') as LoadProperties['loadMode'];
  const settings = parseSettings(props.Settings, problems);

  const hasCluster = props.ClusterIdentifier !== undefined && props.ClusterIdentifier !== '';
  const hasWorkgroup = props.WorkgroupName !== undefined && props.WorkgroupName !== '';
  if (hasCluster === hasWorkgroup) {
    problems.push(`exactly one of ClusterIdentifier or WorkgroupName must be set (found ${hasCluster ? 'both' : 'neither'})`);
  }
  if (problems.length > 0 || !settings) throw new PropertyError(problems);
  return {
    loadId,
    fingerprint,
    roleArn,
    settings,
    database,
    secretArn,
    target: hasCluster ? { clusterIdentifier } : { workgroupName },
    loadMode,
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

/** Where the Data API runs SQL: the loader's properties, or the CLI's options for a deployed warehouse. */
export type WarehouseTarget = Pick<LoadProperties, 'database' | 'secretArn' | 'target'>;

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

/** Where the Data API runs a statement, and as whom: the admin secret (its ARN; the value never passes here). */
export function dataApiTarget(props: WarehouseTarget): ReturnType<typeof dataApiWhere> & { SecretArn: string } {
  return { ...dataApiWhere(props), SecretArn: props.secretArn };
}
