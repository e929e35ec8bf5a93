import { POSTGRES_PRELUDE } from '../../local/dialect-bridge';
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
