import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { buildLoadPlan, failureStatement, loadReportQuery, type LoadMode, type LoadPlan, type PlanStep } from '../lib/plan/load-plan';
import {
  ChangedSourceFilesError,
  FULL_AS_ASKED,
  decideFromWarehouse,
  decisionFacts,
  eventsManifest,
  trackingFile,
  trackingQueries,
  type CatalogReader,
  type LastLoadRow,
  type LoadDecision,
  LoadIdTakenError,
  type SourceObject,
} from '../lib/plan/source-diff';
import { PlanError, quoteIdent } from '../lib/plan/bind';
import {
  catalogQueries,
  historyExists,
  planSchemaSync,
  schemaIsCurrent,
  withSchemaSync,
  type CatalogColumn,
  type CatalogGrant,
  type SchemaSync,
  type TableChange,
} from '../lib/plan/schema-sync';
import type { SqlFiles } from '../lib/plan/sql-files';
import { buildBootstrapPlan } from '../lib/plan/bootstrap-plan';
import { DEFAULT_CONFIG } from '../lib/config/warehouse-config';
import { ANALYST_USER, LOADER_USER } from '../lib/rules/database-identities';
import { MAX_BATCH_STATEMENTS } from '../lib/rules/limits';
import { LOADED_TABLES, STAGING_TABLES, type LoadedTable } from '../lib/rules/tables';
import { parseCopy } from './copy/copy-command';
import type { LoadErrorRow } from './copy/load-error';
import { runCopy, type CopyRunOptions } from './copy/copy-runner';
import { LocalBuckets } from './copy/s3-source';
import { listSources } from './source-listing';
import { toPostgres } from './dialect-bridge';
import { installPrelude } from './prelude';
import type { SqlEngine } from './engine';
import { twinStatement } from './twin-statement';
import { loadRedshiftGate } from './redshift-gate/gate';
import { checkPlan } from './redshift-gate/plan-gate';
import { formatRefusal, type Refusal } from './redshift-gate/refusal';

/** What a step did, for the progress lines and the summary. */
export interface StepOutcome {
  readonly step: PlanStep;
  readonly ms: number;
  /** Rows written (mart, COPY) or failing rows (gate). */
  readonly rows?: number;
  readonly files?: number;
  readonly rejected?: readonly LoadErrorRow[];
}

export interface LoadReporter {
  /** The source was listed (how many objects, how long, hashing included) and the load's mode decided. */
  decided?(decision: LoadDecision, listing: { readonly objects: number; readonly ms: number }): void;
  /** The steps the load runs, once the catalog decided which tables to create or rebuild. */
  planned?(steps: readonly PlanStep[], unchanged: readonly string[]): void;
  stepStarted?(step: PlanStep): void;
  stepFinished?(outcome: StepOutcome): void;
  copyFile?(step: PlanStep, progress: { readonly uri: string; readonly records: number; readonly rejected: number }): void;
}

/** The load was interrupted (OfflineLoadOptions.signal) and stopped: rolled back, or before it began its transaction. */
export class LoadInterruptedError extends Error {
  constructor(
    readonly loadId: string,
    /** It had begun its transaction and rolled it back (its failure recorded in load_history); else it stopped before touching the warehouse. */
    readonly rolledBack: boolean,
  ) {
    super(rolledBack ? `load ${loadId} was interrupted and rolled back` : `load ${loadId} was interrupted before it began`);
    this.name = 'LoadInterruptedError';
  }
}

/** No role is assumed offline, but the plan's COPY statements name one. */
export const OFFLINE_ROLE_ARN = 'arn:aws:iam::000000000000:role/sparkify-offline';

export interface OfflineLoadOptions extends Pick<CopyRunOptions, 'buckets'> {
  readonly reporter?: LoadReporter;
  /**
   * 'track': a full load that also records the source listing (source_files), as `sparkify load`
   * does; 'incremental': only the log files no committed load read, when the warehouse can be
   * extended to equal a full load (else a full load, the reason given). @default a full load that
   * tracks nothing (the plan as given).
   */
  readonly sources?: 'track' | 'incremental';
  /** VACUUM the load's tables once it committed (reclaimDeadRows). @default true: false only measures what that saves (npm run bench). */
  readonly vacuum?: boolean;
  /**
   * Aborted when the user interrupts the load (Ctrl-C): it stops before its next step or file, rolls
   * back, records the failure, and throws LoadInterruptedError. PGlite runs a statement to its end.
   */
  readonly signal?: AbortSignal;
  /**
   * The deployed database's name (sparkify:databaseName), which the bootstrap's plan names as the
   * deploy's does; offline its GRANT/REVOKE ... ON DATABASE act on the database the twin runs in.
   * @default DEFAULT_CONFIG.databaseName
   */
  readonly database?: string;
}

