import type { CopyTimeFormat } from './copy-command';
import { NumberText } from './number-literal';

/**
 * Why one field cannot be loaded: a Redshift load error code and reason. `stopsLoad` marks a value
 * the emulation cannot settle (Redshift may load it): the COPY stops there whatever MAXERROR allows,
 * rather than skip a record Redshift may keep.
 */
export class Rejection {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly stopsLoad = false,
  ) {}
}

/**
 * A field ready for its column, or null for SQL NULL. Its form depends on the column's encoding
 * (see ColumnEncoding): numbers for integers, floats, timestamps (epoch milliseconds) and dates
 * (days since 1970-01-01), booleans, and strings for text, numeric and JSON.
 */
export type ConvertedValue = string | number | boolean | null;

/**
 * Turns one JSON value into a column's value. `suspicious` says the record's text has escapes
 * that can produce NUL or a lone surrogate, which text converters then look for.
 */
export type Converter = (value: unknown, suspicious: boolean) => ConvertedValue | Rejection;

export interface ConversionOptions {
  readonly timeFormat?: CopyTimeFormat;
  readonly emptyAsNull: boolean;
  readonly blanksAsNull: boolean;
  readonly truncateColumns: boolean;
  /** ROUNDEC: numbers are rounded to the column's scale instead of truncated. */
  readonly roundDecimals: boolean;
}

/** A JSON value as text: strings as they are, a number kept with its text as written, everything else as JSON. */
export function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value instanceof NumberText ? value.text : (JSON.stringify(value) ?? '');
}

/** Empty or white space only: Redshift loads such fields as NULL in non-character columns. */
export function isBlankText(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}
