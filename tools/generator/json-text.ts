/**
 * Byte-exact JSON text in the two dialects of the real bucket:
 * song files are Python `json.dumps` output (", " and ": " separators, non-ASCII as \uXXXX,
 * floats always with a point), log files are compact with "/" escaped as "\/" and the same
 * ASCII-only escaping.
 */

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeNonAscii(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A string as Python's json.dumps writes it (ensure_ascii). */
export function pyString(value: string): string {
  return JSON.stringify(value).replace(NON_ASCII, escapeNonAscii);
}

/** A string as the log files write it: also escapes "/" (the real files do). */
export function logString(value: string): string {
  return pyString(value).replace(/\//g, '\\/');
}

/**
 * A float as Python's repr writes it: shortest round-trip digits (ECMAScript's Number#toString
 * gives the same digits) and ".0" on whole numbers. Valid for the magnitudes used here
 * (1e-4 <= |x| < 1e16), where neither language switches to exponent notation.
 */
export function pyFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite float: ${value}`);
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** A float or null, as in the song files' latitude/longitude. */
export function pyFloatOrNull(value: number | null): string {
  return value === null ? 'null' : pyFloat(value);
}

/**
 * The double-encoded UTF-8 the real logs show for accented names ("Björk" arrives as
 * "Bj\u00c3\u0083\u00c2\u00b6rk"): such plays never match the catalog's proper spelling.
 */
export function mojibake(value: string): string {
  const once = Buffer.from(value, 'utf8').toString('latin1');
  return Buffer.from(once, 'utf8').toString('latin1');
}

/** A number with exactly 5 decimals from an integer count of 1e-5 units (exact, portable). */
export function fromHundredThousandths(units: number): number {
  return units / 100000;
}
