import { rawText, type ConvertedValue, type Converter, type Rejection } from './converter-types';
import { scanJsonRecords, type JsonRecordVisitor } from './json-records';
import { CopyError, LoadErrorCode, RAW_TEXT_LIMIT, shorten, type LoadErrorRow } from './load-error';
import { CHECKS_WIDE_NUMBERS, KEEPS_NUMBER_TEXT, NumberText, WIDE_NUMBER } from './number-literal';
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
  private readonly wideColumns: readonly boolean[];

  constructor(private readonly setup: RecordLoaderSetup) {
    this.values = new Array<ConvertedValue>(setup.columns.length).fill(null);
    this.textColumns = setup.columns.map((column) => KEEPS_NUMBER_TEXT.has(column.baseType));
    this.wideColumns = setup.columns.map((column) => CHECKS_WIDE_NUMBERS.has(column.baseType));
  }

  readFile(uri: string, source: SourceText): void {
    this.uri = uri;
    this.text = source.text;
    this.invalidLines = source.invalidLines;
    this.riskyFile = hasRiskyEscape(source.text);
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
    const readsWide = this.wideColumns;
    let recordText: string | undefined;
    for (let i = 0; i < values.length; i++) {
      let raw = fields.rawRecord ? this.text.slice(start, end) : (getters[i] as (source: unknown) => unknown)(source);
      if (typeof raw === 'number') {
        if (readsText[i]) {
          // Character columns keep the number as written: `39.0` loads '39.0' (see NumberText).
          recordText ??= this.text.slice(start, end);
          raw = fields.literal(i, recordText) ?? raw;
        } else if (readsWide[i] && !(Math.abs(raw) < WIDE_NUMBER)) {
          // A double may not hold the digits written (9007199254740993): the converter looks at them.
          recordText ??= this.text.slice(start, end);
          const literal = fields.literal(i, recordText);
          if (literal !== undefined) raw = new NumberText(literal);
        }
      }
      const converted = (converters[i] as Converter)(raw, risky);
      if (converted !== null && typeof converted === 'object') {
        const rejection = converted as Rejection;
        // A rejected number's raw value is its text as written (32768.0, 9.3e18), as in STL_LOAD_ERRORS.
        const written = typeof raw === 'number' ? fields.writtenAs(i, recordText ?? this.text.slice(start, end)) : undefined;
        this.reject(line, start, end, columns[i], written ?? rawText(raw), rejection.code, rejection.reason, rejection.stopsLoad);
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
    stopsLoad = false,
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
    if (stopsLoad || this.rejected.length > maxError) throw new CopyError(table, this.rejected, maxError);
  }
}

/**
 * RISKY_ESCAPE.test(text), by substring search: the regex (case-insensitive) scanned every file
 * holding any \u escape, an accent's included, 110 ms of the events COPY at 100x; indexOf jumps
 * from one `\u` to the next.
 */
export function hasRiskyEscape(text: string): boolean {
  for (const marker of ['\\u', '\\U']) {
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 2)) {
      const first = text.charCodeAt(at + 2);
      if (first === 0x30 && text.startsWith('000', at + 3)) return true;
      if ((first | 0x20) === 0x64 && isRiskySecond(text.charCodeAt(at + 3))) return true;
    }
  }
  return false;
}

/** 8, 9 or a-f in either case: the second hex digit of a surrogate (d800-dfff). */
function isRiskySecond(c: number): boolean {
  const lower = c | 0x20;
  return c === 0x38 || c === 0x39 || (lower >= 0x61 && lower <= 0x66);
}

const INVALID_UTF8 =
  'String contains invalid or unsupported UTF-8 codepoints: the line has bytes that are not UTF-8 (ACCEPTINVCHARS replaces them)';

function spansAny(lines: ReadonlySet<number>, first: number, last: number): boolean {
  for (let line = first; line <= last; line++) if (lines.has(line)) return true;
  return false;
}
