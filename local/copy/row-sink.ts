import type { ColumnEncoding } from './column-converter';
import type { ConvertedValue } from './converter-types';

/** Where converted rows wait until the whole COPY has been read, then go into the table at once. */
export interface RowSink {
  /** Takes one row; the array is reused by the caller. */
  add(values: readonly ConvertedValue[]): void;
  readonly rows: number;
  /** Between two files: a sink that streams lets its connection catch up here. */
  pause?(): Promise<void>;
  /** Inserts every row added, in as few statements as it can. */
  load(): Promise<void>;
  /** Frees what the sink holds (temporary files); safe to call more than once. */
  dispose(): Promise<void>;
}

/** The table and columns a sink inserts into. */
export interface SinkTarget {
  /** Quoted, possibly schema-qualified. */
  readonly table: string;
  /** Column names as the catalog spells them, unquoted. */
  readonly names: readonly string[];
  readonly encodings: readonly ColumnEncoding[];
}
