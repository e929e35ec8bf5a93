/**
 * One rejected record, shaped like a row of Redshift's STL_LOAD_ERRORS: where it came from,
 * which column failed and why. Codes are Redshift's load error codes.
 */
export interface LoadErrorRow {
  /** s3:// URI of the file the record came from. */
  readonly filename: string;
  /** Line the record starts on, 1-based. */
  readonly lineNumber: number;
  /** Column that failed; '' when the record itself is unreadable. */
  readonly colname: string;
  /** Column type as the table declares it, e.g. 'integer', 'character varying(16)'; '' with colname. */
  readonly type: string;
  /** The field as read, up to 1024 characters. */
  readonly rawFieldValue: string;
  /** The record's text, up to 1024 characters. */
  readonly rawLine: string;
  readonly errCode: number;
  readonly errReason: string;
}

/** Redshift's load error codes (Load error reference) for the failures the emulation reports. */
export const LoadErrorCode = {
  /** Input data exceeded the acceptable range for the data type (overflow, string too long). */
  outOfRange: 1204,
  dateFormat: 1205,
  timestampFormat: 1206,
  /** Data contained a value outside of the expected range of 0-9. */
  invalidDigit: 1207,
  floatFormat: 1208,
  decimalFormat: 1209,
  booleanFormat: 1210,
  /** A field specified as NOT NULL contained no data. */
  notNull: 1213,
  /** Input line is not valid: malformed JSON, or a record of the wrong shape. */
  invalidLine: 1216,
  /** String contains invalid or unsupported UTF-8 code points. */
  invalidUtf8: 1220,
} as const;

/** Longest text kept in a LoadErrorRow field, as STL_LOAD_ERRORS keeps char(1024). */
export const RAW_TEXT_LIMIT = 1024;

const SHOWN_IN_MESSAGE = 10;

/**
 * COPY failed because more records were rejected than MAXERROR allows. Nothing was loaded.
 * The message starts like Redshift's and then lists the first rejected records, since offline
 * there is no stl_load_errors to query.
 */
export class CopyError extends Error {
  readonly table: string;
  readonly rejected: readonly LoadErrorRow[];

  constructor(table: string, rejected: readonly LoadErrorRow[], maxError: number) {
    super(describe(table, rejected, maxError));
    this.name = 'CopyError';
    this.table = table;
    this.rejected = rejected;
  }
}

function describe(table: string, rejected: readonly LoadErrorRow[], maxError: number): string {
  const lines = [
    `Load into table '${table}' failed. Check 'stl_load_errors' system table for details.`,
    `${rejected.length} record(s) rejected, MAXERROR is ${maxError}. ` +
      // Within MAXERROR: stopped at a value no page settles (Rejection.stopsLoad), the last one listed.
      (rejected.length <= maxError ? 'The emulation stopped at the last, a value it cannot load as Redshift would. ' : '') +
      (rejected.length > SHOWN_IN_MESSAGE ? `First ${SHOWN_IN_MESSAGE}:` : 'Rejected:'),
  ];
  const shown = rejected.slice(0, SHOWN_IN_MESSAGE);
  const last = rejected.at(-1);
  if (rejected.length <= maxError && last && !shown.includes(last)) shown.push(last);
  for (const row of shown) lines.push(`  ${formatLoadError(row)}`);
  return lines.join('\n');
}

/** One line per rejected record: file:line, column and type, reason, raw value. */
export function formatLoadError(row: LoadErrorRow): string {
  const column = row.colname ? `column ${row.colname} (${row.type})` : 'record';
  const value = row.colname ? `, value ${JSON.stringify(shorten(row.rawFieldValue, 80))}` : '';
  return `${row.filename}:${row.lineNumber} ${column}: ${row.errReason} [code ${row.errCode}]${value}`;
}

export function shorten(text: string, limit: number = RAW_TEXT_LIMIT): string {
  return text.length <= limit ? text : text.slice(0, limit);
}
