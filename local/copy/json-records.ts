/** Receives what scanJsonRecords finds, in file order. */
export interface JsonRecordVisitor {
  /** A parsed object or array; `start`/`end` delimit its text, lines are 1-based. */
  record(value: unknown, line: number, endLine: number, start: number, end: number): void;
  /** Text that is not a JSON object or array; scanning resumes after it. */
  malformed(line: number, start: number, end: number, problem: string): void;
}

/** Redshift's limit on one JSON object; also bounds the search for the end of a broken one. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Splits a file into JSON records the way COPY reads JSON: zero or more objects (or arrays) one
 * after another, separated by any whitespace; a record may span lines and several may share one.
 * A record's line is the one it starts on. Hot path: one JSON.parse per line when a line holds
 * exactly one record, which is how the logs are written; anything else goes through a
 * bracket-matching scan.
 */
export function scanJsonRecords(text: string, visitor: JsonRecordVisitor): void {
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (;;) {
    let c = 0;
    while (pos < length) {
      c = text.charCodeAt(pos);
      if (c === LF) line += 1;
      else if (c !== SPACE && c !== TAB && c !== CR) break;
      pos += 1;
    }
    if (pos >= length) return;
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = length;
    let last = eol - 1;
    while (last > pos && isBlank(text.charCodeAt(last))) last -= 1;
    if (last + 1 - pos > MAX_RECORD_CHARS) {
      const problem = `Invalid JSON: the record is longer than ${MAX_RECORD_CHARS} characters (Redshift's 4 MB limit)`;
      visitor.malformed(line, pos, eol, problem);
      pos = eol;
      continue;
    }
    const closing = text.charCodeAt(last);
    if ((c === OPEN_BRACE && closing === CLOSE_BRACE) || (c === OPEN_BRACKET && closing === CLOSE_BRACKET)) {
      const value = tryParse(text.slice(pos, last + 1));
      if (value !== FAILED) {
        visitor.record(value, line, line, pos, last + 1);
        pos = eol;
        continue;
      }
    }
    const extent = findRecordEnd(text, pos);
    if (extent.problem !== undefined) {
      // No reliable end: give up on this line only, so one broken record costs one line.
      visitor.malformed(line, pos, eol, extent.problem);
      pos = eol;
      continue;
    }
    const recordText = text.slice(pos, extent.end);
    const value = tryParse(recordText);
    if (value === FAILED) {
      visitor.malformed(line, pos, extent.end, parseProblem(recordText));
    } else {
      visitor.record(value, line, line + extent.newlines, pos, extent.end);
    }
    line += extent.newlines;
    pos = extent.end;
  }
}

const FAILED = Symbol('failed');

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return FAILED;
  }
}

function parseProblem(text: string): string {
  try {
    JSON.parse(text);
    return 'Invalid JSON';
  } catch (error) {
    return `Invalid JSON: ${(error as Error).message}`;
  }
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

type Extent = { readonly end: number; readonly newlines: number; readonly problem?: undefined } | { readonly problem: string };

/** Where the object or array starting at `start` closes, matching brackets outside strings. */
function findRecordEnd(text: string, start: number): Extent {
  const first = text.charCodeAt(start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    const found = text.slice(start, start + 20).split('\n')[0] as string;
    return { problem: `Invalid JSON: expected '{' to start a record, found ${JSON.stringify(found)}` };
  }
  const limit = Math.min(text.length, start + MAX_RECORD_CHARS);
  let depth = 0;
  let newlines = 0;
  let inString = false;
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
      else if (c === LF) return { problem: 'Invalid JSON: unterminated string (a line break inside a string)' };
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return { end: i + 1, newlines };
    } else if (c === LF) {
      newlines += 1;
    }
  }
  return limit < text.length
    ? { problem: `Invalid JSON: record not closed within ${MAX_RECORD_CHARS} characters (Redshift's 4 MB limit)` }
    : { problem: "Invalid JSON: unexpected end of file, the record's braces are not closed" };
}
