import { tokenize } from '../../lib/plan/sql-tokens';
import { CopySyntaxError } from './copy-syntax-error';

export type SqlToken =
  | { readonly kind: 'word'; readonly text: string; readonly upper: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

/**
 * Reads one SQL statement token by token, without whitespace and comments, with string and
 * quoted-identifier tokens already unquoted: the shape the COPY parser wants of the shared tokens.
 */
export class SqlTokenizer {
  private readonly tokens: SqlToken[];
  private pos = 0;

  constructor(sql: string) {
    this.tokens = tokenize(sql, (at, what) => {
      throw new CopySyntaxError(`COPY: unterminated ${what} starting at character ${at + 1}`);
    }).flatMap((token): SqlToken[] => {
      switch (token.kind) {
        case 'space':
        case 'comment':
          return [];
        case 'word':
          return [{ kind: 'word', text: token.text, upper: token.text.toUpperCase() }];
        case 'string':
        case 'quoted':
          return [{ kind: token.kind, text: unquote(token.text) }];
        case 'number':
          return [{ kind: 'number', text: token.text }];
        default:
          return [{ kind: 'punct', text: token.text }];
      }
    });
  }

  peek(): SqlToken | undefined {
    return this.tokens[this.pos];
  }

  next(): SqlToken | undefined {
    const token = this.tokens[this.pos];
    if (token) this.pos += 1;
    return token;
  }
}

/** The body of '...' or "...": the quote doubled inside stands for itself. */
function unquote(text: string): string {
  const quote = text.charAt(0);
  return text
    .slice(1, -1)
    .split(quote + quote)
    .join(quote);
}
