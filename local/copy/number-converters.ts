import { LoadErrorCode } from './load-error';
import { Rejection, isBlankText, rawText, type ConvertedValue, type Converter } from './converter-types';
import { exactDouble, formatScaled, parseDecimal, toScale, wholeDigits, type ExactDecimal } from './exact-decimal';
import { NumberText } from './number-literal';

/*
 * How COPY turns a JSON field into a SMALLINT, INTEGER, BIGINT or DECIMAL, one rule per case.
 *
 * A JSON number is a floating point value ("Loss of numeric precision": "Some floating point values
 * aren't represented exactly in computer systems. As a result, data you copy from a JSON file might
 * not be rounded as you expect", JSON_PAGE). COPY cuts it to the column's scale, 0 for integers
 * ("Integers have a scale of zero", NUMERIC_PAGE): it truncates by default and rounds with ROUNDEC
 * ("By default, COPY truncates values when necessary to fit the scale of the column", ROUNDEC_PAGE;
 * the JSON page's remedy: "Use ROUNDEC to round the number instead of truncating"). So the real
 * logs' "registration": 1540919166796.0 loads 1540919166796 into a BIGINT, 12.7 loads 12 (13 with
 * ROUNDEC), 1.5e3 loads 1500, -0 and -0.5 load 0, and 0.29 loads 0.28 into a DECIMAL(8,2) (0.29
 * with ROUNDEC): the double nearest 0.29 is 0.28999999999999998, the page's warning.
 *
 * Where no page settles the value, the load stops with a load error that says so (Rejection.stopsLoad)
 * rather than load a value Redshift may not store, or skip a record Redshift may load:
 * - a whole number written with more digits than a double holds (9007199254740993): no page says
 *   whether COPY reads it as a 64-bit integer or as the double 9007199254740992;
 * - a DECIMAL whose scale keeps digits past a double's 17 significant digits (0.1 into
 *   DECIMAL(38,20)): no page says how the double is turned into decimal digits;
 * - with ROUNDEC, text with a fraction into an integer column ("12.5"): no page says whether
 *   ROUNDEC rounds it or it stays load error 1207;
 * - text in exponent form into a DECIMAL ("1.5e3"): PREPARING_PAGE allows it for floating-point
 *   strings only ("an exponential format, such as 1.0E4").
 * Each has a way that loads: the first two as a JSON string (the JSON page's own advice), the last
 * two as a JSON number.
 *
 * A JSON string is text ("COPY attempts to implicitly convert the strings in the source data to the
 * data type of the target column", ROUNDEC_PAGE): an integer column takes [+-]digits only, anything
 * else ("12.5", "1e3", " 7") is load error 1207, "Data contained a value outside of the expected range
 * of 0-9" (ERRORS_PAGE); a DECIMAL takes decimal text exactly and cuts it to the scale (20.259 into
 * DECIMAL(8,2) is 20.25, 20.26 with ROUNDEC: ROUNDEC_PAGE's example).
 *
 * Past the type's range is load error 1204, "Input data exceeded the acceptable range for the data
 * type" (ERRORS_PAGE; it also lists 1222, "Integer value overflow error", without saying when COPY
 * gives which, so integers keep 1204 and the reason names the range). Integer ranges: NUMERIC_PAGE. A DECIMAL(p,s) holds at most p - s whole digits
 * (numeric(5,2) holds -999.99 to 999.99), and with p <= 19 at most 9223372036854775807 units of its
 * scale ("the largest value that you can load into a DECIMAL(19,18) column is 9.223372036854775807",
 * NUMERIC_PAGE's note).
 */
// JSON_PAGE: https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html#copy-usage-json-rounding
// ROUNDEC_PAGE: https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-roundec
// NUMERIC_PAGE: https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html
// ERRORS_PAGE: https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html
// PREPARING_PAGE: https://docs.aws.amazon.com/redshift/latest/dg/t_preparing-input-data.html

const JSON_RULE = 'COPY from JSON format, Loss of numeric precision';
const INT64_MAX = 9223372036854775807n;

interface IntegerKind {
  /** Redshift's name for the type in load errors. */
  readonly name: string;
  readonly min: bigint;
  readonly max: bigint;
}

const INTEGER_KINDS: Readonly<Record<'int2' | 'int4' | 'int8', IntegerKind>> = {
  int2: { name: 'Short', min: -32768n, max: 32767n },
  int4: { name: 'Integer', min: -2147483648n, max: 2147483647n },
  int8: { name: 'Long', min: -9223372036854775808n, max: INT64_MAX },
};

type Result = ConvertedValue | Rejection;

/**
 * SMALLINT, INTEGER, BIGINT: a JSON number cut to a whole number, or integer text; "" and blanks
 * load NULL. Gives a number, or for a BIGINT past 2^53 its digits as a string.
 */
