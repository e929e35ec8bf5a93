import type { WarehouseConfig } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import type { SqlFiles } from '../../lib/plan/sql-files';
import { analystQueries, type AnalystQuery } from '../analyst-queries';
import { engineResult, jsonValue, type ResultSet } from '../format-table';
import type { SqlEngine } from '../engine';
import { OFFLINE_ROLE_ARN } from '../offline-executor';
import { twinStatement } from '../twin-statement';

/**
 * The named queries of sql/queries/ the report reads, each run once. Every figure on the page
 * comes from one of them, so the report, `sparkify query NAME` and the deployed warehouse agree.
 */
export const REPORT_QUERIES = [
  'headline',
  'plays_by_hour',
  'daily_plays',
  'plays_by_weekday',
  'level_by_day',
  'most_played_songs',
  'most_played_artists',
  'top_locations',
  'recent_loads',
  'data_quality',
] as const;

export type ReportQueryName = (typeof REPORT_QUERIES)[number];

/** A row as `sparkify query --json` gives it: column name to JSON value (DATE "YYYY-MM-DD", TIMESTAMP ISO 8601 UTC). */
export type ReportRow = Readonly<Record<string, unknown>>;

export interface QueryAnswer {
  readonly name: ReportQueryName;
  /** The comment the query's file opens with. */
  readonly description: string;
  readonly columns: readonly string[];
  readonly rows: readonly ReportRow[];
  readonly ms: number;
}

export type ReportData = Readonly<Record<ReportQueryName, QueryAnswer>>;

/** Runs one named query on a warehouse (offline or deployed) and returns every column in order. */
export type RunQuery = (query: AnalystQuery) => Promise<ResultSet>;

/** Rows as objects keyed by column name, values as `--json` exports them. */
export function jsonRows(result: ResultSet): ReportRow[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, jsonValue(row[i], column.kind)])));
}

/** The report's queries from the SQL files, all found before any runs: a missing one is named with where to add it. */
export function reportQueries(files: SqlFiles): AnalystQuery[] {
  const named = new Map(analystQueries(files).map((query) => [query.name, query]));
  const missing = REPORT_QUERIES.filter((name) => !named.has(name));
  if (missing.length > 0) {
    throw new Error(
      `the report needs the named ${missing.length === 1 ? 'query' : 'queries'} ${missing.join(', ')} in sql/queries/ (one file per query, NAME.sql)`,
    );
  }
  return REPORT_QUERIES.map((name) => named.get(name) as AnalystQuery);
}

/** Runs each of the report's queries once, in order, calling `onAnswer` after each (progress lines). */
export async function collectReportData(
  files: SqlFiles,
  run: RunQuery,
  onAnswer: (answer: QueryAnswer) => void = () => undefined,
): Promise<ReportData> {
  const answers: Partial<Record<ReportQueryName, QueryAnswer>> = {};
  for (const query of reportQueries(files)) {
    const began = performance.now();
    const result = await run(query);
    const name = query.name as ReportQueryName;
    const answer: QueryAnswer = {
      name,
      description: query.description,
      columns: result.columns.map((column) => column.name),
      rows: jsonRows(result),
      ms: performance.now() - began,
    };
    answers[name] = answer;
    onAnswer(answer);
  }
  return answers as ReportData;
}

/** A RunQuery on an offline engine, as `sparkify query` runs a named query (the session's identity is the caller's to set). */
export function offlineRunner(engine: SqlEngine): RunQuery {
  return async (query) => engineResult(await engine.queryArrays(await twinStatement(engine, query.sql, { file: query.file })));
}

/** The gate steps of the load plan (kind 'gate'), by name: a load that succeeded passed every one. */
export function planGates(files: SqlFiles, settings: WarehouseConfig): string[] {
  const plan = buildLoadPlan(files, { settings, roleArn: OFFLINE_ROLE_ARN, loadId: 'report' });
  return plan.steps.filter((step) => step.kind === 'gate').map((step) => step.name);
}
