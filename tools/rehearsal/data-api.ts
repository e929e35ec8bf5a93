import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import { randomUUID } from 'node:crypto';
import { MAX_BATCH_STATEMENTS } from '../../lib/rules/limits';
import { POSTGRES_PRELUDE } from '../../local/dialect-bridge';
import type { SqlEngine } from '../../local/engine';
import { ApiError, constraint, notFound, optionalEnum, optionalInteger, optionalString, requiredString, validation } from './api-error';
import type { FakeAccount } from './fake-account';
import { LOAD_ERROR_TABLE_DDL, LOAD_ERROR_VISIBILITY } from './load-errors';
import { sessionHost, type Session, type SessionHost } from './sessions';
import { DATA_API_LIMITS, type ResultLimits } from './statement-runner';
import {
  TERMINAL,
  describeStatement,
  describeSubAsStatement,
  statementData,
  targetFields,
  type Statement,
  type StatementTarget,
  type SubStatement,
} from './statements';
import { columnMetadata, toCsv } from './typed-records';

type Input = Readonly<Record<string, unknown>>;
type Output = Record<string, unknown>;

interface DataApiOptions {
  /**
   * A PGlite folder or a postgres:// URL: the Data API opens its own sessions there. An engine
   * open in this thread (tests that hold one) is shared by every session, one at a time.
   */
  readonly database: string | SqlEngine;
  readonly account: FakeAccount;
  /** Bucket name -> local folder laid out like it: where COPY reads s3:// from. */
  readonly buckets: Readonly<Record<string, string>>;
  /** Records per GetStatementResult page. @default 1000 */
  readonly pageSize?: number;
  /** @default DATA_API_LIMITS */
  readonly limits?: ResultLimits;
}