/** The tables a load fills (lib/rules), under the names the offline modules know them by. */

export interface LoadReport {
  /** 'nothing-new': an incremental load found no new log file and ran nothing; loadId is the load the warehouse holds. */
  readonly mode: 'full' | 'incremental' | 'nothing-new';
  /** Why a load asked to be incremental was full; the new log files of an incremental one. */
  readonly decision?: LoadDecision;
  readonly loadId: string;
  readonly fingerprint: string;
  readonly outcome: 'succeeded';
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /**
   * The duration load_history records: its row's started_at to finished_at, the load's transaction
   * (the report's recent_loads.transaction_seconds), in whole seconds (both are GETDATE(), which
   * keeps whole seconds). Opening the warehouse, listing the source and the VACUUM after it are not in it.
   */
  readonly transactionMs: number;
  readonly rows: Readonly<Record<LoadedTable, number>>;
  readonly steps: readonly StepOutcome[];
  /** Tables rebuilt because their design in sql/schema changed, and how (also in schema_changes). */
  readonly schemaChanges: readonly TableChange[];
  /** The VACUUM after COMMIT (reclaimDeadRows): how long it took, and its error if it failed (the load stays committed). Absent when not asked for. */
  readonly vacuum?: { readonly ms: number; readonly error?: string };
}

/** A load that failed and was rolled back: names the step, the database's message and what it rejected. */
export class LoadFailedError extends Error {
  constructor(
    readonly step: PlanStep,
    readonly reason: string,
    readonly details: {
      readonly rejected?: readonly LoadErrorRow[];
      readonly failingRows?: readonly Record<string, unknown>[];
      readonly historyNote?: string;
      /** What the Redshift gate refused: the load stopped before touching the warehouse. */
      readonly refusals?: readonly Refusal[];
      /** The load stopped before touching the warehouse for another reason (a kept table's DDL changed). */
      readonly untouched?: boolean;
    } = {},
  ) {
    super(
      `Load failed at step ${step.name} (sql/${step.file}): ${reason}\n` +
        (details.refusals || details.untouched
          ? 'Nothing was loaded: the warehouse still holds the previous load.'
          : 'The warehouse was rolled back: it still holds the previous load.'),
    );
    this.name = 'LoadFailedError';
  }
}

/**
 * The load's transaction only (SET LOCAL): the marts' sorts and the gates' hash aggregates fit in
 * memory instead of spilling to temporary files. Measured at 100x the events on PGlite: the key
 * gate 1.4 s to 1.0 s, the SQL steps 0.4 to 1.3 s faster in all, for 70 MB more peak memory.
 */
export const LOAD_SETTINGS = "SET LOCAL work_mem = '64MB'";

function refusedPlan(refused: NonNullable<ReturnType<typeof checkPlan>>): LoadFailedError {
  const reason = `Redshift would refuse the plan's SQL:\n${refused.refusals.map((r) => `  ${formatRefusal(r)}`).join('\n')}`;
  return new LoadFailedError(refused.step, reason, { refusals: refused.refusals });
}

/** Rejected rows beyond MAXERROR come with the COPY's error; a gate's failing rows with its. */
interface DetailedError {
  readonly rejected?: readonly LoadErrorRow[];
}

/**
 * Runs a load plan on PGlite or a PostgreSQL server: every step in one transaction, COPY steps
 * through the COPY emulation, gates as queries whose rows fail the load. On any failure the
 * transaction is rolled back (the previous load stays as it was) and the failure is recorded
 * in load_history in a transaction of its own.
 */
