import { LOADED_TABLES, type LoadedTable } from '../../lib/rules/tables';
import type { DataApi } from './data-api';

/** What the warehouse holds: rows per table and a digest of each table's contents. */
export interface WarehouseState {
  readonly rows: Readonly<Record<LoadedTable, number>>;
  readonly digests: Readonly<Record<LoadedTable, string>>;
}

/**
 * Reads the warehouse between deploys (straight from the engine, never inside a load): a table's
 * digest is the md5 of its rows' text in a fixed order, so "untouched" means every value.
 */
export async function warehouseState(dataApi: DataApi): Promise<WarehouseState | undefined> {
  const exists = await dataApi.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_tables WHERE tablename = 'songplays'`);
  if ((exists[0]?.n ?? 0) === 0) return undefined;
  const rows: Partial<Record<LoadedTable, number>> = {};
  const digests: Partial<Record<LoadedTable, string>> = {};
  for (const table of LOADED_TABLES) {
    const [answer] = await dataApi.query<{ n: number; digest: string | null }>(
      `SELECT COUNT(*)::int AS n, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} AS t`,
    );
    rows[table] = answer?.n ?? 0;
    digests[table] = answer?.digest ?? '';
  }
  return { rows: rows as Record<LoadedTable, number>, digests: digests as Record<LoadedTable, string> };
}

/** Tables whose contents differ between two states. */
export function changedTables(before: WarehouseState | undefined, after: WarehouseState | undefined): LoadedTable[] {
  if (!before || !after) return before === after ? [] : [...LOADED_TABLES];
  return LOADED_TABLES.filter((table) => before.digests[table] !== after.digests[table]);
}

interface HistoryRow {
  readonly load_id: string;
  readonly outcome: string;
  readonly error: string | null;
}

export async function loadHistory(dataApi: DataApi): Promise<HistoryRow[]> {
  const exists = await dataApi.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_tables WHERE tablename = 'load_history'`);
  if ((exists[0]?.n ?? 0) === 0) return [];
  return dataApi.query<HistoryRow>('SELECT load_id, outcome, error FROM load_history ORDER BY load_seq');
}

export interface LoadErrorRow {
  readonly file_name: string;
  readonly line_number: number;
  readonly column_name: string;
  readonly error_code: number;
  readonly error_message: string;
}

export async function loadErrors(dataApi: DataApi): Promise<LoadErrorRow[]> {
  return dataApi.query<LoadErrorRow>(
    'SELECT TRIM(file_name) AS file_name, line_number::int AS line_number, TRIM(column_name) AS column_name, error_code, TRIM(error_message) AS error_message FROM sys_load_error_detail ORDER BY start_time, line_number',
  );
}
