/**
 * Redshift's SUPER syntax rewritten for PostgreSQL, on the statement's text before the dialect
 * bridge's token pass (local/dialect-bridge.ts toPostgres calls superSyntax first):
 *
 * - PartiQL navigation `e.payload.items[0].name` (https://docs.aws.amazon.com/redshift/latest/dg/query-super.html,
 *   Navigation) becomes nested calls of public.sparkify_super_attribute / sparkify_super_element,
 *   which give NULL where Redshift's lax semantics give NULL (local/prelude/super-functions.ts).
 * - A cast of a navigated value (`e.payload.n::INTEGER`, `CAST(e.payload.n AS INTEGER)`) becomes
 *   public.sparkify_super_cast, NULL where the cast is invalid (query-super.html, Lax semantics).
 * - A string literal compared with a navigated value is read as VARCHAR, so the prelude's SUPER
 *   comparison operators answer (query-super.html, Dynamic typing), not json's input function.
 * - ARRAY(a, b, ...) (r_array.html) and OBJECT(k, v, ...) (r_object_function.html) become
 *   json_build_array / json_build_object; JSON_SERIALIZE( becomes public.json_serialize(, since
 *   PostgreSQL 16 and later parse JSON_SERIALIZE as their own SQL/JSON syntax.
 * - Unnesting in FROM (`FROM t, t.arr AS a [AT i]`, query-super.html, Unnesting queries) becomes a
 *   LATERAL call of public.sparkify_super_unnest(_at); UNPIVOT is refused (see docs/super.md).
 *
 * Which dotted names navigate: a name that is a relation of the statement (a table, its alias, a
 * CTE) starts a column reference `alias.column`; anything after the column navigates. A first name
 * that is no relation is itself the column (`payload.song` with payload a SUPER column).
 */
import { tokenize, type Token } from '../../lib/plan/sql-tokens';

/**
 * The PostgreSQL functions ARRAY(...) and OBJECT(...) become, by the column name Redshift gives the
 * unaliased constructor (https://docs.aws.amazon.com/redshift/latest/dg/r_array.html prints `array`,
 * r_object_function.html `object`): the bridge's select-list naming rule (dialect-bridge.ts named) adds it.
 */
export const SUPER_CONSTRUCTOR_NAMES: Readonly<Record<string, string>> = { JSON_BUILD_ARRAY: 'array', JSON_BUILD_OBJECT: 'object' };

/** What the rewrite cannot do: the caller turns it into its own error at the offset. */
export type SuperFailure = (offset: number, construct: string, advice: string) => never;

/** Words that end a FROM list at its own depth. */
const FROM_ENDS = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'QUALIFY',
  'WINDOW',
  'SET',
  'VALUES',
  'SELECT',
  'RETURNING',
]);
/** Words after which a FROM item may carry an alias without AS; these never are an alias. */
const NOT_ALIAS = new Set([...FROM_ENDS, 'ON', 'USING', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'OUTER', 'AS', 'AT']);
/** Words after which a dotted name is a relation, not an expression. */
const RELATION_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'VIEW', 'REFERENCES', 'TRUNCATE', 'ANALYZE', 'EXISTS', 'LOCK']);
const STATEMENTS = new Set(['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', '(']);
/** Casts Redshift gives a SUPER value, by the type name's first word (limitations-super.html). */
const CAST_TYPES = new Set([
  'VARCHAR',
  'NVARCHAR',
  'CHAR',
  'CHARACTER',
  'NCHAR',
  'BPCHAR',
  'TEXT',
  'SMALLINT',
  'INT',
  'INT2',
  'INTEGER',
  'INT4',
  'BIGINT',
  'INT8',
  'DECIMAL',
  'NUMERIC',
  'REAL',
  'FLOAT',
  'FLOAT4',
  'FLOAT8',
  'DOUBLE',
  'BOOLEAN',
  'BOOL',
  'DATE',
  'TIMESTAMP',
  'TIMESTAMPTZ',
]);

interface Part {
  /** An attribute name, or the text of a bracket's expression. */
  readonly text: string;
  readonly kind: 'name' | 'index' | 'key';
}

