import { ANALYST_ROLE, ANALYST_TABLES } from '../rules/database-identities';
import { MAX_ERROR_BYTES } from '../rules/limits';
import { PlanError, bindTemplate, quoteIdent, sqlString } from './bind';
import { ANALYST_GRANT_STEP, clipUtf8, sqlFile, type LoadPlan, type PlanStep } from './load-plan';
import type { SqlFiles } from './sql-files';
import type { TableDesign } from './table-design';

/** A column as sql/catalog/table_columns.sql returns it (the Data API and the twin give the same row). */
export interface CatalogColumn {
  readonly table_name: string;
  readonly column_name: string;
  readonly ordinal: number | string;
  readonly type: string;
  readonly not_null: boolean | string;
  readonly distkey: boolean | string;
  readonly sortkey: number | string;
  readonly diststyle: string;
}

/** A privilege as sql/catalog/table_privileges.sql returns it. */
export interface CatalogGrant {
  readonly table_name: string;
  readonly privilege_type: string;
  readonly identity_name: string;
  readonly identity_type: string;
}

/** A table the load rebuilds, and why. */
export interface TableChange {
  readonly table: string;
  readonly changes: readonly string[];
}

/**
 * What the load does to the schema before loading: the tables it drops and creates again (in
 * drop order), and the grants they get back. Decided from the catalog before the load's
 * transaction; the Lambda hands it from onEvent to isComplete, so both see the same steps.
 */
export interface SchemaSync {
  readonly rebuilt: readonly TableChange[];
  readonly grants: readonly CatalogGrant[];
  /**
   * Product tables the warehouse has as their DDL declares them: their CREATE TABLE IF NOT EXISTS
   * would do nothing, so the plan leaves it out (the Data API's batch holds 40 statements).
   */
  readonly unchanged?: readonly string[];
  /**
   * The analyst role may already SELECT every table it reads (rebuilt tables get their grants back):
   * the plan leaves out its GRANT, one statement of the 40 a batch holds.
   */
  readonly analystGranted?: boolean;
}

/** Tables that keep their rows across loads: a change to their design is refused, never rebuilt. */
export const KEPT_TABLES: ReadonlySet<string> = new Set(['load_history', 'schema_changes']);

/** The catalog queries, bound to the plan's tables. */
export function catalogQueries(files: SqlFiles, plan: LoadPlan): { readonly columns: string; readonly grants: string } {
  const tables = plan.tables.map((t) => `'${sqlString(t.name)}'`).join(', ');
  const bind = (file: string) => bindTemplate(file, sqlFile(files, file), { tables });
  return { columns: bind('catalog/table_columns.sql'), grants: bind('catalog/table_privileges.sql') };
}

const truthy = (value: boolean | string) => value === true || value === 't' || value === 'true';

/** How the live table differs from its DDL, in words; empty when it matches. */
export function tableDifferences(declared: TableDesign, live: readonly CatalogColumn[]): string[] {
  const changes: string[] = [];
  const columns = [...live].sort((a, b) => Number(a.ordinal) - Number(b.ordinal));
  const byName = new Map(columns.map((c) => [c.column_name, c]));
  const declaredNames = new Set(declared.columns.map((c) => c.name));
  for (const column of declared.columns) {
    const found = byName.get(column.name);
    if (!found) {
      changes.push(`column ${column.name} ${column.type} added`);
      continue;
    }
    if (found.type !== column.type) changes.push(`column ${column.name} type ${found.type} -> ${column.type}`);
    // PRIMARY KEY and IDENTITY columns: whether the catalog marks them NOT NULL is the engine's business, not the DDL's.
    if (!column.primaryKey && !column.identity && truthy(found.not_null) !== column.notNull) {
      changes.push(`column ${column.name} ${column.notNull ? 'NOT NULL added' : 'NOT NULL dropped'}`);
    }
  }
  for (const column of columns) if (!declaredNames.has(column.column_name)) changes.push(`column ${column.column_name} dropped`);
  const kept = columns.map((c) => c.column_name).filter((name) => declaredNames.has(name));
  const wanted = declared.columns.map((c) => c.name).filter((name) => byName.has(name));
  if (kept.join() !== wanted.join()) changes.push(`column order (${kept.join(', ')}) -> (${wanted.join(', ')})`);

  const diststyle = columns[0]?.diststyle ?? 'AUTO';
  if (diststyle !== declared.diststyle) changes.push(`DISTSTYLE ${diststyle} -> ${declared.diststyle}`);
  const distkey = columns.find((c) => truthy(c.distkey))?.column_name;
  if (distkey !== declared.distkey) changes.push(`DISTKEY ${distkey ?? 'none'} -> ${declared.distkey ?? 'none'}`);
  const sorted = columns.filter((c) => Number(c.sortkey) !== 0).sort((a, b) => Math.abs(Number(a.sortkey)) - Math.abs(Number(b.sortkey)));
  const sortkey = sorted.map((c) => c.column_name);
  // PG_TABLE_DEF: an interleaved key's positions alternate in sign.
  const interleaved = sorted.some((c) => Number(c.sortkey) < 0);
  const key = (names: readonly string[], mixed: boolean) =>
    names.length === 0 ? 'none' : `${mixed ? 'INTERLEAVED ' : ''}(${names.join(', ')})`;
  if (key(sortkey, interleaved) !== key(declared.sortkey, declared.interleaved && declared.sortkey.length > 1)) {
    changes.push(`SORTKEY ${key(sortkey, interleaved)} -> ${key(declared.sortkey, declared.interleaved)}`);
  }
  return changes;
}