export function integerConverter(type: 'int2' | 'int4' | 'int8', roundDecimals: boolean): Converter {
  const kind = INTEGER_KINDS[type];
  const min = Number(kind.min);
  // Exclusive bound: 2^63 is exact as a double, 2^63 - 1 is not.
  const limit = Number(kind.max) + (type === 'int8' ? 0 : 1);
  const overflow = new Rejection(LoadErrorCode.outOfRange, `Overflow (${kind.name} valid range ${kind.min} to ${kind.max})`);
  const fromDouble = (value: number): Result => {
    // The common case: a whole number, however it was written (38, 38.0, 3.8e1); + 0 turns -0 into 0.
    if (Number.isSafeInteger(value)) return value >= min && value < limit ? value + 0 : overflow;
    let whole = Math.trunc(value);
    if (roundDecimals && Math.abs(value - whole) >= 0.5) whole += Math.sign(value);
    if (!(whole >= min && whole < limit)) return overflow; // Infinity too (1e400)
    return Number.isSafeInteger(whole) ? whole + 0 : BigInt(whole).toString();
  };
  const fromText = (value: string): Result => {
    if (isBlankText(value)) return null;
    const bad = firstNonDigit(value);
    if (bad !== -1) {
      if (roundDecimals && value.charAt(bad) === '.' && /^[+-]?\d*\.\d+$/.test(value)) {
        return new Rejection(
          LoadErrorCode.invalidDigit,
          `Not loaded offline: no page says whether ROUNDEC rounds the text '${value}' into ${kind.name} or leaves it ` +
            'load error 1207 as without ROUNDEC; write the number as a JSON number, or as integer text',
          true,
        );
      }
      return invalidDigit(value, kind.name, bad);
    }
    if (value.length > 15) {
      const big = BigInt(value);
      if (big < kind.min || big > kind.max) return overflow;
      return Number.isSafeInteger(Number(big)) ? Number(big) : big.toString();
    }
    const number = Number(value);
    return number >= min && number < limit ? number + 0 : overflow;
  };
  return (value) => {
    if (typeof value === 'number') return fromDouble(value);
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return fromText(value);
    if (value instanceof NumberText) return wideNumber(value.text, fromDouble, fromText);
    return invalidDigit(rawText(value), kind.name);
  };
}

