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
    else if (c === "'")
      push('string', quotedEnd(sql, i, "'", true), 'string literal'); // Redshift escapes: see stringValue
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

/** What a backslash followed by a letter stands for, as Redshift reads it (see stringValue). */
const LETTER_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The value of a string literal token ('...' or E'...') as Redshift reads it, or the escape the
 * twin cannot give Redshift's value for. Redshift reads a backslash in a literal as an escape:
 * two backslashes are one (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html:
 * md5('\\' || 'slashpass') hashes one backslash; the REGEXP_SUBSTR and POSIX pattern pages write
 * the regular expression \w as '\\w'), \' is a quote, \n and \t are a newline and a tab (as
 * Redshift prints 'Line1\nLine2' and 'Tab\tCharacter', https://docs.snowconvert.com/sc/translation-references/redshift/basic-elements/literals),
 * \b \f \r the other C escapes of the PostgreSQL 8.0 Redshift grew from, \ooo an octal character
 * code ('\0' is the null character, https://docs.aws.amazon.com/redshift/latest/dg/r_STRTOL.html),
 * and a backslash before any other character is that character. Not given offline: the null
 * character and octal codes above 127 (PostgreSQL's text holds neither as Redshift would), and
 * \x, \u, \U, which PostgreSQL reads as hexadecimal and Unicode escapes and Redshift documents nowhere.
 * With such an escape comes the value read before it.
 */
export function stringValue(text: string): { readonly value: string } | { readonly unsupported: string; readonly before: string } {
  const body = text.slice(text.indexOf("'") + 1, -1);
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === "'") {
      value += "'"; // a doubled quote
      i += 1;
    } else if (c !== '\\') value += c;
    else {
      const next = body.charAt(i + 1);
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0];
      if (octal !== undefined) {
        const code = parseInt(octal, 8);
        if (code === 0 || code > 127) return { unsupported: `\\${octal}`, before: value };
        value += String.fromCharCode(code);
        i += octal.length;
      } else if (next === 'x' || next === 'u' || next === 'U') return { unsupported: `\\${next}`, before: value };
      else {
        value += LETTER_ESCAPES[next] ?? next;
        i += 1;
      }
    }
  }
  return { value };
}

/** A PostgreSQL literal (standard_conforming_strings on) holding `value`: E'...' when it needs a backslash escape. */
export function postgresLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what needs escaping
  if (!/[\\\x00-\x1f]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  const escaped = [...value]
    .map((c) => {
      if (c === '\\' || c === "'") return `\\${c}`;
      const code = c.charCodeAt(0);
      return code < 0x20 ? `\\${code.toString(8).padStart(3, '0')}` : c;
    })
    .join('');
  return `E'${escaped}'`;
}

/** The tokens of a text, or undefined when it leaves a quote or a comment open. */
export function completeTokens(sql: string): Token[] | undefined {
  try {
    return tokenize(sql, () => {
      throw new Error('unterminated');
    });
  } catch {
    return undefined;
  }
}

/** completeTokens without spaces and comments. */
export function significantTokens(sql: string): Token[] | undefined {
  return completeTokens(sql)?.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

/**
 * The same text with each `\'` inside a Redshift string literal written `''`: the same length and
 * the same literal boundaries for a reader with standard_conforming_strings on (the gate's
 * PostgreSQL parser). Unchanged when the text does not tokenize.
 */
export function standardQuotes(sql: string): string {
  const tokens = completeTokens(sql);
  if (!tokens) return sql;
  let out = '';
  for (const token of tokens) {
    if (token.kind !== 'string' || !token.text.startsWith("'") || !token.text.includes('\\')) {
      out += token.text;
      continue;
    }
    out += token.text.replace(/\\[\s\S]/g, (pair) => (pair === "\\'" ? "''" : pair));
  }
  return out;
}
