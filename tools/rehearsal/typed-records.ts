import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { ResultField } from '../../local/engine';
import { dateText, timestampText } from '../../local/timestamp';

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

const type = (typeName: string, field: ColumnType['field'], precision: number, signed = false, caseSensitive = false): ColumnType => ({
  typeName,
  field,
  precision,
  signed,
  caseSensitive,
});
const text = (typeName: string) => type(typeName, 'stringValue', 65535, false, true);

/** PostgreSQL type OIDs to the Redshift types the project's SQL produces. */
const TYPES: ReadonlyMap<number, ColumnType> = new Map([
  [16, type('bool', 'booleanValue', 1)],
  [20, type('int8', 'longValue', 19, true)],
  [21, type('int2', 'longValue', 5, true)],
  [23, type('int4', 'longValue', 10, true)],
  [26, type('oid', 'longValue', 10, true)],
  [700, type('float4', 'doubleValue', 8, true)],
  [701, type('float8', 'doubleValue', 17, true)],
  [1700, type('numeric', 'stringValue', 38, true)],
  [18, text('char')],
  [19, text('name')],
  [25, text('text')],
  [1042, text('bpchar')],
  [1043, text('varchar')],
  [1082, type('date', 'stringValue', 13)],
  [1114, type('timestamp', 'stringValue', 29)],
  [1184, type('timestamptz', 'stringValue', 35)],
]);

const FALLBACK = text('varchar');

function columnType(dataTypeID: number): ColumnType {
  return TYPES.get(dataTypeID) ?? FALLBACK;
}

/**
 * A column's ColumnMetadata: a result column's (nullable 1, what the service answers for computed
 * columns too; no table) unless DescribeTable gives what the catalog knows.
 */
export function columnMetadata(name: string, dataTypeID: number, known: Partial<ColumnMetadata> = {}): ColumnMetadata {
  const type = columnType(dataTypeID);
  return {
    name,
    label: name,
    typeName: type.typeName,
    isCaseSensitive: type.caseSensitive,
    isCurrency: false,
    isSigned: type.signed,
    nullable: 1,
    precision: type.precision,
    scale: 0,
    length: 0,
    schemaName: '',
    tableName: '',
    ...known,
  };
}

/** One value as the Data API's tagged union. */
function toField(value: unknown, type: ColumnType): Field {
  if (value === null || value === undefined) return { isNull: true };
  switch (type.field) {
    case 'longValue':
      return { longValue: Number(value) };
    case 'doubleValue':
      return { doubleValue: Number(value) };
    case 'booleanValue':
      return { booleanValue: value === true || value === 't' || value === 'true' };
    case 'stringValue':
      // Both engines give DATE and TIMESTAMP as Dates holding the UTC wall-clock time (local/timestamp.ts).
      if (value instanceof Date) {
        return { stringValue: type.typeName === 'date' ? dateText(value) : timestampText(value, type.typeName === 'timestamptz') };
      }
      return { stringValue: typeof value === 'object' ? JSON.stringify(value) : String(value) };
  }
}

/**
 * Rows as Data API records, in column order. Rows come keyed by column name, so two columns of
 * one name collapse into one (the engines' row objects): alias them in such a query.
 */
export function toRecords(rows: readonly Record<string, unknown>[], fields: readonly ResultField[]): Field[][] {
  const types = fields.map((field) => columnType(field.dataTypeID));
  return rows.map((row) => fields.map((field, i) => toField(row[field.name], types[i] ?? FALLBACK)));
}

/** A value's text: what GetStatementResult carries in the Field, or '' for NULL. */
function fieldText(field: Field): string {
  const value = field.stringValue ?? field.longValue ?? field.doubleValue ?? field.booleanValue;
  return value === undefined ? '' : String(value);
}

/** A row's bytes as the Data API's limits count them (and ResultSize): its values' text. */
export function rowBytes(record: readonly Field[]): number {
  return record.reduce((bytes, field) => bytes + Buffer.byteLength(fieldText(field), 'utf8'), 0);
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
