import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readProjectConfig } from '../lib/config/project-config';
import { PlanError } from '../lib/plan/bind';
import { buildLoadPlan, type LoadPlan, type PlanStep } from '../lib/plan/load-plan';
import { planSchemaSync, withSchemaSync, type SchemaSync, type TableChange } from '../lib/plan/schema-sync';
import { FULL_AS_ASKED, type CatalogReader, type LoadDecision } from '../lib/plan/source-diff';
import { readSqlFiles, type SqlFiles } from '../lib/plan/sql-files';
import { MAX_BATCH_STATEMENTS } from '../lib/rules/limits';
import { assertFitsOneBatch, renderBatch, statementName } from '../lambda/loader/submit';
import { LocalBuckets } from '../local/copy/s3-source';
import { isPostgresUrl } from '../local/engine';
import { decideIncremental, engineReader, heldLoad, OFFLINE_ROLE_ARN, offlineLoadMode, readSchemaSync } from '../local/offline-executor';
import { checkPlan } from '../local/redshift-gate/plan-gate';
import { loadRedshiftGate } from '../local/redshift-gate/gate';
import { formatRefusal } from '../local/redshift-gate/refusal';
import { listSources } from '../local/source-listing';
import { actAs, identityOf, openWarehouse, type OpenWarehouse } from '../local/warehouse';
import { describeDecision } from './console-reporter';
import { newLoadId } from './load-id';
import type { Output } from './process-output';
import { checkSource } from './source-folder';

export interface PlanOptions {
  readonly db: string;
  /** Listed only for --incremental: a full load's SQL does not depend on what the source holds. */
  readonly source: string;
  readonly incremental?: boolean;
  readonly json?: boolean;
  readonly wait: number;
}

/** One statement of a batch: the step it runs and its SQL as the Data API receives it. */
export interface BatchStatement {
  readonly step: PlanStep;
  readonly sql: string;
}

/** The load `sparkify load` would run on the warehouse now, in the shape a deploy submits it. */
export interface LoadPreview {
  readonly loadId: string;
  readonly fingerprint: string;
  readonly decision: LoadDecision;
  readonly warehouse: {
    readonly location: string;
    /** False: no warehouse there yet (the first load creates every table). */
    readonly exists: boolean;
    readonly held?: { readonly loadId: string; readonly finishedAt: Date };
  };
  readonly schemaChanges: readonly TableChange[];
  /** Tables present as their DDL declares them: their CREATE TABLE is left out of the batch. */
  readonly unchanged: readonly string[];
  readonly statementName: string;
  /**
   * The statements in the batches the loader Lambda submits (lambda/loader/submit.ts): the whole
   * plan in one BatchExecuteStatement, one transaction, a gate as a CALL that fails it. None when
   * an incremental load finds nothing new.
   */
  readonly batches: readonly (readonly BatchStatement[])[];
}

/**
 * `sparkify plan`: what a load would run, decided as the load decides (the same catalog reads,
 * schema sync and source decision, in a read-only session as the loader) and shaped as the Lambda
 * submits it (renderBatch, assertFitsOneBatch), without running any of it. Nothing is written: the
 * warehouse is opened for reading (a server session is READ ONLY), no lock is taken for writing,
 * no load_history row is added and no load file or ETag cache is written.
 */
export async function planCommand(options: PlanOptions, io: Output): Promise<void> {
  const preview = await previewLoad(options, io.err);
  if (options.json) {
    io.out(JSON.stringify(previewJson(preview), null, 2));
    return;
  }
  for (const line of previewHeader(preview)) io.err(line);
  io.out(previewSql(preview));
}