class Tokens {
  readonly sig: Token[];
  constructor(readonly sql: string) {
    this.sig = tokenize(sql, (at, what) => {
      throw new Error(`unterminated ${what} at ${at}`);
    }).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  }
  word(k: number): string {
    const t = this.sig[k];
    return t?.kind === 'word' ? t.text.toUpperCase() : '';
  }
  is(k: number, op: string): boolean {
    const t = this.sig[k];
    return t?.kind === 'op' && t.text === op;
  }
  isName(k: number): boolean {
    const kind = this.sig[k]?.kind;
    return kind === 'word' || kind === 'quoted';
  }
  /** A name as Redshift folds it for relations: quoted kept, bare lower-cased. */
  name(k: number): string {
    const t = this.sig[k];
    if (!t) return '';
    return t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toLowerCase();
  }
  /** An attribute name as written (the prelude folds it at run time, super-configurations.html). */
  attribute(k: number): string {
    const t = this.sig[k];
    if (!t) return '';
    return t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text;
  }
  start(k: number): number {
    return this.sig[k]?.start ?? this.sql.length;
  }
  end(k: number): number {
    const t = this.sig[k];
    return t ? t.start + t.text.length : this.sql.length;
  }
  close(k: number, open: string, shut: string): number {
    let depth = 0;
    for (let j = k; j < this.sig.length; j++) {
      if (this.is(j, open)) depth++;
      else if (this.is(j, shut) && --depth === 0) return j;
    }
    return this.sig.length - 1;
  }
}

interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
/** An unnesting alias is a column of the LATERAL call; quoted, since Redshift allows names such as ARRAY there. */
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The statement with Redshift's SUPER syntax rewritten (unchanged when it has none). `columns`: the
 * names of the SUPER columns of the statement's tables (superColumnNames), which a comparison with
 * a string literal or a function reads as it reads a navigated value.
 */
export function superSyntax(sql: string, fail: SuperFailure, columns: ReadonlySet<string> = new Set()): string {
  let t: Tokens;
  try {
    t = new Tokens(sql);
  } catch {
    return sql; // the bridge reports what does not tokenize
  }
  if (!STATEMENTS.has(t.word(0) || (t.is(0, '(') ? '(' : ''))) return sql;
  const { relations, unnests, items } = fromItems(t, fail);
  // A SUPER value without navigation: a SUPER column, or an unnested element (not its AT index).
  const indexes = new Set(items.flatMap((item) => (item.at ? [item.at] : [])));
  const whole = new Set([...columns, ...[...unnests].filter((name) => !indexes.has(name))]);
  const edits: Edit[] = [];
  const clause = clauses(t);
  const edited = (k: number) =>
    edits.some((e) => e.from <= t.start(k) && t.start(k) < e.to) || items.some((item) => item.first <= k && k <= item.last);
  for (const item of items) if (item.unnest) edits.push(unnestEdit(t, item, relations, unnests, whole, fail));
  if (t.word(0) === 'INSERT') edits.push(...insertedLiterals(t));
  if (t.word(0) === 'UPDATE') edits.push(...assignedLiterals(t));
  for (let k = 0; k < t.sig.length; k++) {
    if (edited(k)) continue;
    const w = t.word(k);
    const qualified = t.is(k - 1, '.');
    if (w === 'ARRAY' && t.is(k + 1, '(') && !['SELECT', 'WITH'].includes(t.word(k + 2)) && !qualified && !t.is(k - 1, '::')) {
      edits.push({ from: t.start(k), to: t.end(k), text: 'json_build_array' }, ...superValues(t, k + 1, 1));
    } else if (w === 'OBJECT' && t.is(k + 1, '(') && !qualified) {
      edits.push({ from: t.start(k), to: t.end(k), text: 'json_build_object' }, ...superValues(t, k + 1, 2));
    } else if (t.is(k, '::') && t.word(k + 1) === 'SUPER') {
      const cast = toSuper(t, k);
      if (cast && !edits.some((e) => e.from < cast.to && cast.from < e.to)) {
        edits.push(cast);
        while (t.start(k + 1) < cast.to) k++;
      }
    } else if (w === 'JSON_SERIALIZE' && t.is(k + 1, '(') && !qualified) {
      edits.push({ from: t.start(k), to: t.end(k), text: 'public.json_serialize' });
    } else if (t.isName(k) && !qualified && !t.is(k - 1, '::') && !RELATION_BEFORE.has(t.word(k - 1)) && t.word(k - 1) !== 'AS') {
      const edit = navigation(t, k, relations, unnests, whole, fail);
      if (edit) {
        // Unaliased in a select list, the column is named after the last attribute, as Redshift names it
        // (super-configurations.html prints `name | price` for data."ITEMS"."Name", data."price").
        const item = clause[k] === 'SELECT' && ['SELECT', 'DISTINCT', ','].includes(t.word(k - 1) || (t.sig[k - 1]?.text ?? ''));
        const ends =
          !t.sig[edit.last + 1] ||
          [',', ')'].includes(t.sig[edit.last + 1]?.text ?? '') ||
          ['FROM', 'INTO'].includes(t.word(edit.last + 1));
        const name = edit.name;
        const text = edit.plain ? dynamicTyping(t, k, edit.last, edit.edit.text, edit.navigates, fail) : edit.edit.text;
        edits.push({ ...edit.edit, text: item && ends && name ? `${text} AS ${quoted(name.toLowerCase())}` : text });
        k = edit.last;
      } else if (unnests.has(t.name(k)) && !t.is(k + 1, '.')) {
        edits.push({ from: t.start(k), to: t.end(k), text: quoted(t.name(k)) });
      }
    }
  }
  if (edits.length === 0) return sql;
  // An insertion (from = to) goes before a replacement starting at the same place.
  edits.sort((a, b) => a.from - b.from || a.to - a.from - (b.to - b.from));
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += sql.slice(at, edit.from) + edit.text;
    at = edit.to;
  }
  return out + sql.slice(at);
}

