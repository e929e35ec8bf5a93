import { describe, expect, it } from 'vitest';
import { jsonPathsText, LOG_FIELDS } from '../../../tools/generator/jsonpaths';
import { logString, mojibake, pyFloat, pyString } from '../../../tools/generator/json-text';

describe('JSON text in the bucket dialects', () => {
  it('writes strings as Python json.dumps does (ASCII only, lowercase \\u escapes)', () => {
    expect(pyString('¿Dónde va Chichi?')).toBe('"\\u00bfD\\u00f3nde va Chichi?"');
    expect(pyString('a/b "c"')).toBe('"a/b \\"c\\""');
    expect(pyString('Howlin\u0019 For You')).toBe('"Howlin\\u0019 For You"');
  });

  it('escapes "/" in log strings, as the real log files do', () => {
    expect(logString('"Mozilla/5.0 (X11)"')).toBe('"\\"Mozilla\\/5.0 (X11)\\""');
  });

  it('writes floats like Python repr: shortest digits, ".0" on whole numbers', () => {
    expect(pyFloat(1540919166796)).toBe('1540919166796.0');
    expect(pyFloat(270.602)).toBe('270.602');
    expect(pyFloat(218.93179)).toBe('218.93179');
    expect(pyFloat(-0.12714)).toBe('-0.12714');
    expect(pyFloat(8.4177)).toBe('8.4177');
    expect(() => pyFloat(Number.NaN)).toThrow(RangeError);
  });

  it('double-encodes accents the way the real logs show them', () => {
    expect(logString(mojibake('Björk'))).toBe('"Bj\\u00c3\\u0083\\u00c2\\u00b6rk"');
    expect(logString(mojibake('Beyoncé'))).toBe('"Beyonc\\u00c3\\u0083\\u00c2\\u00a9"');
    expect(mojibake('Plain ASCII')).toBe('Plain ASCII');
  });

  it('lays out log_json_path.json like the real file: 18 paths in order, no trailing newline', () => {
    const text = jsonPathsText();
    expect(LOG_FIELDS).toHaveLength(18);
    expect(text.startsWith('{\n    "jsonpaths": [\n        "$[\'artist\']",\n        "$[\'auth\']",\n')).toBe(true);
    expect(text.endsWith('        "$[\'userId\']"\n    ]\n}')).toBe(true);
    expect(JSON.parse(text)).toEqual({ jsonpaths: LOG_FIELDS.map((field) => `$['${field}']`) });
  });
});
