/**
 * Exact decimal values for the numeric conversions (number-converters.ts): sign × digits × 10^exponent,
 * in BigInt, so cutting a value to a column's scale never goes through a double.
 */
export interface ExactDecimal {
  readonly negative: boolean;
  /** The digits, without sign or point. */
  readonly digits: bigint;
  readonly exponent: number;
}

const DECIMAL_PARTS = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/;

/** Decimal text, already checked to be [+-]digits[.digits][e±n], as its exact value. */
export function parseDecimal(text: string): ExactDecimal {
  const match = DECIMAL_PARTS.exec(text);
  if (!match) throw new Error(`not a decimal number: ${text}`);
  const fraction = match[3] ?? '';
  return {
    negative: match[1] === '-',
    digits: BigInt(`${match[2] ?? ''}${fraction}` || '0'),
    exponent: Number(match[4] ?? 0) - fraction.length,
  };
}

/** The exact value of a finite double: its binary mantissa × 2^power, written in base ten. */
export function exactDouble(value: number): ExactDecimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let power = -1074; // subnormal
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    power = biased - 1075;
  }
  if (power >= 0) return { negative, digits: mantissa << BigInt(power), exponent: 0 };
  // m × 2^-k = m × 5^k × 10^-k
  return { negative, digits: mantissa * 5n ** BigInt(-power), exponent: power };
}

/** How many digits stand before the point (0 for a value below 1). */
export function wholeDigits(value: ExactDecimal): number {
  return value.digits === 0n ? 0 : Math.max(value.digits.toString().length + value.exponent, 0);
}

/**
 * The value × 10^scale as a whole number: truncated toward zero, or with `round` rounded half away
 * from zero. Callers bound the value first (wholeDigits), so the power stays small.
 */
export function toScale(value: ExactDecimal, scale: number, round: boolean): bigint {
  const shift = value.exponent + scale;
  let magnitude: bigint;
  if (shift >= 0) {
    magnitude = value.digits * 10n ** BigInt(shift);
  } else if (value.digits.toString().length < -shift) {
    magnitude = 0n; // below half a unit of the last kept place
  } else {
    const divisor = 10n ** BigInt(-shift);
    magnitude = value.digits / divisor;
    if (round && (value.digits % divisor) * 2n >= divisor) magnitude += 1n;
  }
  return value.negative ? -magnitude : magnitude;
}

/** A whole number of 10^-scale units as decimal text with exactly `scale` decimals. */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  let text = (negative ? -units : units).toString();
  if (scale > 0) {
    text = text.padStart(scale + 1, '0');
    text = `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  }
  return negative ? `-${text}` : text;
}
