import { createHash } from 'node:crypto';
import { sourceUris, type WarehouseConfig } from '../config/warehouse-config';
import { ROLE_ARN } from '../rules/arns';
import { ANALYST_ROLE, ANALYST_TABLES } from '../rules/database-identities';
import { FINGERPRINT_HEX_DIGITS } from '../rules/fingerprint';
import { MAX_ERROR_BYTES } from '../rules/limits';
import { LOAD_ID } from '../rules/load-id';
import { STAGING_TABLES, STAR_TABLES, type StagingTable, type StarTable } from '../rules/tables';
import { follows, refusal } from '../rules/text-rule';
import { PlanError, bindTemplate, sqlString } from './bind';
import { GATE_MANIFEST_FILE } from './gate-manifest';
import { generateGates } from './generated-gates';
import type { SqlFiles } from './sql-files';
import { parseTableDesign, type TableDesign } from './table-design';

// Defined in lib/rules; re-exported for the modules that import them from the plan.

/** The settings that shape the load (and so its fingerprint). */
export type PlanSettings = Pick<
  WarehouseConfig,
  'sourceBucket' | 'sourceRegion' | 'eventsPrefix' | 'songsPrefix' | 'jsonpathsKey' | 'maxLoadErrors'
>;

export interface PlanInput {
  readonly settings: PlanSettings;
  /** The role Redshift assumes to read the source bucket (attached to the cluster). */
  readonly roleArn: string;
  /** Names this load in load_history; letters, digits and . _ : - only. */
  readonly loadId: string;
  /** @default { kind: 'full' }: a full reload that tracks no source files. */
  readonly mode?: LoadMode;
}

/**
 * A full load reads both prefixes and rewrites every table; with `filesUri` it also records the
 * listing it was decided on (source_files). An incremental load COPYs only the log files of the
 * manifest at `manifestUri`, appends their plays and times, re-ranks users, and records the new
 * files (docs/incremental-loads.md §2). The executor writes both files before the load.
 */
export type LoadMode =
  | { readonly kind: 'full'; readonly filesUri?: string }
  | { readonly kind: 'incremental'; readonly manifestUri: string; readonly filesUri: string };

/** 'security': the bootstrap's steps (lib/plan/bootstrap-plan.ts), run by the admin, never in a load. */
export type StepKind = 'schema' | 'history' | 'staging' | 'tracking' | 'mart' | 'gate' | 'security';

export interface PlanStep {
  /** Stable and unique: 'mart.songplays', 'clear.staging_events', 'gate.keys_not_null_and_unique'. */
  readonly name: string;
  readonly kind: StepKind;
  /** The SQL file, relative to sql/ (for a gate generated from the manifest, its template in gates/generic/). */
  readonly file: string;
  /** The statement with its parameters bound, no trailing semicolon. A gate's SQL returns its failing rows. */
  readonly sql: string;
}

export interface LoadPlan {
  /** What the plan was built from: an executor rebuilds it in another mode once it has listed the source. */
  readonly input: PlanInput;
  readonly loadId: string;
  readonly mode: LoadMode['kind'];
  readonly fingerprint: string;
  readonly steps: readonly PlanStep[];
  /** The product's tables as sql/schema declares them, in creation order. */
  readonly tables: readonly TableDesign[];
}

/** In creation order: songplays' (informational) foreign keys name the dimensions. */
const SCHEMA_FILES = [
  'staging_events',
  'staging_songs',
  'users',
  'songs',
  'artists',
  'time',
  'songplays',
  'source_files',
  'user_latest_event',
  'load_history',
  'schema_changes',
  'assert_gate',
];
/**
 * Run by the loader after the schema, on every load: analysts read what a load creates or rebuilds
 * at once, and never staging. A grant, not ALTER DEFAULT PRIVILEGES: Redshift's default privileges
 * name a user (FOR USER), and on Serverless the loader's user (IAMR:<role>) does not exist when the
 * bootstrap runs; and default privileges cannot leave the staging tables out.
 */
const ANALYST_GRANT_FILE = 'security/grant_select_to_analyst.sql';
export const ANALYST_GRANT_STEP = 'schema.grant_analyst';
/** The schema file that creates a procedure, not a table. */
const PROCEDURE_FILES = new Set(['assert_gate']);
/** sql/tracking: what the load records of its sources and of each user's latest event. */
const TRACKING_FILES = ['source_files', 'user_latest_insert', 'user_latest_prune'];

/**
 * A file in sql/schema, sql/staging or sql/marts that the plan does not run is an error, not a
 * silent skip: the plan runs its tables' files by name (lib/rules/tables.ts).
 */
