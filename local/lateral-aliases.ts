/**
 * Redshift's lateral column alias references, offline. PostgreSQL knows a select-list alias only as
 * an output name; Redshift also lets the SQL that follows use it:
 * - the SELECT list (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html): "The alias
 *   is recognized right after it is defined in the target list. You can use an alias in other
 *   expressions defined after it in the same target list." ... "When Amazon Redshift parses this type
 *   of reference, it just inlines the previously defined aliases. If there is a column with the same
 *   name defined in the FROM clause as the previously aliased expression, the column in the FROM
 *   clause takes priority."
 * - WHERE (https://docs.aws.amazon.com/redshift/latest/dg/r_WHERE_clause.html): "You can use aliases
 *   in the WHERE clause to reference select list expressions."
 * - HAVING (https://docs.aws.amazon.com/redshift/latest/dg/r_HAVING_clause.html): the page lists
 *   only ordinal numbers as what HAVING can't specify, and its example filters on an alias
 *   (`sum(pricepaid) as pp ... having pp > 800000`). (Its 2023 text still refused aliases there.)
 * So, as Redshift does, an unqualified name in those places that names an alias and no column of
 * the same SELECT's FROM clause is replaced by the alias's expression, in parentheses (an alias
 * defined from an earlier one carries that one's expression). GROUP BY and ORDER BY are left to
 * the engine: PostgreSQL already reads a bare output name there (r_ORDER_BY_clause.html lists
 * "Aliases that define select list entries"), and neither page documents an alias inside an
 * expression. Names compare as Redshift folds them: ASCII letters of standard and delimited
 * identifiers alike are lower case (https://docs.aws.amazon.com/redshift/latest/dg/r_names.html).
 *
 * The FROM clause's columns come from the engine's catalog when the statement runs (tables and
 * views), from the query itself otherwise (subqueries, WITH queries, joins, `*`). Where they cannot
 * be known (a function in FROM, an unknown table) the SQL is left as written, so the engine's own
 * error stands. Where Redshift's pages do not say which of two meanings wins, the statement is
 * refused (DialectError) rather than answered one way: an alias defined twice before its use, or an
 * alias that is also a column of an enclosing query.
 */

import { DialectError, type SqlOrigin } from './dialect-bridge';
import type { SqlEngine } from './engine';
import { loadSqlParser, parseStatements, scanTokens } from './redshift-gate/parser';
import { liftQuerySyntax } from './redshift-gate/query-syntax';
import { liftRedshiftStatements } from './redshift-gate/redshift-statements';
import { liftTableAttributes } from './redshift-gate/table-attributes';
import { TokenStream } from './redshift-gate/token-stream';
import { significantTokens, type Token } from '../lib/plan/sql-tokens';

type Json = Record<string, unknown>;

/** A table or view named in a FROM clause: schema '' is the search path's. */
export interface TableName {
  readonly schema: string;
  readonly name: string;
}

/** The columns of each table that exists, keyed by tableKey; a table left out is unknown. */
export type CatalogLookup = (tables: readonly TableName[]) => Promise<ReadonlyMap<string, readonly string[]>>;

export function tableKey(table: TableName): string {
  return `${table.schema}.${table.name}`;
}