/** Index of the first character that makes `text` not [+-]digits, or -1. */
function firstNonDigit(text: string): number {
  const start = text[0] === '-' || text[0] === '+' ? 1 : 0;
  if (start === text.length) return start - 1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

function invalidDigit(text: string, type: string, at = firstNonDigit(text)): Rejection {
  const pos = Math.max(at, 0);
  return new Rejection(LoadErrorCode.invalidDigit, `Invalid digit, Value '${text.charAt(pos)}', Pos ${pos}, Type: ${type}`);
}

const WHOLE_NUMBER = /^-?\d+$/;

/**
 * A JSON number of magnitude 2^53 or more, with the text it was written as (the record loader
 * passes it as NumberText to integer and DECIMAL columns). Written with a point or an exponent it
 * is a floating point value like any other. Written as a whole number it may have more digits than
 * a double holds; where reading it as a double and reading its digits give different values, no
 * page says which Redshift stores, and the load stops.
 */
function wideNumber(text: string, fromDouble: (value: number) => Result, fromDigits: (digits: string) => Result): Result {
  const double = Number(text);
  const asDouble = fromDouble(double);
  if (!WHOLE_NUMBER.test(text)) return asDouble;
  const asWritten = fromDigits(text);
  const bothRejected = asDouble instanceof Rejection && asWritten instanceof Rejection;
  if (bothRejected || String(asDouble) === String(asWritten)) return asDouble;
  const nearest = Number.isFinite(double) ? BigInt(double).toString() : String(double);
  return new Rejection(
    LoadErrorCode.outOfRange,
    `Not loaded offline: ${text} has more digits than a double holds; Redshift reads JSON numbers as floating point ` +
      `(${JSON_RULE}) and no page says whether it stores ${text} or ${nearest}. Write it as a JSON string to load it exactly`,
    true,
  );
}

/**
 * A double cut to `scale` decimals; undefined where its exact binary value and its 17 significant
 * digits (the digits that name a double) cut to different values, which happens only when the
 * scale keeps digits past the 17th. The caller bounds the value.
 */
function scaledDouble(value: number, scale: number, round: boolean): bigint | undefined {
  const exact = toScale(exactDouble(value), scale, round);
  return exact === toScale(parseDecimal(value.toPrecision(17)), scale, round) ? exact : undefined;
}

const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * REAL and DOUBLE PRECISION from JSON numbers or numeric strings, as numbers: "floating-point strings
 * are in either standard floating-point format, such as 12.123, or an exponential format, such as
 * 1.0E4" (PREPARING_PAGE).
 */
export function floatConverter(type: 'float4' | 'float8'): Converter {
  const name = type === 'float4' ? 'Real' : 'Double';
  const overflow = new Rejection(LoadErrorCode.outOfRange, `Overflow, value out of range for type ${name}`);
  const single = type === 'float4';
  return (value) => {
    let number: number;
    if (typeof value === 'number') {
      number = value;
    } else if (value === null || value === undefined) {
      return null;
    } else if (typeof value === 'string') {
      if (isBlankText(value)) return null;
      if (!DECIMAL_TEXT.test(value)) return invalidNumber(value, name, LoadErrorCode.floatFormat);
      number = Number(value);
    } else {
      return invalidNumber(rawText(value), name, LoadErrorCode.floatFormat);
    }
    if (!Number.isFinite(single ? Math.fround(number) : number)) return overflow;
    return number;
  };
}

function invalidNumber(text: string, type: string, code: number): Rejection {
  let pos = 0;
  while (pos < text.length && /[0-9+\-.eE]/.test(text.charAt(pos))) pos += 1;
  return new Rejection(code, `Invalid digit, Value '${text.charAt(pos)}', Pos ${pos}, Type: ${type}`);
}

/**
 * NUMERIC(p,s) / DECIMAL: a JSON number or decimal text cut to the scale, as decimal text with
 * exactly s decimals. A NUMERIC declared without (p,s) is DECIMAL(18,0) ("The default precision,
 * if not specified, is 18", "The default scale, if not specified, is 0", NUMERIC_PAGE).
 */
export function numericConverter(typmod: number, roundDecimals: boolean): Converter {
  const constrained = typmod >= 4;
  const precision = constrained ? ((typmod - 4) >> 16) & 0xffff : 18;
  const scale = constrained ? (typmod - 4) & 0xffff : 0;
  const overflow = new Rejection(
    LoadErrorCode.outOfRange,
    `Numeric data overflow (result precision), the column holds NUMERIC(${precision},${scale})`,
  );
  const bound = 10n ** BigInt(precision);
  const unit = 10n ** BigInt(scale);
  const fromUnits = (units: bigint): Result => {
    const magnitude = units < 0n ? -units : units;
    return magnitude < bound && (precision > 19 || magnitude <= INT64_MAX) ? formatScaled(units, scale) : overflow;
  };
  const fromExact = (value: ExactDecimal): Result =>
    wholeDigits(value) > precision ? overflow : fromUnits(toScale(value, scale, roundDecimals));
  const fromDouble = (value: number): Result => {
    if (Number.isSafeInteger(value)) return fromUnits(BigInt(value) * unit);
    if (!(Math.abs(value) < 1e39)) return overflow;
    const units = scaledDouble(value, scale, roundDecimals);
    if (units !== undefined) return fromUnits(units);
    return new Rejection(
      LoadErrorCode.decimalFormat,
      `Not loaded offline: the JSON number ${value} is a floating point value (${JSON_RULE}) and NUMERIC(${precision},${scale}) ` +
        "keeps digits past a double's 17 significant digits, which no page says how Redshift fills. Write it as a JSON string, or use a smaller scale",
      true,
    );
  };
  const fromText = (text: string): Result => fromExact(parseDecimal(text));
  const exponentText = (text: string): Rejection =>
    new Rejection(
      LoadErrorCode.decimalFormat,
      `Not loaded offline: no page says whether COPY reads the exponent form '${text}' as DECIMAL text ` +
        '(it documents it for floating-point strings); write it without the exponent, or as a JSON number',
      true,
    );
  return (value) => {
    if (typeof value === 'number') return fromDouble(value);
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') {
      if (isBlankText(value)) return null;
      const text = value.trim();
      if (!DECIMAL_TEXT.test(text)) return invalidNumber(text, 'Decimal', LoadErrorCode.decimalFormat);
      return /[eE]/.test(text) ? exponentText(text) : fromText(text);
    }
    if (value instanceof NumberText) return wideNumber(value.text, fromDouble, fromText);
    return invalidNumber(rawText(value), 'Decimal', LoadErrorCode.decimalFormat);
  };
}

const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1', 'on']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0', 'off']);

/** BOOLEAN from JSON booleans, 1/0, or the usual words. */
export function booleanConverter(): Converter {
  return (value) => {
    if (typeof value === 'boolean') return value;
    if (value === null || value === undefined) return null;
    if (value === 1 || value === 0) return value === 1;
    if (typeof value === 'string') {
      if (isBlankText(value)) return null;
      const word = value.trim().toLowerCase();
      if (TRUE_TEXT.has(word)) return true;
      if (FALSE_TEXT.has(word)) return false;
    }
    return new Rejection(LoadErrorCode.booleanFormat, `Invalid boolean format, Value '${rawText(value)}'`);
  };
}