/**
 * The tables to rebuild: each whose catalog differs from its DDL, and each table whose FOREIGN KEY
 * references a rebuilt one (dropping a referenced table would fail). A table that is not there
 * yet is not a change: its CREATE TABLE IF NOT EXISTS creates it. A kept table (load_history)
 * that differs stops the load before anything is touched.
 */
export function planSchemaSync(plan: LoadPlan, live: readonly CatalogColumn[], grants: readonly CatalogGrant[]): SchemaSync {
  const changed = new Map<string, string[]>();
  for (const table of plan.tables) {
    const columns = live.filter((c) => c.table_name === table.name);
    if (columns.length === 0) continue;
    const changes = tableDifferences(table, columns);
    if (changes.length === 0) continue;
    if (KEPT_TABLES.has(table.name)) {
      throw new PlanError(
        `sql/schema/${table.name}.sql: ${table.name} keeps the record of every load, so the load never drops it, and its DDL differs from the warehouse (${changes.join('; ')}). ` +
          `Restore the DDL, or change the table yourself first (ALTER TABLE ${table.name} ADD COLUMN ..., outside the load) so that it matches.`,
      );
    }
    changed.set(table.name, changes);
  }
  // Dependents, to a fixed point: songplays references the dimensions.
  for (let grew = true; grew;) {
    grew = false;
    for (const table of plan.tables) {
      if (changed.has(table.name) || KEPT_TABLES.has(table.name)) continue;
      if (!live.some((c) => c.table_name === table.name)) continue;
      const referenced = table.references.filter((r) => changed.has(r));
      if (referenced.length === 0) continue;
      changed.set(table.name, [`rebuilt with ${referenced.join(', ')}, which its FOREIGN KEY references`]);
      grew = true;
    }
  }
  // Drop order: the reverse of creation order, so a referencing table goes before what it references.
  const rebuilt = [...plan.tables]
    .reverse()
    .filter((t) => changed.has(t.name))
    .map((t) => ({ table: t.name, changes: changed.get(t.name) ?? [] }));
  const names = new Set(rebuilt.map((r) => r.table));
  const unchanged = plan.tables.filter((t) => !names.has(t.name) && live.some((c) => c.table_name === t.name)).map((t) => t.name);
  const analystGranted = ANALYST_TABLES.every((table) =>
    grants.some(
      (g) =>
        g.table_name === table &&
        g.identity_type === 'role' &&
        g.identity_name === ANALYST_ROLE &&
        g.privilege_type.toUpperCase() === 'SELECT',
    ),
  );
  return { rebuilt, grants: grants.filter((g) => names.has(g.table_name)), unchanged, analystGranted };
}

/** The warehouse has load_history (a kept table: one that differs from its DDL stops the load in planSchemaSync). */
export function historyExists(sync: SchemaSync): boolean {
  return (sync.unchanged ?? []).includes('load_history');
}