export async function previewLoad(options: PlanOptions, notice: (line: string) => void): Promise<LoadPreview> {
  const config = readProjectConfig();
  const files = readSqlFiles();
  const base = buildLoadPlan(files, { settings: config, roleArn: OFFLINE_ROLE_ARN, loadId: newLoadId() });
  const listing = options.incremental
    ? await listSources(new LocalBuckets({ [config.sourceBucket]: await checkSource(options.source) }), config, { saveCache: false })
    : undefined;
  // A copy, never the folder in place: plan leaves every file of the warehouse as it was, even
  // PostgreSQL's own bookkeeping that a session in place writes (local/warehouse.ts).
  const warehouse = (await holdsWarehouse(options.db))
    ? await openWarehouse(options.db, { access: 'read', activity: 'plan', waitMs: options.wait * 1000, notice, inPlace: false })
    : undefined;
  try {
    // A database no load has touched lacks the twin's catalog views, which a load installs first.
    const engine = warehouse && (await loadedBefore(warehouse)) ? warehouse.engine : undefined;
    if (warehouse && engine) await actAsLoader(warehouse);
    // No warehouse yet: what the load decides of an empty catalog, with no table to read.
    const sync = engine ? await readSchemaSync(engine, files, base).catch(stopsTheLoad) : planSchemaSync(base, [], []);
    const read: CatalogReader = engine ? engineReader(engine) : noCatalog;
    const decision = listing ? await decideIncremental(files, base, sync, listing, read).catch(stopsTheLoad) : FULL_AS_ASKED;
    const held = engine ? await heldLoad(engine, files) : undefined;
    // A reader opens a copy of a PGlite folder: the folder itself is what the user named.
    const location = isPostgresUrl(options.db) ? (engine?.location ?? options.db) : path.resolve(options.db);
    return {
      loadId: base.loadId,
      fingerprint: base.fingerprint,
      decision,
      warehouse: { location, exists: engine !== undefined, ...(held ? { held } : {}) },
      schemaChanges: sync.rebuilt,
      unchanged: sync.unchanged ?? [],
      statementName: statementName(base.loadId),
      batches: decision.kind === 'nothing-new' ? [] : [await batchOf(files, base, sync, decision)],
    };
  } finally {
    await warehouse?.close();
  }
}

/** The plan in the decided mode, with the schema sync, checked by the Redshift gate, as one batch. */
async function batchOf(files: SqlFiles, base: LoadPlan, sync: SchemaSync, decision: LoadDecision): Promise<BatchStatement[]> {
  const plan = withSchemaSync(files, buildLoadPlan(files, { ...base.input, mode: offlineLoadMode(base.loadId, decision) }), sync);
  await loadRedshiftGate();
  const refused = checkPlan(files, plan);
  if (refused) {
    throw new Error(
      `the load would stop at step ${refused.step.name} before touching the warehouse: Redshift would refuse the plan's SQL:\n` +
        refused.refusals.map((refusal) => `  ${formatRefusal(refusal)}`).join('\n'),
    );
  }
  const sqls = renderBatch(plan);
  try {
    assertFitsOneBatch(sqls);
  } catch (error) {
    throw new Error(`a deploy could not submit this load: ${(error as Error).message}`, { cause: error });
  }
  return plan.steps.map((step, i) => ({ step, sql: sqls[i] ?? '' }));
}

/** A PGlite folder that holds a warehouse, or a server; a missing or empty folder is none (opening it would create one). */
async function holdsWarehouse(db: string): Promise<boolean> {
  if (isPostgresUrl(db)) return true;
  const entries = await readdir(db).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    return undefined; // a file, or unreadable: openWarehouse says so in its words
  });
  return entries === undefined || entries.length > 0;
}

/** A load ran here before: the twin's catalog views it installs first (local/prelude/catalog-views.ts) are there. */
async function loadedBefore(warehouse: OpenWarehouse): Promise<boolean> {
  const { rows } = await warehouse.engine.query<{ found: boolean }>("SELECT to_regclass('public.pg_table_def') IS NOT NULL AS found");
  return rows[0]?.found === true;
}

/**
 * As the load reads the catalog, as the loader. Where there is no loader yet (a database never
 * loaded, or loaded before the product's roles existed: the load's bootstrap creates it first) the
 * catalog is read as the session opened, read-only all the same.
 */
async function actAsLoader(warehouse: OpenWarehouse): Promise<void> {
  const { rows } = await warehouse.engine.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [identityOf('loader').user]);
  if (rows.length > 0) await actAs(warehouse.engine, 'loader');
}

const noCatalog: CatalogReader = () => Promise.reject(new Error('no warehouse to read'));

