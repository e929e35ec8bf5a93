import { describe, expect, it } from 'vitest';
import { TYPE_OID, type ArrayQueryResult } from '../../local/engine';
import { utcDate } from '../../local/timestamp';
import type { GuideCase } from '../../tools/conformance/cases';
import { renderValue, significant } from '../../tools/conformance/render';
import { compare, membersInOrder, ratchet, type CaseOutcome } from '../../tools/conformance/suite';

// The comparison rules of docs/conformance.md: formatting is ignored, values never are.
const TEXT = 25;

function guideCase(columns: string[], rows: string[][], volatile?: string[]): GuideCase {
  return { id: 'p#1', page: 'p', url: '', family: '', sql: '', columns, rows, printed: '', ...(volatile ? { volatile } : {}) };
}

function answer(fields: [string, number][], rows: unknown[][]): ArrayQueryResult {
  return { fields: fields.map(([name, dataTypeID]) => ({ name, dataTypeID })), rows };
}

describe('renderValue prints as Redshift psql does', () => {
  it('floats with 15 and 6 significant digits, as extra_float_digits 0 does', () => {
    expect(renderValue(Math.PI, TYPE_OID.float8)).toBe('3.14159265358979');
    expect(renderValue(Math.sin(-Math.PI), TYPE_OID.float8)).toBe('-1.22464679914735e-16');
    expect(renderValue(4, TYPE_OID.float8)).toBe('4');
    expect(renderValue(1e21, TYPE_OID.float8)).toBe('1e+21');
    expect(renderValue(0.1 + 0.2, TYPE_OID.float8)).toBe('0.3');
    expect(renderValue(Math.fround(0.1), TYPE_OID.float4)).toBe('0.1');
    expect(significant(123456789012345680, 15)).toBe('1.23456789012346e+17');
    expect(significant(0.0001, 15)).toBe('0.0001');
    expect(significant(0.00001, 15)).toBe('1e-05');
  });

  it('NUMERIC as the engine printed it, scale and all', () => {
    expect(renderValue('4.000000000000000', TYPE_OID.numeric)).toBe('4.000000000000000');
  });

  it('dates and timestamps in UTC, fractions only when there are some; TIMESTAMPTZ with +00', () => {
    expect(renderValue(utcDate('2008-02-28'), TYPE_OID.date)).toBe('2008-02-28');
    expect(renderValue(utcDate('2009-08-28 00:00:00'), TYPE_OID.timestamp)).toBe('2009-08-28 00:00:00');
    expect(renderValue(utcDate('2009-09-09 12:08:43.1'), TYPE_OID.timestamp)).toBe('2009-09-09 12:08:43.1');
    expect(renderValue(utcDate('2017-01-01 00:00:00+00'), TYPE_OID.timestamptz)).toBe('2017-01-01 00:00:00+00');
  });

  it('booleans as t and f, VARBYTE in hexadecimal, SUPER as compact JSON, NULL as nothing', () => {
    expect(renderValue(true, TYPE_OID.bool)).toBe('t');
    expect(renderValue('\\x6162', TYPE_OID.bytea)).toBe('6162');
    expect(renderValue({ a: 1, b: [2, 'x'] }, TYPE_OID.jsonb)).toBe('{"a":1,"b":[2,"x"]}');
    expect(renderValue(null, TEXT)).toBeUndefined();
  });
});

describe('compare', () => {
  it('ignores alignment, header case, NULL printed as NULL or nothing, and t printed as true', () => {
    const page = guideCase(['MURMUR3_32_HASH', 'nothing', 'flag'], [['  -5  ', 'NULL', 'true']]);
    expect(
      compare(
        page,
        answer(
          [
            ['murmur3_32_hash', TYPE_OID.int4],
            ['nothing', TEXT],
            ['flag', TYPE_OID.bool],
          ],
          [[-5, null, true]],
        ),
      ),
    ).toBe(undefined);
    expect(compare(guideCase(['x'], [['']]), answer([['x', TEXT]], [['']]))).toBe(undefined);
  });

  it('counts values, scale, column names and row counts', () => {
    expect(compare(guideCase(['n'], [['10']]), answer([['n', TYPE_OID.numeric]], [['10.5']]))).toBe('"10.5", the page prints "10"');
    expect(compare(guideCase(['n'], [['1']]), answer([['n', TYPE_OID.numeric]], [['1.0']]))).toBe('"1.0", the page prints "1"');
    expect(compare(guideCase(['date_part'], [['101']]), answer([['extract', TYPE_OID.numeric]], [['43101.000']]))).toBe(
      'column 1 is named extract, the page\'s is date_part; "43101.000", the page prints "101"',
    );
    expect(compare(guideCase(['x'], [['1'], ['2']]), answer([['x', TYPE_OID.int4]], [[1]]))).toBe('1 rows, the page prints 2');
    expect(compare(guideCase(['x'], [['abc']]), answer([['x', TEXT]], [[null]]))).toBe('NULL, the page prints "abc"');
  });

  it('compares a volatile case on its names and shape only', () => {
    const page = guideCase(['timestamp'], [['2008-12-04 16:10:43']], ['getdate']);
    expect(compare(page, answer([['timestamp', TYPE_OID.timestamp]], [[new Date()]]))).toBe(undefined);
    expect(compare(page, answer([['getdate', TYPE_OID.timestamp]], [[new Date()]]))).toBe(
      "column 1 is named getdate, the page's is timestamp",
    );
  });
});

describe('ratchet', () => {
  const outcome = (id: string, cls: CaseOutcome['class']): CaseOutcome => ({ id, page: 'p', family: '', class: cls, reason: 'why' });

  it('fails on a new difference, a changed class, a case now same and a case no longer in the suite', () => {
    const known = { 'p#2': 'error', 'p#3': 'differs', 'p#4': 'refused', 'p#9': 'error' } as const;
    const outcomes = [outcome('p#1', 'differs'), outcome('p#2', 'not-run-offline'), outcome('p#3', 'same'), outcome('p#4', 'refused')];
    expect(ratchet(outcomes, known)).toEqual([
      'p#1: now differs (why), not in the baseline',
      'p#2: now not-run-offline (why), listed as error',
      'p#3: now same, listed as differs: shrink the baseline',
      'p#9: listed in the baseline, not a case of the suite',
    ]);
    expect(ratchet([outcome('p#1', 'same'), outcome('p#4', 'refused')], { 'p#4': 'refused' })).toEqual([]);
  });
});

describe('membersInOrder: a collection whose page leaves its order open', () => {
  it('gives one text for the same members in any order, and keeps other values as they are', () => {
    expect(membersInOrder('SRID=4326;MULTILINESTRING((10 0,20 -5),(0 0,10 0))')).toBe(
      membersInOrder('SRID=4326;MULTILINESTRING((0 0,10 0),(10 0,20 -5))'),
    );
    expect(membersInOrder('SRID=4326;MULTILINESTRING((10 0,20 -5),(0 0,10 1))')).not.toBe(
      membersInOrder('SRID=4326;MULTILINESTRING((0 0,10 0),(10 0,20 -5))'),
    );
    expect(membersInOrder('7')).toBe('7');
  });
});
