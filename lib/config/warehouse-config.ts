/**
 * The warehouse's settings: parsed and validated here and nowhere else. The CDK app reads them
 * from CDK context (defaults in cdk.json, overrides with `-c sparkify:<name>=<value>`); the
 * offline CLI reads the same cdk.json, so both load the same sources with the same rules.
 */

import { ADMIN_USERNAME, wellKnownAdminUsername } from '../rules/admin-user';
import { BACKGROUND_LOAD_TIMEOUT_HOURS, MAX_LOAD_ERRORS } from '../rules/limits';
import { portProblem } from '../rules/port';
import { DATABASE_NAME } from '../rules/redshift-names';
import { BUCKET_NAME, JSONPATHS_KEY, KEY_PREFIX } from '../rules/s3-names';
import type { TextRule } from '../rules/text-rule';

export const CONTEXT_PREFIX = 'sparkify:';

export const NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/**
 * The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy's retentionInDays:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

export interface WarehouseConfig {
  /** Region the stack deploys to. */
  readonly region: string;
  readonly sourceBucket: string;
  readonly sourceRegion: string;
  /** Key prefix of the event logs; like COPY, a prefix matches every key that starts with it. */
  readonly eventsPrefix: string;
  readonly songsPrefix: string;
  readonly jsonpathsKey: string;
  /** Rejected records a COPY tolerates before the load fails (Redshift's MAXERROR). */
  readonly maxLoadErrors: number;
  readonly databaseName: string;
  readonly compute: 'provisioned' | 'serverless';
  readonly nodeType: NodeType;
  readonly numberOfNodes: number;
  readonly serverlessBaseCapacity: number;
  readonly adminUsername: string;
  /** RA3 clusters and Redshift Serverless accept only 5431-5455 and 8191-8215. */
  readonly port: number;
  /**
   * Route COPY's S3 traffic through the VPC (an S3 gateway endpoint limited to the source bucket)
   * instead of Redshift's own internet path. Needs the bucket in the stack's region: a private VPC
   * has no NAT to reach another region's S3.
   */
  readonly enhancedVpcRouting: boolean;
  /**
   * 'destroy' deletes the cluster on `cdk destroy`; 'snapshot' keeps a final snapshot, and the
   * audit log groups with it.
   */
  readonly removalPolicy: 'destroy' | 'snapshot';
  /** How long CloudWatch keeps the audit logs (connections, users, user activity). */
  readonly auditLogRetentionDays: LogRetentionDays;
  /** 'wait' polls the load to completion during the deploy; 'submit' returns once it is submitted. */
  readonly loadMode: 'wait' | 'submit';
  /** Reload only when the SQL or the source settings change, instead of on every deploy. */
  readonly pinLoad: boolean;
  readonly pollIntervalSeconds: number;
  readonly loadTimeoutMinutes: number;
  /**
   * 'off', or an EventBridge Scheduler expression (`cron(...)` or `rate(...)`) on which the stack
   * runs the incremental load (new log files only) between deploys; deploys keep their full reload.
   */
  readonly incrementalSchedule: 'off' | ScheduleExpression;
  /** An email address the load-failure topic notifies (background loads only: hasBackgroundLoads); '' for none. */
  readonly alarmEmail: string;
  /**
   * A background load (hasBackgroundLoads) still running this many hours after it was submitted is
   * reported to the load-failure topic, once (BACKGROUND_LOAD_TIMEOUT_HOURS: below the Data API's 24 hours).
   */
  readonly backgroundLoadTimeoutHours: number;
}

/** `cron(...)` or `rate(...)`, checked by scheduleExpressionProblem. */
export type ScheduleExpression = `cron(${string})` | `rate(${string})`;

export const DEFAULT_CONFIG: WarehouseConfig = {
  region: 'us-west-2',
  sourceBucket: 'udacity-dend',
  sourceRegion: 'us-west-2',
  eventsPrefix: 'log_data',
  songsPrefix: 'song_data',
  jsonpathsKey: 'log_json_path.json',
  maxLoadErrors: 0,
  databaseName: 'sparkify',
  compute: 'provisioned',
  nodeType: 'ra3.large',
  numberOfNodes: 1,
  serverlessBaseCapacity: 8,
  adminUsername: 'sparkify_admin',
  port: 5441,
  enhancedVpcRouting: true,
  removalPolicy: 'destroy',
  auditLogRetentionDays: 90,
  loadMode: 'wait',
  pinLoad: false,
  pollIntervalSeconds: 15,
  loadTimeoutMinutes: 55,
  incrementalSchedule: 'off',
  alarmEmail: '',
  backgroundLoadTimeoutHours: 6,
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid sparkify configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Setting = keyof WarehouseConfig;

/** One check per setting: returns the parsed value or a message that says what to write instead. */
type Parser<T> = (raw: unknown) => { value: T } | { fix: string };

const text =
  (pattern: RegExp, fix: string): Parser<string> =>
  (raw) =>
    typeof raw === 'string' && pattern.test(raw) ? { value: raw } : { fix };

/** A setting checked by a shared rule (lib/rules): the same words wherever the value is refused. */
const rule = (shared: TextRule): Parser<string> => text(shared.pattern, `use ${shared.expected}`);

const integer =
  (min: number, max: number, extra?: (n: number) => string | undefined): Parser<number> =>
  (raw) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      return { fix: `use a whole number from ${min} to ${max}` };
    }
    const problem = extra?.(n);
    return problem ? { fix: problem } : { value: n };
  };

