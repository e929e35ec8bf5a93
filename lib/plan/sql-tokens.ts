/**
 * SQL split into tokens whose texts concatenate back to the statement: strings, quoted
 * identifiers, comments and dollar-quoted bodies are single tokens, so what reads keywords never
 * looks inside them. Shared by the dialect bridge and the COPY parser.
 */

export type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'dollar' | 'word' | 'number' | 'param' | 'op';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
}

const SPACE = /\s+/y;
const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const PARAM = /\$\d+/y;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function matchAt(re: RegExp, sql: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(sql)?.[0];
}

/** Index just past a quoted run opened at `at` (quote char doubled inside, or backslash-escaped). */
function quotedEnd(sql: string, at: number, quote: string, backslash: boolean): number {
  let i = at + 1;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (backslash && c === '\\') i += 2;
    else if (c === quote && sql.charAt(i + 1) === quote) i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  return -1;
}

function blockCommentEnd(sql: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return -1;
}

/** Splits into tokens whose texts concatenate back to `sql`; -1 ends mean "unterminated". */
export function tokenize(sql: string, unterminated: (at: number, what: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, what: string) => {
    if (end < 0) unterminated(i, what);
    tokens.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql.charAt(i);
    const space = matchAt(SPACE, sql, i);
    if (space) push('space', i + space.length, '');
    else if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      push('comment', nl < 0 ? sql.length : nl + 1, ''); // the newline ends the comment, so keep it with it
    } else if (sql.startsWith('/*', i)) push('comment', blockCommentEnd(sql, i), '/* comment');
    else if (c === "'") push('string', quotedEnd(sql, i, "'", false), 'string literal');
    else if ((c === 'E' || c === 'e') && sql.charAt(i + 1) === "'") {
      push('string', quotedEnd(sql, i + 1, "'", true), 'string literal');
    } else if (c === '"') push('quoted', quotedEnd(sql, i, '"', false), 'quoted identifier');
    else if (c === '$') {
      const param = matchAt(PARAM, sql, i);
      const tag = param ? undefined : matchAt(DOLLAR_TAG, sql, i);
      if (param) push('param', i + param.length, '');
      else if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        push('dollar', close < 0 ? -1 : close + tag.length, `dollar-quoted body ${tag}`);
      } else push('op', i + 1, '');
    } else {
      const word = matchAt(WORD, sql, i);
      const number = word ? undefined : matchAt(NUMBER, sql, i);
      if (word) push('word', i + word.length, '');
      else if (number) push('number', i + number.length, '');
      else push('op', sql.startsWith('::', i) ? i + 2 : i + 1, '');
    }
  }
  return tokens;
}
