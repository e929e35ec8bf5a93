/**
 * PostgreSQL's binary NUMERIC as its 16-bit words: ndigits, weight, sign, dscale, then the
 * base-10000 digits. `text` is decimal text already validated ([+-]digits[.digits][e±n]).
 */
export function numericBinaryWords(text: string): number[] {
  const match = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal number: ${text}`);
  const negative = match[1] === '-';
  let digits = (match[2] ?? '') + (match[3] ?? '');
  let point = (match[2] ?? '').length + Number(match[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, '');
  const fraction = digits.slice(point);
  const wholePadded = '0'.repeat((4 - (whole.length % 4)) % 4) + whole;
  const fractionPadded = fraction + '0'.repeat((4 - (fraction.length % 4)) % 4);
  const padded = wholePadded + fractionPadded;
  const groups: number[] = [];
  for (let i = 0; i < padded.length; i += 4) groups.push(Number(padded.slice(i, i + 4)));
  let weight = wholePadded.length / 4 - 1;
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift();
    weight -= 1;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  const dscale = fraction.length;
  if (groups.length === 0) return [0, 0, 0, dscale];
  return [groups.length, weight, negative ? 0x4000 : 0, dscale, ...groups];
}
