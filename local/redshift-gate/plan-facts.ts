import type { Json } from './node-rules';

// What a statement does that only the whole plan can judge: the table's DDL is in another file,
// and the load runs every step in one transaction.

/** The columns an INSERT or UPDATE gives a value to; undefined columns: every column, by position. */
export interface WrittenColumns {
  readonly statement: 'INSERT' | 'UPDATE';
  readonly table: string;
  readonly at: number;
  readonly columns?: readonly { readonly name: string; readonly at: number; readonly defaultOnly: boolean }[];
  /** For an INSERT without a column list: the position of each DEFAULT-only value. */
  readonly defaultPositions?: ReadonlySet<number>;
}

/** ALTER TABLE ... ALTER COLUMN ... TYPE: Redshift runs it outside a transaction block only. */
export interface AlteredColumn {
  readonly table: string;
  readonly column: string;
  readonly at: number;
}

export interface StatementFacts {
  readonly writes: WrittenColumns[];
  readonly alteredColumns: AlteredColumn[];
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const num = (value: unknown, fallback: number): number => (typeof value === 'number' && value >= 0 ? value : fallback);

function relation(body: Json): { readonly table: string; readonly at: number } | undefined {
  const range = body.relation as Json | undefined;
  if (!range || typeof range.relname !== 'string') return undefined;
  return { table: range.relname, at: num(range.location, 0) };
}

/** Whether every VALUES row gives DEFAULT at this position (Redshift: "use the keyword DEFAULT"). */
function defaultInEveryRow(select: Json | undefined, position: number): boolean {
  const rows = list(select?.valuesLists);
  return rows.length > 0 && rows.every((row) => list((row.List as Json | undefined)?.items)[position]?.SetToDefault !== undefined);
}

export function statementFacts(statement: Json, at: number): StatementFacts {
  const writes: WrittenColumns[] = [];
  const alteredColumns: AlteredColumn[] = [];
  const insert = statement.InsertStmt as Json | undefined;
  const update = statement.UpdateStmt as Json | undefined;
  const alter = statement.AlterTableStmt as Json | undefined;
  if (insert) {
    const target = relation(insert);
    const select = (insert.selectStmt as Json | undefined)?.SelectStmt as Json | undefined;
    const cols = list(insert.cols).map((col) => col.ResTarget as Json);
    if (target) {
      if (cols.length > 0) {
        const columns = cols.map((col, n) => ({
          name: String(col.name),
          at: num(col.location, at),
          defaultOnly: defaultInEveryRow(select, n),
        }));
        writes.push({ statement: 'INSERT', ...target, columns });
      } else {
        const width = list((list(select?.valuesLists)[0]?.List as Json | undefined)?.items).length;
        const defaults = new Set<number>();
        for (let n = 0; n < width; n++) if (defaultInEveryRow(select, n)) defaults.add(n);
        writes.push({ statement: 'INSERT', ...target, defaultPositions: defaults });
      }
    }
  }
  if (update) {
    const target = relation(update);
    const columns = list(update.targetList)
      .map((item) => item.ResTarget as Json)
      .map((col) => ({
        name: String(col.name),
        at: num(col.location, at),
        defaultOnly: (col.val as Json | undefined)?.SetToDefault !== undefined,
      }));
    if (target) writes.push({ statement: 'UPDATE', ...target, columns });
  }
  if (alter) {
    const target = relation(alter);
    for (const cmd of list(alter.cmds)) {
      const body = cmd.AlterTableCmd as Json | undefined;
      if (target && body?.subtype === 'AT_AlterColumnType') alteredColumns.push({ table: target.table, column: String(body.name), at });
    }
  }
  return { writes, alteredColumns };
}
