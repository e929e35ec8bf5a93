import type { Finding } from './refusal';
import type { TokenStream } from './token-stream';

// Redshift's SUPER syntax PostgreSQL's parser does not read, lifted out the way query-syntax.ts
// lifts TOP and QUALIFY (same byte length, so every offset stays where it was):
// - ARRAY(a, b, ...) is Redshift's constructor (https://docs.aws.amazon.com/redshift/latest/dg/r_array.html);
//   PostgreSQL reads ARRAY( only before a subquery. Read as LEAST(a, b, ...), so the walker checks the arguments.
// - JSON_SERIALIZE(x) (https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE.html) is a function in
//   Redshift and SQL/JSON syntax in PostgreSQL 16 and later: read as COALESCE(x).
// - PartiQL subscripts x[0] (https://docs.aws.amazon.com/redshift/latest/dg/query-super.html, Navigation): blanked,
//   each bracket's expression checked as a text of its own.
// - Unnesting's `AT index` (query-super.html, Unnesting queries) blanked; ARRAY as a name (`f.arr AS array`,
//   the page's own example) read as a quoted name.
// - UNPIVOT of a SUPER object (query-super.html, Object unpivoting): refused, not run offline (docs/super.md).
const AFTER_AT = new Set([',', ')', ';', '', 'where', 'group', 'order', 'limit', 'having', 'join', 'left', 'inner', 'cross', 'union']);

/** What follows ARRAY used as a name (a select item, an alias, an unnesting source). */
const AS_NAME = new Set([',', 'from', 'as', ')', 'where', 'order', 'group', '']);
const NAME = /^(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")*")$/;

export function liftSuperSyntax(tokens: TokenStream): { readonly findings: Finding[]; readonly texts: string[] } {
  const findings: Finding[] = [];
  const texts: string[] = [];
  for (let i = 0; i < tokens.tokens.length; i++) {
    const word = tokens.word(i);
    const next = tokens.word(i + 1);
    if (word === 'array' && next === '(' && !['select', 'with'].includes(tokens.word(i + 2))) {
      if (tokens.word(i + 2) === ')') {
        tokens.overwrite(i, 'null ');
        tokens.blank(i + 1, i + 2);
      } else tokens.overwrite(i, 'least');
    } else if (word === 'array' && ['as', ',', 'select'].includes(tokens.word(i - 1)) && AS_NAME.has(next)) {
      tokens.overwrite(i, '"arr"');
    } else if (word === 'json_serialize' && next === '(') {
      tokens.overwrite(i, 'coalesce      ');
    } else if (
      word === '[' &&
      tokens.word(i + 1) !== ']' &&
      tokens.word(i - 1) !== 'array' &&
      /^([a-z_"\])]|$)/.test(tokens.word(i - 1).charAt(0) || '$')
    ) {
      // x[1][1]: each subscript in turn (the one before is blank by then).
      for (let open = i; tokens.word(open) === '[' && tokens.word(open + 1) !== ']'; open = i + 1) {
        let close = open;
        for (let depth = 0; close < tokens.tokens.length; close++) {
          if (tokens.word(close) === '[') depth++;
          else if (tokens.word(close) === ']' && --depth === 0) break;
        }
        if (close > open + 1) {
          const inside = tokens.only(tokens.start(open + 1), tokens.end(close - 1));
          inside.write('SELECT ', Math.max(0, tokens.start(open + 1) - 7), 'latin1');
          texts.push(inside.toString('utf8'));
        }
        tokens.blank(open, close);
        i = close;
      }
    } else if (
      word === 'at' &&
      // `... AS a AT i`: an unnesting alias before it, never a list's comma (a column named at: `(id INT, at TIMESTAMP)`).
      NAME.test(tokens.word(i - 1)) &&
      !['select', 'distinct', 'all'].includes(tokens.word(i - 1)) &&
      NAME.test(tokens.word(i + 1)) &&
      tokens.word(i + 1) !== 'time' &&
      AFTER_AT.has(tokens.word(i + 2))
    ) {
      tokens.blank(i, i + 1);
      i++;
    } else if (word === 'unpivot' && tokens.tokens[i - 1] && [',', 'from', 'join'].includes(tokens.word(i - 1))) {
      let end = i + 1;
      while (end < tokens.tokens.length && !AFTER_AT.has(tokens.word(end + 1))) end++;
      findings.push({ construct: 'UNPIVOT of a SUPER object in FROM (PartiQL object unpivoting)', at: tokens.start(i), kind: 'offline' });
      // What is left must still parse: the item becomes a plain relation name.
      tokens.blank(i, end);
      tokens.overwrite(i, 'u'.padEnd(Buffer.byteLength(tokens.text(i)), ' '));
      i = end;
    }
  }
  return { findings, texts };
}
