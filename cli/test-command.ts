import { readProjectConfig } from '../lib/config/project-config';
import type { PlanStep } from '../lib/plan/load-plan';
import { readSqlFiles } from '../lib/plan/sql-files';
import path from 'node:path';
import { isPostgresUrl, type SqlEngine } from '../local/engine';
import { engineResult, formatResult, jsonValue, type ResultSet } from '../local/format-table';
import { heldLoad } from '../local/offline-executor';
import { twinStatement } from '../local/twin-statement';
import { actAs, identityOf, openWarehouse, WarehouseError } from '../local/warehouse';
import type { Output } from './process-output';
import { standingGates } from './standing-gates';

export interface TestOptions {
  readonly db: string;
  readonly json?: boolean;
  readonly wait: number;
}

/** How many failing rows a failed gate shows (its count says how many there are). */
export const FAILING_ROWS_SHOWN = 5;

/** What one gate found. */
export type GateResult = { readonly step: PlanStep; readonly ms: number } & (
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly failingRows: number; readonly shown: ResultSet }
  | { readonly status: 'error'; readonly error: string }
);

/**
 * `sparkify test`, as dbt's `test`: the load's quality gates on the warehouse as it stands, without
 * loading: each gate's query returns its failing rows, none is a pass. Read-only (the warehouse is
 * opened for reading), as the loader, who runs them in a load (they read staging and source_files,
 * which the analyst may not). Resolves to the exit code: 0 when every gate passed, 1 otherwise.
 */
export async function testCommand(options: TestOptions, io: Output): Promise<number> {
  const began = performance.now();
  const config = readProjectConfig();
  const files = readSqlFiles();
  const warehouse = await openWarehouse(options.db, { access: 'read', activity: 'test', waitMs: options.wait * 1000, notice: io.err });
  const results: GateResult[] = [];
  let skipped: ReturnType<typeof standingGates>['skipped'];
  let held: string;
  try {
    const { engine } = warehouse;
    // Read before taking the loader's role: a database never loaded has neither the role nor load_history.
    const load = await heldLoad(engine, files);
    if (!load) {
      throw new WarehouseError(
        `the warehouse at ${location(options.db, engine)} holds no load yet, so there is nothing to test: run 'npx sparkify load --db ${options.db}' first`,
        1,
      );
    }
    held = load.loadId;
    await actAs(engine, 'loader');
    const gates = standingGates(files, config, held);
    skipped = gates.skipped;
    if (!options.json) {
      io.out(
        `sparkify test  ${gates.run.length} quality gates of sql/gates on ${location(options.db, engine)}  (load ${held}, as ${identityOf('loader').user})`,
      );
    }
    for (const step of gates.run) {
      const result = await runGate(engine, step);
      results.push(result);
      if (!options.json) for (const line of resultLines(result)) io.out(line);
    }
  } finally {
    await warehouse.close();
  }
  const failed = results.filter((result) => result.status !== 'pass').length;
  if (options.json) {
    io.out(JSON.stringify(testJson(held, results, skipped), null, 2));
  } else {
    for (const { step, why } of skipped) io.out(`  SKIP  ${step.name}: ${why}`);
    const passed = results.length - failed;
    const skips = skipped.length > 0 ? `, ${skipped.length} skipped` : '';
    io.out(`\n${passed} passed, ${failed} failed${skips} in ${((performance.now() - began) / 1000).toFixed(2)} s`);
  }
  return failed > 0 ? 1 : 0;
}

/** The warehouse as the user named it: a reader opens a copy of a PGlite folder. */
function location(db: string, engine: SqlEngine): string {
  return isPostgresUrl(db) ? engine.location : path.resolve(db);
}

/** One gate through the twin, as the load runs it (local/offline-executor.ts runStep): its rows are its failures. */
async function runGate(engine: SqlEngine, step: PlanStep): Promise<GateResult> {
  const began = performance.now();
  try {
    const answer = engineResult(await engine.queryArrays(await twinStatement(engine, step.sql, { file: `sql/${step.file}` })));
    const ms = performance.now() - began;
    if (answer.rows.length === 0) return { step, ms, status: 'pass' };
    return {
      step,
      ms,
      status: 'fail',
      failingRows: answer.rows.length,
      shown: { columns: answer.columns, rows: answer.rows.slice(0, FAILING_ROWS_SHOWN) },
    };
  } catch (error) {
    return { step, ms: performance.now() - began, status: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}

const NAME_WIDTH = 40;

function resultLines(result: GateResult): string[] {
  const name = result.step.name.padEnd(NAME_WIDTH);
  const ms = `${result.ms.toFixed(0)} ms`;
  switch (result.status) {
    case 'pass':
      return [`  PASS  ${name} ${ms}`];
    case 'error':
      return [`  FAIL  ${name} error: ${result.error} (sql/${result.step.file})`];
    case 'fail': {
      const some = result.failingRows > result.shown.rows.length ? `, the first ${result.shown.rows.length}:` : ':';
      return [
        `  FAIL  ${name} ${result.failingRows} failing ${result.failingRows === 1 ? 'row' : 'rows'} (sql/${result.step.file})${some}`,
        formatResult(result.shown).replace(/^/gm, '          '),
      ];
    }
  }
}

function testJson(
  held: string,
  results: readonly GateResult[],
  skipped: ReturnType<typeof standingGates>['skipped'],
): Record<string, unknown> {
  return {
    load: held,
    passed: results.filter((result) => result.status === 'pass').length,
    failed: results.filter((result) => result.status !== 'pass').length,
    gates: [
      ...results.map((result) => ({
        gate: result.step.name,
        file: `sql/${result.step.file}`,
        status: result.status,
        ms: Math.round(result.ms),
        ...(result.status === 'fail'
          ? {
              failingRows: result.failingRows,
              rows: result.shown.rows.map((row) =>
                Object.fromEntries(result.shown.columns.map((column, i) => [column.name, jsonValue(row[i], column.kind)])),
              ),
            }
          : {}),
        ...(result.status === 'error' ? { error: result.error } : {}),
      })),
      ...skipped.map(({ step, why }) => ({ gate: step.name, file: `sql/${step.file}`, status: 'skip', why })),
    ],
  };
}
