import { completeTokens, significantTokens } from '../lib/plan/sql-tokens';

/** A statement the input completed with `;`, and where it starts in the input (1-based). */
export interface CompleteStatement {
  /** From its first character that is not blank to its `;`, comments included. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The shell's input as psql reads it: lines gather until a `;` outside a string, a quoted
 * identifier, a comment or a dollar-quoted body ends a statement; several on one line are several
 * statements. What follows the last `;` waits for more lines (the continuation prompt).
 */
export class StatementBuffer {
  private text = '';
  /** Where `text` starts in the input. */
  private line = 1;
  private column = 1;

  /** Adds the input's line number `lineNumber`; returns the statements it completed, in order. */
  add(line: string, lineNumber: number): CompleteStatement[] {
    if (this.text === '') {
      this.text = line;
      this.line = lineNumber;
      this.column = 1;
    } else this.text += `\n${line}`;
    return this.take();
  }

  /** Some statement has begun (more than blanks and whole comments). */
  get pending(): boolean {
    const tokens = significantTokens(this.text);
    return tokens === undefined || tokens.length > 0;
  }

  /** The input is inside a string, a quoted identifier, a comment or a dollar-quoted body. */
  get open(): boolean {
    return completeTokens(this.text) === undefined;
  }

  clear(): void {
    this.text = '';
  }

  /** What is left when the input ends, as a last statement (psql runs it too), or undefined. */
  rest(): CompleteStatement | undefined {
    if (!this.pending) return undefined;
    const statement = this.statement(0, this.text.length);
    this.clear();
    return statement;
  }

  private take(): CompleteStatement[] {
    const tokens = completeTokens(this.text);
    if (!tokens) return [];
    const statements: CompleteStatement[] = [];
    let from = 0;
    for (const token of tokens) {
      if (token.kind !== 'op' || token.text !== ';') continue;
      const end = token.start + 1;
      const text = this.text.slice(from, end);
      // A lone `;`, or one after comments only, is no statement (psql sends nothing either).
      if ((significantTokens(text)?.length ?? 0) > 1) statements.push(this.statement(from, end));
      from = end;
    }
    if (from > 0) {
      const rest = this.place(from);
      this.text = this.text.slice(from);
      this.line = rest.line;
      this.column = rest.column;
      if (!this.pending) this.clear();
    }
    return statements;
  }

  private statement(from: number, end: number): CompleteStatement {
    const blanks = /^\s*/.exec(this.text.slice(from, end))?.[0].length ?? 0;
    return { text: this.text.slice(from + blanks, end), ...this.place(from + blanks) };
  }

  /** The input line and column of the character at `offset` in `text`. */
  private place(offset: number): { readonly line: number; readonly column: number } {
    const before = this.text.slice(0, offset);
    const lineBreaks = before.split('\n').length - 1;
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      line: this.line + lineBreaks,
      column: offset - lineStart + 1 + (lineBreaks === 0 ? this.column - 1 : 0),
    };
  }
}
