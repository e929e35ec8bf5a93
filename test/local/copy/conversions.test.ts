import { describe, expect, it } from 'vitest';
import { exactDouble, formatScaled, parseDecimal, toScale, wholeDigits } from '../../../local/copy/exact-decimal';
import { numericBinaryWords } from '../../../local/copy/numeric-binary';
import { truncateUtf8, utf8Length } from '../../../local/copy/text-bytes';
import { EpochFormatter, parseIsoTimestamp } from '../../../local/copy/timestamp-text';

describe('EpochFormatter', () => {
  it('formats epoch milliseconds as UTC text, as Date would, across days, years and 1970', () => {
    const formatter = new EpochFormatter();
    const samples = [0, -1, 1541105830796, 1541106106796, 951782400000, 4102444799999, -62135596800000, 253402300799999];
    for (let ms = 1541000000000; ms < 1544000000000; ms += 7_777_777) samples.push(ms);
    for (const ms of samples) {
      expect(formatter.format(ms)).toBe(new Date(ms).toISOString().replace('T', ' ').replace('Z', ''));
    }
  });

  it('keeps microseconds from a fraction and refuses what PostgreSQL cannot hold', () => {
    const formatter = new EpochFormatter();
    expect(formatter.format(1541105830796.25)).toBe('2018-11-01 20:57:10.796250');
    expect(formatter.format(-62135596800001)).toBeUndefined();
    expect(formatter.format(253402300800000)).toBeUndefined();
    expect(formatter.format(Number.NaN)).toBeUndefined();
  });
});

describe('parseIsoTimestamp', () => {
  it('reads ISO-like text with optional time, fraction and zone', () => {
    expect(parseIsoTimestamp('2018-11-01T20:57:10.796Z')).toEqual({ wallMs: 1541105830796, offsetMinutes: 0 });
    expect(parseIsoTimestamp('2018-11-01 22:57:10+02:00')).toEqual({ wallMs: 1541113030000, offsetMinutes: 120 });
    expect(parseIsoTimestamp('2018-11-01 20:57-0130')?.offsetMinutes).toBe(-90);
    expect(parseIsoTimestamp('2018-11-01')).toEqual({ wallMs: Date.UTC(2018, 10, 1), offsetMinutes: undefined });
    expect(parseIsoTimestamp('0050-02-28')?.wallMs).toBe(new Date('0050-02-28T00:00:00Z').getTime());
  });

  it('refuses dates that do not exist and text that is not a timestamp', () => {
    for (const text of ['2018-02-29', '2018-13-01', '2018-11-31', '2018-11-01 24:00:00', '1541105830796', 'today', '']) {
      expect(parseIsoTimestamp(text)).toBeUndefined();
    }
    expect(parseIsoTimestamp('2016-02-29')).toBeDefined();
  });
});

describe('numericBinaryWords', () => {
  it('encodes decimal text as base-10000 digits with weight, sign and display scale', () => {
    expect(numericBinaryWords('0')).toEqual([0, 0, 0, 0]);
    expect(numericBinaryWords('-0.00')).toEqual([0, 0, 0, 2]);
    expect(numericBinaryWords('123456.78')).toEqual([3, 1, 0, 2, 12, 3456, 7800]);
    expect(numericBinaryWords('-0.0005')).toEqual([1, -1, 0x4000, 4, 5]);
    expect(numericBinaryWords('0.00000005')).toEqual([1, -2, 0, 8, 5]);
    expect(numericBinaryWords('1.5e3')).toEqual([1, 0, 0, 0, 1500]);
    expect(numericBinaryWords('1e-7')).toEqual([1, -2, 0, 7, 10]);
    expect(numericBinaryWords('100000000')).toEqual([1, 2, 0, 0, 1]);
  });
});

describe('exact decimals', () => {
  it("writes a double's exact binary value in base ten", () => {
    const text = (value: number) => formatScaled(toScale(exactDouble(value), 60, false), 60).replace(/0+$/, '');
    expect(text(0.29)).toBe('0.289999999999999980015985556747182272374629974365234375');
    expect(text(-20.259)).toBe('-20.2590000000000003410605131648480892181396484375');
    expect(text(0.5)).toBe('0.5');
    expect(toScale(exactDouble(2 ** 60), 0, false)).toBe(1152921504606846976n);
    expect(toScale(exactDouble(5e-324), 1074, false)).toBe(5n ** 1074n); // 2^-1074, the least subnormal
  });

  it('cuts to a scale: toward zero, or half away from zero when rounding', () => {
    const cut = (text: string, scale: number, round: boolean) => formatScaled(toScale(parseDecimal(text), scale, round), scale);
    expect(cut('20.259', 2, false)).toBe('20.25');
    expect(cut('20.259', 2, true)).toBe('20.26');
    expect(cut('-20.255', 2, true)).toBe('-20.26');
    expect(cut('-0.004', 2, false)).toBe('0.00');
    expect(cut('1.5e3', 1, false)).toBe('1500.0');
    expect(cut('.5', 0, true)).toBe('1');
    expect(cut('0.0000001', 2, true)).toBe('0.00');
    expect(cut('12', 0, false)).toBe('12');
    expect(wholeDigits(parseDecimal('999.99'))).toBe(3);
    expect(wholeDigits(parseDecimal('0.5'))).toBe(0);
    expect(wholeDigits(parseDecimal('1e38'))).toBe(39);
  });
});

describe('UTF-8 lengths', () => {
  it('counts bytes and cuts on a character boundary, surrogate pairs included', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é€😀')).toBe(2 + 3 + 4);
    expect(truncateUtf8('a😀b', 4)).toBe('a');
    expect(truncateUtf8('a😀b', 5)).toBe('a😀');
    expect(truncateUtf8('€€', 5)).toBe('€');
    expect(truncateUtf8('short', 10)).toBe('short');
  });
});