/** Redshift's identifier folding (r_names.html): ASCII letters lower case, quoted or not. */
function fold(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Functions whose first argument is a bare date part or type name, not a column (r_DATEADD_function.html, r_DATEDIFF_function.html, r_DATE_PART_function.html, r_CONVERT_function.html). */
const WORD_ARGUMENT = new Set(['dateadd', 'datediff', 'date_part', 'convert']);

/** Words after which a name starts an expression rather than naming one (pre-check only). */
const STARTS_EXPRESSION = new Set([
  'select',
  'distinct',
  'all',
  'by',
  'from',
  'where',
  'and',
  'or',
  'not',
  'on',
  'when',
  'then',
  'else',
  'is',
  'in',
  'like',
  'between',
  'join',
  'case',
  'having',
  'set',
  'using',
  'over',
  'partition',
  'returning',
]);

/** Keywords that end a select-list entry (outside parentheses). */
const ENDS_TARGET = new Set([
  'qualify',
  'minus',
  'from',
  'into',
  'where',
  'group',
  'having',
  'window',
  'order',
  'limit',
  'offset',
  'fetch',
  'union',
  'intersect',
  'except',
  'for',
]);

/** The catalog of a live engine: pg_attribute of each table or view, resolved as the engine would (search path, or its schema). */
export function engineCatalog(engine: SqlEngine): CatalogLookup {
  return async (tables) => {
    const wanted = tables.map((table, ord) => ({ schema: table.schema, relname: table.name, ord }));
    const { rows } = await engine.query<{ ord: number; name: string }>(
      `SELECT t.ord, a.attname::text AS name
       FROM json_to_recordset($1::json) AS t(schema text, relname text, ord int)
       JOIN pg_catalog.pg_class c ON c.relname = t.relname AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
         AND CASE WHEN t.schema = '' THEN pg_catalog.pg_table_is_visible(c.oid)
                  ELSE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = t.schema) END
       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY t.ord, a.attnum`,
      [JSON.stringify(wanted)],
    );
    const columns = new Map<string, string[]>();
    for (const row of rows) {
      const table = tables[Number(row.ord)];
      if (!table) continue;
      const key = tableKey(table);
      columns.set(key, [...(columns.get(key) ?? []), row.name]);
    }
    return columns;
  };
}

/** resolveLateralAliases on a live engine's catalog: what the twin runs before the dialect bridge. */
export function inlineLateralAliases(engine: SqlEngine, sql: string, origin?: SqlOrigin): Promise<string> {
  return resolveLateralAliases(sql, engineCatalog(engine), origin);
}

/**
 * One Redshift statement with each lateral alias reference replaced by the alias's expression, as
 * Redshift reads it; still Redshift SQL (for toPostgres). The catalog is asked only when some
 * select-list alias is used by name somewhere in the statement.
 */
export async function resolveLateralAliases(sql: string, catalog: CatalogLookup, origin?: SqlOrigin): Promise<string> {
  if (!mayUseAnAlias(sql)) return sql;
  await loadSqlParser();
  // PostgreSQL's parser reads most statements as written; the lifts are for the rest (TOP, QUALIFY ...).
  let text = sql;
  let parsed = parseStatements(text);
  if ('error' in parsed) {
    text = liftedText(sql) ?? '';
    parsed = parseStatements(text);
    if ('error' in parsed) return sql;
  }
  const found = new Statement(text, sql, origin);
  for (const statement of parsed.statements) found.walk(statement.stmt, new Map(), undefined);
  if (!found.usesAnAlias()) return sql;
  const columns = await catalog(found.tables());
  return found.resolve(columns);
}

/**
 * The cheap pre-check, on the project's tokenizer (the parser's scanner costs milliseconds a
 * statement): false when no name that could be a select-list alias (a name after AS, or after the
 * end of an expression, and before a comma or the clause after the list) occurs a second time
 * unqualified. A load's statements mostly stop here.
 */
function mayUseAnAlias(sql: string): boolean {
  const tokens = significantTokens(sql);
  if (!tokens) return true;
  const named = (token: Token | undefined): string | undefined => {
    if (token?.kind === 'word') return fold(token.text);
    if (token?.kind === 'quoted' && token.text.startsWith('"')) return fold(token.text.slice(1, -1).replace(/""/g, '"'));
    return undefined;
  };
  const uses = new Map<string, number>();
  const candidates = new Set<string>();
  tokens.forEach((token, i) => {
    const name = named(token);
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (name === undefined || before?.text === '.' || after?.text === '.') return;
    uses.set(name, (uses.get(name) ?? 0) + 1);
    const next = after?.text.toLowerCase();
    const ends = next === undefined || next === ',' || next === ')' || next === ';' || ENDS_TARGET.has(next);
    const previous = before?.text.toLowerCase() ?? '';
    const follows =
      previous === 'as' ||
      previous === ')' ||
      previous === ']' ||
      before?.kind === 'string' ||
      before?.kind === 'number' ||
      (named(before) !== undefined && !STARTS_EXPRESSION.has(previous));
    if (ends && follows) candidates.add(name);
  });
  return [...candidates].some((name) => (uses.get(name) ?? 0) > 1);
}

/** The text PostgreSQL's parser reads: the gate's lifts blank Redshift-only syntax in place, so offsets hold. */
function liftedText(sql: string): string | undefined {
  try {
    const tokens = new TokenStream(sql);
    liftRedshiftStatements(tokens);
    liftTableAttributes(tokens);
    liftQuerySyntax(tokens);
    return tokens.toString();
  } catch {
    return undefined;
  }
}

interface Cte {
  readonly name: string;
  /** The WITH query as parsed ({SelectStmt: ...} or another statement). */
  readonly node: Json;
  /** Its SELECT, undefined for a data-modifying WITH query. */
  readonly query: Json | undefined;
  readonly colnames: readonly string[];
  readonly scope: CteScope;
}
type CteScope = ReadonlyMap<string, Cte>;

/** A FROM list and what surrounds it: a SELECT's, or an UPDATE's or DELETE's tables. */
interface Scope {
  readonly from: readonly Json[];
  readonly ctes: CteScope;
  readonly outer: Scope | undefined;
}

interface Block {
  readonly select: Json;
  readonly scope: Scope;
}

interface FromItem {
  readonly name: string | undefined;
  readonly columns: readonly string[];
}

interface Reference {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  /** The alias's expression, by byte range of the statement. */
  readonly from: number;
  readonly to: number;
}

class Statement {
  private readonly blocks: Block[] = [];
  private readonly names: TableName[] = [];
  private tokens: ReturnType<typeof scanTokens> = [];
  private readonly starts = new Map<number, number>();
  private readonly bytes: Buffer;
  private readonly lifted: Buffer;
  private catalog: ReadonlyMap<string, readonly string[]> = new Map();

  constructor(
    text: string,
    sql: string,
    private readonly origin: SqlOrigin | undefined,
  ) {
    this.lifted = Buffer.from(text, 'utf8');
    this.bytes = Buffer.from(sql, 'utf8');
  }

  /** Finds the SELECT blocks, the scopes around them and the tables they name. */
  walk(node: unknown, ctes: CteScope, outer: Scope | undefined): void {
    if (Array.isArray(node)) {
      for (const each of node) this.walk(each, ctes, outer);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [kind, value] of Object.entries(node as Json)) {
      const body = value as Json;
      if (kind === 'SelectStmt') this.select(body, ctes, outer);
      else if (kind === 'UpdateStmt' || kind === 'DeleteStmt') this.dml(body, ctes, outer);
      else if (kind === 'RangeVar') this.names.push({ schema: String(body.schemaname ?? ''), name: String(body.relname ?? '') });
      else this.walk(value, ctes, outer);
    }
  }

  /** The WITH queries a statement defines, each walked in the scope it sees. */
  private withCtes(body: Json, ctes: CteScope, outer: Scope | undefined): CteScope {
    const scope = cteScope(body, ctes);
    for (const [name, cte] of scope) if (ctes.get(name) !== cte) this.walk(cte.node, scope, outer);
    return scope;
  }

  private select(body: Json, ctes: CteScope, outer: Scope | undefined): void {
    const scoped = this.withCtes(body, ctes, outer);
    if (body.op !== undefined && body.op !== 'SETOP_NONE') {
      // UNION, INTERSECT, EXCEPT (and MINUS): each branch is a SELECT of its own.
      this.select(body.larg as Json, scoped, outer);
      this.select(body.rarg as Json, scoped, outer);
      this.walk(body.sortClause, scoped, outer);
      return;
    }
    const scope: Scope = { from: (body.fromClause as Json[] | undefined) ?? [], ctes: scoped, outer };
    if (body.targetList) this.blocks.push({ select: body, scope });
    for (const item of scope.from) this.fromItem(item, scoped, outer, scope);
    this.walk(without(body, 'withClause', 'fromClause'), scoped, scope);
  }

  /** A subquery in FROM sees the enclosing query's scope; a LATERAL one also its own FROM list. */
  private fromItem(item: Json, ctes: CteScope, outer: Scope | undefined, scope: Scope): void {
    const subquery = item.RangeSubselect as Json | undefined;
    const join = item.JoinExpr as Json | undefined;
    if (subquery) this.walk(subquery, ctes, subquery.lateral ? scope : outer);
    else if (join) {
      this.fromItem(join.larg as Json, ctes, outer, scope);
      this.fromItem(join.rarg as Json, ctes, outer, scope);
      this.walk(join.quals, ctes, scope);
    } else this.walk(item, ctes, scope);
  }

  private dml(body: Json, ctes: CteScope, outer: Scope | undefined): void {
    const scoped = this.withCtes(body, ctes, outer);
    const from = [{ RangeVar: body.relation }, ...((body.fromClause ?? body.usingClause ?? []) as Json[])];
    this.walk(from, scoped, outer);
    this.walk(without(body, 'withClause', 'relation', 'fromClause', 'usingClause'), scoped, { from, ctes: scoped, outer });
  }

  /** The second pre-check: some SELECT's list, WHERE or HAVING names one of its own aliases. */
  usesAnAlias(): boolean {
    return this.blocks.some(({ select }) => {
      const aliases = new Set(targets(select).flatMap((target) => (target.name === undefined ? [] : [fold(String(target.name))])));
      let used = false;
      const visit = (ref: { name: string }): void => {
        used ||= aliases.has(fold(ref.name));
      };
      if (aliases.size > 0)
        for (const part of [select.targetList, select.whereClause, select.havingClause]) visitReferences(part, visit, true);
      return used;
    });
  }

  tables(): TableName[] {
    const unique = new Map(this.names.map((name) => [tableKey(name), name]));
    return [...unique.values()];
  }

  resolve(catalog: ReadonlyMap<string, readonly string[]>): string {
    this.catalog = catalog;
    this.tokens = scanTokens(this.lifted.toString('utf8'));
    this.tokens.forEach((token, i) => this.starts.set(token.start, i));
    const edits: Edit[] = [];
    for (const block of this.blocks) edits.push(...this.blockEdits(block));
    if (edits.length === 0) return this.bytes.toString('utf8');
    edits.sort((a, b) => a.start - b.start);
    return this.render(edits, 0, this.bytes.length);
  }

  private blockEdits({ select, scope }: Block): Edit[] {
    const from = this.fromColumns(scope.from, scope.ctes);
    if (!from) return [];
    const own = new Set(from.flatMap((item) => item.columns.map(fold)));
    const list = targets(select);
    const edits: Edit[] = [];
    const inline = (ref: Reference, defined: readonly Json[]): void => {
      const name = fold(ref.name);
      if (own.has(name)) return; // r_SELECT_list.html: the FROM clause's column takes priority.
      const aliases = defined.filter((target) => target.name !== undefined && fold(String(target.name)) === name);
      if (aliases.length === 0) return;
      if (aliases.length > 1) {
        this.refuse(ref, `${ref.name} names ${aliases.length} select-list aliases`, 'give each alias its own name');
      }
      if (this.shadowed(name, scope.outer, ref)) return;
      const range = this.expression(aliases[0] as Json);
      if (range) edits.push({ start: ref.start, end: ref.end, from: range.start, to: range.end });
    };
    list.forEach((target, i) => {
      visitReferences(target.val, (ref) => inline(this.placed(ref), list.slice(0, i)), true);
    });
    visitReferences(select.whereClause, (ref) => inline(this.placed(ref), list), true);
    visitReferences(select.havingClause, (ref) => inline(this.placed(ref), list), true);
    return edits.filter((edit) => edit.end > edit.start);
  }

  /** True (leave it) when an enclosing query's columns cannot be known; refuses when one of them has the name. */
  private shadowed(name: string, outer: Scope | undefined, ref: Reference): boolean {
    for (let scope = outer; scope; scope = scope.outer) {
      const from = this.fromColumns(scope.from, scope.ctes);
      if (!from) return true;
      if (from.some((item) => item.columns.some((column) => fold(column) === name))) {
        this.refuse(
          ref,
          `${ref.name} is both a select-list alias and a column of an enclosing query`,
          'qualify the column (table.column) or rename the alias: Redshift documents only that a column of the same FROM clause takes priority over an alias (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html)',
        );
      }
    }
    return false;
  }

  private refuse(ref: Reference, construct: string, advice: string): never {
    const line = (this.origin?.line ?? 1) + (this.bytes.subarray(0, ref.start).toString('utf8').match(/\n/g)?.length ?? 0);
    throw new DialectError(this.origin?.file ?? '<sql>', line, construct, advice);
  }

  /** A reference's byte range: the identifier token at its location (quotes included). */
  private placed(ref: { name: string; location: number }): Reference {
    const i = this.starts.get(ref.location);
    const token = i === undefined ? undefined : this.tokens[i];
    return { name: ref.name, start: ref.location, end: token ? token.end : ref.location };
  }

  /** The byte range of a named select-list entry's expression: from its start to before `[AS] alias`. */
  private expression(target: Json): { start: number; end: number } | undefined {
    const first = this.starts.get(Number(target.location));
    if (first === undefined) return undefined;
    let depth = 0;
    let j = first;
    for (; j < this.tokens.length; j++) {
      const token = this.tokens[j];
      if (!token) break;
      const word = this.lifted.subarray(token.start, token.end).toString('utf8').toLowerCase();
      if (word === '(' || word === '[') depth++;
      else if (word === ')' || word === ']') {
        if (depth-- === 0) break;
      } else if (depth === 0 && (word === ',' || word === ';')) break;
      else if (depth === 0 && token.keywordKind !== 0 && ENDS_TARGET.has(word) && !this.insideExpression(j, word)) break;
    }
    const alias = this.tokens[j - 1];
    if (!alias || j - 1 <= first || fold(this.identifier(alias)) !== fold(String(target.name))) return undefined;
    const before = this.tokens[j - 2];
    const as = before && before.keywordKind !== 0 && this.identifier(before).toLowerCase() === 'as';
    const last = this.tokens[as ? j - 3 : j - 2];
    if (!last || last.end <= Number(target.location)) return undefined;
    return { start: this.approximate(Number(target.location)), end: last.end };
  }

  /** `IS [NOT] DISTINCT FROM` and `WITHIN GROUP`: an expression's words, not the clauses after the list. */
  private insideExpression(j: number, word: string): boolean {
    const previous = this.tokens[j - 1];
    const before = previous === undefined ? '' : this.identifier(previous).toLowerCase();
    return (word === 'from' && before === 'distinct') || (word === 'group' && before === 'within');
  }

  /** An expression's start in the statement as written: APPROXIMATE, blanked for the parser, is part of it (r_COUNT.html). */
  private approximate(start: number): number {
    const before = this.bytes.subarray(0, start).toString('utf8');
    const word = /approximate\s+$/i.exec(before);
    return word &&
      this.lifted
        .subarray(start - Buffer.byteLength(word[0]), start)
        .toString('utf8')
        .trim() === ''
      ? start - Buffer.byteLength(word[0])
      : start;
  }

  private identifier(token: { start: number; end: number }): string {
    const text = this.lifted.subarray(token.start, token.end).toString('utf8');
    return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
  }

  private render(edits: readonly Edit[], start: number, end: number): string {
    let out = '';
    let at = start;
    for (const edit of edits) {
      if (edit.start < at || edit.end > end) continue;
      out += this.bytes.subarray(at, edit.start).toString('utf8');
      out += `(${this.render(edits, edit.from, edit.to)})`;
      at = edit.end;
    }
    return out + this.bytes.subarray(at, end).toString('utf8');
  }

  /** The columns a FROM list provides, item by item; undefined when any cannot be known. */
  private fromColumns(from: readonly Json[], ctes: CteScope, seen: ReadonlySet<Json> = new Set()): FromItem[] | undefined {
    const items: FromItem[] = [];
    for (const node of from) {
      const item = this.fromItemColumns(node, ctes, seen);
      if (!item) return undefined;
      items.push(...item);
    }
    return items;
  }

  private fromItemColumns(node: Json, ctes: CteScope, seen: ReadonlySet<Json>): FromItem[] | undefined {
    const table = node.RangeVar as Json | undefined;
    const subquery = node.RangeSubselect as Json | undefined;
    const join = node.JoinExpr as Json | undefined;
    if (table) {
      const name = String(table.relname);
      const cte = table.schemaname === undefined ? ctes.get(name) : undefined;
      let columns: readonly string[] | undefined;
      if (cte) {
        if (!cte.query || seen.has(cte.query)) return undefined;
        columns = cte.colnames.length > 0 ? cte.colnames : this.outputNames(cte.query, cte.scope, new Set([...seen, cte.query]));
      } else columns = this.catalog.get(tableKey({ schema: String(table.schemaname ?? ''), name }));
      return columns && [renamed(table.alias as Json | undefined, name, columns)];
    }
    if (subquery) {
      const select = (subquery.subquery as Json).SelectStmt as Json;
      const columns = this.outputNames(select, ctes, seen);
      return columns && [renamed(subquery.alias as Json | undefined, undefined, columns)];
    }
    if (join) {
      const left = this.fromItemColumns(join.larg as Json, ctes, seen);
      const right = this.fromItemColumns(join.rarg as Json, ctes, seen);
      if (!left || !right) return undefined;
      const both = [...left, ...right];
      const alias = join.alias as Json | undefined;
      return alias
        ? [
            renamed(
              alias,
              undefined,
              both.flatMap((item) => item.columns),
            ),
          ]
        : both;
    }
    return undefined; // a function, VALUES list or other row source in FROM: its columns are not known here
  }

  /** A query's output column names, as PostgreSQL names them (the alias, or the column or function name). */
  private outputNames(select: Json, ctes: CteScope, seen: ReadonlySet<Json>): readonly string[] | undefined {
    const scoped = cteScope(select, ctes);
    if (select.op !== undefined && select.op !== 'SETOP_NONE') return this.outputNames(select.larg as Json, scoped, seen);
    const values = select.valuesLists as Json[] | undefined;
    if (values) return ((values[0]?.List as Json | undefined)?.items as Json[] | undefined)?.map((_, i) => `column${i + 1}`);
    const names: string[] = [];
    for (const target of targets(select)) {
      if (target.name !== undefined) {
        names.push(String(target.name));
        continue;
      }
      const star = starOf(target.val as Json | undefined);
      if (star === undefined) {
        names.push(figureName(target.val as Json | undefined));
        continue;
      }
      const from = this.fromColumns((select.fromClause as Json[] | undefined) ?? [], scoped, seen);
      if (!from) return undefined;
      const items = star === '' ? from : from.filter((item) => item.name === star);
      if (items.length === 0) return undefined;
      names.push(...items.flatMap((item) => item.columns));
    }
    return names;
  }
}

/** The WITH queries visible in a statement: each sees those before it, a RECURSIVE one itself too. */
function cteScope(body: Json, ctes: CteScope): CteScope {
  const clause = body.withClause as Json | undefined;
  if (!clause) return ctes;
  const scope = new Map(ctes);
  for (const item of (clause.ctes as Json[] | undefined) ?? []) {
    const cte = item.CommonTableExpr as Json | undefined;
    if (!cte) continue;
    const name = String(cte.ctename);
    const node = cte.ctequery as Json;
    const colnames = ((cte.aliascolnames as Json[] | undefined) ?? []).map((each) => String((each.String as Json).sval));
    const before = new Map(scope);
    scope.set(name, { name, node, query: node.SelectStmt as Json | undefined, colnames, scope: clause.recursive ? scope : before });
  }
  return scope;
}

/** A node's fields but the named ones. */
function without(body: Json, ...keys: string[]): Json {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
}

/** The ResTargets of a SELECT's list. */
function targets(select: Json): Json[] {
  return ((select.targetList as Json[] | undefined) ?? []).map((entry) => entry.ResTarget as Json).filter(Boolean);
}

/** A FROM item's name and columns after `AS alias (a, b, ...)`, which renames the first columns. */
function renamed(alias: Json | undefined, name: string | undefined, columns: readonly string[]): FromItem {
  const colnames = ((alias?.colnames as Json[] | undefined) ?? []).map((each) => String((each.String as Json).sval));
  return { name: alias ? String(alias.aliasname) : name, columns: columns.map((column, i) => colnames[i] ?? column) };
}

/** '' for `*`, the table name for `t.*`, undefined for anything else. */
function starOf(value: Json | undefined): string | undefined {
  const ref = value?.ColumnRef as Json | undefined;
  const fields = (ref?.fields as Json[] | undefined) ?? [];
  if (!fields.at(-1)?.A_Star) return undefined;
  return fields.length === 1 ? '' : String((fields.at(-2)?.String as Json | undefined)?.sval ?? '');
}

/** PostgreSQL's name for an unaliased output column (FigureColname), for the cases a lateral alias can meet. */
function figureName(value: Json | undefined): string {
  const ref = value?.ColumnRef as Json | undefined;
  if (ref) return String(((ref.fields as Json[]).at(-1)?.String as Json | undefined)?.sval ?? '?column?');
  const call = value?.FuncCall as Json | undefined;
  if (call) return String(((call.funcname as Json[]).at(-1)?.String as Json | undefined)?.sval ?? '?column?');
  const cast = value?.TypeCast as Json | undefined;
  if (cast) {
    const inner = figureName(cast.arg as Json);
    if (inner !== '?column?') return inner;
    const names = ((cast.typeName as Json).names as Json[] | undefined) ?? [];
    return String((names.at(-1)?.String as Json | undefined)?.sval ?? '?column?');
  }
  if (value?.CaseExpr) return 'case';
  if (value?.CoalesceExpr) return 'coalesce';
  return '?column?';
}

/**
 * Each unqualified column reference in a tree, nested queries left out (they are blocks of their
 * own) unless `all`; the bare first argument of DATEADD, DATEDIFF, DATE_PART and CONVERT is a
 * date part or type, not a column.
 */
function visitReferences(node: unknown, visit: (ref: { name: string; location: number }) => void, ownOnly: boolean): void {
  if (Array.isArray(node)) {
    for (const each of node) visitReferences(each, visit, ownOnly);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [kind, value] of Object.entries(node as Json)) {
    const body = value as Json;
    if (kind === 'SelectStmt' && ownOnly) continue;
    if (kind === 'ColumnRef') {
      const fields = (body.fields as Json[] | undefined) ?? [];
      const only = fields.length === 1 ? (fields[0]?.String as Json | undefined) : undefined;
      if (only) visit({ name: String(only.sval), location: Number(body.location) });
      continue;
    }
    if (kind === 'FuncCall') {
      const name = String(((body.funcname as Json[]).at(-1)?.String as Json | undefined)?.sval ?? '').toLowerCase();
      const args = (body.args as Json[] | undefined) ?? [];
      const skipFirst = WORD_ARGUMENT.has(name) && args[0]?.ColumnRef !== undefined;
      visitReferences(skipFirst ? args.slice(1) : args, visit, ownOnly);
      visitReferences(without(body, 'args'), visit, ownOnly);
      continue;
    }
    visitReferences(value, visit, ownOnly);
  }
}