const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) =>
    typeof raw === 'string' && (values as readonly string[]).includes(raw)
      ? { value: raw as T }
      : { fix: `use one of ${values.map((v) => `'${v}'`).join(', ')}` };

/** A whole number from a fixed list (context values from `-c` arrive as strings). */
const numberOf =
  <T extends number>(values: readonly T[], what: string): Parser<T> =>
  (raw) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    return typeof n === 'number' && (values as readonly number[]).includes(n)
      ? { value: n as T }
      : { fix: `use ${what}: one of ${values.join(', ')}` };
  };

const boolean: Parser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return { value: raw };
  if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
  return { fix: 'use true or false' };
};

/**
 * What EventBridge Scheduler accepts for a recurring schedule
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html): `rate(value unit)`,
 * a positive whole value and minute(s), hour(s) or day(s), singular for 1; `cron(fields)`, six
 * fields (minutes hours day-of-month month day-of-week year), one of the two day fields '?'.
 * One-time `at(...)` schedules are refused: this is a recurring load. Undefined when acceptable.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    if (value < 1) return 'a rate needs a positive whole value, e.g. rate(1 day)';
    const singular = unit.replace(/s$/, '');
    const right = value === 1 ? singular : `${singular}s`;
    if (unit !== right) return `write rate(${value} ${right}): the unit is singular for 1, plural otherwise`;
    return undefined;
  }
  const cron = /^cron\(([^()]*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6)
      return `a cron expression has six fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
    const bad = fields.find((field) => !/^[0-9A-Za-z,*/?#-]+$/.test(field));
    if (bad !== undefined) return `cron field ${JSON.stringify(bad)} has a character cron does not take`;
    if ((fields[2] === '?') === (fields[4] === '?')) return 'exactly one of day-of-month (3rd field) and day-of-week (5th field) must be ?';
    return undefined;
  }
  return 'not a rate(...) or cron(...) expression (a one-time at(...) is not a recurring schedule)';
}

const schedule: Parser<WarehouseConfig['incrementalSchedule']> = (raw) => {
  const example = "e.g. 'cron(15 1 * * ? *)' (01:15 UTC daily) or 'rate(1 day)'";
  if (raw === 'off') return { value: 'off' };
  if (typeof raw !== 'string') return { fix: `use 'off' or an EventBridge Scheduler expression, ${example}` };
  const problem = scheduleExpressionProblem(raw);
  return problem ? { fix: `${problem}; use 'off' or an expression, ${example}` } : { value: raw as ScheduleExpression };
};

// Deliberately plain: one @, no spaces, a dot in the domain. SNS sends a confirmation mail, the real check.
const EMAIL = /^[^\s@"'<>(),;:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const regionFix = "use an AWS region code such as 'us-west-2'";
const prefix = rule(KEY_PREFIX);

const PARSERS: { readonly [K in Setting]: Parser<WarehouseConfig[K]> } = {
  region: text(REGION, regionFix),
  sourceBucket: rule(BUCKET_NAME),
  sourceRegion: text(REGION, regionFix),
  eventsPrefix: prefix,
  songsPrefix: prefix,
  jsonpathsKey: rule(JSONPATHS_KEY),
  maxLoadErrors: integer(0, MAX_LOAD_ERRORS),
  databaseName: rule(DATABASE_NAME),
  compute: oneOf(['provisioned', 'serverless']),
  nodeType: oneOf(NODE_TYPES),
  numberOfNodes: integer(1, 128),
  serverlessBaseCapacity: integer(8, 1024, (n) => (n % 8 === 0 ? undefined : 'use a multiple of 8 RPUs from 8 to 1024')),
  adminUsername: (raw) => {
    const name = rule(ADMIN_USERNAME)(raw);
    const wellKnown = 'value' in name ? wellKnownAdminUsername(name.value) : undefined;
    return wellKnown ? { fix: wellKnown } : name;
  },
  port: (raw) => {
    const port = integer(1, 65535)(raw);
    // Any non-number: the same advice as an out-of-range port.
    const problem = portProblem('value' in port ? port.value : Number.NaN);
    return problem ? { fix: problem } : port;
  },
  enhancedVpcRouting: boolean,
  removalPolicy: oneOf(['destroy', 'snapshot']),
  auditLogRetentionDays: numberOf(LOG_RETENTION_DAYS, 'a CloudWatch Logs retention in days'),
  loadMode: oneOf(['wait', 'submit']),
  pinLoad: boolean,
  pollIntervalSeconds: integer(5, 300),
  loadTimeoutMinutes: integer(1, 60),
  incrementalSchedule: schedule,
  alarmEmail: (raw) =>
    raw === '' || (typeof raw === 'string' && raw.length <= 254 && EMAIL.test(raw))
      ? { value: raw }
      : { fix: "use an email address such as 'data-team@example.com', or '' for no email" },
  backgroundLoadTimeoutHours: integer(BACKGROUND_LOAD_TIMEOUT_HOURS.min, BACKGROUND_LOAD_TIMEOUT_HOURS.max),
};

/**
 * Reads every `sparkify:<setting>` key of a CDK context (missing keys take DEFAULT_CONFIG's value)
 * and reports every bad or unknown one at once, each with the value found and the fix.
 */
export function parseWarehouseConfig(context: Readonly<Record<string, unknown>>): WarehouseConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, raw] of Object.entries(context)) {
    if (!key.startsWith(CONTEXT_PREFIX)) continue;
    const name = key.slice(CONTEXT_PREFIX.length);
    if (!(name in PARSERS)) {
      problems.push(
        `${key} is not a setting: use one of ${Object.keys(PARSERS)
          .map((k) => CONTEXT_PREFIX + k)
          .join(', ')}`,
      );
      continue;
    }
    const parsed = PARSERS[name as Setting](raw);
    if ('fix' in parsed) problems.push(`${key} = ${JSON.stringify(raw)}: ${parsed.fix}`);
    else config[name] = parsed.value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as unknown as WarehouseConfig;
}

