import { describe, expect, it } from 'vitest';
import { scanJsonRecords } from '../../../local/copy/json-records';

interface Found {
  readonly records: { value: unknown; line: number; endLine: number; text: string }[];
  readonly malformed: { line: number; problem: string; text: string }[];
}

function scan(text: string): Found {
  const found: Found = { records: [], malformed: [] };
  scanJsonRecords(text, {
    record: (value, line, endLine, start, end) => found.records.push({ value, line, endLine, text: text.slice(start, end) }),
    malformed: (line, start, end, problem) => found.malformed.push({ line, problem, text: text.slice(start, end) }),
  });
  return found;
}

describe('scanJsonRecords', () => {
  it('reads newline-delimited objects without a trailing newline, numbering lines from 1', () => {
    const { records, malformed } = scan('{"a":1}\n{"a":2}\n{"a":3}');
    expect(records.map((r) => [r.value, r.line])).toEqual([
      [{ a: 1 }, 1],
      [{ a: 2 }, 2],
      [{ a: 3 }, 3],
    ]);
    expect(malformed).toEqual([]);
  });

  it('reads several objects on one line and objects spanning lines, each at the line it starts on', () => {
    const text = '{"a":1} {"a":2}{"a":3}\n\n{\n  "a": 4,\n  "b": {"c": [1, "}"]}\n}\r\n  {"a":5}';
    const { records, malformed } = scan(text);
    expect(records.map((r) => [r.value, r.line, r.endLine])).toEqual([
      [{ a: 1 }, 1, 1],
      [{ a: 2 }, 1, 1],
      [{ a: 3 }, 1, 1],
      [{ a: 4, b: { c: [1, '}'] } }, 3, 6],
      [{ a: 5 }, 7, 7],
    ]);
    expect(malformed).toEqual([]);
  });

  it('finds nothing in an empty or blank file, and skips a byte order mark', () => {
    expect(scan('')).toEqual({ records: [], malformed: [] });
    expect(scan(' \n\t\r\n')).toEqual({ records: [], malformed: [] });
    expect(scan('\uFEFF{"a":1}').records.map((r) => r.value)).toEqual([{ a: 1 }]);
  });

  it('reports a malformed object with the JSON problem and goes on at the next line', () => {
    const { records, malformed } = scan('{"a":1}\n{"a": 2,, "b": 3}\n{"a": "unterminated}\n{"a":4}\nnot json\n{"a":5}');
    expect(records.map((r) => [r.value, r.line])).toEqual([
      [{ a: 1 }, 1],
      [{ a: 4 }, 4],
      [{ a: 5 }, 6],
    ]);
    expect(malformed.map((m) => m.line)).toEqual([2, 3, 5]);
    expect(malformed[0]?.problem).toMatch(/^Invalid JSON: .*(property|JSON)/);
    expect(malformed[1]?.problem).toMatch(/unterminated string/);
    expect(malformed[2]?.problem).toMatch(/expected '\{' to start a record, found "not json"/);
  });

  it('reports an object that is never closed and still reads the lines after it', () => {
    const { records, malformed } = scan('{"a": 1,\n{"a":2}');
    expect(malformed).toEqual([expect.objectContaining({ line: 1, problem: expect.stringMatching(/not closed/) })]);
    expect(records.map((r) => [r.value, r.line])).toEqual([[{ a: 2 }, 2]]);
  });

  it('keeps arrays as records (jsonpaths can read them by index)', () => {
    expect(scan('[1, "x"]\n[2, "y"]').records.map((r) => r.value)).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it("rejects a record longer than Redshift's 4 MB and reads on", () => {
    const huge = JSON.stringify({ text: 'x'.repeat(4 * 1024 * 1024) });
    const { records, malformed } = scan(`${huge}\n{"a":1}`);
    expect(malformed).toEqual([expect.objectContaining({ line: 1, problem: expect.stringMatching(/4 MB limit/) })]);
    expect(records.map((r) => [r.value, r.line])).toEqual([[{ a: 1 }, 2]]);
  });
});
