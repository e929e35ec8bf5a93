import type { SqlEngine } from '../../local/engine';
import type { EngineQueue } from './engine-queue';
import { recordLoadErrors, type RejectedBatch } from './load-errors';
import { StatementError, runStatement } from './run-statement';
import type { Statement, SubStatement } from './statements';
import { columnMetadata, resultSize, toRecords } from './typed-records';

export interface RunnerContext {
  readonly queue: EngineQueue;
  readonly buckets: Readonly<Record<string, string>>;
  /** The databases that exist; a statement for any other fails as Redshift's would. */
  readonly databases: () => ReadonlySet<string>;
  /** Problems the server met outside any statement (e.g. writing load errors), for the caller to see. */
  readonly warn: (message: string) => void;
}

let nextQueryId = 1000;
let nextTransactionId = 5000;
let nextPid = 1_073_741_900;

class Cancelled extends Error {}

/**
 * Runs a submitted statement when the engine is free: every sub-statement in order in one
 * transaction ('transaction' mode, the Data API's default), or each in its own ('autocommit').
 * The first failure rolls back and the sub-statements after it are ABORTED. Rejected COPY rows
 * are written to sys_load_error_detail after the rollback, so they survive it, before the
 * statement reports its end.
 */
export async function runSubmitted(context: RunnerContext, statement: Statement, mode: 'transaction' | 'autocommit'): Promise<void> {
  await context.queue.run(async (engine) => {
    if (statement.status !== 'SUBMITTED') return; // cancelled while queued
    const began = process.hrtime.bigint();
    statement.sessionPid = nextPid++;
    setStatus(statement, 'STARTED');
    const rejected: RejectedBatch[] = [];
    let failure: { sub: SubStatement; message: string; cancelled: boolean } | undefined;

    if (!context.databases().has(statement.target.Database)) {
      const sub = statement.subs[0];
      if (sub) failure = { sub, message: `FATAL: database "${statement.target.Database}" does not exist`, cancelled: false };
    } else {
      failure = await runSubs(engine, context, statement, mode, rejected);
    }

    for (const batch of rejected) {
      try {
        await engine.exec('BEGIN');
        await recordLoadErrors(engine, batch);
        await engine.exec('COMMIT');
      } catch (error) {
        await engine.exec('ROLLBACK').catch(() => undefined);
        context.warn(`could not record ${batch.rows.length} load errors of ${batch.table}: ${(error as Error).message}`);
      }
    }

    statement.durationNs = Number(process.hrtime.bigint() - began);
    if (!failure) {
      setStatus(statement, 'FINISHED');
      return;
    }
    const after = statement.subs.slice(statement.subs.indexOf(failure.sub) + 1);
    failure.sub.status = failure.cancelled ? 'ABORTED' : 'FAILED';
    if (!failure.cancelled) failure.sub.error = failure.message;
    failure.sub.updatedAt = new Date();
    for (const sub of after) {
      sub.status = 'ABORTED';
      sub.updatedAt = new Date();
    }
    if (!failure.cancelled) statement.error = failure.message;
    setStatus(statement, failure.cancelled ? 'ABORTED' : 'FAILED');
  });
}

function setStatus(statement: Statement | SubStatement, status: Statement['status']): void {
  statement.status = status;
  statement.updatedAt = new Date();
}

async function runSubs(
  engine: SqlEngine,
  context: RunnerContext,
  statement: Statement,
  mode: 'transaction' | 'autocommit',
  rejected: RejectedBatch[],
): Promise<{ sub: SubStatement; message: string; cancelled: boolean } | undefined> {
  const transactionId = nextTransactionId++;
  if (mode === 'transaction') await engine.exec('BEGIN');
  for (const sub of statement.subs) {
    try {
      if (statement.cancelRequested) throw new Cancelled();
      if (mode === 'autocommit') await engine.exec('BEGIN');
      await runSub(engine, context, statement, sub, transactionId, rejected);
      if (mode === 'autocommit') await engine.exec('COMMIT');
    } catch (error) {
      await engine.exec('ROLLBACK').catch(() => undefined);
      const cancelled = error instanceof Cancelled;
      return { sub, message: cancelled ? '' : (error as Error).message, cancelled };
    }
  }
  if (mode === 'transaction') {
    try {
      await engine.exec('COMMIT');
    } catch (error) {
      await engine.exec('ROLLBACK').catch(() => undefined);
      const last = statement.subs[statement.subs.length - 1];
      if (last) return { sub: last, message: `ERROR: ${(error as Error).message}`, cancelled: false };
    }
  }
  return undefined;
}

async function runSub(
  engine: SqlEngine,
  context: RunnerContext,
  statement: Statement,
  sub: SubStatement,
  transactionId: number,
  rejected: RejectedBatch[],
): Promise<void> {
  const began = process.hrtime.bigint();
  const startedAt = new Date();
  sub.queryId = nextQueryId++;
  setStatus(sub, 'STARTED');
  const rejections = (copy: { table: string; rejected: RejectedBatch['rows'] } | undefined) => {
    if (copy && copy.rejected.length > 0) {
      rejected.push({
        table: copy.table,
        queryId: sub.queryId ?? 0,
        transactionId,
        sessionId: statement.sessionPid ?? 0,
        startedAt,
        rows: copy.rejected,
      });
    }
  };
  try {
    const done = await runStatement(engine, sub.sql, context.buckets);
    rejections(done.copy);
    if (done.result) {
      const records = toRecords(done.result.rows, done.result.fields);
      sub.result = { columns: columnMetadata(done.result.fields), records };
      sub.resultSize = resultSize(records);
    }
    sub.resultRows = done.rowsAffected;
    sub.durationNs = Number(process.hrtime.bigint() - began);
    setStatus(sub, 'FINISHED');
  } catch (error) {
    if (error instanceof StatementError) rejections(error.copy);
    sub.durationNs = Number(process.hrtime.bigint() - began);
    throw error;
  }
}
