import { CopySyntaxError } from './copy-syntax-error';

export type SqlToken =
  | { readonly kind: 'word'; readonly text: string; readonly upper: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

/**
 * Reads one SQL statement token by token, skipping whitespace and comments. Lazy, so a caller
 * can look at the first word of any statement without the rest having to make sense.
 */
export class SqlTokenizer {
  private pos = 0;
  private peeked: SqlToken | undefined | null = null;

  constructor(private readonly sql: string) {}

  peek(): SqlToken | undefined {
    if (this.peeked === null) this.peeked = this.read();
    return this.peeked;
  }

  next(): SqlToken | undefined {
    const token = this.peek();
    this.peeked = null;
    return token;
  }

  private read(): SqlToken | undefined {
    this.skipBlanks();
    const sql = this.sql;
    if (this.pos >= sql.length) return undefined;
    const start = this.pos;
    const c = sql[start] as string;
    if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(start)) as RegExpExecArray;
      this.pos += match[0].length;
      return { kind: 'word', text: match[0], upper: match[0].toUpperCase() };
    }
    if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(start)) as RegExpExecArray;
      this.pos += match[0].length;
      return { kind: 'number', text: match[0] };
    }
    if (c === "'") return { kind: 'string', text: this.readQuoted("'", 'string literal') };
    if (c === '"') return { kind: 'quoted', text: this.readQuoted('"', 'quoted identifier') };
    this.pos += 1;
    return { kind: 'punct', text: c };
  }

  /** A '...' or "..." body; the quote doubled inside stands for itself. */
  private readQuoted(quote: string, what: string): string {
    const sql = this.sql;
    let text = '';
    let from = this.pos + 1;
    for (;;) {
      const end = sql.indexOf(quote, from);
      if (end === -1) throw new CopySyntaxError(`COPY: unterminated ${what} starting at character ${this.pos + 1}`);
      text += sql.slice(from, end);
      if (sql[end + 1] === quote) {
        text += quote;
        from = end + 2;
      } else {
        this.pos = end + 1;
        return text;
      }
    }
  }

  private skipBlanks(): void {
    const sql = this.sql;
    for (;;) {
      while (this.pos < sql.length && /\s/.test(sql[this.pos] as string)) this.pos += 1;
      if (sql.startsWith('--', this.pos)) {
        const end = sql.indexOf('\n', this.pos);
        this.pos = end === -1 ? sql.length : end + 1;
      } else if (sql.startsWith('/*', this.pos)) {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  /** Block comments nest, as in PostgreSQL. */
  private skipBlockComment(): void {
    const sql = this.sql;
    let depth = 0;
    let i = this.pos;
    while (i < sql.length) {
      if (sql.startsWith('/*', i)) {
        depth += 1;
        i += 2;
      } else if (sql.startsWith('*/', i)) {
        depth -= 1;
        i += 2;
        if (depth === 0) {
          this.pos = i;
          return;
        }
      } else {
        i += 1;
      }
    }
    throw new CopySyntaxError(`COPY: unterminated /* comment starting at character ${this.pos + 1}`);
  }
}
