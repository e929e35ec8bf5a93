import type { SqlOrigin } from './dialect-bridge';
import { toPostgres } from './dialect-bridge';
import { PlanError, quoteIdent } from '../lib/plan/bind';
import { clipUtf8 } from '../lib/plan/load-plan';
import { significantTokens } from '../lib/plan/sql-tokens';
import { parseTableDesign, type TableDesign } from '../lib/plan/table-design';
import { recordTableDesign, recordViewBinding } from './prelude/catalog-views';

/**
 * A Redshift statement as the twin runs it: the dialect bridge's translation and, for a CREATE
 * TABLE, what PostgreSQL cannot say in the table itself, run in the same block:
 * - Redshift's CHAR and VARCHAR lengths are bytes, PostgreSQL's characters
 *   (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html): a CHECK per string
 *   column refuses what Redshift refuses, named with Redshift's message. (A character limit never
 *   refuses what fits in as many bytes, so the PostgreSQL type keeps its length too.)
 * - the table's design (DISTSTYLE, keys, encodings) for PG_TABLE_DEF, PG_CLASS_INFO and
 *   SVV_TABLE_INFO offline (local/prelude/catalog-views.ts).
 * IF NOT EXISTS on an existing table leaves both alone. A CREATE TABLE whose design lib/plan does
 * not read (CREATE TABLE AS, LIKE) runs as translated: the views then show Redshift's defaults.
 * A CREATE VIEW records whether it is late-binding, which PostgreSQL's view cannot say
 * (PG_GET_LATE_BINDING_VIEW_COLS, local/prelude/system-functions.ts).
 */
export function toPostgresStatement(sql: string, origin?: SqlOrigin, superColumns?: ReadonlySet<string>): string {
  const translated = toPostgres(sql, origin, superColumns);
  const view = readView(sql);
  if (view) {
    const record = recordViewBinding(view.name, view.lateBinding);
    return doBlock(`${translated.replace(/\s*;?\s*$/, '')};\n${record}`);
  }
  const design = readDesign(sql);
  if (!design) return translated;
  const body = [
    translated.replace(/\s*;?\s*$/, ''),
    ...byteLengthChecks(design),
    recordTableDesign(design.sqlName, {
      ...design,
      encodings: Object.fromEntries(design.columns.flatMap((c) => (c.encoding ? [[c.name, c.encoding]] : []))),
    }),
  ].join(';\n');
  const guarded = design.ifNotExists ? `IF to_regclass('${design.sqlName.replace(/'/g, "''")}') IS NULL THEN\n${body};\nEND IF` : body;
  return doBlock(guarded);
}

/**
 * `DO $tag$ BEGIN body; END $tag$` with a tag the body does not hold: the body carries the user's
 * statement, where a string or a quoted name may spell any fixed tag, which would end the block
 * early and run the rest as SQL of its own. A tag absent from the body can close only the block.
 */
function doBlock(body: string): string {
  let tag = '$create$';
  for (let n = 1; body.includes(tag); n++) tag = `$create_${n}$`;
  return `DO ${tag} BEGIN\n${body};\nEND ${tag}`;
}

/**
 * CREATE [OR REPLACE] VIEW name ... [WITH NO SCHEMA BINDING] (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html):
 * the name as written, and whether the view is late-binding.
 */
function readView(sql: string): { readonly name: string; readonly lateBinding: boolean } | undefined {
  if (!/^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\b/i.test(sql)) return undefined;
  const tokens = significantTokens(sql);
  if (!tokens) return undefined; // the bridge has already named what it cannot read
  const words = tokens.map((token) => (token.kind === 'word' ? token.text.toUpperCase() : token.text));
  let k = words.indexOf('VIEW') + 1;
  let name = tokens[k]?.text ?? '';
  while (words[k + 1] === '.') {
    name += `.${tokens[k + 2]?.text ?? ''}`;
    k += 2;
  }
  while (words.at(-1) === ';') words.pop();
  return { name, lateBinding: words.slice(-4).join(' ') === 'WITH NO SCHEMA BINDING' };
}

function readDesign(sql: string): TableDesign | undefined {
  if (!/^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*CREATE\s+TABLE\b/i.test(sql)) return undefined;
  try {
    return parseTableDesign(sql, '<sql>');
  } catch (error) {
    if (error instanceof PlanError) return undefined;
    throw error;
  }
}

function byteLengthChecks(design: TableDesign): string[] {
  return design.columns.flatMap((column) => {
    const match = /^(character varying|character)\((\d+)\)$/.exec(column.type);
    if (!match) return [];
    // 63 bytes is PostgreSQL's identifier limit; the column comes first, so names stay unique.
    const name = quoteIdent(clipUtf8(`${column.name}: value too long for type ${match[1]}(${match[2]})`, 63));
    return [`ALTER TABLE ${design.sqlName} ADD CONSTRAINT ${name} CHECK (octet_length(${quoteIdent(column.name)}) <= ${match[2]})`];
  });
}