/**
 * The tables a statement reads or writes, as written (`t`, `public.t`, lower case unless quoted):
 * whose SUPER columns superSyntax is told about (local/super/columns.ts). Empty when the statement
 * does not tokenize or has no FROM, JOIN, INTO or UPDATE.
 */
export function statementTables(sql: string): string[] {
  try {
    const t = new Tokens(sql);
    const { items } = fromItems(t, () => {
      throw new Error('not read');
    });
    return [
      ...new Set(
        items
          .filter((item) => !item.unnest && t.isName(item.first) && !t.is(item.first - 1, '('))
          .map((item) => {
            const names = [t.name(item.first)];
            for (let j = item.first; t.is(j + 1, '.') && t.isName(j + 2); j += 2) names.push(t.name(j + 2));
            return names.join('.');
          }),
      ),
    ];
  } catch {
    return [];
  }
}

/**
 * `x::SUPER` at k (the `::`), and a cast of that SUPER value after it: a string literal becomes a
 * SUPER string, not a parsed document ("If the json_parse function is missing in the query, Amazon
 * Redshift treats the value as a single string", ingest-super.html), and `5::super::bool` casts as
 * a SUPER value casts, NULL where invalid (limitations-super.html). Undefined when the operand is
 * not one literal, name or parenthesized expression.
 */
function toSuper(t: Tokens, k: number): Edit | undefined {
  let first = k - 1;
  const before = t.sig[first];
  if (!before) return undefined;
  if (t.is(first, ')')) {
    for (let depth = 0; first >= 0; first--) {
      if (t.is(first, ')')) depth++;
      else if (t.is(first, '(') && --depth === 0) break;
    }
    if (t.sig[first - 1]?.kind === 'word' && !NOT_CALLS.has(t.word(first - 1))) first--;
  } else if (before.kind === 'word' || before.kind === 'quoted') {
    while (t.is(first - 1, '.') && t.isName(first - 2)) first -= 2;
  } else if (before.kind !== 'string' && before.kind !== 'number') return undefined;
  if (t.is(first - 1, '::') || t.is(first - 1, '.')) return undefined;
  const operand = t.sql.slice(t.start(first), t.end(k - 1));
  const value = first === k - 1 && before.kind === 'string' ? `to_json(${operand}::pg_catalog.text)` : `${operand}::SUPER`;
  const then = castAfter(t, k + 1);
  return then
    ? { from: t.start(first), to: t.end(then.last), text: `public.sparkify_super_cast(${value}, NULL::${then.type})` }
    : { from: t.start(first), to: t.end(k + 1), text: value };
}

