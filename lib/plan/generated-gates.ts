import { PlanError, bindTemplate } from './bind';
import { GATE_MANIFEST_FILE, readGateManifest, type TableGates } from './gate-manifest';
import type { SqlFiles } from './sql-files';

/** A gate the plan generates: its step name and its query. */
export interface GeneratedGate {
  /** Without the 'gate.' prefix: 'keys_not_null_and_unique'. */
  readonly name: string;
  /** One query returning the failing rows of every check it holds. */
  readonly sql: string;
}

const TEMPLATES = {
  notEmpty: 'gates/generic/not_empty.sql',
  uniqueKey: 'gates/generic/unique_key.sql',
  relationship: 'gates/generic/relationship.sql',
  notNull: 'gates/generic/not_null.sql',
} as const;

/**
 * The gates sql/gates/manifest.json declares, as queries that return failing rows (dbt's
 * not_null / unique / relationships, in Redshift SQL): one step per kind of check, each check a
 * template from sql/gates/generic/ bound to one table or column, joined with UNION ALL. One step
 * per kind keeps the batch well under the Data API's 40 statements however many tables there are.
 */
export function generateGates(files: SqlFiles, mode: 'full' | 'incremental' = 'full'): GeneratedGate[] {
  const manifest = readGateManifest(files);
  // The rows a check reads: the whole table, or in an incremental load the staged window of an
  // appended table (sql/gates/manifest.json's appended_by), so a day's gates do not rescan history.
  // A window is a WITH query of the gate, named <table>_window: read once however many checks use it
  // (Redshift evaluates a WITH query referenced more than once as a common subexpression where it
  // can, https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html; PostgreSQL materializes it).
  const windows = new Map<string, string>();
  const windowed = (table: string, column: string): string => {
    const name = `${table}_window`;
    windows.set(
      name,
      `${name} AS (SELECT * FROM ${table} WHERE ${column} IS NULL OR ${column} BETWEEN (SELECT MIN(ts) FROM staging_events) AND (SELECT MAX(ts) FROM staging_events))`,
    );
    return name;
  };
  const rowsOf = ({ table, appendedBy }: TableGates): string => (mode === 'full' || !appendedBy ? table : windowed(table, appendedBy));
  // A reference from the window column to an appended table's own window column (songplays.start_time
  // to time) can only find its row in that table's window: the same value.
  const targetRowsOf = (source: TableGates, column: string, target: TableGates): string =>
    mode === 'incremental' && source.appendedBy === column && target.appendedBy === target.key
      ? windowed(target.table, target.key)
      : target.table;
  const bind = (file: string, values: Record<string, string>): string =>
    // A template's comment lines would repeat in every branch, and a trailing one would swallow
    // what assert_gate appends after the query: they stay in the file.
    bindTemplate(file, template(files, file), values)
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n');
  const gate = (name: string, queries: string[]): GeneratedGate[] => {
    if (queries.length === 0) return [];
    const body = queries.join('\nUNION ALL\n');
    const used = [...windows].filter(([window]) => new RegExp(`\\b${window}\\b`).test(body)).map(([, definition]) => definition);
    return [{ name, sql: used.length === 0 ? body : `WITH ${used.join(',\n')}\n${body}` }];
  };

  return [
    ...gate(
      'star_tables_not_empty',
      manifest.map(({ table }) => bind(TEMPLATES.notEmpty, { table })),
    ),
    ...gate(
      'keys_not_null_and_unique',
      manifest.map((entry) => bind(TEMPLATES.uniqueKey, { table: entry.table, rows: rowsOf(entry), key: entry.key })),
    ),
    ...manifest.flatMap((entry) =>
      gate(
        `${entry.table}_references_resolve`,
        entry.references.map(({ column, target }) =>
          bind(TEMPLATES.relationship, {
            rows: rowsOf(entry),
            key: entry.key,
            column,
            target,
            target_rows: targetRowsOf(entry, column, entryOf(manifest, target)),
            target_key: entryOf(manifest, target).key,
            // A not-null reference counts a NULL as not found: one check, one failing row.
            null_fails: entry.notNull.includes(column) ? 'TRUE' : 'FALSE',
          }),
        ),
      ),
    ),
    ...gate(
      'columns_not_null',
      manifest.flatMap(({ table, key, notNull, references }) =>
        notNull
          // The key's check and a reference's check already fail a NULL.
          .filter((column) => column !== key && !references.some((reference) => reference.column === column))
          .map((column) => bind(TEMPLATES.notNull, { table, column })),
      ),
    ),
  ];
}

function entryOf(manifest: ReturnType<typeof readGateManifest>, table: string): TableGates {
  const found = manifest.find((entry) => entry.table === table);
  if (!found) throw new PlanError(`sql/${GATE_MANIFEST_FILE}: no table ${table}`);
  return found;
}

function template(files: SqlFiles, file: string): string {
  const text = files.get(file);
  if (text === undefined) throw new PlanError(`sql/${file} is missing: the gates of sql/${GATE_MANIFEST_FILE} are generated with it`);
  return text;
}
