import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { ResultField } from '../../local/engine';

/**
 * How the Data API types a column: Redshift's type name, which Field member carries its values,
 * and the JDBC-style precision it reports. Integers are longValue, floats doubleValue, DECIMAL
 * and every date/time or text type stringValue (as the real service sends them).
 */
interface ColumnType {
  readonly typeName: string;
  readonly field: 'longValue' | 'doubleValue' | 'booleanValue' | 'stringValue';
  readonly precision: number;
  readonly signed: boolean;
  readonly caseSensitive: boolean;
}

const long = (typeName: string, precision: number): ColumnType => ({
  typeName,
  field: 'longValue',
  precision,
  signed: true,
  caseSensitive: false,
});
const text = (typeName: string): ColumnType => ({ typeName, field: 'stringValue', precision: 65535, signed: false, caseSensitive: true });
const temporal = (typeName: string, precision: number): ColumnType => ({
  typeName,
  field: 'stringValue',
  precision,
  signed: false,
  caseSensitive: false,
});

/** PostgreSQL type OIDs to the Redshift types the project's SQL produces. */
const TYPES: ReadonlyMap<number, ColumnType> = new Map([
  [16, { typeName: 'bool', field: 'booleanValue', precision: 1, signed: false, caseSensitive: false }],
  [20, long('int8', 19)],
  [21, long('int2', 5)],
  [23, long('int4', 10)],
  [26, long('oid', 10)],
  [700, { typeName: 'float4', field: 'doubleValue', precision: 8, signed: true, caseSensitive: false }],
  [701, { typeName: 'float8', field: 'doubleValue', precision: 17, signed: true, caseSensitive: false }],
  [1700, { typeName: 'numeric', field: 'stringValue', precision: 38, signed: true, caseSensitive: false }],
  [18, text('char')],
  [19, text('name')],
  [25, text('text')],
  [1042, text('bpchar')],
  [1043, text('varchar')],
  [1082, temporal('date', 13)],
  [1114, temporal('timestamp', 29)],
  [1184, temporal('timestamptz', 35)],
]);

const FALLBACK = text('varchar');

export function columnType(field: ResultField): ColumnType {
  return TYPES.get(field.dataTypeID) ?? FALLBACK;
}

export function columnMetadata(fields: readonly ResultField[]): ColumnMetadata[] {
  return fields.map((field) => {
    const type = columnType(field);
    return {
      name: field.name,
      label: field.name,
      typeName: type.typeName,
      isCaseSensitive: type.caseSensitive,
      isCurrency: false,
      isSigned: type.signed,
      // 1: nullable, what the service answers for computed columns too.
      nullable: 1,
      precision: type.precision,
      scale: 0,
      length: 0,
      schemaName: '',
      tableName: '',
    };
  });
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Both engines give DATE and TIMESTAMP as Dates holding the UTC wall-clock time (local/engine.ts). */
function dateText(date: Date, withTime: boolean): string {
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (!withTime) return day;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const ms = date.getUTCMilliseconds();
  // Redshift prints fractional seconds only when there are some.
  return `${day} ${time}${ms ? `.${pad(ms, 3).replace(/0+$/, '')}` : ''}`;
}

/** One value as the Data API's tagged union. */
export function toField(value: unknown, type: ColumnType): Field {
  if (value === null || value === undefined) return { isNull: true };
  switch (type.field) {
    case 'longValue':
      return { longValue: Number(value) };
    case 'doubleValue':
      return { doubleValue: Number(value) };
    case 'booleanValue':
      return { booleanValue: value === true || value === 't' || value === 'true' };
    case 'stringValue':
      if (value instanceof Date) {
        if (type.typeName === 'timestamptz') return { stringValue: `${dateText(value, true)}+00` };
        return { stringValue: dateText(value, type.typeName !== 'date') };
      }
      return { stringValue: typeof value === 'object' ? JSON.stringify(value) : String(value) };
  }
}

/**
 * Rows as Data API records, in column order. Rows come keyed by column name, so two columns of
 * one name collapse into one (the engines' row objects): alias them in such a query.
 */
export function toRecords(rows: readonly Record<string, unknown>[], fields: readonly ResultField[]): Field[][] {
  const types = fields.map(columnType);
  return rows.map((row) => fields.map((field, i) => toField(row[field.name], types[i] ?? FALLBACK)));
}

/** Roughly the bytes of a result as the service counts ResultSize: the values' text. */
export function resultSize(records: readonly Field[][]): number {
  let bytes = 0;
  for (const record of records) for (const field of record) bytes += Buffer.byteLength(fieldText(field), 'utf8');
  return bytes;
}

/** A value's text: what GetStatementResult carries in the Field, or '' for NULL. */
function fieldText(field: Field): string {
  const value = field.stringValue ?? field.longValue ?? field.doubleValue ?? field.booleanValue;
  return value === undefined ? '' : String(value);
}

/**
 * Records as CSV (RFC 4180, lines ending in \n): a value with a comma, a quote, a line break, or an
 * empty string is quoted, its quotes doubled; NULL is an empty field, unquoted, so it differs from ''.
 */
export function toCsv(records: readonly Field[][], header?: readonly string[]): string {
  const cell = (text: string, isNull = false) =>
    isNull ? '' : text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  const lines = records.map((record) => record.map((field) => cell(fieldText(field), field.isNull === true)).join(','));
  return [...(header ? [header.map((name) => cell(name)).join(',')] : []), ...lines].map((line) => `${line}\n`).join('');
}
