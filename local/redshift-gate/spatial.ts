import { significantTokens } from '../../lib/plan/sql-tokens';
import { SPATIAL_FUNCTIONS } from './functions';

/** Redshift's spatial data types (https://docs.aws.amazon.com/redshift/latest/dg/geospatial-overview.html). */
const SPATIAL_TYPES: ReadonlySet<string> = new Set(['geometry', 'geography']);

/**
 * Whether a SQL text uses Redshift's spatial SQL: a call of a spatial function, or the GEOMETRY or
 * GEOGRAPHY type, in the text or in a dollar-quoted body (a procedure's). The twin loads PostGIS
 * only for such SQL (local/spatial.ts), so this is decided before an engine opens, on the text as
 * written: words in string literals, quoted identifiers and comments do not count. An unreadable
 * text (an unterminated quote) is not spatial: the gate refuses it.
 */
export function usesSpatial(sql: string): boolean {
  const tokens = significantTokens(sql);
  if (!tokens) return false;
  return tokens.some((token, i) => {
    if (token.kind === 'dollar') return usesSpatial(token.text.replace(/^\$[^$]*\$|\$[^$]*\$$/g, ''));
    if (token.kind !== 'word') return false;
    const word = token.text.toLowerCase();
    return SPATIAL_TYPES.has(word) || (SPATIAL_FUNCTIONS.has(word) && tokens[i + 1]?.text === '(');
  });
}
