import { TYPE_OID, type ArrayQueryResult } from './engine';
import { dateText, isoText, timestampText } from './timestamp';

/**
 * What a column holds, as far as printing goes: from a PostgreSQL type oid (both offline engines)
 * or a Data API type name (the deployed warehouse), so every path prints and exports alike.
 */
export type ColumnKind = 'integer' | 'float' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'timestamptz' | 'other';

export interface ResultColumn {
  /** Unique within the result (see uniqueNames). */
  readonly name: string;
  /** Undefined for rows built in code: values then speak for themselves. */
  readonly kind?: ColumnKind;
}

/** A query's answer as the CLI prints it: every column in order, rows as arrays. */
export interface ResultSet {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
}

const KIND_BY_OID: ReadonlyMap<number, ColumnKind> = new Map([
  [TYPE_OID.int2, 'integer'],
  [TYPE_OID.int4, 'integer'],
  [TYPE_OID.int8, 'integer'],
  [TYPE_OID.oid, 'integer'],
  [TYPE_OID.float4, 'float'],
  [TYPE_OID.float8, 'float'],
  [TYPE_OID.numeric, 'numeric'],
  [TYPE_OID.bool, 'boolean'],
  [TYPE_OID.date, 'date'],
  [TYPE_OID.timestamp, 'timestamp'],
  [TYPE_OID.timestamptz, 'timestamptz'],
]);

const KIND_BY_TYPE_NAME: ReadonlyMap<string, ColumnKind> = new Map([
  ['int2', 'integer'],
  ['int4', 'integer'],
  ['int8', 'integer'],
  ['oid', 'integer'],
  ['float4', 'float'],
  ['float8', 'float'],
  ['numeric', 'numeric'],
  ['bool', 'boolean'],
  ['date', 'date'],
  ['timestamp', 'timestamp'],
  ['timestamptz', 'timestamptz'],
]);

export function kindOfOid(oid: number): ColumnKind {
  return KIND_BY_OID.get(oid) ?? 'other';
}

/** A Data API ColumnMetadata typeName ('int8', 'timestamp', ...). */
export function kindOfTypeName(typeName: string | undefined): ColumnKind {
  return KIND_BY_TYPE_NAME.get((typeName ?? '').toLowerCase()) ?? 'other';
}

/**
 * Column names made unique the way a spreadsheet user expects: the first column of a name keeps
 * it, each repeat gets `_2`, `_3`, ... (skipping any suffix another column already has), so
 * `select 1 as a, 2 as a` prints and exports `a` and `a_2`.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    // A repeat takes the first free suffix: not used yet, and not another column's own name.
    for (let n = 2; used.has(unique) || (unique !== name && taken.has(unique)); n += 1) unique = `${name}_${n}`;
    used.add(unique);
    return unique;
  });
}

/** An engine's answer (rows as arrays) as a result set. */
export function engineResult(result: ArrayQueryResult): ResultSet {
  const names = uniqueNames(result.fields.map((field) => field.name));
  return {
    columns: result.fields.map((field, i) => ({ name: names[i] ?? field.name, kind: kindOfOid(field.dataTypeID) })),
    rows: result.rows,
  };
}

/** Rows built in code (one object per row) as a result set. */
export function recordResult(rows: readonly Record<string, unknown>[], columns = rows[0] ? Object.keys(rows[0]) : []): ResultSet {
  return { columns: columns.map((name) => ({ name })), rows: rows.map((row) => columns.map((column) => row[column])) };
}

/** Renders rows as an aligned text table; numbers right-aligned, NULL shown as such. */
export function formatTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  return formatResult(recordResult(rows, columns ? [...columns] : undefined));
}

/** Renders a result set as an aligned text table; numbers right-aligned, NULL shown as such. */
export function formatResult(result: ResultSet): string {
  const { columns, rows } = result;
  if (columns.length === 0) return '(no rows)';
  const cells = rows.map((row) => columns.map((column, i) => formatValue(row[i], column.kind)));
  const numeric = columns.map((column, i) =>
    column.kind === undefined ? rows.length > 0 && rows.every((row) => isNumeric(row[i])) : NUMBER_KINDS.has(column.kind),
  );
  const widths = columns.map((column, i) => Math.max(column.name.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const render = (line: readonly string[]) =>
    line
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [render(columns.map((column) => column.name)), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)];
  if (rows.length === 0) lines.push('(no rows)');
  return lines.join('\n');
}

const NUMBER_KINDS: ReadonlySet<ColumnKind> = new Set(['integer', 'float', 'numeric']);

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || value === null || value === undefined;
}