/**
 * The string literals that are whole values of INSERT ... VALUES, as ROW(literal)::public.sparkify_literal:
 * the target column's type reads them as Redshift does, a SUPER column as a SUPER string
 * (local/prelude/super-functions.ts, literalSql).
 */
function insertedLiterals(t: Tokens): Edit[] {
  const edits: Edit[] = [];
  let depth = 0;
  let values = false;
  for (let k = 1; k < t.sig.length; k++) {
    if (t.is(k, '(')) depth++;
    else if (t.is(k, ')')) depth--;
    else if (depth === 0 && t.word(k) === 'VALUES') values = true;
    else if (depth === 0 && values && t.word(k)) break; // RETURNING, ON ..., or the end of the list
    const token = t.sig[k];
    if (
      values &&
      depth === 1 &&
      token?.kind === 'string' &&
      (t.is(k - 1, '(') || t.is(k - 1, ',')) &&
      (t.is(k + 1, ')') || t.is(k + 1, ','))
    ) {
      edits.push({ from: token.start, to: t.end(k), text: `ROW(${token.text})::public.sparkify_literal` });
    }
  }
  return edits;
}

/** UPDATE ... SET column = 'literal': the same reading as a literal of INSERT ... VALUES. */
function assignedLiterals(t: Tokens): Edit[] {
  const edits: Edit[] = [];
  let depth = 0;
  let set = false;
  for (let k = 1; k < t.sig.length; k++) {
    if (t.is(k, '(')) depth++;
    else if (t.is(k, ')')) depth--;
    else if (depth === 0 && t.word(k) === 'SET') set = true;
    else if (depth === 0 && ['FROM', 'WHERE'].includes(t.word(k))) break;
    const token = t.sig[k];
    const ends = !t.sig[k + 1] || t.is(k + 1, ',') || ['FROM', 'WHERE'].includes(t.word(k + 1));
    if (set && depth === 0 && token?.kind === 'string' && t.is(k - 1, '=') && t.isName(k - 2) && ends) {
      edits.push({ from: token.start, to: t.end(k), text: `ROW(${token.text})::public.sparkify_literal` });
    }
  }
  return edits;
}

/** Functions that take a SUPER value offline (the prelude's, PostgreSQL's COALESCE and NULLIF, and COUNT). */
const SUPER_ARGUMENT = new Set(
  (
    'JSON_SERIALIZE JSON_SERIALIZE_TO_VARBYTE JSON_TYPEOF JSON_SIZE IS_ARRAY IS_OBJECT IS_SCALAR IS_BOOLEAN IS_VARCHAR IS_CHAR ' +
    'IS_DECIMAL IS_FLOAT IS_SMALLINT IS_INTEGER IS_BIGINT DECIMAL_PRECISION DECIMAL_SCALE GET_ARRAY_LENGTH ARRAY_CONCAT SUBARRAY ' +
    'ARRAY_FLATTEN ARRAY OBJECT FLOOR CEIL CEILING ROUND TRUNC ABS COUNT COALESCE NVL NULLIF MIN MAX SUM AVG ARRAY_SORT'
  ).split(' '),
);
/**
 * String functions, which read a SUPER string as its VARCHAR and give NULL for another type:
 * "Other functions return null when mistyped arguments are used" (query-super.html, Dynamic typing).
 */
const STRING_ARGUMENT = new Set(
  (
    'UPPER LOWER INITCAP TRIM BTRIM LTRIM RTRIM LEN LENGTH CHAR_LENGTH CHARACTER_LENGTH OCTET_LENGTH TEXTLEN SUBSTRING SUBSTR LEFT RIGHT ' +
    'REPLACE TRANSLATE SPLIT_PART CONCAT POSITION STRPOS CHARINDEX REGEXP_SUBSTR REGEXP_REPLACE REGEXP_COUNT REGEXP_INSTR LPAD RPAD ' +
    'REVERSE REPEAT REPLICATE MD5 SHA1 SHA2 FUNC_SHA1 QUOTE_LITERAL QUOTE_IDENT LISTAGG TO_DATE TO_TIMESTAMP TO_NUMBER ASCII'
  ).split(' '),
);
/** Words before a parenthesis that make no function call of it. */
const NOT_CALLS = new Set([
  'CAST',
  'IN',
  'VALUES',
  'AND',
  'OR',
  'NOT',
  'WHERE',
  'ON',
  'SELECT',
  'BY',
  'WHEN',
  'THEN',
  'ELSE',
  'HAVING',
  'AS',
]);