function checkNoUnplannedFiles(files: SqlFiles): void {
  const planned: Record<string, readonly string[]> = {
    schema: SCHEMA_FILES,
    staging: STAGING_TABLES,
    marts: STAR_TABLES,
    tracking: TRACKING_FILES,
  };
  for (const file of files.keys()) {
    const [folder, name] = file.replace(/\.sql$/, '').split('/');
    const names = folder === undefined ? undefined : planned[folder];
    if (!names || name === undefined || names.includes(name)) continue;
    throw new PlanError(
      `sql/${file} is not part of the load plan, which runs sql/${folder}/ for ${names.join(', ')}. ` +
        'A new table needs its DDL in sql/schema, its SQL in sql/staging or sql/marts, its name in lib/rules/tables.ts and a rows_<table> column in load_history; ' +
        `otherwise move the file out of sql/${folder}/`,
    );
  }
}

/** The load id is pasted into SQL string literals: refused here, whoever calls, unless it follows LOAD_ID. */
function checkLoadId(loadId: string): void {
  if (!follows(LOAD_ID, loadId)) throw new PlanError(refusal('load id', loadId, LOAD_ID));
}

/** An object the executor wrote for the load (its manifest, its listing): pasted into SQL literals. */
const S3_OBJECT_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[A-Za-z0-9._:/-]+$/;

