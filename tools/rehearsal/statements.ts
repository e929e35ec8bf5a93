import type { ColumnMetadata, DescribeStatementResponse, Field, StatementData, SubStatementData } from '@aws-sdk/client-redshift-data';

/** A statement's life: SUBMITTED (queued) -> STARTED -> FINISHED | FAILED | ABORTED. */
type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export const TERMINAL: ReadonlySet<StatementStatus> = new Set(['FINISHED', 'FAILED', 'ABORTED']);

/** Where a statement runs, as the request named it. */
export interface StatementTarget {
  readonly Database: string;
  readonly ClusterIdentifier?: string;
  readonly WorkgroupName?: string;
  readonly SecretArn?: string;
  /** The database user: as given, or derived from the caller's IAM identity ('IAM:<user>', 'IAMR:<role>'). */
  readonly DbUser?: string;
  /** The IAM identity signs in (no DbUser, no secret): Redshift creates its user at first sign-in. */
  readonly iamIdentity?: boolean;
  /** Serverless: the database roles its RedshiftDbRoles tag names, granted at sign-in. */
  readonly DbRoles?: readonly string[];
}

/** One SQL statement: the only one of an ExecuteStatement, or one of a batch (Id '<batch>:<n>'). */
export interface SubStatement {
  readonly id: string;
  readonly sql: string;
  status: StatementStatus;
  error?: string;
  createdAt: Date;
  updatedAt: Date;
  durationNs?: number;
  queryId?: number;
  resultRows?: number;
  resultSize?: number;
  result?: { readonly columns: ColumnMetadata[]; readonly records: Field[][] };
}

export interface Statement {
  readonly id: string;
  readonly batch: boolean;
  readonly name?: string;
  readonly target: StatementTarget;
  /** Who submitted it: 'IAMR:<role>' for a role (ListStatements lists a role only its own statements), 'IAM:<key>' otherwise. */
  readonly submitter: string;
  readonly subs: SubStatement[];
  readonly createdAt: Date;
  readonly sessionId?: string;
  readonly executionMode: 'TRANSACTION' | 'AUTO_COMMIT';
  /** How its results are read: JSON with GetStatementResult, CSV with GetStatementResultV2. */
  readonly resultFormat: 'JSON' | 'CSV';
  status: StatementStatus;
  error?: string;
  updatedAt: Date;
  durationNs?: number;
  sessionPid?: number;
  /** Stops it while it runs (set while it has a session). */
  cancel?: () => Promise<void>;
}

/** The Database, cluster or workgroup, and sign-in a statement's answers repeat. */
export function targetFields({ Database, ClusterIdentifier, WorkgroupName, SecretArn, DbUser }: StatementTarget) {
  return {
    Database,
    ...(ClusterIdentifier ? { ClusterIdentifier } : {}),
    ...(WorkgroupName ? { WorkgroupName } : {}),
    ...(SecretArn ? { SecretArn } : {}),
    ...(DbUser ? { DbUser } : {}),
  };
}

/** The service reports -1 for what it does not know yet (or for a failed statement). */
function known(value: number | undefined, status: StatementStatus): number {
  return value === undefined || status !== 'FINISHED' ? -1 : value;
}

function describeSub(sub: SubStatement): SubStatementData {
  return {
    Id: sub.id,
    Status: sub.status,
    QueryString: sub.sql,
    CreatedAt: sub.createdAt,
    UpdatedAt: sub.updatedAt,
    Duration: known(sub.durationNs, sub.status),
    HasResultSet: sub.result !== undefined && sub.status === 'FINISHED',
    ResultRows: known(sub.resultRows, sub.status),
    ResultSize: known(sub.resultSize, sub.status),
    RedshiftQueryId: sub.queryId ?? 0,
    ...(sub.error ? { Error: sub.error } : {}),
  };
}

/** DescribeStatement of a whole statement: a batch lists its sub-statements and has no QueryString of its own. */
export function describeStatement(statement: Statement): DescribeStatementResponse {
  const only = statement.batch ? undefined : statement.subs[0];
  const finished = statement.status === 'FINISHED';
  const subs = statement.subs;
  return {
    Id: statement.id,
    Status: statement.status,
    ...targetFields(statement.target),
    CreatedAt: statement.createdAt,
    UpdatedAt: statement.updatedAt,
    Duration: known(statement.durationNs, statement.status),
    RedshiftPid: statement.sessionPid ?? 0,
    RedshiftQueryId: only?.queryId ?? 0,
    HasResultSet: finished && subs.some((sub) => sub.result !== undefined),
    ResultRows: finished ? subs.reduce((n, sub) => n + (sub.result ? (sub.resultRows ?? 0) : 0), 0) : -1,
    ResultSize: finished ? subs.reduce((n, sub) => n + (sub.resultSize ?? 0), 0) : -1,
    ResultFormat: statement.resultFormat,
    ...(statement.batch ? { ExecutionMode: statement.executionMode } : {}),
    ...(statement.sessionId ? { SessionId: statement.sessionId } : {}),
    ...(only ? { QueryString: only.sql } : { SubStatements: subs.map(describeSub) }),
    ...(statement.error ? { Error: statement.error } : {}),
  };
}

/** DescribeStatement of one sub-statement of a batch ('<id>:<n>'). */
export function describeSubAsStatement(statement: Statement, sub: SubStatement): DescribeStatementResponse {
  return {
    ...describeSub(sub),
    ...targetFields(statement.target),
    RedshiftPid: statement.sessionPid ?? 0,
    ResultFormat: statement.resultFormat,
  };
}

/** A ListStatements entry. */
export function statementData(statement: Statement): StatementData {
  return {
    Id: statement.id,
    Status: statement.status,
    CreatedAt: statement.createdAt,
    UpdatedAt: statement.updatedAt,
    IsBatchStatement: statement.batch,
    ResultFormat: statement.resultFormat,
    ...(statement.name ? { StatementName: statement.name } : {}),
    ...(statement.target.SecretArn ? { SecretArn: statement.target.SecretArn } : {}),
    ...(statement.sessionId ? { SessionId: statement.sessionId } : {}),
    ...(statement.batch ? { QueryStrings: statement.subs.map((sub) => sub.sql) } : { QueryString: statement.subs[0]?.sql ?? '' }),
  };
}
