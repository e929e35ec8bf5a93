import { SQL_IDENTIFIER } from '../rules/sql-identifier';
import { STAR_TABLES } from '../rules/tables';
import { follows, refusal } from '../rules/text-rule';
import { PlanError } from './bind';
import type { SqlFiles } from './sql-files';

/** Where the gates' facts are declared, relative to sql/. */
export const GATE_MANIFEST_FILE = 'gates/manifest.json';

export interface TableReference {
  readonly column: string;
  /** The table whose key the column names. */
  readonly target: string;
}

/** What the gates prove about one star table, as sql/gates/manifest.json declares it. */
export interface TableGates {
  readonly table: string;
  /** Not null and unique. */
  readonly key: string;
  readonly notNull: readonly string[];
  readonly references: readonly TableReference[];
  /** An incremental load only appends rows whose value here is a staged event's ts (their gates are scoped to that window). */
  readonly appendedBy?: string;
}

/**
 * Reads and checks the manifest: every star table declared once (each must not be empty), names
 * that can be pasted into SQL, references to declared tables. In the file's order, which is the
 * order of the generated gates' rows.
 */
export function readGateManifest(files: SqlFiles): readonly TableGates[] {
  const text = files.get(GATE_MANIFEST_FILE);
  if (text === undefined) throw new PlanError(`sql/${GATE_MANIFEST_FILE} is missing: the quality gates are generated from it`);
  const fail = (problem: string): never => {
    throw new PlanError(`sql/${GATE_MANIFEST_FILE}: ${problem}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  const tables = objectAt(parsed, 'tables', fail);
  const declared = Object.keys(tables);
  const missing = STAR_TABLES.filter((table) => !declared.includes(table));
  const unknown = declared.filter((table) => !(STAR_TABLES as readonly string[]).includes(table));
  if (missing.length > 0 || unknown.length > 0) {
    fail(
      `declare each star table (${STAR_TABLES.join(', ')}) once; ${[...missing.map((t) => `${t} is missing`), ...unknown.map((t) => `${t} is not a star table`)].join(', ')}`,
    );
  }
  const manifest = declared.map((table): TableGates => {
    const entry = objectAt(tables, table, fail);
    const known = ['key', 'not_null', 'references', 'appended_by'];
    const extra = Object.keys(entry).filter((name) => !known.includes(name));
    if (extra.length > 0) fail(`tables.${table} has ${extra.join(', ')}: use only ${known.join(', ')}`);
    const name = (where: string, value: unknown): string =>
      follows(SQL_IDENTIFIER, value) ? value : fail(refusal(where, value, SQL_IDENTIFIER));
    const notNull = entry['not_null'] ?? [];
    if (!Array.isArray(notNull)) return fail(`tables.${table}.not_null must be a list of column names`);
    const references = entry['references'] === undefined ? {} : objectAt(entry, 'references', fail, `tables.${table}.`);
    const appendedBy = entry['appended_by'] === undefined ? {} : { appendedBy: name(`tables.${table}.appended_by`, entry['appended_by']) };
    return {
      table,
      ...appendedBy,
      key: name(`tables.${table}.key`, entry['key']),
      notNull: notNull.map((column: unknown, i) => name(`tables.${table}.not_null[${i}]`, column)),
      references: Object.entries(references).map(([column, target]) => ({
        column: name(`tables.${table}.references key`, column),
        target: name(`tables.${table}.references.${column}`, target),
      })),
    };
  });
  for (const { table, references } of manifest) {
    for (const { column, target } of references) {
      if (!declared.includes(target)) fail(`tables.${table}.references.${column} = "${target}": name a table declared here`);
    }
  }
  return manifest;
}

function objectAt(parent: unknown, key: string, fail: (problem: string) => never, path = ''): Readonly<Record<string, unknown>> {
  const value = (parent as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${path}${key} must be a JSON object`);
  return value as Record<string, unknown>;
}