/** The files the plan is made of: what the fingerprint covers. */
function planFiles(files: SqlFiles): string[] {
  return [
    ...SCHEMA_FILES.map((name) => `schema/${name}.sql`),
    'common/clear_table.sql',
    ANALYST_GRANT_FILE,
    ...[...files.keys()].filter((file) => /^(staging|marts|tracking|gates|history)\//.test(file)),
  ];
}

/** A digest of the plan's SQL and settings: unchanged SQL and sources give the same fingerprint. */
export function planFingerprint(files: SqlFiles, settings: PlanSettings): string {
  const hash = createHash('sha256');
  for (const file of [...new Set(planFiles(files))].sort()) hash.update(`${file}\0${sqlFile(files, file)}\0`);
  const { sourceBucket, sourceRegion, eventsPrefix, songsPrefix, jsonpathsKey, maxLoadErrors } = settings;
  hash.update(JSON.stringify({ sourceBucket, sourceRegion, eventsPrefix, songsPrefix, jsonpathsKey, maxLoadErrors }));
  return hash.digest('hex').slice(0, FINGERPRINT_HEX_DIGITS);
}

/** A file of sql/ the plan needs; missing, a PlanError naming it and the fix. */
export function sqlFile(files: SqlFiles, file: string, plan = 'the load plan'): string {
  const text = files.get(file);
  if (text === undefined) throw new PlanError(`sql/${file} is missing: ${plan} needs it (restore it from git)`);
  return text;
}

/**
 * The load as one ordered list of named steps, every parameter bound: the schema, the load's
 * history row, the staging COPYs, the marts, the quality gates, and the history row's completion.
 * Every executor (offline, Data API) runs exactly this list, in one transaction.
 */
export function buildLoadPlan(files: SqlFiles, input: PlanInput): LoadPlan {
  if (!follows(ROLE_ARN, input.roleArn)) throw new PlanError(refusal('role ARN', input.roleArn, ROLE_ARN));
  checkLoadId(input.loadId);
  checkNoUnplannedFiles(files);
  const fingerprint = planFingerprint(files, input.settings);
  const uris = sourceUris(input.settings);
  const mode: LoadMode = input.mode ?? { kind: 'full' };
  for (const uri of [mode.filesUri, mode.kind === 'incremental' ? mode.manifestUri : undefined]) {
    if (uri !== undefined && !S3_OBJECT_URI.test(uri)) {
      throw new PlanError(`the load's file URI ${JSON.stringify(uri)} is not s3://bucket/key (letters, digits and . _ - / only)`);
    }
  }
  const values = {
    role_arn: input.roleArn,
    events_from: mode.kind === 'incremental' ? mode.manifestUri : uris.events,
    manifest: mode.kind === 'incremental' ? ' MANIFEST' : '',
    files_uri: mode.filesUri ?? '',
    songs_uri: uris.songs,
    jsonpaths_uri: uris.jsonpaths,
    source_region: input.settings.sourceRegion,
    max_errors: String(input.settings.maxLoadErrors),
    load_id: input.loadId,
    fingerprint,
  };
  const step = (name: string, kind: StepKind, file: string, extra: Record<string, string> = {}): PlanStep => ({
    name,
    kind,
    file,
    sql: bindTemplate(file, sqlFile(files, file), { ...values, ...extra }),
  });
  const clear = (table: string, kind: StepKind = table.startsWith('staging_') ? 'staging' : 'mart') =>
    step(`clear.${table}`, kind, 'common/clear_table.sql', { table });
  const tracking = (name: string) => step(`tracking.${name}`, 'tracking', `tracking/${name}.sql`);
  // The manifest's gates, and the ones written by hand beside it for what a manifest cannot say;
  // by name, so a gate's place (and which gate a broken load fails first) follows from its name.
  const generated = generateGates(files, mode.kind).map((gate): PlanStep => ({
    name: `gate.${gate.name}`,
    kind: 'gate',
    file: GATE_MANIFEST_FILE,
    sql: gate.sql,
  }));
  // sql/gates/incremental/: what only an appending load can break (a full load rewrites the table).
  const gateFile = mode.kind === 'full' ? /^gates\/([^/]+)\.sql$/ : /^gates\/(?:incremental\/)?([^/]+)\.sql$/;
  const handWritten = [...files.keys()].flatMap((file) => {
    const name = gateFile.exec(file)?.[1];
    return name === undefined ? [] : [step(`gate.${name}`, 'gate', file)];
  });
  const clash = handWritten.find((gate) => generated.some((other) => other.name === gate.name));
  if (clash)
    throw new PlanError(`sql/${clash.file}: the gate ${clash.name} is also generated from sql/${GATE_MANIFEST_FILE}; rename the file`);
  const gates = [...generated, ...handWritten].sort((a, b) => a.name.localeCompare(b.name));

  const tables = SCHEMA_FILES.filter((name) => !PROCEDURE_FILES.has(name)).map((name) =>
    parseTableDesign(sqlFile(files, `schema/${name}.sql`), `sql/schema/${name}.sql`),
  );
  const stage = (table: StagingTable) => [
    clear(table),
    step(`staging.${table}`, 'staging', `staging/${table}.sql`),
    step(`history.${table}_read`, 'history', `history/${table}_read.sql`),
  ];
  const mart = (table: StarTable) => step(`mart.${table}`, 'mart', `marts/${table}.sql`);
  const loadSteps =
    mode.kind === 'full'
      ? [
          ...STAGING_TABLES.flatMap(stage),
          clear('source_files', 'tracking'),
          ...(mode.filesUri ? [tracking('source_files')] : []),
          clear('user_latest_event', 'tracking'),
          tracking('user_latest_insert'),
          ...STAR_TABLES.flatMap((table) => [clear(table), mart(table)]),
        ]
      : // songs, artists and staging_songs stay as the last full load left them (a song change escalates).
        [
          ...stage('staging_events'),
          step('history.staging_songs_kept', 'history', 'history/staging_songs_kept.sql'),
          tracking('source_files'),
          tracking('user_latest_insert'),
          tracking('user_latest_prune'),
          clear('users'),
          mart('users'),
          mart('songplays'),
          mart('time'),
        ];
  return {
    input,
    loadId: input.loadId,
    mode: mode.kind,
    fingerprint,
    tables,
    steps: [
      // An incremental load creates no table (one to create or rebuild makes it a full load); the
      // gate procedure is replaced as in every load (the gates CALL it).
      ...SCHEMA_FILES.filter((name) => mode.kind === 'full' || PROCEDURE_FILES.has(name)).map((name) =>
        step(`schema.${name}`, 'schema', `schema/${name}.sql`),
      ),
      step(ANALYST_GRANT_STEP, 'schema', ANALYST_GRANT_FILE, { analyst_role: ANALYST_ROLE, tables: ANALYST_TABLES.join(', ') }),
      step('history.load_started', 'history', 'history/load_started.sql'),
      ...loadSteps,
      ...gates,
      step('history.load_succeeded', 'history', 'history/load_succeeded.sql'),
    ],
  };
}

/** The statement that records a failed load, run after its rollback. */
export function failureStatement(files: SqlFiles, plan: LoadPlan, startedAt: Date, error: string): string {
  return bindTemplate('history/load_failed.sql', sqlFile(files, 'history/load_failed.sql'), {
    load_id: plan.loadId,
    fingerprint: plan.fingerprint,
    started_at: startedAt.toISOString().replace('T', ' ').replace('Z', ''),
    // Cut, then escape: cutting the escaped text could split a doubled quote and end the literal early.
    error: sqlString(clipUtf8(error, MAX_ERROR_BYTES)),
  });
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function clipUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text; // a UTF-16 unit is at most 3 UTF-8 bytes
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** The query for the latest attempt of a load: outcome and rows per table. */
export function loadReportQuery(files: SqlFiles, loadId: string): string {
  checkLoadId(loadId);
  return bindTemplate('history/load_report.sql', sqlFile(files, 'history/load_report.sql'), { load_id: loadId });
}

/**
 * A gate as one statement that fails the transaction when its query returns rows: what a
 * BatchExecuteStatement runs (the offline executor runs the query itself to show the rows).
 */
export function gateAssertion(step: PlanStep): string {
  return `CALL assert_gate('${sqlString(step.name)}', '${sqlString(step.sql)}')`;
}
