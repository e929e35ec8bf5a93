import { quoteIdent } from '../../lib/plan/bind';
import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import { toPostgres } from '../../local/dialect-bridge';
import type { SqlEngine } from '../../local/engine';
import { recordLoadErrors, type RejectedBatch } from './load-errors';
import { StatementError, databaseMessage, runStatement } from './run-statement';
import { columnMetadata, rowBytes, toRecords } from './typed-records';

/**
 * The Data API's result limits (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-troubleshooting.html):
 * "64 KB per row in the result set" ("Packet for query is too large") and "500 MB in the result set"
 * ("Database response exceeded size limit").
 */
export interface ResultLimits {
  readonly rowBytes: number;
  readonly resultBytes: number;
}
export const DATA_API_LIMITS: ResultLimits = { rowBytes: 64 * 1024, resultBytes: 500 * 1024 * 1024 };

/** One statement (an ExecuteStatement's SQL or a whole batch) to run in a session. */
export interface RunRequest {
  readonly sqls: readonly string[];
  /** 'transaction': all sub-statements in one (the default); 'autocommit': each in its own. */
  readonly mode: 'transaction' | 'autocommit';
  readonly buckets: Readonly<Record<string, string>>;
  readonly queryIds: readonly number[];
  readonly transactionId: number;
  readonly pid: number;
  readonly limits: ResultLimits;
  /** As whom the statement runs (absent: the admin). The IAM identity's user is created at first sign-in. */
  readonly signIn?: { readonly user: string; readonly roles: readonly string[]; readonly autoCreate: boolean };
}

interface SubOutcome {
  readonly status: 'FINISHED' | 'FAILED' | 'ABORTED';
  readonly error?: string;
  readonly durationNs?: number;
  readonly rows?: number;
  readonly size?: number;
  readonly result?: { readonly columns: ColumnMetadata[]; readonly records: Field[][] };
}

export interface RunOutcome {
  readonly subs: readonly SubOutcome[];
  readonly error?: string;
  readonly cancelled: boolean;
  /** Problems met outside the statement (writing its load errors). */
  readonly warnings: readonly string[];
}

interface RunHooks {
  /** Sub-statement `index` has begun. */
  started(index: number): void;
  /** True once the statement was cancelled: it stops at its next step, and any error it meets is the cancel. */
  cancelled(): boolean;
}

/** A cancelled statement: what had finished before it stays FINISHED (rolled back), the rest ABORTED. */
export function cancelledOutcome(count: number, running: number): RunOutcome {
  const subs = Array.from({ length: count }, (_, i): SubOutcome => ({ status: i < running ? 'FINISHED' : 'ABORTED' }));
  return { subs, cancelled: true, warnings: [] };
}

/**
 * Runs a statement on the session's engine: every sub-statement in order, in one transaction or
 * each in its own. The first failure rolls back and the rest are ABORTED. Rejected COPY rows are
 * written to sys_load_error_detail after the rollback, so they survive it, as Redshift's do.
 */
