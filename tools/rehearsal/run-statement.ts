import { CopyError, parseCopy, runCopy, type LoadErrorRow } from '../../local/copy';
import { twinStatement } from '../../local/twin-statement';
import type { ResultField, SqlEngine } from '../../local/engine';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { formatRefusal } from '../../local/redshift-gate/refusal';

/** What one Redshift statement did on the engine. */
interface StatementResult {
  /** Present when the statement returns rows (a SELECT), even none. */
  readonly result?: { readonly fields: readonly ResultField[]; readonly rows: readonly Record<string, unknown>[] };
  /** Rows a DML statement touched, or a COPY loaded. */
  readonly rowsAffected: number;
  /** For a COPY: its table and what it rejected (within MAXERROR). */
  readonly copy?: { readonly table: string; readonly rejected: readonly LoadErrorRow[] };
}

/** A statement the database refused, with the message Redshift's Data API would show. */
export class StatementError extends Error {
  constructor(
    message: string,
    /** For a COPY past MAXERROR: its table and the rejected records, which outlive the rollback. */
    readonly copy?: { readonly table: string; readonly rejected: readonly LoadErrorRow[] },
  ) {
    super(message);
    this.name = 'StatementError';
  }
}

/**
 * The Data API's Error text: the server's severity and message ("ERROR: relation \"x\" does not
 * exist"). A COPY past MAXERROR says only its first line, as Redshift does; the rows are in
 * sys_load_error_detail.
 */
export function databaseMessage(error: unknown): string {
  if (error instanceof CopyError) return `ERROR: ${error.message.split('\n')[0] ?? error.message}`;
  const e = error as { severity?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const severity = typeof e.severity === 'string' ? e.severity : 'ERROR';
  return /^(ERROR|FATAL|PANIC):/.test(message) ? message : `${severity}: ${message}`;
}

/**
 * Runs one statement of Redshift SQL inside the engine's current transaction: a COPY through the
 * COPY emulation (s3:// read from the bucket folders), anything else through the dialect bridge.
 * Throws StatementError with the database's message.
 */
export async function runStatement(engine: SqlEngine, sql: string, buckets: Readonly<Record<string, string>>): Promise<StatementResult> {
  // The emulated Redshift refuses what Redshift refuses, before running anything: the plan's SQL
  // and anything else a client sends (the Data API runs each statement through it).
  await loadRedshiftGate();
  const refusals = checkRedshiftSql(sql, 'statement');
  if (refusals.length > 0) throw new StatementError(`ERROR: ${refusals.map(formatRefusal).join('; ')}`);
  try {
    const command = parseCopy(sql);
    if (command) {
      try {
        const copied = await runCopy(engine, command, { buckets });
        return { rowsAffected: copied.rowsLoaded, copy: { table: command.table, rejected: copied.rejected } };
      } catch (error) {
        if (error instanceof CopyError)
          throw new StatementError(databaseMessage(error), { table: command.table, rejected: error.rejected });
        throw error;
      }
    }
    const translated = await twinStatement(engine, sql);
    const answer = await engine.query(translated);
    // A statement with result columns is a query (the engines report no fields for DML and DDL).
    if (answer.fields.length > 0) return { result: { fields: answer.fields, rows: answer.rows }, rowsAffected: answer.rows.length };
    return { rowsAffected: answer.affectedRows ?? 0 };
  } catch (error) {
    if (error instanceof StatementError) throw error;
    throw new StatementError(databaseMessage(error));
  }
}