/**
 * The rules between settings that a deployment needs on top of parseWarehouseConfig's per-setting
 * checks (kept apart: the loader parses a subset of the settings with parseWarehouseConfig, where
 * the other settings' defaults must not count). Throws a ConfigError naming the values and the fix.
 */
export function checkDeploymentConfig(config: WarehouseConfig): WarehouseConfig {
  const problems: string[] = [];
  if (config.enhancedVpcRouting && config.sourceRegion !== config.region) {
    // The VPC is private (no NAT): with enhanced VPC routing, COPY reaches S3 only through the
    // gateway endpoint, which serves the stack's own region.
    problems.push(
      `${CONTEXT_PREFIX}enhancedVpcRouting = true with ${CONTEXT_PREFIX}sourceRegion = ${JSON.stringify(config.sourceRegion)} ` +
        `and ${CONTEXT_PREFIX}region = ${JSON.stringify(config.region)}: the private VPC can reach S3 only in its own region; ` +
        `set ${CONTEXT_PREFIX}enhancedVpcRouting=false (COPY then uses Redshift's own network path) ` +
        `or deploy to the bucket's region with ${CONTEXT_PREFIX}region=${config.sourceRegion}`,
    );
  }
  if (config.incrementalSchedule !== 'off' && config.sourceRegion !== config.region) {
    // One COPY has one REGION (the source's): the manifest it reads lives in the stack's region.
    problems.push(
      `${CONTEXT_PREFIX}incrementalSchedule = ${JSON.stringify(config.incrementalSchedule)} with ${CONTEXT_PREFIX}sourceRegion = ${JSON.stringify(config.sourceRegion)} ` +
        `and ${CONTEXT_PREFIX}region = ${JSON.stringify(config.region)}: an incremental load COPYs through a manifest in the stack's region, and one COPY reads one region; ` +
        `deploy to the bucket's region with ${CONTEXT_PREFIX}region=${config.sourceRegion}, or set ${CONTEXT_PREFIX}incrementalSchedule=off`,
    );
  }
  if (config.alarmEmail !== '' && !hasBackgroundLoads(config)) {
    // The topic exists only for background loads: an address given without them would silently do nothing.
    problems.push(
      `${CONTEXT_PREFIX}alarmEmail = ${JSON.stringify(config.alarmEmail)} with ${CONTEXT_PREFIX}loadMode = "wait" and ${CONTEXT_PREFIX}incrementalSchedule = "off": ` +
        `no load runs after the deploy returns (a failed deploy load fails the deploy), so there is no failure topic to subscribe to; ` +
        `set ${CONTEXT_PREFIX}loadMode=submit or ${CONTEXT_PREFIX}incrementalSchedule (e.g. 'cron(15 1 * * ? *)'), or remove ${CONTEXT_PREFIX}alarmEmail`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Whether some load runs after the deploy has returned, out of sight of CloudFormation: every load
 * in 'submit' mode, and the schedule's. Those get the load-failure topic, rule and stale-load check.
 */
export function hasBackgroundLoads(config: Pick<WarehouseConfig, 'loadMode' | 'incrementalSchedule'>): boolean {
  return config.loadMode === 'submit' || config.incrementalSchedule !== 'off';
}

/** The S3 URIs the load reads. */
export function sourceUris(config: Pick<WarehouseConfig, 'sourceBucket' | 'eventsPrefix' | 'songsPrefix' | 'jsonpathsKey'>): {
  events: string;
  songs: string;
  jsonpaths: string;
} {
  const base = `s3://${config.sourceBucket}`;
  return { events: `${base}/${config.eventsPrefix}`, songs: `${base}/${config.songsPrefix}`, jsonpaths: `${base}/${config.jsonpathsKey}` };
}