/** The Id pattern of the Data API's model: a UUID, and ':<n>' for a sub-statement of a batch. */
const ID_PATTERN = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;
const STATUSES = ['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'FAILED', 'ABORTED', 'ALL'];
/** "The maximum query statement size is 100 KB" (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html). */
const MAX_SQL_BYTES = 100 * 1024;
/** "The maximum time a session can keep alive is 24 hours" (ExecuteStatement's SessionKeepAliveSeconds). */
const MAX_KEEP_ALIVE = 24 * 3600;

/** A session kept alive by SessionKeepAliveSeconds, reused by SessionId until it expires. */
interface KeptSession {
  readonly id: string;
  readonly session: Session;
  readonly target: StatementTarget;
  readonly createdAt: Date;
  keepAliveSeconds: number;
  busy: boolean;
  closed: boolean;
  updatedAt: Date;
  timer?: NodeJS.Timeout;
}

/** DataApi.hold: statements whose name matches wait, queued, until it is released. */
interface Hold {
  readonly match: (name: string) => boolean;
  readonly queued: { readonly statement: Statement; readonly start: () => void }[];
  readonly release: () => void;
}

let nextQueryId = 1000;
let nextTransactionId = 5000;

/**
 * The Redshift Data API's operations over a database. A statement is accepted at once and runs
 * afterwards in a session of its own (or the kept-alive session it names), as the service does.
 */
export class DataApi {
  private readonly statements = new Map<string, Statement>();
  private readonly tokens = new Map<string, string>();
  private readonly sessions = new Map<string, KeptSession>();
  private readonly warnings: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly holds = new Set<Hold>();
  private readonly host: SessionHost;
  private readonly pageSize: number;
  private readonly limits: ResultLimits;
  /** The database roles of IAM identities ('IAMR:<role>'), from their RedshiftDbRoles tag. */
  private readonly identityRoles = new Map<string, readonly string[]>();

  constructor(private readonly options: DataApiOptions) {
    this.host = sessionHost(options.database);
    this.pageSize = options.pageSize ?? 1000;
    this.limits = options.limits ?? DATA_API_LIMITS;
  }

  /** How sessions are made, for the report. */
  get sessionsDescribed(): string {
    return this.host.describe;
  }

  /** Redshift's functions for every session, and the load-error table (outside any load). */
  async init(): Promise<void> {
    await this.withSession((session) => session.exec(`${POSTGRES_PRELUDE};\n${LOAD_ERROR_TABLE_DDL};\n${LOAD_ERROR_VISIBILITY}`));
  }

  /** The server tells which database roles an IAM identity's tags name (Serverless grants them at sign-in). */
  mapIdentity(dbUser: string, roles: readonly string[]): void {
    this.identityRoles.set(dbUser, roles);
  }

  executeStatement(input: Input, caller: string): Output {
    const sql = requiredString(input, 'Sql');
    return this.submit(input, [sql], false, caller);
  }

  batchExecuteStatement(input: Input, caller: string): Output {
    const sqls = input.Sqls;
    if (!Array.isArray(sqls)) throw constraint('sqls', sqls, 'Member must not be null');
    if (sqls.length < 1 || sqls.length > MAX_BATCH_STATEMENTS) {
      throw constraint('sqls', sqls.length, `Member must have length between 1 and ${MAX_BATCH_STATEMENTS}`);
    }
    if (!sqls.every((sql): sql is string => typeof sql === 'string' && sql.length > 0)) {
      throw constraint('sqls', undefined, 'Member must satisfy constraint: [Member must have length greater than or equal to 1]');
    }
    return this.submit(input, sqls, true, caller);
  }

  describeStatement(input: Input): Output {
    const { statement, sub } = this.find(input);
    return { ...(sub ? describeSubAsStatement(statement, sub) : describeStatement(statement)) };
  }

  getStatementResult(input: Input): Output {
    const { records, columns } = this.result(input, 'JSON');
    return { ...this.page(input, records, this.pageSize, 'Records'), ColumnMetadata: columns, TotalNumRows: records.length };
  }

  /**
   * GetStatementResultV2 (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_GetStatementResultV2.html):
   * the result of a statement run with ResultFormat CSV, its Records the QueryRecords union ({ CSVRecords }), paged by
   * NextToken like GetStatementResult. The docs say only "the results of the SQL statement in CSV format": not how a
   * page's rows are split among CSVRecords, nor whether a header comes with them. Here each page is one CSVRecords,
   * and the column names are the first line of the first page, so the pages joined are one CSV file.
   */
  getStatementResultV2(input: Input): Output {
    const { records, columns } = this.result(input, 'CSV');
    const { items, offset, next } = this.slice(input, records, this.pageSize);
    const header = offset === 0 ? columns.map((column) => column.name ?? '') : undefined;
    return {
      Records: [{ CSVRecords: toCsv(items, header) }],
      ColumnMetadata: columns,
      TotalNumRows: records.length,
      ResultFormat: 'CSV',
      ...next,
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
      setStatus(statement, 'ABORTED');
      for (const each of statement.subs) setStatus(each, 'ABORTED');
    } else {
      void statement.cancel?.().catch((error: unknown) => this.warnings.push(`cancel ${statement.id}: ${(error as Error).message}`));
    }
    return { Status: true };
  }

  /**
   * The caller's own statements: "If true, all statements run by the caller's IAM role are
   * returned" (RoleLevel, true by default; its session-level false is not told apart here)
   * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ListStatements.html).
   */
  listStatements(input: Input, caller: string): Output {
    const name = optionalString(input, 'StatementName');
    const status = optionalEnum(input, 'Status', STATUSES) ?? 'ALL';
    const inTarget = targetFilter(input);
    const matching = [...this.statements.values()]
      .filter((s) => s.submitter === caller)
      .filter((s) => (name === undefined || (s.name ?? '').startsWith(name)) && (status === 'ALL' || s.status === status))
      .filter((s) => inTarget(s.target))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return this.page(input, matching.map(statementData), optionalInteger(input, 'MaxResults', 0, 100) || 100, 'Statements');
  }

  /** ListSessions: sessions kept alive, AVAILABLE and BUSY unless a Status or a SessionId says otherwise. */
  listSessions(input: Input): Output {
    const id = optionalString(input, 'SessionId');
    const status = optionalString(input, 'Status');
    const inTarget = targetFilter(input);
    const state = (kept: KeptSession) => (kept.closed ? 'CLOSED' : kept.busy ? 'BUSY' : 'AVAILABLE');
    const sessions = [...this.sessions.values()]
      .filter((kept) => (id !== undefined ? kept.id === id : status !== undefined ? state(kept) === status : !kept.closed))
      .filter((kept) => inTarget(kept.target))
      .map((kept) => {
        // Undefined members are left out of the JSON.
        const { Database, DbUser, ClusterIdentifier, WorkgroupName } = kept.target;
        return {
          SessionId: kept.id,
          Status: state(kept),
          CreatedAt: kept.createdAt,
          UpdatedAt: kept.updatedAt,
          SessionAliveSeconds: kept.keepAliveSeconds,
          ...(kept.closed ? {} : { SessionTtl: new Date(kept.updatedAt.getTime() + kept.keepAliveSeconds * 1000) }),
          Database,
          DbUser,
          ClusterIdentifier,
          WorkgroupName,
        };
      });
    return this.page(input, sessions, optionalInteger(input, 'MaxResults', 0, 100) || 100, 'Sessions');
  }

  /** ListDatabases: the warehouse's database and Redshift's 'dev'. */
  listDatabases(input: Input, caller: string): Output {
    return this.page(input, [...this.databasesOf(this.target(input, caller))].sort(), this.maxResults(input), 'Databases');
  }

  /** ListSchemas: SchemaPattern is a LIKE pattern ('%' any characters, '_' one). */
  async listSchemas(input: Input, caller: string): Promise<Output> {
    const rows = await this.catalog<{ name: string }>(
      input,
      caller,
      `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1 AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY 1`,
      [optionalString(input, 'SchemaPattern') ?? '%'],
    );
    return this.page(
      input,
      rows.map((row) => row.name),
      this.maxResults(input),
      'Schemas',
    );
  }

  /** ListTables: tables and views whose schema and name match the LIKE patterns (all when none is given). */
  async listTables(input: Input, caller: string): Promise<Output> {
    const rows = await this.catalog(
      input,
      caller,
      `SELECT table_name AS name, table_schema AS schema,
              CASE WHEN table_schema IN ('pg_catalog', 'information_schema') THEN 'SYSTEM ' ELSE '' END ||
              CASE table_type WHEN 'BASE TABLE' THEN 'TABLE' WHEN 'LOCAL TEMPORARY' THEN 'TEMPORARY TABLE' ELSE table_type END AS type
         FROM information_schema.tables WHERE table_schema LIKE $1 AND table_name LIKE $2 ORDER BY 2, 1`,
      [optionalString(input, 'SchemaPattern') ?? '%', optionalString(input, 'TablePattern') ?? '%'],
    );
    return this.page(input, rows, this.maxResults(input), 'Tables');
  }

  /** DescribeTable: the columns of the matching tables (every table when neither Schema nor Table is given). */
  async describeTable(input: Input, caller: string): Promise<Output> {
    const table = optionalString(input, 'Table');
    type Row = Required<Pick<ColumnMetadata, 'name' | 'length' | 'scale' | 'schemaName' | 'tableName'>> & {
      oid: number;
      nullable: boolean;
      precision: number | null;
      column_default: string | null;
    };
    const rows = await this.catalog<Row>(
      input,
      caller,
      `SELECT column_name AS name, (quote_ident(udt_schema) || '.' || quote_ident(udt_name))::regtype::oid::int AS oid,
              is_nullable = 'YES' AS nullable, column_default, COALESCE(character_maximum_length, 0) AS length,
              COALESCE(numeric_precision, character_maximum_length) AS precision, COALESCE(numeric_scale, 0) AS scale,
              table_schema AS "schemaName", table_name AS "tableName"
         FROM information_schema.columns WHERE table_schema = COALESCE($1, table_schema) AND table_name = COALESCE($2, table_name)
        ORDER BY table_schema, table_name, ordinal_position`,
      [optionalString(input, 'Schema') ?? null, table ?? null],
    );
    const columns = rows.map(({ oid, nullable, precision, column_default, ...known }) =>
      columnMetadata(known.name, oid, {
        ...known,
        nullable: nullable ? 1 : 0,
        ...(precision !== null ? { precision } : {}),
        ...(column_default !== null ? { columnDefault: column_default } : {}),
      }),
    );
    return { ...(table !== undefined ? { TableName: table } : {}), ...this.page(input, columns, this.maxResults(input), 'ColumnList') };
  }

  /** Every statement submitted so far, oldest first: what the rehearsal checks the handler sent. */
  submitted(): readonly Statement[] {
    return [...this.statements.values()];
  }

  /** Problems met outside any statement. */
  problems(): readonly string[] {
    return this.warnings;
  }

  /** Runs SQL in a session of its own: the rehearsal's own checks. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    return this.withSession((session) => session.query<T>(sql));
  }

  /**
   * Keeps every statement whose name `match`es SUBMITTED (queued, no session taken) until the
   * returned function releases them: a load that takes its time, for checks of one still running.
   * idle() does not wait for held statements.
   */
  hold(match: (name: string) => boolean): () => void {
    const hold: Hold = {
      match,
      queued: [],
      release: () => {
        this.holds.delete(hold);
        for (const { statement, start } of hold.queued.splice(0)) this.startWhenFree(statement, start);
      },
    };
    this.holds.add(hold);
    return hold.release;
  }

  /** Starts a statement now, or once every hold on its name is released. */
  private startWhenFree(statement: Statement, start: () => void): void {
    const hold = [...this.holds].find((each) => each.match(statement.name ?? ''));
    if (hold) hold.queued.push({ statement, start });
    else start();
  }

  /** Resolves once no statement is queued or running, held ones (hold) aside. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    for (const hold of [...this.holds]) hold.release();
    for (const statement of this.statements.values()) if (statement.status === 'STARTED') await statement.cancel?.();
    await this.idle();
    for (const kept of this.sessions.values()) this.expire(kept);
    this.sessions.clear();
    await this.idle();
    await this.host.close();
  }

  private async withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.host.open();
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  private submit(input: Input, sqls: readonly string[], batch: boolean, caller: string): Output {
    const token = optionalString(input, 'ClientToken');
    if (token !== undefined && (token.length < 1 || token.length > 64))
      throw constraint('clientToken', token, 'Member must have length between 1 and 64');
    const earlier = token === undefined ? undefined : this.statements.get(this.tokens.get(token) ?? '');
    // The same token again is the same request: its statement, not a second run.
    if (earlier) return submitAnswer(earlier);
    if (input.Parameters !== undefined) throw validation("Parameters are not supported by the rehearsal's Data API");
    const resultFormat = optionalEnum(input, 'ResultFormat', ['JSON', 'CSV'] as const) ?? 'JSON';
    for (const sql of sqls)
      if (Buffer.byteLength(sql, 'utf8') > MAX_SQL_BYTES) throw validation('Cannot process query string larger than 100kB');
    const name = optionalString(input, 'StatementName');
    if (name !== undefined && name.length > 500)
      throw constraint('statementName', name, 'Member must have length less than or equal to 500');
    const mode = optionalEnum(input, 'ExecutionMode', ['AUTO_COMMIT', 'TRANSACTION'] as const) ?? 'TRANSACTION';
    const keepAlive = optionalInteger(input, 'SessionKeepAliveSeconds', 0, MAX_KEEP_ALIVE);
    const sessionId = optionalString(input, 'SessionId');
    const found = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    const kept = found?.closed ? undefined : found;
    if (sessionId !== undefined && !kept) throw validation(`Session ${sessionId} is not available: it expired or never existed.`);
    if (kept?.busy) throw validation(`Session ${kept.id} is busy: a statement is running in it.`);
    const target = kept?.target ?? this.target(input, caller);

    const id = randomUUID();
    const now = new Date();
    const subs: SubStatement[] = sqls.map((sql, i) => ({
      id: batch ? `${id}:${i + 1}` : id,
      sql,
      status: 'SUBMITTED',
      createdAt: now,
      updatedAt: now,
    }));
    const keeping = kept?.id ?? (keepAlive ? randomUUID() : undefined);
    const statement: Statement = {
      id,
      batch,
      name,
      target,
      submitter: caller,
      subs,
      createdAt: now,
      updatedAt: now,
      status: 'SUBMITTED',
      executionMode: mode,
      resultFormat,
      ...(keeping ? { sessionId: keeping } : {}),
    };
    this.statements.set(id, statement);
    if (token !== undefined) this.tokens.set(token, id);
    if (kept) {
      kept.busy = true;
      kept.updatedAt = now;
      clearTimeout(kept.timer);
      if (keepAlive !== undefined) kept.keepAliveSeconds = keepAlive;
    }
    // After the answer is on its way, as the service runs statements after accepting them.
    this.startWhenFree(statement, () => {
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.run(statement, kept, keepAlive))
        .catch((error: unknown) => {
          statement.error = `ERROR: ${(error as Error).message}`;
          setStatus(statement, 'FAILED');
        });
      this.track(run);
    });
    return submitAnswer(statement);
  }

  private async run(statement: Statement, kept: KeptSession | undefined, keepAlive: number | undefined): Promise<void> {
    if (statement.status !== 'SUBMITTED') return; // cancelled before it started
    const session = kept?.session ?? (await this.host.open());
    try {
      if (statement.status !== 'SUBMITTED') return; // cancelled while waiting for the engine
      statement.sessionPid = session.pid;
      statement.cancel = () => session.cancel();
      setStatus(statement, 'STARTED');
      const began = process.hrtime.bigint();
      if (!this.databasesOf(statement.target).has(statement.target.Database)) {
        statement.error = `FATAL: database "${statement.target.Database}" does not exist`;
        for (const sub of statement.subs) setStatus(sub, 'ABORTED');
        if (statement.subs[0]) Object.assign(statement.subs[0], { status: 'FAILED', error: statement.error });
        setStatus(statement, 'FAILED');
        return;
      }
      const queryIds = statement.subs.map((sub) => (sub.queryId = nextQueryId++));
      const outcome = await session.run(
        {
          sqls: statement.subs.map((sub) => sub.sql),
          mode: statement.executionMode === 'AUTO_COMMIT' ? 'autocommit' : 'transaction',
          buckets: this.options.buckets,
          queryIds,
          transactionId: nextTransactionId++,
          pid: session.pid,
          limits: this.limits,
          // Statements run as the database user they signed in as; the admin secret signs in as the admin.
          ...(statement.target.SecretArn === undefined && statement.target.DbUser !== undefined
            ? {
                signIn: {
                  user: statement.target.DbUser,
                  roles: statement.target.DbRoles ?? [],
                  autoCreate: statement.target.iamIdentity === true,
                },
              }
            : {}),
        },
        (index) => {
          statement.subs.forEach((sub, i) => {
            if (i < index && sub.status !== 'FINISHED') setStatus(sub, 'FINISHED');
          });
          const sub = statement.subs[index];
          if (sub) setStatus(sub, 'STARTED');
        },
      );
      this.warnings.push(...outcome.warnings);
      statement.durationNs = Number(process.hrtime.bigint() - began);
      outcome.subs.forEach((done, i) => {
        const sub = statement.subs[i];
        if (!sub) return;
        Object.assign(sub, { durationNs: done.durationNs, resultRows: done.rows, resultSize: done.size, result: done.result });
        if (done.error) sub.error = done.error;
        setStatus(sub, done.status);
      });
      if (outcome.error) statement.error = outcome.error;
      setStatus(statement, outcome.cancelled ? 'ABORTED' : outcome.error ? 'FAILED' : 'FINISHED');
    } finally {
      delete statement.cancel;
      if (kept) {
        kept.busy = false;
        this.keep(kept);
      } else if (keepAlive && statement.sessionId) {
        this.keep({
          id: statement.sessionId,
          session,
          target: statement.target,
          createdAt: statement.createdAt,
          keepAliveSeconds: keepAlive,
          busy: false,
          closed: false,
          updatedAt: new Date(),
        });
      } else {
        await session.close();
      }
    }
  }

  /** The session stays open SessionKeepAliveSeconds after its statement ends, then closes. */
  private keep(kept: KeptSession): void {
    this.sessions.set(kept.id, kept);
    kept.updatedAt = new Date();
    kept.timer = setTimeout(() => this.expire(kept), kept.keepAliveSeconds * 1000);
    kept.timer.unref();
  }

  /** Work idle() waits for. */
  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private expire(kept: KeptSession): void {
    clearTimeout(kept.timer);
    if (kept.closed) return;
    kept.closed = true;
    kept.updatedAt = new Date();
    this.track(kept.session.close().catch(() => undefined));
  }

  /**
   * The warehouse and database user a request names, checked against the fake account as the
   * service checks them. The authentication modes (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ExecuteStatement.html):
   * Secrets Manager (SecretArn, cluster or workgroup); temporary credentials as a database user
   * (ClusterIdentifier + Database + DbUser: redshift:GetClusterCredentials, provisioned only);
   * temporary credentials as the caller's IAM identity (ClusterIdentifier or WorkgroupName +
   * Database alone: the database user is 'IAM:<user>' or 'IAMR:<role>').
   */
  private target(input: Input, caller: string): StatementTarget {
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
    if (SecretArn !== undefined && DbUser !== undefined) throw validation('Specify either SecretArn or DbUser, not both.');
    // Serverless derives the user from the IAM identity: there is no DbUser there.
    if (WorkgroupName !== undefined && DbUser !== undefined)
      throw validation('DbUser is not supported for a Redshift Serverless workgroup: its database user comes from the IAM identity.');
    if (SecretArn !== undefined) {
      if (!account.secrets.includes(SecretArn)) throw validation(`Secrets Manager can't find the specified secret. (${SecretArn})`);
      return { Database, ClusterIdentifier, WorkgroupName, SecretArn };
    }
    if (DbUser !== undefined) return { Database, ClusterIdentifier, WorkgroupName, DbUser };
    // The IAM identity: on Serverless with the database roles of its RedshiftDbRoles tag
    // (https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html).
    const roles = WorkgroupName !== undefined ? (this.identityRoles.get(caller) ?? []) : [];
    return {
      Database,
      ClusterIdentifier,
      WorkgroupName,
      DbUser: caller,
      iamIdentity: true,
      ...(roles.length > 0 ? { DbRoles: roles } : {}),
    };
  }

  /**
   * A metadata call's catalog query, in a session of its own; ConnectedDatabase, when given, is the
   * database the session connects to.
   */
  private async catalog<T>(input: Input, caller: string, sql: string, params: readonly unknown[]): Promise<T[]> {
    const target = this.target(input, caller);
    const databases = this.databasesOf(target);
    for (const name of [optionalString(input, 'ConnectedDatabase'), target.Database])
      if (name !== undefined && !databases.has(name))
        throw new ApiError('DatabaseConnectionException', `FATAL: database "${name}" does not exist`, 500);
    return this.withSession((session) => session.query<T>(sql, params));
  }

  private maxResults(input: Input): number {
    return optionalInteger(input, 'MaxResults', 0, 1000) || 1000;
  }

  /** One page of a list, with the NextToken of the next one. */
  private page<T>(input: Input, items: readonly T[], max: number, member: string): Output {
    const { items: page, next } = this.slice(input, items, max);
    return { [member]: page, ...next };
  }

  private slice<T>(input: Input, items: readonly T[], max: number): { items: T[]; offset: number; next: { NextToken?: string } } {
    const offset = decodeToken(optionalString(input, 'NextToken'));
    const page = items.slice(offset, offset + max);
    const end = offset + page.length;
    return { items: page, offset, next: end < items.length ? { NextToken: encodeToken(end) } : {} };
  }

  /**
   * The result a GetStatementResult (JSON) or GetStatementResultV2 (CSV) asks for. Each reads only the format the
   * statement was run with (API_GetStatementResult: "must have specified ResultFormat as JSON, or let the format default
   * to JSON"; API_GetStatementResultV2: "must have specified ResultFormat as CSV"). Neither page says which error the
   * other format gets, nor its wording: the closest documented one is ValidationException ("invalid input"), worded here.
   */
  private result(input: Input, format: Statement['resultFormat']): { records: Field[][]; columns: ColumnMetadata[] } {
    const { statement, sub } = this.find(input);
    if (statement.batch && !sub) throw validation('BatchExecuteStatement result can only be retrieved with sub-statement id.');
    if (statement.resultFormat !== format) {
      const operation = statement.resultFormat === 'CSV' ? 'GetStatementResultV2' : 'GetStatementResult';
      throw validation(`The statement was run with ResultFormat ${statement.resultFormat}: fetch its result with ${operation}.`);
    }
    const only = sub ?? statement.subs[0];
    if (!only?.result || only.status !== 'FINISHED')
      throw validation('Query does not have result. Please check query status with DescribeStatement.');
    return only.result;
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

function setStatus(statement: Statement | SubStatement, status: Statement['status']): void {
  statement.status = status;
  statement.updatedAt = new Date();
}

function submitAnswer(statement: Statement): Output {
  return {
    Id: statement.id,
    CreatedAt: statement.createdAt,
    ...targetFields(statement.target),
    ...(statement.sessionId ? { SessionId: statement.sessionId } : {}),
  };
}

/** Whether a target is the one a list call's ClusterIdentifier, WorkgroupName and Database name (those given). */
function targetFilter(input: Input): (target: StatementTarget) => boolean {
  const where = (['ClusterIdentifier', 'WorkgroupName', 'Database'] as const).map((key) => [key, optionalString(input, key)] as const);
  return (target) => where.every(([key, value]) => value === undefined || target[key] === value);
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