/**
 * A navigated value used by a function, `||` or LIKE: the string functions read a SUPER string (and
 * NULL for other types); a function of another kind is refused, since which type it would take the
 * value as is Redshift's dynamic typing the twin does not reproduce: cast the value first.
 */
function dynamicTyping(t: Tokens, k: number, last: number, text: string, navigates: boolean, fail: SuperFailure): string {
  const string = `public.sparkify_super_string(${text})`;
  const concat = (t.is(last + 1, '|') && t.is(last + 2, '|')) || (t.is(k - 1, '|') && t.is(k - 2, '|'));
  const like = ['LIKE', 'ILIKE', 'SIMILAR'].includes(t.word(last + 1)) || (t.word(last + 1) === 'NOT' && t.word(last + 2) === 'LIKE');
  if (concat || like) return string;
  if (!(t.is(k - 1, '(') || t.is(k - 1, ',')) || !(t.is(last + 1, ')') || t.is(last + 1, ','))) return text;
  let open = k - 1;
  for (let depth = 0; open >= 0; open--) {
    if (t.is(open, ')')) depth++;
    else if (t.is(open, '(') && depth-- === 0) break;
  }
  const fn = t.word(open - 1);
  if (!fn || t.is(open - 2, '.') || SUPER_ARGUMENT.has(fn) || NOT_CALLS.has(fn)) return text;
  if (STRING_ARGUMENT.has(fn)) return string;
  // A whole column or element in another call (or a column list) is left to the engine's own types.
  if (!navigates) return text;
  return fail(
    t.start(k),
    `${fn}() of a SUPER value`,
    `is Redshift SQL that the offline twin does not run (Redshift's dynamic typing picks the argument's type at run time): ` +
      `cast the value to its type first, e.g. ${fn}(${t.sql.slice(t.start(k), t.end(last))}::BIGINT)`,
  );
}

/**
 * The values of ARRAY(...) (every argument) or OBJECT(...) (every second), each through
 * public.sparkify_super_value: "Amazon Redshift doesn't cast the date and time types to the SUPER
 * data type" (r_array.html, r_object_function.html), and a FLOAT stays a float there (docs/super.md).
 */
function superValues(t: Tokens, open: number, step: number): Edit[] {
  const close = t.close(open, '(', ')');
  const starts: number[] = [];
  const ends: number[] = [];
  for (let j = open + 1, depth = 0, first = open + 1; j <= close; j++) {
    if (t.is(j, '(') || t.is(j, '[')) depth++;
    else if ((t.is(j, ')') || t.is(j, ']')) && j !== close) depth--;
    else if ((t.is(j, ',') && depth === 0) || j === close) {
      if (j > first) {
        starts.push(first);
        ends.push(j - 1);
      }
      first = j + 1;
    }
  }
  return starts.flatMap((from, n) =>
    n % step === step - 1
      ? [
          { from: t.start(from), to: t.start(from), text: 'public.sparkify_super_value(' },
          { from: t.end(ends[n] ?? from), to: t.end(ends[n] ?? from), text: ')' },
        ]
      : [],
  );
}

interface FromItem {
  /** Token index of the item's first name, and of its last token. */
  readonly first: number;
  readonly last: number;
  readonly alias: string;
  readonly aliasAt: number;
  /** A SUPER array unnested (`c.c_orders o`), not a relation. */
  readonly unnest: boolean;
  /** The name of `AT index`: the element's position, from 0. */
  readonly at?: string;
}

