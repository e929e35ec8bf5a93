import { TYPE_OID } from '../../local/engine';
import { dateText, timestampText } from '../../local/timestamp';

/**
 * One value of an engine's answer as Redshift's psql prints it, from the value the engine's parser
 * gave (local/engine.ts VALUE_PARSERS: numbers, Dates, NUMERIC as its text, SUPER as its text). NULL is
 * undefined here: psql prints nothing for it (docs/conformance.md says how that compares).
 */
export function renderValue(value: unknown, oid: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (oid) {
    case TYPE_OID.bool:
      // psql prints booleans as t and f.
      return value === true ? 't' : value === false ? 'f' : String(value);
    case TYPE_OID.float8:
      // extra_float_digits is 0 by default, so floats print with DBL_DIG (15) and FLT_DIG (6)
      // significant digits (https://docs.aws.amazon.com/redshift/latest/dg/r_extra_float_digits.html).
      return typeof value === 'number' ? significant(value, 15) : String(value);
    case TYPE_OID.float4:
      return typeof value === 'number' ? significant(value, 6) : String(value);
    case TYPE_OID.date:
      return value instanceof Date ? dateText(value) : String(value);
    case TYPE_OID.timestamp:
      return value instanceof Date ? timestampText(value) : String(value);
    case TYPE_OID.timestamptz:
      return value instanceof Date ? timestampText(value, true) : String(value);
    case TYPE_OID.bytea:
      // VARBYTE prints as hexadecimal digits, no \x (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html).
      return typeof value === 'string' ? value.replace(/^\\x/, '') : String(value);
    case TYPE_OID.json:
    case TYPE_OID.jsonb:
      // SUPER: the engine already reads it as Redshift prints it (local/super/print.ts), compact JSON:
      // JSON_PARSE('[10001,10002,"abc"]') prints [10001,10002,"abc"] (https://docs.aws.amazon.com/redshift/latest/dg/JSON_PARSE.html).
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      if (value instanceof Date) return timestampText(value);
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}

/** C's printf("%.{digits}g"): the shortest of fixed and exponent form, trailing zeros dropped. */
export function significant(n: number, digits: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', exp = '0'] = n.toExponential(digits - 1).split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= digits) {
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    return `${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = n.toFixed(Math.max(0, digits - 1 - exponent));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
