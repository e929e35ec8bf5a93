import { describe, expect, it } from 'vitest';
import { NumberText, numbersToCheck, parseKeepingNumbers } from '../../../local/copy/number-literal';

const reads = (names: string[], options: { ignoreCase?: boolean; arrayElements?: boolean } = {}) => ({
  names: new Set(names),
  ignoreCase: options.ignoreCase ?? false,
  arrayElements: options.arrayElements ?? false,
});

describe('numbersToCheck: which records need the literal a column reads', () => {
  it('flags a fraction, an exponent or more than 15 digits in a member such a column reads', () => {
    const session = reads(['sessionId']);
    expect(numbersToCheck('{"sessionId":38,"registration":1540919166796.0,"length":277.89}', session)).toBe(false);
    expect(numbersToCheck('{"sessionId":38.0}', session)).toBe(true);
    expect(numbersToCheck('{"sessionId":-1E2}', session)).toBe(true);
    expect(numbersToCheck('{"sessionId":1234567890123456}', session)).toBe(true);
    expect(numbersToCheck('{"sessionId":123456789012345}', session)).toBe(false);
  });

  it('reads names and strings as JSON does: escaped quotes, backslashes, nesting, arrays', () => {
    const n = reads(['n']);
    expect(numbersToCheck('{"s":"\\"n\\":1.5","n":1}', n)).toBe(false);
    expect(numbersToCheck('{"s":"a\\\\","n":1.5}', n)).toBe(true);
    expect(numbersToCheck('{"x":{"n":2.5}}', n)).toBe(true); // maybe read by a path ending in n
    expect(numbersToCheck('{"n":[1.5]}', n)).toBe(false);
    expect(numbersToCheck('{"n":[1.5]}', reads([], { arrayElements: true }))).toBe(true);
    expect(numbersToCheck('{"\\u006e":1.5}', n)).toBe(true); // an escaped name may be n
    expect(numbersToCheck('{"N":1.5}', n)).toBe(false);
    expect(numbersToCheck('{"N":1.5}', reads(['n'], { ignoreCase: true }))).toBe(true);
  });
});

describe('parseKeepingNumbers', () => {
  it('builds what JSON.parse builds, numbers kept as their text', () => {
    const text = '{"a":[1,2.50,{"b":null}],"c":true,"d":"x\\u00e9\\"","a":-0.0e1,"__proto__":3}';
    const parsed = parseKeepingNumbers(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(Object.keys(JSON.parse(text) as object));
    expect(parsed['a']).toEqual(new NumberText('-0.0e1'));
    expect(parsed['d']).toBe('xé"');
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(parseKeepingNumbers('[1, 2.0 , {"k" : [ ] }]')).toEqual([new NumberText('1'), new NumberText('2.0'), { k: [] }]);
  });
});