/** The relation names and aliases of every FROM list, and the items that unnest a SUPER array. */
function fromItems(
  t: Tokens,
  fail: SuperFailure,
): { readonly relations: Set<string>; readonly unnests: Set<string>; readonly items: FromItem[] } {
  const relations = new Set<string>();
  const unnests = new Set<string>();
  const items: FromItem[] = [];
  for (let k = 0; k < t.sig.length; k++) {
    const w = t.word(k);
    if (w === 'WITH' || (t.is(k, ',') && t.isName(k + 1) && t.word(k + 2) === 'AS' && t.is(k + 3, '('))) {
      // A CTE's name: WITH name AS (...), name AS (...)
      if (t.isName(k + 1) && (t.word(k + 2) === 'AS' || t.is(k + 2, '('))) relations.add(t.name(k + 1));
      continue;
    }
    const opens = ['FROM', 'JOIN', 'INTO', 'UPDATE'].includes(w) || (w === 'USING' && !t.is(k + 1, '('));
    if (!opens) continue;
    // One FROM list: items separated by commas (or JOIN) at this depth.
    let j = k + 1;
    for (;;) {
      if (t.is(j, '(')) {
        j = t.close(j, '(', ')') + 1;
        if (t.word(j) === 'AS') j++;
        if (t.isName(j) && !NOT_ALIAS.has(t.word(j))) relations.add(t.name(j));
      } else if (t.isName(j) && !NOT_ALIAS.has(t.word(j))) {
        const first = j;
        if (t.word(j) === 'UNPIVOT')
          fail(
            t.start(j),
            'UNPIVOT of a SUPER object in FROM',
            'is Redshift SQL that the offline twin does not run; read the attributes by name',
          );
        const names = [t.name(j)];
        while (t.is(j + 1, '.') && t.isName(j + 2)) {
          names.push(t.name(j + 2));
          j += 2;
        }
        while (t.is(j + 1, '[')) j = t.close(j + 1, '[', ']');
        const source = names[0] ?? '';
        const isUnnest = names.length > 1 && (relations.has(source) || unnests.has(source)) && w !== 'INTO' && w !== 'UPDATE';
        const single = names.length === 1 && unnests.has(source);
        j++;
        let alias = names.at(-1) ?? '';
        let aliasAt = -1;
        if (t.word(j) === 'AS') j++;
        if (t.isName(j) && !NOT_ALIAS.has(t.word(j))) {
          alias = t.name(j);
          aliasAt = j;
          j++;
        }
        let at: string | undefined;
        if (t.word(j) === 'AT' && t.isName(j + 1) && (isUnnest || single)) {
          at = t.name(j + 1);
          unnests.add(at);
          j += 2;
        }
        if (isUnnest || single) {
          unnests.add(alias);
          items.push({ first, last: j - 1, alias, aliasAt, unnest: true, ...(at ? { at } : {}) });
        } else {
          items.push({ first, last: j - 1, alias, aliasAt, unnest: false });
          relations.add(alias);
          relations.add(names.at(-1) ?? '');
          if (names.length > 1) relations.add(names.join('.'));
        }
        // A JOIN's condition belongs to the expressions, not the list.
        if (t.word(j) === 'ON' || t.word(j) === 'USING') break;
      } else break;
      while (t.sig[j] && !t.is(j, ',') && !FROM_ENDS.has(t.word(j)) && !['JOIN', 'ON'].includes(t.word(j)) && !t.is(j, ')')) {
        if (t.is(j, '(')) j = t.close(j, '(', ')');
        j++;
      }
      if (!t.is(j, ',')) break;
      j++;
    }
  }
  return { relations, unnests, items };
}

/** `t.arr AS a` in FROM: a LATERAL call over the array's elements (none when it is not an array). */
function unnestEdit(
  t: Tokens,
  item: FromItem,
  relations: Set<string>,
  unnests: Set<string>,
  whole: ReadonlySet<string>,
  fail: SuperFailure,
): Edit {
  const end = item.aliasAt >= 0 ? item.aliasAt - (t.word(item.aliasAt - 1) === 'AS' ? 1 : 0) - 1 : item.last;
  const navigated = navigationOf(t, item.first, end, relations, unnests, whole, fail);
  const alias = quoted(item.alias);
  const text = item.at
    ? `LATERAL public.sparkify_super_unnest_at(${navigated}) AS ${alias}(${alias}, ${quoted(item.at)})`
    : `LATERAL public.sparkify_super_unnest(${navigated}) AS ${alias}(${alias})`;
  return { from: t.start(item.first), to: t.end(item.last), text };
}

