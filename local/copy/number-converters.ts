import { LoadErrorCode } from './load-error';
import { Rejection, isBlankText, rawText, type Converter } from './converter-types';

interface IntegerKind {
  /** Redshift's name for the type in load errors. */
  readonly name: string;
  readonly min: bigint;
  readonly max: bigint;
}

const INTEGER_KINDS: Readonly<Record<'int2' | 'int4' | 'int8', IntegerKind>> = {
  int2: { name: 'Short', min: -32768n, max: 32767n },
  int4: { name: 'Integer', min: -2147483648n, max: 2147483647n },
  int8: { name: 'Long', min: -9223372036854775808n, max: 9223372036854775807n },
};

/**
 * SMALLINT, INTEGER, BIGINT from JSON integers or integer strings; "" and blanks load NULL.
 * Gives a number, or for a BIGINT past 2^53 its digits as a string.
 */
export function integerConverter(type: 'int2' | 'int4' | 'int8'): Converter {
  const kind = INTEGER_KINDS[type];
  const min = Number(kind.min);
  // Exclusive bound: 2^63 is exact as a double, 2^63 - 1 is not.
  const limit = Number(kind.max) + (type === 'int8' ? 0 : 1);
  const overflow = new Rejection(LoadErrorCode.outOfRange, `Overflow (${kind.name} valid range ${kind.min} to ${kind.max})`);
  return (value) => {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) return invalidDigit(String(value), kind.name);
      return value >= min && value < limit ? value : overflow;
    }
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') return invalidDigit(rawText(value), kind.name);
    if (isBlankText(value)) return null;
    const bad = firstNonDigit(value);
    if (bad !== -1) return invalidDigit(value, kind.name, bad);
    if (value.length > 15) {
      const big = BigInt(value);
      if (big < kind.min || big > kind.max) return overflow;
      return Number.isSafeInteger(Number(big)) ? Number(big) : big.toString();
    }
    const number = Number(value);
    return number >= min && number < limit ? number : overflow;
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

const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** REAL and DOUBLE PRECISION from JSON numbers or numeric strings, as numbers. */
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

/** NUMERIC(p,s) / DECIMAL from numbers or numeric strings, as decimal text; values that do not fit are rejected. */
export function numericConverter(typmod: number): Converter {
  const constrained = typmod >= 4;
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = (typmod - 4) & 0xffff;
  const overflow = new Rejection(
    LoadErrorCode.outOfRange,
    `Numeric data overflow (result precision), the column holds NUMERIC(${precision},${scale})`,
  );
  return (value) => {
    let text: string;
    if (typeof value === 'number') {
      text = String(value);
    } else if (value === null || value === undefined) {
      return null;
    } else if (typeof value === 'string') {
      if (isBlankText(value)) return null;
      text = value.trim();
      if (!DECIMAL_TEXT.test(text)) return invalidNumber(text, 'Decimal', LoadErrorCode.decimalFormat);
    } else {
      return invalidNumber(rawText(value), 'Decimal', LoadErrorCode.decimalFormat);
    }
    if (!Number.isFinite(Number(text))) return overflow;
    return !constrained || integerDigitsAfterRounding(text, scale) <= precision - scale ? text : overflow;
  };
}

/** Digits before the point once `text` is rounded half away from zero to `scale` decimals. */
function integerDigitsAfterRounding(text: string, scale: number): number {
  const match = /^[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text) as RegExpExecArray;
  const whole = match[1] ?? '';
  const digits = whole + (match[2] ?? '');
  const point = whole.length + Number(match[3] ?? 0);
  const keep = point + scale;
  if (keep <= 0) return keep === 0 && (digits[0] ?? '0') >= '5' ? 1 - scale : 0;
  let kept = BigInt(digits.slice(0, keep).padEnd(keep, '0') || '0');
  if ((digits[keep] ?? '0') >= '5') kept += 1n;
  return kept === 0n ? 0 : Math.max(String(kept).length - scale, 0);
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