/** A PlanError the load would stop with (a kept table's DDL changed, a loaded log file changed): said as the load's outcome. */
function stopsTheLoad(error: unknown): never {
  if (error instanceof PlanError) {
    throw new Error(`the load would stop before touching the warehouse: ${error.message}`, { cause: error });
  }
  throw error;
}

function utcTime(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

function statementCount(preview: LoadPreview): number {
  return preview.batches.reduce((sum, batch) => sum + batch.length, 0);
}

/** The lines printed before the SQL (on stderr): where, which mode and why, how many statements. */
export function previewHeader(preview: LoadPreview): string[] {
  const { warehouse } = preview;
  const holds = warehouse.held ? `holds load ${warehouse.held.loadId} of ${utcTime(warehouse.held.finishedAt)}` : 'holds no load';
  const lines = [
    `sparkify plan  load ${preview.loadId}  fingerprint ${preview.fingerprint}  (nothing is run)`,
    `  warehouse  ${warehouse.location}: ${warehouse.exists ? holds : 'no warehouse there yet, so the load is a full one that creates every table'}`,
    `  mode       ${preview.decision === FULL_AS_ASKED ? "full, as 'sparkify load' runs without --incremental" : describeDecision(preview.decision)}`,
  ];
  if (preview.unchanged.length > 0) lines.push(`  schema     ${preview.unchanged.length} tables present and unchanged: not created again`);
  for (const { table, changes } of preview.schemaChanges) lines.push(`  schema     ${table} rebuilt: ${changes.join('; ')}`);
  const count = statementCount(preview);
  lines.push(
    count === 0
      ? '  batch      none: the load would run nothing'
      : `  batch      ${count} statements in ${preview.batches.length} BatchExecuteStatement (one transaction; the Data API takes at most ${MAX_BATCH_STATEMENTS}), StatementName ${preview.statementName}`,
  );
  if (count > 0) lines.push(`  identity   the loader (${identityOf('loader').user}) runs it`);
  return lines;
}

/**
 * The batches as SQL, each statement as the Data API receives it and ended by a semicolon, with
 * comment lines naming each batch and each statement's step and file: a script a reader can follow.
 */
export function previewSql(preview: LoadPreview): string {
  if (preview.batches.length === 0) return `-- nothing to run: ${describeDecision(preview.decision)}`;
  const blocks: string[] = [];
  preview.batches.forEach((batch, b) => {
    const which = `BatchExecuteStatement ${b + 1} of ${preview.batches.length}`;
    blocks.push(`-- ${which}: ${batch.length} statements, one transaction (StatementName ${preview.statementName})`);
    batch.forEach(({ step, sql }, i) => {
      // A statement ending in a comment line would comment out its own semicolon.
      const end = /--[^\n]*$/.test(sql) ? '\n;' : ';';
      blocks.push(`-- ${i + 1}/${batch.length}  ${step.name}  (sql/${step.file})\n${sql}${end}`);
    });
    blocks.push(`-- end of ${which}`);
  });
  return blocks.join('\n\n');
}

/** `sparkify plan --json`: the same, for machines. */
export function previewJson(preview: LoadPreview): Record<string, unknown> {
  const { decision, warehouse } = preview;
  return {
    loadId: preview.loadId,
    fingerprint: preview.fingerprint,
    mode: decision.kind,
    ...(decision.kind === 'full' ? { reason: decision.reason } : {}),
    ...(decision.kind === 'incremental' ? { newFiles: decision.newEvents.map((object) => object.key) } : {}),
    warehouse: {
      location: warehouse.location,
      exists: warehouse.exists,
      heldLoad: warehouse.held ? { loadId: warehouse.held.loadId, finishedAt: warehouse.held.finishedAt.toISOString() } : null,
    },
    schemaChanges: preview.schemaChanges,
    statementName: preview.statementName,
    maxStatementsPerBatch: MAX_BATCH_STATEMENTS,
    statements: statementCount(preview),
    batches: preview.batches.map((batch) => ({
      statements: batch.map(({ step, sql }, i) => ({ index: i + 1, step: step.name, kind: step.kind, file: `sql/${step.file}`, sql })),
    })),
  };
}