/** The rewritten text of the name chain from..to (a navigation, or the column as written). */
function navigationOf(
  t: Tokens,
  from: number,
  to: number,
  relations: Set<string>,
  unnests: Set<string>,
  whole: ReadonlySet<string>,
  fail: SuperFailure,
): string {
  const edit = navigation(t, from, relations, unnests, whole, fail);
  if (edit && edit.last === to) return edit.edit.text;
  return from === to && unnests.has(t.name(from)) ? quoted(t.name(from)) : t.sql.slice(t.start(from), t.end(to));
}

/**
 * The navigation starting at name k, if the dotted chain there navigates into a SUPER value, or
 * names one of the `whole` SUPER values (no navigation: only its comparisons and casts change).
 */
function navigation(
  t: Tokens,
  k: number,
  relations: Set<string>,
  unnests: Set<string>,
  whole: ReadonlySet<string>,
  fail: SuperFailure,
):
  { readonly edit: Edit; readonly last: number; readonly name?: string; readonly plain: boolean; readonly navigates: boolean } | undefined {
  // The chain: names joined by dots, then any mix of .name and [expression].
  const names: number[] = [k];
  let j = k;
  while (t.is(j + 1, '.') && t.isName(j + 2)) {
    names.push(j + 2);
    j += 2;
  }
  if (t.is(j + 1, '(') || t.is(j + 1, '.')) return undefined; // a function call, or alias.*
  const first = t.name(k);
  let column: number;
  if (unnests.has(first)) column = 1;
  else if (relations.has(first) && names.length >= 2) column = 2;
  else if (names.length >= 3 && relations.has(`${first}.${t.name(k + 2)}`)) column = 3;
  else column = 1;
  const parts: Part[] = names.slice(column).map((n) => ({ text: t.attribute(n), kind: 'name' }));
  while (t.is(j + 1, '[') || (t.is(j + 1, '.') && t.isName(j + 2))) {
    if (t.is(j + 1, '.')) {
      parts.push({ text: t.attribute(j + 2), kind: 'name' });
      j += 2;
      continue;
    }
    const close = t.close(j + 1, '[', ']');
    const inside = t.sql.slice(t.end(j + 1), t.start(close));
    const only = close === j + 3 ? t.sig[j + 2] : undefined;
    if (only?.kind === 'string') parts.push({ text: only.text.slice(1, -1).replace(/''/g, "'"), kind: 'key' });
    else parts.push({ text: superSyntax(`SELECT ${inside}`, fail, whole).slice('SELECT '.length), kind: 'index' });
    j = close;
  }
  if (parts.length === 0 && !whole.has(t.name(names[column - 1] ?? k))) return undefined;
  let text = unnests.has(first) ? quoted(first) : t.sql.slice(t.start(k), t.end(names[column - 1] ?? k));
  for (const part of parts) {
    text =
      part.kind === 'index'
        ? `public.sparkify_super_element(${text}, (${part.text}))`
        : `public.sparkify_super_attribute(${text}, ${literal(part.text)})`;
  }
  let from = t.start(k);
  let to = t.end(j);
  let last = j;
  // A cast of the navigated value: lax (NULL where invalid).
  const cast = castAfter(t, j);
  const castAround = t.is(k - 1, '(') && t.word(k - 2) === 'CAST' && t.word(j + 1) === 'AS' ? castAfter(t, j, true) : undefined;
  if (castAround) {
    text = `public.sparkify_super_cast(${text}, NULL::${castAround.type})`;
    from = t.start(k - 2);
    to = t.end(castAround.last + 1);
    last = castAround.last + 1;
  } else if (cast) {
    text = `public.sparkify_super_cast(${text}, NULL::${cast.type})`;
    to = t.end(cast.last);
    last = cast.last;
  } else {
    // A string literal compared with the navigated value is a VARCHAR (the prelude's operators).
    const op = comparison(t, last + 1);
    if (op && t.sig[op.next]?.kind === 'string' && !t.is(op.next + 1, '::')) {
      text += ` ${op.text} ${t.sig[op.next]?.text ?? ''}::pg_catalog.varchar`;
      to = t.end(op.next);
      last = op.next;
    }
    const before = comparisonBefore(t, k - 1);
    if (before !== undefined && t.sig[before]?.kind === 'string' && !t.is(before - 1, '::')) {
      text = `${t.sig[before]?.text ?? ''}::pg_catalog.varchar ${t.sql.slice(t.end(before), t.start(k)).trim()} ${text}`;
      from = t.start(before);
    }
  }
  const final = parts.at(-1);
  const compared = from < t.start(k) || (!cast && !castAround && last > j);
  // (the name of a navigation followed by a comparison is the expression's, not the attribute's)
  const plain = !compared && !cast && !castAround;
  const navigates = parts.length > 0;
  return { edit: { from, to, text }, last, plain, navigates, ...(final?.kind === 'name' && !compared ? { name: final.text } : {}) };
}