/** The warehouse has every table as sql/schema declares it: nothing to create or rebuild (an incremental load may run). */
export function schemaIsCurrent(plan: LoadPlan, sync: SchemaSync): boolean {
  const unchanged = new Set(sync.unchanged ?? []);
  return sync.rebuilt.length === 0 && plan.tables.every((table) => unchanged.has(table.name));
}

/** A grantee as GRANT writes it: `ROLE r`, `GROUP g`, PUBLIC, or a user (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html). */
function grantee(grant: CatalogGrant): string {
  const quoted = quoteIdent(grant.identity_name);
  switch (grant.identity_type) {
    case 'public':
      return 'PUBLIC';
    case 'role':
      return `ROLE ${quoted}`;
    case 'group':
      return `GROUP ${quoted}`;
    default:
      return quoted;
  }
}

const PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REFERENCES', 'DROP', 'ALTER', 'TRUNCATE']);

/**
 * The plan with the schema sync in it: the drops before the schema steps (which then create the
 * tables again), the grants right after them, and one schema_changes row per rebuilt table after
 * the load's history row. Without changes, the plan itself.
 */
export function withSchemaSync(files: SqlFiles, plan: LoadPlan, sync: SchemaSync): LoadPlan {
  const skipped = new Set((sync.unchanged ?? []).map((table) => `schema.${table}`));
  if (sync.analystGranted) skipped.add(ANALYST_GRANT_STEP);
  const present = skipped.size === 0 ? plan : { ...plan, steps: plan.steps.filter((step) => !skipped.has(step.name)) };
  if (sync.rebuilt.length === 0) return present;
  const bind = (file: string, values: Record<string, string>) => bindTemplate(file, sqlFile(files, file), values);
  // One statement each for the drops, each privilege of each grantee, and the records: the Data
  // API's batch holds 40 statements (lib/rules/limits.ts), whatever the number of tables.
  const drops: PlanStep[] = [
    {
      name: 'schema.drop_changed_tables',
      kind: 'schema',
      file: 'common/drop_table.sql',
      sql: bind('common/drop_table.sql', { tables: sync.rebuilt.map((r) => r.table).join(', ') }),
    },
  ];
  const byGrant = new Map<string, { privilege: string; grantee: string; tables: string[] }>();
  for (const g of sync.grants) {
    const privilege = g.privilege_type.toUpperCase();
    if (!PRIVILEGES.has(privilege)) continue;
    const key = `${privilege} ${grantee(g)}`;
    const entry = byGrant.get(key) ?? { privilege, grantee: grantee(g), tables: [] };
    entry.tables.push(g.table_name);
    byGrant.set(key, entry);
  }
  const grants = [...byGrant.values()].map((g, i): PlanStep => ({
    name: `schema.grant_kept_privileges.${i + 1}`,
    kind: 'schema',
    file: 'common/grant_table.sql',
    sql: bind('common/grant_table.sql', { privilege: g.privilege, tables: g.tables.join(', '), grantee: g.grantee }),
  }));
  const rows = sync.rebuilt
    .map(
      ({ table, changes }) =>
        `'${sqlString(plan.loadId)}', '${sqlString(table)}', '${sqlString(clipUtf8(changes.join('; '), MAX_ERROR_BYTES))}'`,
    )
    // The template holds the outer parentheses: VALUES ({{ rows }}).
    .join('),\n  (');
  const history: PlanStep[] = [
    {
      name: 'history.schema_changed',
      kind: 'history',
      file: 'history/schema_changed.sql',
      sql: bind('history/schema_changed.sql', { rows }),
    },
  ];
  const { steps } = present;
  const firstSchema = steps.findIndex((s) => s.kind === 'schema');
  const afterSchema = steps.findLastIndex((s) => s.kind === 'schema') + 1;
  const afterStarted = steps.findIndex((s) => s.name === 'history.load_started') + 1;
  return {
    ...present,
    steps: [
      ...steps.slice(0, firstSchema),
      ...drops,
      ...steps.slice(firstSchema, afterSchema),
      ...grants,
      ...steps.slice(afterSchema, afterStarted),
      ...history,
      ...steps.slice(afterStarted),
    ],
  };
}

/** One line per rebuilt table, for the summary and the log. */
export function describeChanges(rebuilt: readonly TableChange[]): string[] {
  return rebuilt.map(({ table, changes }) => `${table} rebuilt: ${changes.join('; ')}`);
}
