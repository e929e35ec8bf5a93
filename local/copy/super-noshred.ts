import { CopySetupError } from './copy-setup-error';
import type { ColumnConversion } from './column-converter';
import { Rejection } from './converter-types';
import { LoadErrorCode } from './load-error';
import type { TargetColumn } from './table-columns';

// COPY ... FORMAT JSON 'noshred' (https://docs.aws.amazon.com/redshift/latest/dg/ingest-super.html,
// "Copying a JSON document into a single SUPER data column"): "To copy a JSON document into a single
// SUPER data column, create a table with a single SUPER data column"; the column then "contains the
// data of the entire JSON object". Offline the column is json (docs/super.md) and it takes the
// record's own text, so every number keeps the digits the file wrote and every object its attributes'
// order (a parsed and re-serialized record would turn 1540919166796.0 into 1540919166796, round
// integers past 2^53 and put integer-like keys first).

/**
 * The record's fields in 'noshred': the whole record, which the loader reads as its text
 * (rawRecord). `problem` makes the loader's record-shape rejection (record-fields.ts).
 */
export function noshredFields<Problem>(problem: (reason: string) => Problem) {
  return {
    prepare: (record: unknown) =>
      typeof record === 'object' && record !== null
        ? record
        : problem(`'noshred' loads JSON objects and arrays, this record is ${typeof record}`),
    getters: [(record: unknown) => record],
    rawRecord: true,
  };
}

/** The one SUPER column 'noshred' loads, or the setup error saying what the table lacks. */
export function noshredConversions(columns: readonly TargetColumn[], table: string): ColumnConversion[] {
  const [only] = columns;
  if (columns.length !== 1 || only?.baseType !== 'json') {
    throw new CopySetupError(
      `COPY ${table}: FORMAT JSON 'noshred' loads each JSON document into one SUPER column, and the table ` +
        `(or the column list) has ${columns.map((c) => `${c.name} ${c.displayType}`).join(', ')}: ` +
        "create a table with a single SUPER column, or name that column in COPY's column list",
    );
  }
  return [{ convert: documentText, encoding: 'json' }];
}

// Redshift's wording (https://docs.aws.amazon.com/redshift/latest/dg/multi-byte-character-load-errors.html).
const INVALID_CODE_POINT = new Rejection(
  LoadErrorCode.invalidUtf8,
  'String contains invalid or unsupported UTF-8 codepoints (NUL or a lone surrogate)',
);

/** The record's JSON text as the column's value; a NUL or lone surrogate escape is refused as Redshift refuses it. */
function documentText(value: unknown, suspicious: boolean): string | Rejection {
  const text = String(value);
  return suspicious && /\\u(?:0000|d[89a-f])/i.test(text) ? INVALID_CODE_POINT : text;
}