export async function runOfflineLoad(engine: SqlEngine, files: SqlFiles, plan: LoadPlan, options: OfflineLoadOptions): Promise<LoadReport> {
  const startedAt = new Date();
  // SPEC §7: what Redshift would refuse is refused here, before the warehouse is touched. A load
  // that lists its sources runs a plan of the decided mode: that one is checked (prepareSources).
  await loadRedshiftGate();
  const refused = options.sources ? undefined : checkPlan(files, plan);
  if (refused) throw refusedPlan(refused);
  await installPrelude(engine);
  await runOfflineBootstrap(engine, files, options.database);
  // SPEC §6: no load runs as the superuser. The rest runs with only what the bootstrap granted.
  await engine.exec(`SET ROLE ${LOADER_USER}`);
  try {
    return await loadAsLoader(engine, files, plan, options, startedAt);
  } finally {
    await engine.exec('RESET ROLE');
  }
}

async function loadAsLoader(
  engine: SqlEngine,
  files: SqlFiles,
  base: LoadPlan,
  options: OfflineLoadOptions,
  startedAt: Date,
): Promise<LoadReport> {
  const { reporter, signal } = options;
  const outcomes: StepOutcome[] = [];
  // The writer lock is held: the catalog cannot change between this read and the transaction.
  let sync: SchemaSync;
  try {
    sync = await readSchemaSync(engine, files, base);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    throw new LoadFailedError(base.steps[0] as PlanStep, error.message, { untouched: true });
  }
  await refuseTakenLoadId(engine, files, base, sync);
  const sources = options.sources ? await prepareSources(engine, files, base, sync, options.sources, options, startedAt) : undefined;
  try {
    // Interrupted before its transaction: nothing to roll back (the prelude and bootstrap commit on their own).
    if (signal?.aborted) throw new LoadInterruptedError(base.loadId, false);
    if (sources?.decision.kind === 'nothing-new') return await nothingNew(engine, files, startedAt, sources.decision);
    const plan = sources?.plan ?? base;
    const steps = withSchemaSync(files, plan, sync).steps;
    if (steps.length > MAX_BATCH_STATEMENTS) {
      // What passes here deploys there: the deploy sends the load as one BatchExecuteStatement.
      throw new LoadFailedError(
        steps[0] as PlanStep,
        `the load has ${steps.length} statements, and a deploy runs it as one BatchExecuteStatement, which takes at most ${MAX_BATCH_STATEMENTS}` +
          (sync.rebuilt.length > 0
            ? ` (${sync.rebuilt.length} tables rebuilt, ${sync.grants.length} privileges kept): rebuild fewer tables at once, or revoke the extra privileges and grant them again after the load`
            : ''),
        { untouched: true },
      );
    }
    reporter?.planned?.(steps, sync.unchanged ?? []);
    // A failed load's row starts here, as a succeeded one's starts in its transaction (history.load_started).
    const transactionBegan = new Date();
    await engine.exec('BEGIN');
    let current: PlanStep | undefined;
    try {
      await engine.exec(LOAD_SETTINGS);
      for (const step of steps) {
        current = step;
        // PGlite and the COPY's file reads are synchronous: without a turn of the event loop, a
        // Ctrl-C would reach the process's handler only once the load is over.
        if (signal) await setImmediate();
        signal?.throwIfAborted();
        reporter?.stepStarted?.(step);
        const began = performance.now();
        const result = await runStep(engine, step, { ...options, buckets: sources?.buckets ?? options.buckets });
        const outcome = { step, ms: performance.now() - began, ...result };
        outcomes.push(outcome);
        reporter?.stepFinished?.(outcome);
      }
      await engine.exec('COMMIT');
    } catch (error) {
      await engine.exec('ROLLBACK');
      if (signal?.aborted) {
        await recordFailure(engine, files, plan, transactionBegan, `${current?.name ?? 'start'}: interrupted (${signal.reason})`);
        throw new LoadInterruptedError(plan.loadId, true);
      }
      const failed = error instanceof LoadFailedError ? error : undefined;
      const reason = failed?.reason ?? (error instanceof Error ? error.message : String(error));
      const historyNote = await recordFailure(engine, files, plan, transactionBegan, `${current?.name ?? 'start'}: ${reason}`);
      if (!current) throw error;
      throw new LoadFailedError(current, reason, {
        rejected: failed?.details.rejected ?? (error as DetailedError).rejected,
        failingRows: failed?.details.failingRows,
        historyNote,
      });
    }
    const vacuum = options.vacuum === false ? undefined : await reclaimDeadRows(engine, rewrittenTables(steps));
    return {
      ...(await readReport(engine, files, plan.loadId)),
      mode: plan.mode,
      ...(sources ? { decision: sources.decision } : {}),
      startedAt,
      steps: outcomes,
      schemaChanges: sync.rebuilt,
      ...(vacuum ? { vacuum } : {}),
    };
  } finally {
    await sources?.cleanUp();
  }
}

