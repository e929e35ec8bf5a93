import type { AnalystQuery } from '../local/analyst-queries';
import type { ArrayQueryResult, SqlEngine } from '../local/engine';
import { identityOf, PERMISSION_DENIED, READ_ONLY_VIOLATION, WarehouseError, type WarehouseIdentity } from '../local/warehouse';
import { twinStatement } from '../local/twin-statement';
import { placedEngineError } from './sql-error';

/** The command a statement runs in, named in its refusals with that command's way to write. */
export interface StatementCommand {
  /** 'query', 'shell'. */
  readonly name: string;
  /** How to run it as the loader instead, said after a refusal: "pass --write". */
  readonly writeFix: string;
}

export const QUERY_COMMAND: StatementCommand = { name: 'query', writeFix: 'pass --write' };

/**
 * One analyst query on an open warehouse, already acting as `who` (actAs), through the twin
 * (local/twin-statement.ts): a permission the identity lacks and a write in a read-only session are
 * refused naming who ran it and how to write on purpose; any other error of the engine carries its
 * place in what the user wrote, its detail and hint (sql-error.ts). Shared by `sparkify query` and `sparkify shell`.
 */
export async function runStatement(
  engine: SqlEngine,
  who: WarehouseIdentity,
  query: AnalystQuery,
  command: StatementCommand = QUERY_COMMAND,
): Promise<ArrayQueryResult> {
  const identity = identityOf(who);
  const origin = { file: query.file };
  const statement = await twinStatement(engine, query.sql, origin);
  return engine.queryArrays(statement).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (code === PERMISSION_DENIED) {
      throw new WarehouseError(
        `${(error as Error).message}: sparkify ${command.name} ran as ${identity.user} (role ${identity.role}, which ${identity.may}).` +
          (who === 'analyst'
            ? ` ${command.name === 'query' ? '--write' : `'sparkify ${command.name} --write'`} runs as the loader, which owns the product's tables.`
            : ''),
        1,
      );
    }
    if (code !== READ_ONLY_VIOLATION) throw placedEngineError(error, query, statement);
    throw new WarehouseError(
      `sparkify ${command.name} is read-only, and this statement writes (${(error as Error).message}). ` +
        `To change the warehouse on purpose, ${command.writeFix}: it waits for any load and takes the writer lock.`,
      1,
    );
  });
}
