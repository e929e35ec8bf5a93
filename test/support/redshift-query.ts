import { POSTGRES_PRELUDE, toPostgres } from '../../local/dialect-bridge';
import type { SqlEngine } from '../../local/engine';
import { engineResult, formatValue } from '../../local/format-table';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { formatRefusal } from '../../local/redshift-gate/refusal';
import { toPostgresStatement } from '../../local/table-design-record';
import { openTestEngine, type TestEngine } from './engine';

/**
 * Redshift SQL as `sparkify query` runs it: the gate, the dialect bridge, the engine (with the
 * prelude), each value printed as the CLI prints it. For tests of the guide's examples.
 */
export interface RedshiftSession {
  /** The first row's values, as printed; throws the gate's refusals or the engine's error. */
  row(sql: string): Promise<string[]>;
  /** Every row, as printed. */
  rows(sql: string): Promise<string[][]>;
  /** The error message a statement ends in (a gate refusal or the engine's error). */
  failure(sql: string): Promise<string>;
  /** The engine itself, for what a test sets up outside Redshift SQL (a COPY, roles, SET ROLE). */
  readonly engine: SqlEngine;
  dispose(): Promise<void>;
}

export async function openRedshiftSession(): Promise<RedshiftSession> {
  await loadRedshiftGate();
  const db: TestEngine = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
  const rows = async (sql: string): Promise<string[][]> => {
    const refusals = checkRedshiftSql(sql, 'q.sql');
    if (refusals.length > 0) throw new Error(refusals.map(formatRefusal).join('\n'));
    const result = engineResult(await db.engine.queryArrays(toPostgresStatement(sql)));
    return result.rows.map((row) => row.map((value, i) => formatValue(value, result.columns[i]?.kind)));
  };
  return {
    engine: db.engine,
    rows,
    async row(sql) {
      return (await rows(sql))[0] ?? [];
    },
    async failure(sql) {
      try {
        await rows(sql);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`expected ${sql} to fail`);
    },
    dispose: () => db.dispose(),
  };
}

/** A value as the driver gives it, as text: a timestamp as Redshift prints it (2008-01-01 05:54:44). */
export function asText(value: unknown): string {
  return value instanceof Date
    ? value
        .toISOString()
        .replace('T', ' ')
        .replace(/\.000Z$/, '')
    : String(value);
}

/** Redshift SQL through the dialect bridge alone (no gate), for tests of the bridge and the prelude. */
export interface BridgeQueries {
  /** Every row, each value as text (asText). */
  rows(sql: string): Promise<string[][]>;
  /** The first row. */
  one(sql: string): Promise<string[]>;
  /** The engine's error message a statement ends in. */
  failure(sql: string): Promise<string>;
}

/** Queries on the engine `engine()` gives when called: a test file's, opened in its beforeAll. */
export function bridgeQueries(engine: () => SqlEngine): BridgeQueries {
  const rows = async (sql: string): Promise<string[][]> => {
    const { rows: out } = await engine().queryArrays(toPostgres(sql));
    return out.map((row) => row.map(asText));
  };
  return {
    rows,
    async one(sql) {
      return (await rows(sql))[0] ?? [];
    },
    async failure(sql) {
      try {
        await engine().query(toPostgres(sql));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`expected ${sql} to fail`);
    },
  };
}