/** The bucket the offline executor writes a load's manifest and listing to (a temporary folder). */
export const OFFLINE_LOAD_FILES_BUCKET = 'sparkify-load-files';

interface PreparedSources {
  readonly decision: LoadDecision;
  /** The plan in the decided mode. */
  readonly plan: LoadPlan;
  /** The source buckets and the load's own files. */
  readonly buckets: Readonly<Record<string, string>>;
  cleanUp(): Promise<void>;
}

/**
 * Lists the source, decides (lib/plan/source-diff.ts) and writes what the plan's COPYs read: the
 * listing (files.jsonl, for source_files) and, incrementally, the manifest of the new log files.
 * A log file changed since a committed load read it stops the load here, before the warehouse is
 * touched, with a failed load_history row naming it.
 */
async function prepareSources(
  engine: SqlEngine,
  files: SqlFiles,
  base: LoadPlan,
  sync: SchemaSync,
  wanted: 'track' | 'incremental',
  { buckets, reporter }: OfflineLoadOptions,
  startedAt: Date,
): Promise<PreparedSources> {
  const { settings } = base.input;
  const began = performance.now();
  const listing = await listSources(new LocalBuckets(buckets), settings);
  const listed = { objects: listing.length, ms: performance.now() - began };
  let decision: LoadDecision;
  try {
    decision = wanted === 'track' ? FULL_AS_ASKED : await decideIncremental(files, base, sync, listing, engineReader(engine));
  } catch (error) {
    if (!(error instanceof ChangedSourceFilesError)) throw error;
    const step: PlanStep = {
      name: 'source.compare',
      kind: 'tracking',
      file: 'catalog/tracked_files.sql',
      sql: trackingQueries(files).tracked,
    };
    const historyNote = await recordFailure(engine, files, base, startedAt, `${step.name}: ${error.message}`);
    throw new LoadFailedError(step, error.message, { untouched: true, ...(historyNote ? { historyNote } : {}) });
  }
  reporter?.decided?.(decision, listed);
  const folder = await mkdtemp(path.join(tmpdir(), 'sparkify-load-files-'));
  const cleanUp = () => rm(folder, { recursive: true, force: true });
  try {
    const prefix = loadFilesPrefix(base.loadId);
    await mkdir(path.join(folder, prefix), { recursive: true });
    const tracked = decision.kind === 'incremental' ? decision.newEvents : listing;
    await writeFile(path.join(folder, prefix, LOAD_FILES.listing), trackingFile(tracked, base.loadId));
    if (decision.kind === 'incremental') {
      await writeFile(path.join(folder, prefix, LOAD_FILES.manifest), eventsManifest(settings.sourceBucket, decision.newEvents));
    }
    const plan = buildLoadPlan(files, { ...base.input, mode: offlineLoadMode(base.loadId, decision) });
    const refused = checkPlan(files, plan);
    if (refused) throw refusedPlan(refused);
    return { decision, plan, buckets: { ...buckets, [OFFLINE_LOAD_FILES_BUCKET]: folder }, cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The files an offline load writes for its COPYs, under loads/<load id>/ of OFFLINE_LOAD_FILES_BUCKET. */
const LOAD_FILES = { listing: 'files.jsonl', manifest: 'events.manifest' } as const;

function loadFilesPrefix(loadId: string): string {
  return `loads/${loadId}`;
}

/**
 * The mode an offline load of this decision runs its plan in: the URIs of the listing it records
 * and, incrementally, of the manifest of the new log files (prepareSources writes both there).
 * `sparkify plan` binds the same, so the SQL it prints is the SQL the load runs.
 */
export function offlineLoadMode(loadId: string, decision: LoadDecision): LoadMode {
  const uri = (name: string) => `s3://${OFFLINE_LOAD_FILES_BUCKET}/${loadFilesPrefix(loadId)}/${name}`;
  return decision.kind === 'incremental'
    ? { kind: 'incremental', manifestUri: uri(LOAD_FILES.manifest), filesUri: uri(LOAD_FILES.listing) }
    : { kind: 'full', filesUri: uri(LOAD_FILES.listing) };
}

/**
 * What `load --incremental` decides from the listing and the warehouse (lib/plan/source-diff.ts):
 * full and why, the new log files, or nothing new. Throws ChangedSourceFilesError for a loaded log
 * file that changed or went. `read` runs the catalog queries (engineReader); a warehouse with no
 * table is never read.
 */
export function decideIncremental(
  files: SqlFiles,
  base: LoadPlan,
  sync: SchemaSync,
  listing: readonly SourceObject[],
  read: CatalogReader,
): Promise<LoadDecision> {
  return decideFromWarehouse(
    files,
    { listing, ...decisionFacts(base), schemaUnchanged: schemaIsCurrent(base, sync), historyExists: historyExists(sync) },
    read,
  );
}

/** Refuses, in every mode and before anything is listed or touched, a load id a committed load already has. */
async function refuseTakenLoadId(engine: SqlEngine, files: SqlFiles, plan: LoadPlan, sync: SchemaSync): Promise<void> {
  if (!historyExists(sync)) return;
  const sql = toPostgres(loadReportQuery(files, plan.loadId), { file: 'sql/history/load_report.sql' });
  const { rows } = await engine.query<ReportRow>(sql);
  if (rows[0]?.outcome === 'succeeded') throw new LoadIdTakenError(plan.loadId);
}

/** SQLSTATE undefined_table: load_history does not exist yet (a warehouse never loaded). */
const UNDEFINED_TABLE = '42P01';

/** The load the warehouse holds (its latest succeeded one) and when it ended, or undefined when it holds none. */
export async function heldLoad(
  engine: SqlEngine,
  files: SqlFiles,
): Promise<{ readonly loadId: string; readonly finishedAt: Date } | undefined> {
  const sql = toPostgres(trackingQueries(files).lastLoad, { file: 'sql/catalog/last_succeeded_load.sql' });
  const rows = await engine.query<LastLoadRow>(sql).then(
    (result) => result.rows,
    (error: unknown) => {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return [];
      throw error;
    },
  );
  const row = rows[0];
  return row ? { loadId: row.load_id, finishedAt: new Date(row.finished_at ?? Number.NaN) } : undefined;
}

/** Reads a catalog query on the engine (as the loader, inside the writer lock; `sparkify plan` in a read-only session). */
export function engineReader(engine: SqlEngine): CatalogReader {
  return async <T>(sql: string, file: string) => (await engine.query<T & Record<string, unknown>>(toPostgres(sql, { file }))).rows;
}

/** No new log file: nothing runs and nothing is recorded (a daily no-op is normal); the report is the held load's. */
async function nothingNew(
  engine: SqlEngine,
  files: SqlFiles,
  startedAt: Date,
  decision: LoadDecision & { kind: 'nothing-new' },
): Promise<LoadReport> {
  return { ...(await readReport(engine, files, decision.held)), mode: 'nothing-new', decision, startedAt, steps: [], schemaChanges: [] };
}

/** The catalog read before the load (sql/catalog/), and what the load must rebuild (lib/plan/schema-sync.ts). */
export async function readSchemaSync(engine: SqlEngine, files: SqlFiles, plan: LoadPlan): Promise<SchemaSync> {
  const queries = catalogQueries(files, plan);
  const columns = await engine.query<CatalogColumn>(toPostgres(queries.columns, { file: 'sql/catalog/table_columns.sql' }));
  const grants = await engine.query<CatalogGrant>(toPostgres(queries.grants, { file: 'sql/catalog/table_privileges.sql' }));
  return planSchemaSync(plan, columns.rows, grants.rows);
}

/** What a full load rewrites: it clears them (see truncation for staging) and UPDATEs its load_history row. */
export const RELOADED_TABLES = [...LOADED_TABLES, 'source_files', 'user_latest_event', 'load_history'] as const;

/**
 * The tables the steps leave dead rows in: each they clear (DELETE), user_latest_event when an
 * incremental load prunes it, and load_history (its row UPDATEd). An incremental load only appends
 * to songplays and time, so it does not VACUUM them (at 100x the events that was 200 ms a day).
 */
export function rewrittenTables(steps: readonly PlanStep[]): string[] {
  const tables = new Set(steps.flatMap((step) => (step.name.startsWith('clear.') ? [step.name.slice('clear.'.length)] : [])));
  if (steps.some((step) => step.name === 'tracking.user_latest_prune')) tables.add('user_latest_event');
  return [...tables, 'load_history'];
}

/**
 * PGlite has no autovacuum, so each reload would leave the previous load's rows dead in the
 * tables and the folder would grow with every load. After a load commits (VACUUM cannot run in a
 * transaction), a plain VACUUM of the tables the load rewrote (rewrittenTables) marks that space free for the next
 * load. Measured at the real bucket's size, 10 reloads: the folder 66 MB after the first load,
 * 164 MB after the tenth without it, 92 MB with it (at most 1.39x), for 11 to 28 ms per load.
 * VACUUM FULL kept it at 1.26x but took 70 to 180 ms and rewrites every table: most of what is
 * left is PGlite's write-ahead log, which VACUUM FULL does not shrink either. No ANALYZE: the
 * first load's plans (no statistics) stay the plans of every reload. A server has autovacuum;
 * this runs there too, harmlessly. A failure here does not undo the committed load: it is
 * reported, not thrown.
 */
async function reclaimDeadRows(engine: SqlEngine, tables: readonly string[]): Promise<NonNullable<LoadReport['vacuum']>> {
  const began = performance.now();
  try {
    await engine.exec(`VACUUM ${tables.join(', ')}`);
    return { ms: performance.now() - began };
  } catch (error) {
    return { ms: performance.now() - began, error: `VACUUM after the load failed (the load is committed): ${(error as Error).message}` };
  }
}

/**
 * A staging table's clear runs as PostgreSQL's TRUNCATE, which is transactional there (in Redshift it
 * commits, hence the plan's DELETE): the same empty table, rolled back with the load, but without
 * the previous load's rows left dead in its pages for every later scan to read. Only the loader
 * reads staging, so the lock TRUNCATE takes blocks no query. At 100x the events, a day loaded after
 * a full load spent 0.47 s deleting the 805k staged events, and each of the gates' 8 scans of
 * staging_events then read their 240 MB.
 */
function truncation(step: PlanStep): string | undefined {
  const table = step.name.slice('clear.'.length);
  if (step.name !== `clear.${table}` || !(STAGING_TABLES as readonly string[]).includes(table)) return undefined;
  // Only the plain DELETE of the whole table: an edited sql/common/clear_table.sql runs as written.
  const statement = step.sql.replace(/--.*$/gm, '').trim();
  return statement === `DELETE FROM ${table}` ? `TRUNCATE ${table}` : undefined;
}

async function runStep(engine: SqlEngine, step: PlanStep, options: OfflineLoadOptions): Promise<Partial<StepOutcome>> {
  const copy = step.kind === 'staging' || step.kind === 'tracking' ? parseCopy(step.sql) : undefined;
  if (copy) {
    const result = await runCopy(engine, copy, {
      buckets: options.buckets,
      onFile: (progress) => {
        options.reporter?.copyFile?.(step, progress);
        // On a server (whose client gives the event loop its turns) a COPY of thousands of files stops at the next one.
        options.signal?.throwIfAborted();
      },
    });
    return { rows: result.rowsLoaded, files: result.files, rejected: result.rejected };
  }
  const truncate = truncation(step);
  if (truncate) {
    await engine.exec(truncate);
    return {};
  }
  const sql = await twinStatement(engine, step.sql, { file: `sql/${step.file}` });
  if (step.kind === 'gate') {
    const { rows } = await engine.query(sql);
    if (rows.length > 0) {
      throw new LoadFailedError(step, `quality gate ${step.name} failed: ${rows.length} failing rows`, { failingRows: rows.slice(0, 20) });
    }
    return { rows: 0 };
  }
  const { affectedRows } = await engine.query(sql);
  return step.kind === 'mart' || step.kind === 'staging' || step.kind === 'tracking' ? { rows: affectedRows ?? 0 } : {};
}

/** Best effort: a load that failed before load_history existed cannot be recorded there. */
async function recordFailure(
  engine: SqlEngine,
  files: SqlFiles,
  plan: LoadPlan,
  startedAt: Date,
  error: string,
): Promise<string | undefined> {
  try {
    await engine.query(toPostgres(failureStatement(files, plan, startedAt, error), { file: 'sql/history/load_failed.sql' }));
    return undefined;
  } catch (cause) {
    return `the failure could not be recorded in load_history: ${(cause as Error).message}`;
  }
}

interface ReportRow {
  load_id: string;
  fingerprint: string;
  outcome: string;
  started_at: Date | string;
  finished_at: Date | string;
  [column: `rows_${string}`]: number | string | bigint | null;
}

async function readReport(
  engine: SqlEngine,
  files: SqlFiles,
  loadId: string,
): Promise<Omit<LoadReport, 'mode' | 'decision' | 'startedAt' | 'steps' | 'vacuum' | 'schemaChanges'>> {
  const { rows } = await engine.query<ReportRow>(toPostgres(loadReportQuery(files, loadId), { file: 'sql/history/load_report.sql' }));
  const row = rows[0];
  if (!row || row.outcome !== 'succeeded') throw new Error(`load ${loadId} committed but load_history has no succeeded row for it`);
  const counts = Object.fromEntries(LOADED_TABLES.map((table) => [table, Number(row[`rows_${table}`] ?? 0)])) as Record<
    LoadedTable,
    number
  >;
  const finishedAt = new Date(row.finished_at);
  return {
    loadId: row.load_id,
    fingerprint: row.fingerprint,
    outcome: 'succeeded',
    finishedAt,
    transactionMs: finishedAt.getTime() - new Date(row.started_at).getTime(),
    rows: counts,
  };
}

/**
 * The users a twin created before their PASSWORD DISABLE became CONNECTION LIMIT 0
 * (local/dialect-bridge.ts createUser) may still be signed in as on a server that trusts a host:
 * closed too. Only where they are open, so bootstraps side by side on a server seldom touch a role.
 */
async function closeSignIn(engine: SqlEngine): Promise<void> {
  const open = await engine.query<{ name: string }>('SELECT rolname AS name FROM pg_roles WHERE rolname = ANY($1) AND rolconnlimit <> 0', [
    [LOADER_USER, ANALYST_USER],
  ]);
  for (const { name } of open.rows) await engine.exec(`ALTER ROLE ${quoteIdent(name)} CONNECTION LIMIT 0`);
}

/** SQLSTATEs of a bootstrap that raced another session's on one server (roles are the server's, not a database's). */
const BOOTSTRAP_RACES = new Set(['42710', '23505', 'XX000', '40001']);

/**
 * The deploy's bootstrap, offline: the same plan (lib/plan/bootstrap-plan.ts, mode 'offline'),
 * run by the superuser the twin connects as, in a transaction of its own, before every load. It
 * is idempotent and cheap (measured on PGlite: 85 ms the first time, 8 to 22 ms after), so it always runs
 * rather than being skipped by a recorded fingerprint: a server's roles outlive any one database's
 * record of them. The twin's own bookkeeping (the designs the catalog views read) is the loader's
 * to write, as Redshift's catalog is written by whoever creates a table.
 */
export async function runOfflineBootstrap(engine: SqlEngine, files: SqlFiles, database = DEFAULT_CONFIG.databaseName): Promise<void> {
  const superuser = await engine.query<{ superuser: boolean }>('SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user');
  if (!superuser.rows[0]?.superuser) {
    throw new Error(
      'the offline load creates the loader and analyst roles first, which needs a superuser: connect --db as one (e.g. postgres://postgres@host/db)',
    );
  }
  const bootstrap = buildBootstrapPlan(files, { mode: 'offline', sourceRoleArn: OFFLINE_ROLE_ARN, database });
  const statements = bootstrap.steps.map((step) => toPostgres(step.sql, { file: `sql/${step.file}` }));
  for (let attempt = 1; ; attempt++) {
    try {
      await engine.exec('BEGIN');
      for (const sql of statements) await engine.query(sql);
      await closeSignIn(engine);
      await engine.exec('COMMIT');
      return;
    } catch (error) {
      await engine.exec('ROLLBACK');
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || typeof code !== 'string' || !BOOTSTRAP_RACES.has(code)) throw error;
    }
  }
}