/** A `::type` (or, inside CAST(... AS type), `AS type`) after token j: the type's text and last token. */
function castAfter(t: Tokens, j: number, as = false): { readonly type: string; readonly last: number } | undefined {
  if (!(as ? t.word(j + 1) === 'AS' : t.is(j + 1, '::'))) return undefined;
  const w = t.word(j + 2);
  if (!CAST_TYPES.has(w)) return undefined;
  let last = j + 2;
  if ((w === 'DOUBLE' && t.word(last + 1) === 'PRECISION') || ((w === 'CHARACTER' || w === 'CHAR') && t.word(last + 1) === 'VARYING'))
    last++;
  if ((w === 'TIMESTAMP' && t.word(last + 1) === 'WITH') || t.word(last + 1) === 'WITHOUT') last += 3;
  if (t.is(last + 1, '(')) last = t.close(last + 1, '(', ')');
  return { type: t.sql.slice(t.start(j + 2), t.end(last)), last };
}

/** A comparison operator starting at token k (two op tokens for <=, >=, <>, !=). */
function comparison(t: Tokens, k: number): { readonly text: string; readonly next: number } | undefined {
  const a = t.sig[k];
  if (a?.kind !== 'op' || !['=', '<', '>', '!'].includes(a.text)) return undefined;
  const b = t.sig[k + 1];
  if (b?.kind === 'op' && b.start === a.start + 1 && ['=', '>'].includes(b.text)) {
    const text = a.text + b.text;
    return ['<=', '>=', '<>', '!='].includes(text) ? { text, next: k + 2 } : undefined;
  }
  return a.text === '!' ? undefined : { text: a.text, next: k + 1 };
}

const CLAUSES = new Set(['SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'ON', 'SET', 'VALUES', 'QUALIFY', 'RETURNING']);

/** The clause each token is in, at its own parenthesis depth (SELECT for a select list). */
function clauses(t: Tokens): string[] {
  const stack: string[] = [''];
  return t.sig.map((_, k) => {
    if (t.is(k, '(')) {
      stack.push('');
      return stack.at(-2) ?? '';
    }
    if (t.is(k, ')')) {
      stack.pop();
      return stack.at(-1) ?? '';
    }
    const w = t.word(k);
    if (CLAUSES.has(w)) stack[stack.length - 1] = w;
    return stack.at(-1) ?? '';
  });
}

/** The index of a literal before a comparison operator that ends at token k, if there is one. */
function comparisonBefore(t: Tokens, k: number): number | undefined {
  const b = t.sig[k];
  if (b?.kind !== 'op') return undefined;
  const a = t.sig[k - 1];
  if (a?.kind === 'op' && a.start + 1 === b.start && comparison(t, k - 1)?.next === k + 1) return k - 2;
  return comparison(t, k)?.next === k + 1 ? k - 1 : undefined;
}

/**
 * SET / RESET enable_case_sensitive_super_attribute (https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_super_attribute.html,
 * default false): the session setting sparkify_super_attribute reads, which folds attribute names to
 * lower case unless it is on.
 */
export function superAttributeSetting(verb: string, value: string): string {
  const on = verb === 'SET' && ['TRUE', 'ON'].includes(value);
  return verb === 'RESET' || value === 'DEFAULT'
    ? 'RESET sparkify.enable_case_sensitive_super_attribute'
    : `SET sparkify.enable_case_sensitive_super_attribute TO '${on ? 'on' : 'off'}'`;
}
