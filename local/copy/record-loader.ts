import { rawText, type ConvertedValue, type Converter, type Rejection } from './converter-types';
import { scanJsonRecords, type JsonRecordVisitor } from './json-records';
import { CopyError, LoadErrorCode, RAW_TEXT_LIMIT, shorten, type LoadErrorRow } from './load-error';
import { READS_NUMBER_TEXT } from './number-literal';
import { RecordShapeProblem, type RecordFields } from './record-fields';
import type { RowSink } from './row-sink';
import type { SourceText } from './source-text';
import type { TargetColumn } from './table-columns';

/**
 * JSON escapes that put NUL or a surrogate into a parsed string; PostgreSQL refuses NUL and lone
 * surrogates. Records without any (nearly all) skip looking for them.
 */
const RISKY_ESCAPE = /\\u(?:0000|d[89a-f])/i;

export interface RecordLoaderSetup {
  readonly table: string;
  readonly columns: readonly TargetColumn[];
  readonly fields: RecordFields;
  readonly converters: readonly Converter[];
  readonly maxError: number;
  readonly sink: RowSink;
}

/**
 * Turns the records of each file into rows for the sink, rejecting what Redshift would reject.
 * Throws CopyError as soon as rejections pass MAXERROR; nothing has reached the table by then.
 */
export class RecordLoader implements JsonRecordVisitor {
  readonly rejected: LoadErrorRow[] = [];
  records = 0;
  private uri = '';
  private text = '';
  private invalidLines: ReadonlySet<number> | undefined;
  private riskyFile = false;
  private readonly values: ConvertedValue[];

  private readonly textColumns: readonly boolean[];

  constructor(private readonly setup: RecordLoaderSetup) {
    this.values = new Array<ConvertedValue>(setup.columns.length).fill(null);
    this.textColumns = setup.columns.map((column) => READS_NUMBER_TEXT.has(column.baseType));
  }

  readFile(uri: string, source: SourceText): void {
    this.uri = uri;
    this.text = source.text;
    this.invalidLines = source.invalidLines;
    // includes() first: a plain substring search is far cheaper than the regex over a whole file.
    this.riskyFile = source.text.includes('\\u') && RISKY_ESCAPE.test(source.text);
    try {
      scanJsonRecords(source.text, this);
    } finally {
      this.text = '';
    }
  }

  record(value: unknown, line: number, endLine: number, start: number, end: number): void {
    this.records += 1;
    const { columns, fields, converters, sink } = this.setup;
    if (this.invalidLines && spansAny(this.invalidLines, line, endLine)) {
      this.reject(line, start, end, undefined, '', LoadErrorCode.invalidUtf8, INVALID_UTF8);
      return;
    }
    const risky = this.riskyFile && RISKY_ESCAPE.test(this.text.slice(start, end));
    const source = fields.prepare(value);
    if (source instanceof RecordShapeProblem) {
      this.reject(line, start, end, undefined, '', LoadErrorCode.invalidLine, source.reason);
      return;
    }
    const getters = fields.getters;
    const values = this.values;
    const readsText = this.textColumns;
    let recordText: string | undefined;
    for (let i = 0; i < values.length; i++) {
      let raw = (getters[i] as (source: unknown) => unknown)(source);
      if (typeof raw === 'number' && readsText[i]) {
        // Integer and character columns read the number's text: `38.0` is no integer (see NumberText).
        recordText ??= this.text.slice(start, end);
        raw = fields.literal(i, recordText) ?? raw;
      }
      const converted = (converters[i] as Converter)(raw, risky);
      if (converted !== null && typeof converted === 'object') {
        const rejection = converted as Rejection;
        this.reject(line, start, end, columns[i], rawText(raw), rejection.code, rejection.reason);
        return;
      }
      if (converted === null && (columns[i] as TargetColumn).notNull) {
        this.reject(line, start, end, columns[i], '', LoadErrorCode.notNull, 'Missing data for not-null field');
        return;
      }
      values[i] = converted;
    }
    sink.add(values);
  }

  malformed(line: number, start: number, end: number, problem: string): void {
    this.records += 1;
    this.reject(line, start, end, undefined, '', LoadErrorCode.invalidLine, problem);
  }

  private reject(
    line: number,
    start: number,
    end: number,
    column: TargetColumn | undefined,
    rawValue: string,
    code: number,
    reason: string,
  ): void {
    this.rejected.push({
      filename: this.uri,
      lineNumber: line,
      colname: column?.name ?? '',
      type: column?.displayType ?? '',
      rawFieldValue: shorten(rawValue),
      rawLine: this.text.slice(start, Math.min(end, start + RAW_TEXT_LIMIT)),
      errCode: code,
      errReason: reason,
    });
    const { table, maxError } = this.setup;
    if (this.rejected.length > maxError) throw new CopyError(table, this.rejected, maxError);
  }
}

const INVALID_UTF8 =
  'String contains invalid or unsupported UTF-8 codepoints: the line has bytes that are not UTF-8 (ACCEPTINVCHARS replaces them)';

function spansAny(lines: ReadonlySet<number>, first: number, last: number): boolean {
  for (let line = first; line <= last; line++) if (lines.has(line)) return true;
  return false;
}
