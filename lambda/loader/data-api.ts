import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementResponse,
  type Field,
} from '@aws-sdk/client-redshift-data';
import { createHash } from 'node:crypto';
import { dataApiTarget, type LoadProperties, type WarehouseTarget } from './properties';
import type { LoaderDeps, RetryPolicy } from './types';

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 8_000, random: Math.random };

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'Throttling.User',
  // Data API: the account's concurrent statement or session quota; a later try usually fits.
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // The cluster is rebooting or resizing for a moment.
  'DatabaseConnectionException',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Throttling, quota, 5xx and network errors: worth another try. Anything else is an answer. */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown }; message?: unknown };
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return typeof e.message === 'string' && /socket hang up|network|ECONNRESET/i.test(e.message);
}

/** Runs `call`, retrying transient errors with backoff; the last error is thrown as it is. */
export async function withRetry<T>(deps: Pick<LoaderDeps, 'retry' | 'sleep' | 'log'>, what: string, call: () => Promise<T>): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs, random } = deps.retry;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      const delay = Math.round(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * random());
      deps.log.warn('retry', { call: what, attempt, delayMs: delay, error: errorName(error) });
      await deps.sleep(delay);
    }
  }
}

export function errorName(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** An idempotency token for the Data API (1-64 characters): the same request never runs twice. */
export function clientToken(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 64);
}

export async function describeStatement(deps: QueryDeps, id: string): Promise<DescribeStatementResponse> {
  return withRetry(deps, 'DescribeStatement', () => deps.data.send(new DescribeStatementCommand({ Id: id })));
}

/** A statement that the database refused: carries its message. */
export class QueryFailedError extends Error {
  constructor(
    message: string,
    readonly status: string,
  ) {
    super(message);
    this.name = 'QueryFailedError';
  }
}

export type Row = Record<string, string | number | boolean | null>;

/** What a short query needs of the loader's dependencies (the CLI provides the same for a deployed warehouse). */
export type QueryDeps = Pick<LoaderDeps, 'data' | 'retry' | 'sleep' | 'now' | 'log' | 'queryPollMs' | 'queryTimeoutMs'>;

/**
 * Runs one short statement and waits for it (bounded by deps.queryTimeoutMs; cancelled beyond).
 * Returns its rows when it has a result set.
 */
export async function runQuery(
  deps: QueryDeps,
  props: WarehouseTarget & Pick<LoadProperties, 'loadId'>,
  sql: string,
  options: { token?: string } = {},
): Promise<Row[]> {
  const { Id } = await withRetry(deps, 'ExecuteStatement', () =>
    deps.data.send(
      new ExecuteStatementCommand({
        ...dataApiTarget(props),
        Sql: sql,
        StatementName: `sparkify-query:${props.loadId}`,
        ...(options.token ? { ClientToken: options.token } : {}),
      }),
    ),
  );
  if (!Id) throw new QueryFailedError('the Data API returned no statement id', 'UNKNOWN');
  const deadline = deps.now() + deps.queryTimeoutMs;
  for (;;) {
    const statement = await describeStatement(deps, Id);
    const status = statement.Status ?? 'UNKNOWN';
    if (status === 'FINISHED') return statement.HasResultSet ? readResult(deps, Id) : [];
    if (status === 'FAILED' || status === 'ABORTED') {
      throw new QueryFailedError(statement.Error ?? `statement ${status.toLowerCase()}`, status);
    }
    if (deps.now() >= deadline) {
      await deps.data.send(new CancelStatementCommand({ Id })).catch(() => undefined);
      throw new QueryFailedError(`no answer within ${Math.round(deps.queryTimeoutMs / 1000)} s (statement ${Id} cancelled)`, status);
    }
    await deps.sleep(deps.queryPollMs);
  }
}

async function readResult(deps: QueryDeps, id: string): Promise<Row[]> {
  const rows: Row[] = [];
  let token: string | undefined;
  let columns: string[] = [];
  do {
    const page = await withRetry(deps, 'GetStatementResult', () =>
      deps.data.send(new GetStatementResultCommand({ Id: id, ...(token ? { NextToken: token } : {}) })),
    );
    if (page.ColumnMetadata) columns = page.ColumnMetadata.map((column, i) => column.label ?? column.name ?? `column_${i + 1}`);
    for (const record of page.Records ?? []) {
      rows.push(Object.fromEntries(record.map((field, i) => [columns[i] ?? `column_${i + 1}`, fieldValue(field)])));
    }
    token = page.NextToken;
  } while (token);
  return rows;
}

/** A Data API field (a tagged union) as a plain value. */
export function fieldValue(field: Field): string | number | boolean | null {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('base64');
  return null;
}
