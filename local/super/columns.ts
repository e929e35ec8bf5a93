import type { SqlEngine } from '../engine';
import { statementTables } from './navigation';

/**
 * The names of the SUPER columns of the tables a statement names, from the engine's catalog: a
 * name that is SUPER (json offline) in one of them and of another type in none, so a plain column
 * `s` in `s = 'abc'`, `UPPER(s)` or `s LIKE 'a%'` is read as a SUPER value (local/super/navigation.ts)
 * and never as text PostgreSQL would give json. A table the catalog does not have adds nothing.
 */
export async function superColumnNames(engine: SqlEngine, sql: string): Promise<ReadonlySet<string>> {
  const tables = statementTables(sql).map((name) => {
    const dot = name.lastIndexOf('.');
    return { schema: dot < 0 ? '' : name.slice(0, dot), relname: name.slice(dot + 1) };
  });
  if (tables.length === 0) return new Set();
  const { rows } = await engine.query<{ name: string }>(
    `SELECT a.attname::text AS name
     FROM json_to_recordset($1::json) AS t(schema text, relname text)
     JOIN pg_catalog.pg_class c ON c.relname = t.relname AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
       AND CASE WHEN t.schema = '' THEN pg_catalog.pg_table_is_visible(c.oid)
                ELSE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = t.schema) END
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     GROUP BY a.attname
     HAVING bool_and(a.atttypid = 'pg_catalog.json'::pg_catalog.regtype)`,
    [JSON.stringify(tables)],
  );
  return new Set(rows.map((row) => row.name));
}
