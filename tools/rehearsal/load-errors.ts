import type { LoadErrorRow } from '../../local/copy';
import type { SqlEngine } from '../../local/engine';

/**
 * Redshift's SYS_LOAD_ERROR_DETAIL as a real table, with the view's documented columns and types
 * (CHAR columns pad with blanks, which is why queries TRIM them). Redshift writes it outside the
 * load's transaction, so a failed COPY's rejected records outlive the rollback: the server
 * writes them in a transaction of its own after the batch ends, before the batch reports FAILED.
 */
export const LOAD_ERROR_TABLE_DDL = `CREATE TABLE IF NOT EXISTS public.sys_load_error_detail (
    user_id        INTEGER,
    query_id       BIGINT,
    transaction_id BIGINT,
    session_id     INTEGER,
    database_name  CHAR(64),
    table_id       INTEGER,
    start_time     TIMESTAMP,
    file_name      CHAR(256),
    line_number    BIGINT,
    column_name    CHAR(127),
    column_type    CHAR(10),
    column_length  CHAR(10),
    position       INTEGER,
    error_code     INTEGER,
    error_message  CHAR(512)
)`;

/**
 * Every user may read the view (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html:
 * visible to all users; a user sees their own rows): the loader reads its COPY's rejections.
 * Not emulated: the filter to the user's own rows.
 */
export const LOAD_ERROR_VISIBILITY = 'GRANT SELECT ON public.sys_load_error_detail TO PUBLIC';

/** What one COPY rejected, and when and where it ran. */
export interface RejectedBatch {
  readonly table: string;
  readonly queryId: number;
  readonly transactionId: number;
  readonly sessionId: number;
  readonly startedAt: Date;
  readonly rows: readonly LoadErrorRow[];
}

/** The declared length of a column type ('character varying(16)' -> '16'), as the view reports it. */
function columnLength(type: string): string {
  return /\((\d+)\)/.exec(type)?.[1] ?? '';
}

/** Redshift's short type names ('character varying(16)' -> 'varchar'), cut to the view's CHAR(10). */
function shortType(type: string): string {
  const name = type.replace(/\(.*$/, '').trim().toLowerCase();
  const short: Record<string, string> = {
    'character varying': 'varchar',
    'double precision': 'float8',
    integer: 'int4',
    bigint: 'int8',
    smallint: 'int2',
    'timestamp without time zone': 'timestamp',
    character: 'char',
  };
  return (short[name] ?? name).slice(0, 10);
}

/** Writes the rejected rows; runs in the caller's transaction (its own, after the batch's). */
export async function recordLoadErrors(engine: SqlEngine, batch: RejectedBatch): Promise<void> {
  // The table id as Redshift gives it: the relation's oid (0 when a rollback took the table away).
  const found = await engine.query<{ oid: number | null }>('SELECT to_regclass($1)::oid::int AS oid', [batch.table]);
  const tableId = found.rows[0]?.oid ?? 0;
  const startTime = batch.startedAt.toISOString().replace('T', ' ').replace('Z', '');
  for (const row of batch.rows) {
    await engine.query(
      `INSERT INTO public.sys_load_error_detail
         (user_id, query_id, transaction_id, session_id, database_name, table_id, start_time, file_name,
          line_number, column_name, column_type, column_length, position, error_code, error_message)
       VALUES (100, $1, $2, $3, current_database(), $4, $5, $6, $7, $8, $9, $10, 0, $11, $12)`,
      [
        batch.queryId,
        batch.transactionId,
        batch.sessionId,
        tableId,
        startTime,
        row.filename.slice(0, 256),
        row.lineNumber,
        row.colname.slice(0, 127),
        shortType(row.type),
        columnLength(row.type),
        row.errCode,
        row.errReason.slice(0, 512),
      ],
    );
  }
}
