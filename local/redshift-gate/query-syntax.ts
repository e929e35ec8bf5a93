import { NOT_RUN_OFFLINE } from './functions';
import type { Finding } from './refusal';
import type { TokenStream } from './token-stream';

// Redshift's query syntax PostgreSQL does not parse: SELECT TOP n, APPROXIMATE COUNT(DISTINCT ...)
// and APPROXIMATE PERCENTILE_DISC, LISTAGG(DISTINCT ...) WITHIN GROUP, and QUALIFY.
// https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html (TOP)
// https://docs.aws.amazon.com/redshift/latest/dg/r_COUNT.html, r_APPROXIMATE_PERCENTILE_DISC.html (APPROXIMATE)
// https://docs.aws.amazon.com/redshift/latest/dg/r_QUALIFY_clause.html (QUALIFY)
// https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html (VARCHAR(MAX), CHAR(MAX))
// https://docs.aws.amazon.com/redshift/latest/dg/r_CONVERT_function.html: CONVERT(type, expression), whose type
//   (CHAR(4), DECIMAL(2,1) ...) PostgreSQL reads as neither a value nor a call's argument.
// https://docs.aws.amazon.com/redshift/latest/dg/r_COLLATE.html: the function COLLATE(string, 'case_sensitive' |
//   'case_insensitive'), where PostgreSQL knows only the clause `expression COLLATE name`.
const MAX_LENGTH_TYPES = new Set(['varchar', 'nvarchar', 'char', 'character', 'nchar', 'bpchar', 'varbyte', 'varbinary']);
const ENDS_QUALIFY = new Set([';', 'order', 'limit', 'offset', 'union', 'intersect', 'except', 'minus']);

/**
 * Reads VARCHAR(MAX) as VARCHAR(1); lifts CONVERT and COLLATE calls (liftCalls); blanks TOP n and APPROXIMATE; lifts each
 * QUALIFY condition out as a text of its own (the condition in place, "SELECT " over the keyword, the rest blank) for the
 * walker to check.
 */
export function liftQuerySyntax(tokens: TokenStream): {
  readonly qualify: string[];
  readonly texts: string[];
  readonly findings: Finding[];
} {
  const qualify: string[] = [];
  for (let i = 0; i < tokens.tokens.length; i++) {
    if (tokens.word(i) === 'max' && tokens.word(i - 1) === '(' && MAX_LENGTH_TYPES.has(tokens.word(i - 2)) && tokens.word(i + 1) === ')') {
      tokens.overwrite(i, '1  ');
    }
  }
  // Before QUALIFY, whose condition is copied out as it then stands.
  const calls = liftCalls(tokens);
  for (let i = 0; i < tokens.tokens.length; i++) {
    const word = tokens.word(i);
    if (word === 'top' && ['select', 'distinct', 'all'].includes(tokens.word(i - 1)) && tokens.tokens[i + 1]?.tokenName === 'ICONST') {
      tokens.blank(i, i + 1);
      i++;
    } else if (word === 'approximate' && ['count', 'percentile_disc'].includes(tokens.word(i + 1))) {
      tokens.blank(i, i);
    } else if (word === 'distinct' && tokens.word(i - 1) === '(' && tokens.word(i - 2) === 'listagg') {
      // LISTAGG(DISTINCT ...) WITHIN GROUP (ORDER BY ...) is Redshift's (r_LISTAGG.html); PostgreSQL's grammar refuses DISTINCT there.
      tokens.blank(i, i);
    } else if (word === 'qualify') {
      let j = i + 1;
      for (let depth = 0; j < tokens.tokens.length; j++) {
        const next = tokens.word(j);
        if (next === '(') depth++;
        else if (next === ')' && depth-- === 0) break;
        else if (depth === 0 && ENDS_QUALIFY.has(next)) break;
      }
      const condition = tokens.only(tokens.start(i), tokens.end(j - 1));
      condition.write('SELECT ', tokens.start(i), 'latin1');
      qualify.push(condition.toString('utf8'));
      tokens.blank(i, j - 1);
      i = j - 1;
    }
  }
  return { qualify, ...calls };
}

/**
 * CONVERT(type, x) is read as LEAST(x), and its type as a text of its own, `SELECT NULL::type` in place, so the
 * walker checks both (the type against the data type allowlist); the dialect bridge runs it as CAST(x AS type).
 * COLLATE(s, name) is read as LEAST(s, name) for the walker, and refused as not run offline: PostgreSQL has no
 * case-insensitive comparison of a value to put in its place.
 */
function liftCalls(tokens: TokenStream): { readonly texts: string[]; readonly findings: Finding[] } {
  const texts: string[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < tokens.tokens.length; i++) {
    const word = tokens.word(i);
    if (tokens.word(i + 1) !== '(' || tokens.word(i - 1) === '.') continue;
    if (word === 'collate') {
      findings.push({ construct: 'COLLATE', at: tokens.start(i), kind: 'not run offline', instead: NOT_RUN_OFFLINE.get('collate') });
      tokens.overwrite(i, 'least  ');
    } else if (word === 'convert') {
      const close = tokens.closing(i + 1);
      let comma = -1;
      for (let j = i + 2, depth = 0; j < close; j++) {
        const next = tokens.word(j);
        if (next === '(') depth++;
        else if (next === ')') depth--;
        else if (next === ',' && depth === 0) {
          if (comma >= 0)
            comma = -2; // three arguments: not Redshift's CONVERT, left to the walker
          else comma = j;
        }
      }
      if (comma <= i + 2) continue;
      const type = tokens.only(tokens.start(i + 2), tokens.end(comma - 1));
      const prefix = 'SELECT NULL::';
      if (tokens.start(i + 2) < prefix.length) continue;
      type.write(prefix, tokens.start(i + 2) - prefix.length, 'latin1');
      texts.push(type.toString('utf8'));
      tokens.overwrite(i, 'least  ');
      tokens.blank(i + 2, comma);
    }
  }
  return { texts, findings };
}