export async function runOnEngine(engine: SqlEngine, request: RunRequest, hooks: RunHooks): Promise<RunOutcome> {
  const subs: SubOutcome[] = [];
  const rejected: RejectedBatch[] = [];
  const warnings: string[] = [];
  let failure: { error: string; cancelled: boolean } | undefined;
  const transaction = request.mode === 'transaction';
  try {
    if (request.signIn) await signIn(engine, request.signIn);
    if (transaction) await engine.exec('BEGIN');
    for (const [index, sql] of request.sqls.entries()) {
      if (hooks.cancelled()) throw new Error('cancelled');
      hooks.started(index);
      const began = process.hrtime.bigint();
      const queryId = request.queryIds[index] ?? 0;
      const keep = (copy: { table: string; rejected: RejectedBatch['rows'] } | undefined) => {
        if (copy && copy.rejected.length > 0)
          rejected.push({
            ...copy,
            rows: copy.rejected,
            queryId,
            transactionId: request.transactionId,
            sessionId: request.pid,
            startedAt: new Date(),
          });
      };
      if (!transaction) await engine.exec('BEGIN');
      try {
        const done = await runStatement(engine, sql, request.buckets);
        keep(done.copy);
        let result: SubOutcome['result'];
        let size = 0;
        if (done.result) {
          const records = toRecords(done.result.rows, done.result.fields);
          for (const record of records) {
            const bytes = rowBytes(record);
            if (bytes > request.limits.rowBytes)
              throw new StatementError(
                `Packet for query is too large: a row of ${bytes} bytes, over the Data API's ${request.limits.rowBytes}`,
              );
            size += bytes;
          }
          if (size > request.limits.resultBytes)
            throw new StatementError(
              `Database response exceeded size limit: ${size} bytes, over the Data API's ${request.limits.resultBytes}`,
            );
          result = { columns: done.result.fields.map((field) => columnMetadata(field.name, field.dataTypeID)), records };
        }
        if (!transaction) await engine.exec('COMMIT');
        subs.push({ status: 'FINISHED', durationNs: Number(process.hrtime.bigint() - began), rows: done.rowsAffected, size, result });
      } catch (error) {
        if (error instanceof StatementError) keep(error.copy);
        throw error;
      }
    }
    if (transaction) await engine.exec('COMMIT');
  } catch (error) {
    await engine.exec('ROLLBACK').catch(() => undefined);
    const cancelled = hooks.cancelled();
    failure = { error: cancelled ? '' : error instanceof StatementError ? error.message : databaseMessage(error), cancelled };
  }

  // Back to the admin: the system writes the load errors, whoever ran the COPY.
  if (request.signIn) await engine.exec('RESET ROLE').catch(() => undefined);
  for (const batch of rejected) {
    try {
      await engine.exec('BEGIN');
      await recordLoadErrors(engine, batch);
      await engine.exec('COMMIT');
    } catch (error) {
      await engine.exec('ROLLBACK').catch(() => undefined);
      warnings.push(`could not record ${batch.rows.length} load errors of ${batch.table}: ${(error as Error).message}`);
    }
  }
  if (!failure) return { subs, cancelled: false, warnings };
  // A failed COMMIT fails the last statement, as the service reports it.
  const failed = Math.min(subs.length, request.sqls.length - 1);
  const final = request.sqls.map((_, i): SubOutcome => {
    if (i < failed) return subs[i] ?? { status: 'FINISHED' };
    if (i > failed || failure.cancelled) return { status: 'ABORTED' };
    return { status: 'FAILED', error: failure.error };
  });
  return { subs: final, cancelled: failure.cancelled, ...(failure.cancelled ? {} : { error: failure.error }), warnings };
}

/**
 * Signs the session in as a database user, so the database's privileges apply as on Redshift: a
 * DbUser with temporary credentials must exist (GetClusterCredentials without AutoCreate); an IAM
 * identity's user ('IAMR:<role>') is created at its first sign-in and, on Serverless, gets the
 * roles its RedshiftDbRoles tag names (those that exist).
 * https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
 */
async function signIn(engine: SqlEngine, who: NonNullable<RunRequest['signIn']>): Promise<void> {
  const known = async (name: string) =>
    ((await engine.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_roles WHERE rolname = '${name.replace(/'/g, "''")}'`)).rows[0]
      ?.n ?? 0) > 0;
  if (!(await known(who.user))) {
    if (!who.autoCreate) throw new StatementError(`FATAL: user "${who.user}" does not exist`);
    // Two first statements of one identity may race (a server's roles are cluster-wide): the loser finds it made.
    // Redshift's IAM user signs in only with temporary credentials, as PASSWORD DISABLE says: the
    // bridge's translation keeps anyone from connecting as it offline.
    const create = toPostgres(`CREATE USER ${quoteIdent(who.user)} PASSWORD DISABLE`).replace(/'/g, "''");
    await engine.exec(`DO $signin$ BEGIN EXECUTE '${create}'; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $signin$`);
  }
  for (const role of who.roles) if (await known(role)) await engine.exec(`GRANT ${quoteIdent(role)} TO ${quoteIdent(who.user)}`);
  // SET ROLE, not SET SESSION AUTHORIZATION: on PGlite, RESET SESSION AUTHORIZATION leaves current_user as it was set.
  await engine.exec(`SET ROLE ${quoteIdent(who.user)}`);
}
