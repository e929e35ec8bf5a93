/**
 * The text a JSON number was written as. JSON.parse turns `38.0` and `38` into the same number,
 * which is what number columns read: Redshift reads JSON numbers as floating point values
 * (https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html#copy-usage-json-rounding;
 * number-converters.ts). Two kinds of column need the text as well: character columns keep a
 * number as written (`38.0` loads '38.0', not the '38' the parsed number prints), and BIGINT and
 * DECIMAL columns look at the digits of a number of 2^53 or more, which a double may not hold.
 */
export class NumberText {
  constructor(readonly text: string) {}
}

/** Character columns: they load a JSON number's text as written. */
export const KEEPS_NUMBER_TEXT: ReadonlySet<string> = new Set(['varchar', 'bpchar', 'text']);

/** Columns that may hold a whole number of 2^53 or more, and so look at the digits it was written with (see wideNumber). */
export const CHECKS_WIDE_NUMBERS: ReadonlySet<string> = new Set(['int8', 'numeric']);

/** Numbers of this magnitude or more are passed to CHECKS_WIDE_NUMBERS columns with their text. */
export const WIDE_NUMBER = 2 ** 53;

/** Column types that read a JSON number's text, for numbersToCheck. */
export const READS_NUMBER_TEXT: ReadonlySet<string> = new Set([...KEEPS_NUMBER_TEXT, ...CHECKS_WIDE_NUMBERS]);

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

/** What the columns that read a number's text (READS_NUMBER_TEXT) may read, for numbersToCheck. */
export interface NumberReads {
  /** The member names those columns read (lower-cased for 'auto ignorecase'). */
  readonly names: ReadonlySet<string>;
  readonly ignoreCase: boolean;
  /** Whether one of them reads an array element ($.a[0]). */
  readonly arrayElements: boolean;
}

/**
 * Whether `record` (valid JSON) writes a number such a column may read whose parsed value does
 * not stand for its text: one with a fraction or an exponent, or more than 15 digits. One pass over
 * the record, jumping over strings; nearly every record answers no, and its numbers are used as
 * parsed. A name written with a backslash escape may read as any name, so it counts as a match.
 */
export function numbersToCheck(record: string, reads: NumberReads): boolean {
  const containers: boolean[] = []; // true for an array
  let nameStart = -1; // the last member name's text, between its quotes
  let nameEnd = -1;
  const length = record.length;
  let i = 0;
  while (i < length) {
    const c = record.charCodeAt(i);
    if (c === QUOTE) {
      const close = closingQuote(record, i + 1);
      const after = skipBlanks(record, close + 1);
      if (record.charCodeAt(after) === COLON) {
        nameStart = i + 1;
        nameEnd = close;
        i = after + 1;
      } else {
        i = close + 1;
      }
    } else if ((c >= 48 && c <= 57) || c === 45) {
      let end = i;
      let exact = true;
      for (let d = c; (d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69; d = record.charCodeAt(++end)) {
        if (d === 46 || d === 101 || d === 69) exact = false;
      }
      // -0 parses to 0, which prints as "0".
      if (c === 45 && end - i === 2 && record.charCodeAt(i + 1) === 48) exact = false;
      if ((!exact || end - i > 15) && mayRead(record, containers[containers.length - 1] === true, nameStart, nameEnd, reads)) {
        return true;
      }
      i = end;
    } else {
      if (c === 123 || c === 91) containers.push(c === 91);
      else if (c === 125 || c === 93) containers.pop();
      i += 1;
    }
  }
  return false;
}

function mayRead(record: string, inArray: boolean, nameStart: number, nameEnd: number, reads: NumberReads): boolean {
  if (inArray) return reads.arrayElements;
  const name = record.slice(nameStart, nameEnd);
  if (name.includes('\\')) return true;
  return reads.names.has(reads.ignoreCase ? name.toLowerCase() : name);
}

/** The index of the quote that closes the string whose text starts at `from`. */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); ; at = text.indexOf('"', at + 1)) {
    if (at === -1) return text.length;
    if (!escaped(text, at)) return at;
  }
}

function escaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; i >= 0 && text.charCodeAt(i) === BACKSLASH; i--) backslashes += 1;
  return backslashes % 2 === 1;
}

function skipBlanks(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  return i;
}

/** The number literal starting at `at` (the text is valid JSON), or undefined. */
function numberAt(text: string, at: number): string | undefined {
  let end = at;
  for (let c = text.charCodeAt(end); (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;) {
    c = text.charCodeAt(++end);
  }
  return end > at ? text.slice(at, end) : undefined;
}

/**
 * JSON.parse for one record (already known to be valid JSON), with every number kept as NumberText.
 * Objects are built the way JSON.parse builds them: a repeated name keeps its first place and its
 * last value. The slow path, for records the member search cannot answer.
 */
export function parseKeepingNumbers(text: string): unknown {
  return new LiteralParser(text).document();
}

class LiteralParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value();
    this.blanks();
    if (this.pos !== this.text.length) throw new SyntaxError(`unexpected text at ${this.pos}`);
    return value;
  }

  private value(): unknown {
    this.blanks();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't' || c === 'f' || c === 'n') return this.word();
    const literal = numberAt(this.text, this.pos);
    if (literal === undefined) throw new SyntaxError(`unexpected '${c ?? 'end'}' at ${this.pos}`);
    this.pos += literal.length;
    return new NumberText(literal);
  }

  private object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.pos += 1;
    this.blanks();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return object;
    }
    for (;;) {
      this.blanks();
      const name = this.string();
      this.blanks();
      this.expect(':');
      // defineProperty: a member named "__proto__" is an own member, as JSON.parse makes it.
      Object.defineProperty(object, name, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.blanks();
      if (this.text[this.pos] === ',') {
        this.pos += 1;
        continue;
      }
      this.expect('}');
      return object;
    }
  }

  private array(): unknown[] {
    const array: unknown[] = [];
    this.pos += 1;
    this.blanks();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.blanks();
      if (this.text[this.pos] === ',') {
        this.pos += 1;
        continue;
      }
      this.expect(']');
      return array;
    }
  }

  private string(): string {
    const start = this.pos;
    if (this.text.charCodeAt(start) !== QUOTE) throw new SyntaxError(`expected a string at ${start}`);
    let i = start + 1;
    for (let c = this.text.charCodeAt(i); c !== QUOTE; c = this.text.charCodeAt(i)) {
      if (Number.isNaN(c)) throw new SyntaxError('unterminated string');
      i += c === BACKSLASH ? 2 : 1;
    }
    this.pos = i + 1;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private word(): boolean | null {
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw new SyntaxError(`unexpected word at ${this.pos}`);
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) throw new SyntaxError(`expected '${char}' at ${this.pos}`);
    this.pos += 1;
  }

  private blanks(): void {
    this.pos = skipBlanks(this.text, this.pos);
  }
}
