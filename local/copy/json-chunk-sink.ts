import type { SqlEngine } from '../engine';
import type { ColumnEncoding } from './column-converter';
import type { ConvertedValue } from './converter-types';
import type { RowSink, SinkTarget } from './row-sink';
import { quoteIdent } from '../../lib/plan/bind';
import { EpochFormatter, formatEpochDay } from './timestamp-text';

const ROWS_PER_STATEMENT = 5000;

/**
 * Keeps rows as JSON arrays of objects and inserts each with one
 * `INSERT ... SELECT ... FROM json_populate_recordset(NULL::table, $1::json)`: works on any
 * PostgreSQL through plain parameters, a few thousand rows per round trip.
 */
export class JsonChunkSink implements RowSink {
  rows = 0;
  private chunks: string[] = [];
  private pending: string[] = [];
  private readonly keys: readonly string[];
  private readonly encoders: readonly ((value: string | number | boolean) => string)[];
  private readonly parts: string[];

  constructor(
    private readonly engine: SqlEngine,
    private readonly target: SinkTarget,
  ) {
    this.keys = target.names.map((name) => `${JSON.stringify(name)}:`);
    this.encoders = target.encodings.map(jsonEncoder);
    this.parts = new Array<string>(target.names.length).fill('');
  }

  add(values: readonly ConvertedValue[]): void {
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as ConvertedValue;
      this.parts[i] = this.keys[i] + (value === null ? 'null' : (this.encoders[i] as (v: typeof value) => string)(value));
    }
    this.pending.push(`{${this.parts.join(',')}}`);
    this.rows += 1;
    if (this.pending.length >= ROWS_PER_STATEMENT) this.seal();
  }

  async load(): Promise<void> {
    this.seal();
    const { table, names } = this.target;
    const list = names.map(quoteIdent).join(', ');
    const sql = `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`;
    for (let i = 0; i < this.chunks.length; i++) {
      await this.engine.query(sql, [this.chunks[i]]);
      this.chunks[i] = ''; // let the text go as soon as it is in
    }
  }

  async dispose(): Promise<void> {
    this.chunks = [];
    this.pending = [];
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(`[${this.pending.join(',')}]`);
    this.pending = [];
  }
}

/** JSON for one value: what json_populate_recordset turns into the column's type. */
function jsonEncoder(encoding: ColumnEncoding): (value: string | number | boolean) => string {
  switch (encoding) {
    case 'json':
    case 'jsonb':
      return (value) => value as string; // already JSON text
    case 'timestamp':
    case 'timestamptz': {
      const formatter = new EpochFormatter();
      const zone = encoding === 'timestamptz' ? '+00' : '';
      return (value) => `"${formatter.format(value as number) as string}${zone}"`;
    }
    case 'date':
      return (value) => `"${formatEpochDay(value as number)}"`;
    case 'float4':
      // What REAL keeps; PostgreSQL refuses REAL text that underflows to zero.
      return (value) => String(Math.fround(value as number));
    default:
      return (value) => JSON.stringify(value);
  }
}
