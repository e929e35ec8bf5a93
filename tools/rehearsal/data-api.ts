import { randomUUID } from 'node:crypto';
import { POSTGRES_PRELUDE } from '../../local/dialect-bridge';
import type { SqlEngine } from '../../local/engine';
import { ApiError, constraint, notFound, optionalInteger, optionalString, requiredString, validation } from './api-error';
import { EngineQueue } from './engine-queue';
import type { FakeAccount } from './fake-account';
import { LOAD_ERROR_TABLE_DDL } from './load-errors';
import { runSubmitted } from './statement-runner';
import {
  TERMINAL,
  describeStatement,
  describeSubAsStatement,
  statementData,
  type Statement,
  type StatementTarget,
  type SubStatement,
} from './statements';

type Input = Readonly<Record<string, unknown>>;
type Output = Record<string, unknown>;

export interface DataApiOptions {
  readonly engine: SqlEngine;
  readonly account: FakeAccount;
  /** Bucket name -> local folder laid out like it: where COPY reads s3:// from. */
  readonly buckets: Readonly<Record<string, string>>;
  /** Records per GetStatementResult page. @default 1000 */
  readonly pageSize?: number;
}

/** The Id pattern of the Data API's model: a UUID, and ':<n>' for a sub-statement of a batch. */
const ID_PATTERN = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;
const STATUSES = new Set(['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'FAILED', 'ABORTED', 'ALL']);

/**
 * The Redshift Data API's operations over the offline engine. Statements are accepted at once and
 * run afterwards, one at a time (the engine is one connection), like the service's queue.
 */
export class DataApi {
  private readonly statements = new Map<string, Statement>();
  private readonly tokens = new Map<string, string>();
  private readonly queue: EngineQueue;
  private readonly warnings: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly pageSize: number;

  constructor(private readonly options: DataApiOptions) {
    this.queue = new EngineQueue(options.engine);
    this.pageSize = options.pageSize ?? 1000;
  }

  /** Redshift's functions and time zone for the session, and the load-error table (outside any load). */
  async init(): Promise<void> {
    await this.queue.run(async (engine) => {
      await engine.exec(POSTGRES_PRELUDE);
      await engine.exec(LOAD_ERROR_TABLE_DDL);
    });
  }

  executeStatement(input: Input): Output {
    const sql = requiredString(input, 'Sql');
    return this.submit(input, [sql], false);
  }

  batchExecuteStatement(input: Input): Output {
    const sqls = input.Sqls;
    if (!Array.isArray(sqls)) throw constraint('sqls', sqls, 'Member must not be null');
    if (sqls.length < 1 || sqls.length > 40) throw constraint('sqls', sqls.length, 'Member must have length between 1 and 40');
    if (!sqls.every((sql): sql is string => typeof sql === 'string' && sql.length > 0)) {
      throw constraint('sqls', undefined, 'Member must satisfy constraint: [Member must have length greater than or equal to 1]');
    }
    return this.submit(input, sqls, true);
  }

  describeStatement(input: Input): Output {
    const { statement, sub } = this.find(input);
    return { ...(sub ? describeSubAsStatement(statement, sub) : describeStatement(statement)) };
  }

  getStatementResult(input: Input): Output {
    const { statement, sub } = this.find(input);
    if (statement.batch && !sub) throw validation('BatchExecuteStatement result can only be retrieved with sub-statement id.');
    const only = sub ?? statement.subs[0];
    if (!only?.result || only.status !== 'FINISHED')
      throw validation('Query does not have result. Please check query status with DescribeStatement.');
    const offset = decodeToken(optionalString(input, 'NextToken'));
    const records = only.result.records.slice(offset, offset + this.pageSize);
    const next = offset + records.length;
    return {
      Records: records,
      ColumnMetadata: only.result.columns,
      TotalNumRows: only.result.records.length,
      ...(next < only.result.records.length ? { NextToken: encodeToken(next) } : {}),
    };
  }

  cancelStatement(input: Input): Output {
    const { statement, sub } = this.find(input);
    if (sub) throw validation('Cancel a batch by its Id, not by the Id of one of its sub-statements.');
    if (TERMINAL.has(statement.status)) {
      throw validation(`Could not cancel a query that is already in ${statement.status} state with ID: ${statement.id}`);
    }
    if (statement.status === 'SUBMITTED') {
      // Not started yet: it never will be.
      const now = new Date();
      statement.status = 'ABORTED';
      statement.updatedAt = now;
      for (const each of statement.subs) Object.assign(each, { status: 'ABORTED', updatedAt: now });
    } else {
      statement.cancelRequested = true;
    }
    return { Status: true };
  }

  listStatements(input: Input): Output {
    const name = optionalString(input, 'StatementName');
    const status = optionalString(input, 'Status') ?? 'ALL';
    if (!STATUSES.has(status)) throw constraint('status', status, `Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`);
    const max = optionalInteger(input, 'MaxResults', 0, 100) || 100;
    const where = {
      ClusterIdentifier: optionalString(input, 'ClusterIdentifier'),
      WorkgroupName: optionalString(input, 'WorkgroupName'),
      Database: optionalString(input, 'Database'),
    };
    const matching = [...this.statements.values()]
      .filter((s) => name === undefined || (s.name ?? '').startsWith(name))
      .filter((s) => status === 'ALL' || s.status === status)
      .filter((s) => Object.entries(where).every(([key, value]) => value === undefined || s.target[key as keyof StatementTarget] === value))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const offset = decodeToken(optionalString(input, 'NextToken'));
    const page = matching.slice(offset, offset + max);
    return {
      Statements: page.map(statementData),
      ...(offset + page.length < matching.length ? { NextToken: encodeToken(offset + page.length) } : {}),
    };
  }

  /** Every statement submitted so far, oldest first: what the rehearsal checks the handler sent. */
  submitted(): readonly Statement[] {
    return [...this.statements.values()];
  }

  /** Problems met outside any statement. */
  problems(): readonly string[] {
    return this.warnings;
  }

  /** Runs SQL on the engine between statements (never inside a batch): the rehearsal's own checks. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    return this.queue.run(async (engine) => (await engine.query<T>(sql)).rows);
  }

  /** Resolves once no statement is queued or running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await this.queue.idle();
  }

  private submit(input: Input, sqls: readonly string[], batch: boolean): Output {
    const token = optionalString(input, 'ClientToken');
    if (token !== undefined && (token.length < 1 || token.length > 64))
      throw constraint('clientToken', token, 'Member must have length between 1 and 64');
    const earlier = token === undefined ? undefined : this.statements.get(this.tokens.get(token) ?? '');
    // The same token again is the same request: its statement, not a second run.
    if (earlier) return submitAnswer(earlier);
    for (const unsupported of ['Parameters', 'SessionId', 'SessionKeepAliveSeconds']) {
      if (input[unsupported] !== undefined)
        throw validation(`${unsupported} is not supported by the rehearsal's Data API (the loader does not use it)`);
    }
    const target = this.target(input);
    const name = optionalString(input, 'StatementName');
    if (name !== undefined && name.length > 500)
      throw constraint('statementName', name, 'Member must have length less than or equal to 500');
    const mode = optionalString(input, 'ExecutionMode') ?? 'TRANSACTION';
    if (mode !== 'TRANSACTION' && mode !== 'AUTO_COMMIT')
      throw constraint('executionMode', mode, 'Member must satisfy enum value set: [AUTO_COMMIT, TRANSACTION]');

    const id = randomUUID();
    const now = new Date();
    const subs: SubStatement[] = sqls.map((sql, i) => ({
      id: batch ? `${id}:${i + 1}` : id,
      sql,
      status: 'SUBMITTED',
      createdAt: now,
      updatedAt: now,
    }));
    const statement: Statement = {
      id,
      batch,
      name,
      target,
      subs,
      createdAt: now,
      updatedAt: now,
      status: 'SUBMITTED',
      withEvent: input.WithEvent === true,
      cancelRequested: false,
    };
    this.statements.set(id, statement);
    if (token !== undefined) this.tokens.set(token, id);
    // After the answer is on its way, as the service runs statements after accepting them.
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      runSubmitted(
        {
          queue: this.queue,
          buckets: this.options.buckets,
          databases: () => this.databasesOf(target),
          warn: (message) => this.warnings.push(message),
        },
        statement,
        mode === 'AUTO_COMMIT' ? 'autocommit' : 'transaction',
      ).catch((error: unknown) => {
        statement.status = 'FAILED';
        statement.error = `ERROR: ${(error as Error).message}`;
        statement.updatedAt = new Date();
      }),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return submitAnswer(statement);
  }

  /** The warehouse a request names, checked against the fake account as the service would. */
  private target(input: Input): StatementTarget {
    const Database = requiredString(input, 'Database', 127);
    const ClusterIdentifier = optionalString(input, 'ClusterIdentifier');
    const WorkgroupName = optionalString(input, 'WorkgroupName');
    const SecretArn = optionalString(input, 'SecretArn');
    const DbUser = optionalString(input, 'DbUser');
    if ((ClusterIdentifier === undefined) === (WorkgroupName === undefined)) {
      throw validation('Either ClusterIdentifier or WorkgroupName must be specified, but not both.');
    }
    const { account } = this.options;
    const warehouse =
      ClusterIdentifier !== undefined
        ? account.clusters.find((c) => c.identifier === ClusterIdentifier)
        : account.workgroups.find((w) => w.name === WorkgroupName);
    if (!warehouse)
      throw validation(
        ClusterIdentifier !== undefined ? "Redshift endpoint doesn't exist in this region." : `Workgroup ${WorkgroupName} not found.`,
      );
    if (SecretArn !== undefined && !account.secrets.includes(SecretArn)) {
      throw validation(`Secrets Manager can't find the specified secret. (${SecretArn})`);
    }
    if (SecretArn === undefined && DbUser === undefined && ClusterIdentifier !== undefined) {
      throw validation('Either SecretArn or DbUser must be specified for a provisioned cluster.');
    }
    return { Database, ClusterIdentifier, WorkgroupName, SecretArn, DbUser };
  }

  private databasesOf(target: StatementTarget): ReadonlySet<string> {
    const { account } = this.options;
    if (target.ClusterIdentifier !== undefined) {
      const cluster = account.clusters.find((c) => c.identifier === target.ClusterIdentifier);
      return new Set(cluster ? [cluster.dbName, 'dev'] : []);
    }
    const workgroup = account.workgroups.find((w) => w.name === target.WorkgroupName);
    const namespace = account.namespaces.find((n) => n.name === workgroup?.namespaceName);
    return new Set(namespace ? [namespace.dbName, 'dev'] : []);
  }

  private find(input: Input): { statement: Statement; sub?: SubStatement } {
    const id = requiredString(input, 'Id');
    if (!ID_PATTERN.test(id)) throw constraint('id', id, `Member must satisfy regular expression pattern: ${ID_PATTERN.source}`);
    const [base = '', index] = id.split(':');
    const statement = this.statements.get(base);
    if (!statement) throw notFound(id);
    if (index === undefined) return { statement };
    const sub = statement.batch ? statement.subs[Number(index) - 1] : undefined;
    if (!sub) throw notFound(id);
    return { statement, sub };
  }
}

function submitAnswer(statement: Statement): Output {
  const { Database, ClusterIdentifier, WorkgroupName, SecretArn, DbUser } = statement.target;
  return {
    Id: statement.id,
    CreatedAt: statement.createdAt,
    Database,
    ...(ClusterIdentifier ? { ClusterIdentifier } : {}),
    ...(WorkgroupName ? { WorkgroupName } : {}),
    ...(SecretArn ? { SecretArn } : {}),
    ...(DbUser ? { DbUser } : {}),
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw new ApiError('ValidationException', 'The NextToken is not valid.', 400);
  return Number(match[1]);
}
