import { LoadErrorCode } from './load-error';
import { Rejection, type ConversionOptions, type Converter } from './converter-types';
import { firstMultibyte, hasInvalidCodePoint, truncateUtf8, utf8Length } from './text-bytes';

// Redshift's wording (https://docs.aws.amazon.com/redshift/latest/dg/multi-byte-character-load-errors.html).
const INVALID_CODE_POINT = new Rejection(
  LoadErrorCode.invalidUtf8,
  'String contains invalid or unsupported UTF-8 codepoints (NUL or a lone surrogate)',
);

/**
 * CHAR(n), VARCHAR(n) and TEXT: strings as they are, numbers and booleans as their JSON text,
 * objects and arrays as JSON. The length limit is in UTF-8 bytes, as Redshift counts it, and CHAR
 * holds single-byte characters only (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html,
 * "Storage and ranges"); PostgreSQL's own limit counts characters, so it is checked here.
 * A longer value is load error 1204 (https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html)
 * and counts toward MAXERROR like every rejection; a multibyte character in CHAR is 1220 with the
 * reason https://docs.aws.amazon.com/redshift/latest/dg/multi-byte-character-load-errors.html shows.
 * TRUNCATECOLUMNS cuts to the column instead, on a character boundary within the byte limit
 * (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-truncatecolumns).
 */
export function stringConverter(kind: 'char' | 'varchar' | 'text', maxBytes: number | undefined, options: ConversionOptions): Converter {
  const { emptyAsNull, blanksAsNull, truncateColumns } = options;
  const tooLong = new Rejection(LoadErrorCode.outOfRange, 'String length exceeds DDL length');
  const limit = maxBytes ?? Infinity;
  return (value, suspicious) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (value === null || value === undefined) return null;
    else if (typeof value === 'object') text = JSON.stringify(value);
    else text = String(value);
    if (text.length === 0) return emptyAsNull ? null : text;
    if (blanksAsNull && text.charCodeAt(0) <= 32 && text.trim().length === 0) return null;
    if (suspicious && hasInvalidCodePoint(text)) return INVALID_CODE_POINT;
    if (kind === 'char') {
      const bytes = firstMultibyte(text);
      if (bytes !== undefined) {
        return new Rejection(
          LoadErrorCode.invalidUtf8,
          `Multibyte character not supported for CHAR (Hint: Try using VARCHAR). Invalid char: ${bytes}`,
        );
      }
    }
    // Three bytes per UTF-16 unit at most, so short strings skip the byte count.
    if (text.length * 3 > limit && (text.length > limit || utf8Length(text) > limit)) {
      return truncateColumns ? truncateUtf8(text, limit) : tooLong;
    }
    return text;
  };
}

/** JSON (where SUPER lands offline) and JSONB: the value as JSON text. */
export function jsonConverter(): Converter {
  return (value, suspicious) => {
    if (value === null || value === undefined) return null;
    const text = JSON.stringify(value);
    // JSON.stringify writes NUL and lone surrogates as \u escapes, which jsonb refuses.
    if (suspicious && /\\u(?:0000|d[89a-f])/i.test(text)) return INVALID_CODE_POINT;
    return text;
  };
}
