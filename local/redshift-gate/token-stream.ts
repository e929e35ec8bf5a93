import type { ScanToken } from 'libpg-query';
import { scanTokens } from './parser';

/**
 * The tokens of one SQL text over a byte buffer the pre-pass blanks: a Redshift-only clause is
 * overwritten with spaces (newlines kept), so what is left parses as PostgreSQL and every byte
 * offset, and so every line and column, stays where it was.
 */
export class TokenStream {
  readonly tokens: readonly ScanToken[];
  private readonly bytes: Buffer;

  constructor(text: string) {
    this.bytes = Buffer.from(text, 'utf8');
    this.tokens = scanTokens(text);
  }

  /** The token's text as written. */
  text(i: number): string {
    const token = this.tokens[i];
    return token ? this.bytes.subarray(token.start, token.end).toString('utf8') : '';
  }

  /** The token's text, lower case ('' past the end): keywords and bare identifiers compare this way. */
  word(i: number): string {
    return this.text(i).toLowerCase();
  }

  /** An identifier's name as Redshift folds it: quoted kept, bare lower-cased. */
  name(i: number): string {
    const text = this.text(i);
    return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
  }

  start(i: number): number {
    return this.tokens[i]?.start ?? this.bytes.length;
  }

  end(i: number): number {
    return this.tokens[i]?.end ?? this.bytes.length;
  }

  /** The index of the ')' closing the '(' at i (the last token if it is never closed). */
  closing(i: number): number {
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const word = this.word(j);
      if (word === '(') depth++;
      else if (word === ')' && --depth === 0) return j;
    }
    return this.tokens.length - 1;
  }

  /** The names inside the parentheses from i to close, commas left out. */
  names(open: number, close: number): { readonly name: string; readonly at: number }[] {
    const names = [];
    for (let j = open + 1; j < close; j++) if (this.word(j) !== ',') names.push({ name: this.name(j), at: this.start(j) });
    return names;
  }

  /** Blanks tokens from..to (inclusive) and what lies between them. */
  blank(from: number, to: number): void {
    for (let k = this.start(from); k < this.end(to); k++) if (this.bytes[k] !== 0x0a) this.bytes[k] = 0x20;
  }

  /** Overwrites token i with a text of the same byte length. */
  overwrite(i: number, text: string): void {
    if (Buffer.byteLength(text) !== this.end(i) - this.start(i))
      throw new Error(`overwrite: '${text}' is not as long as '${this.text(i)}'`);
    this.bytes.write(text, this.start(i), 'utf8');
  }

  /** A copy of the text with only bytes [start, end) kept, the rest blanked: a clause parsed on its own, in place. */
  only(start: number, end: number): Buffer {
    const copy = Buffer.alloc(this.bytes.length, 0x20);
    for (let k = 0; k < this.bytes.length; k++) if (this.bytes[k] === 0x0a) copy[k] = 0x0a;
    this.bytes.copy(copy, start, start, end);
    return copy;
  }

  toString(): string {
    return this.bytes.toString('utf8');
  }
}