/**
 * One value as the table shows it. Dates and times as Redshift prints them, in UTC (the engines
 * hold TIMESTAMP as its UTC wall-clock time, see local/engine.ts), never in the machine's zone.
 */
export function formatValue(value: unknown, kind?: ColumnKind): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return kind === 'date' ? dateText(value) : timestampText(value, kind === 'timestamptz');
  // An array as PostgreSQL prints it ({pg_catalog,public}, as Redshift's CURRENT_SCHEMAS page shows):
  // a server sends that text, PGlite a JavaScript array.
  if (Array.isArray(value)) return `{${value.map((item) => (item === null ? 'NULL' : formatValue(item))).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * One value as `--json` exports it, the same from PGlite, a server and the Data API:
 * - integers (COUNT(*) is BIGINT) and NUMERIC: a JSON number when the number JSON carries is
 *   exactly the database's value (ROUND(..., 1) gives 33.3; 60.0 gives 60), else the digits as
 *   a string (beyond 2^53, or more digits than a double holds);
 * - floats: a number; NaN and ±Infinity, which JSON cannot carry, as "NaN", "Infinity", "-Infinity";
 * - DATE: "YYYY-MM-DD"; TIMESTAMP and TIMESTAMPTZ: ISO 8601 in UTC, "2018-11-01T00:09:53.796Z"
 *   (microseconds when there are some: "2018-11-01T00:09:53.796123Z");
 * - BOOLEAN: true/false; an array: PostgreSQL's text of it, {a,b}; anything else: the text the database printed.
 */
export function jsonValue(value: unknown, kind?: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date) return kind === 'date' ? dateText(value) : isoText(value);
  if (typeof value === 'string' && (kind === 'numeric' || kind === 'integer')) return exactNumber(value) ?? value;
  if (Array.isArray(value)) return formatValue(value); // the text a server sends: {a,b}
  return value;
}

/** The number a decimal text denotes, when a double holds exactly that decimal; else undefined. */
export function exactNumber(text: string): number | undefined {
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  const shortest = String(n);
  if (/e/i.test(shortest)) return undefined; // beyond 1e21 or below 1e-6: keep the digits
  return decimalKey(text) === decimalKey(shortest) ? n : undefined;
}

/** A decimal's canonical text: no '+', no leading or trailing zeros, '0' for any zero. */
function decimalKey(text: string): string | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) return undefined;
  const whole = (m[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const digits = fraction ? `${whole}.${fraction}` : whole;
  return m[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

/** A result set as JSON: one object per row, keyed by the unique column names, values as jsonValue says. */
export function toJson(result: ResultSet): string {
  const rows = result.rows.map((row) =>
    Object.fromEntries(result.columns.map((column, i) => [column.name, jsonValue(row[i], column.kind)])),
  );
  return JSON.stringify(rows, null, 2);
}

/**
 * A result set as CSV (RFC 4180): a header of the column names, then each row's values as the table
 * prints them, NULL as an empty field (as psql's --csv and Redshift's UNLOAD CSV write it); a field
 * holding a comma, a quote or a line break is quoted, its quotes doubled.
 */
export function toCsv(result: ResultSet): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const line = (values: readonly string[]) => values.map(field).join(',');
  return [
    line(result.columns.map((column) => column.name)),
    ...result.rows.map((row) =>
      line(result.columns.map((column, i) => (row[i] === null || row[i] === undefined ? '' : formatValue(row[i], column.kind)))),
    ),
  ].join('\n');
}

/** The table with its row count under it, as psql prints one: "(1 row)", "(3 rows)". */
export function formatRows(result: ResultSet): string {
  const table = formatResult(result);
  if (result.columns.length === 0 || result.rows.length === 0) return table;
  return `${table}\n(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`;
}
