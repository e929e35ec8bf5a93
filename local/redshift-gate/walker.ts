import { INSTEAD } from './alternatives';
import { BARE_FIELDS, CONSTRUCT_NAMES, EXPRESSIONS, STATEMENTS } from './node-kinds';
import { NOT_RUN_OFFLINE, SYSTEM_WORDS_NOT_RUN_OFFLINE, TABLE_FUNCTIONS } from './functions';
import { checkNode, firstLocation, type Json } from './node-rules';
import type { Finding } from './refusal';

/**
 * Walks a statement's parse tree: a node of a kind not on the allowlist is refused (and not
 * walked into); an allowed one is checked by its rule, then its children.
 */
export function walkStatement(statement: Json, at: number): Finding[] {
  const findings: Finding[] = [];
  const userTables = readsUserTables(statement);
  const noTable = readsNoTable(statement);
  const visit = (value: unknown, field: string | undefined, here: number): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, field, here);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Json)) {
      if (!child || typeof child !== 'object') continue;
      if (/^[A-Z]/.test(key)) node(key, child as Json, field, here);
      else if (BARE_FIELDS[key] && !Array.isArray(child)) node(BARE_FIELDS[key], child as Json, key, here);
      else visit(child, key, here);
    }
  };
  const node = (kind: string, body: Json, field: string | undefined, here: number): void => {
    const location = typeof body.location === 'number' && body.location >= 0 ? body.location : (firstLocation(body) ?? here);
    const allowed = kind.endsWith('Stmt') ? STATEMENTS.has(kind) : EXPRESSIONS.has(kind);
    if (kind === 'RangeFunction' && tableFunction(body)) {
      // The call as any other; the column list's types as the pages write them (NAME among them).
      visit(body.functions, 'functions', location);
      for (const def of Array.isArray(body.coldeflist) ? (body.coldeflist as Json[]) : []) {
        const type = (def.ColumnDef as Json | undefined)?.typeName as Json | undefined;
        if (type && !isNameType(type)) node('TypeName', type, 'typeName', location);
      }
      return;
    }
    if (!allowed) {
      const fn = kind === 'RangeFunction' ? firstFunction(body)?.toLowerCase() : undefined;
      // A documented function the twin does not run is that, in FROM too (PG_GET_COLS(...) AS t).
      const notRun = fn === undefined ? undefined : NOT_RUN_OFFLINE.get(fn);
      if (fn && notRun) {
        findings.push({ construct: fn.toUpperCase(), at: location, kind: 'not run offline', instead: notRun });
        return;
      }
      const name = fn
        ? `${fn.toUpperCase()}() in FROM (a table function)`
        : (CONSTRUCT_NAMES[kind] ?? (kind.endsWith('Stmt') ? `the statement ${kind.replace(/Stmt$/, '')}` : kind));
      const instead = (fn && INSTEAD[fn]) || INSTEAD[kind];
      findings.push({ construct: name, at: kind.endsWith('Stmt') ? here : location, ...(instead ? { instead } : {}) });
      return;
    }
    const word = kind === 'ColumnRef' ? systemWord(body) : undefined;
    if (word && noTable) {
      findings.push({
        construct: word.toUpperCase(),
        at: location,
        kind: 'not run offline',
        instead: SYSTEM_WORDS_NOT_RUN_OFFLINE.get(word),
      });
      return;
    }
    findings.push(...checkNode(kind, body, { at: location, field, userTables }));
    visit(body, undefined, location);
  };
  visit(statement, undefined, at);
  return findings;
}

/**
 * A bare system word (SYSTEM_WORDS_NOT_RUN_OFFLINE) PostgreSQL reads as a column. A column of that name
 * in a table the statement reads must still work, and the gate does not know a table's columns: so it
 * is refused only in a statement that reads nothing (no table, subquery, function or CTE).
 */
function systemWord(body: Json): string | undefined {
  const fields = Array.isArray(body.fields) ? (body.fields as Json[]) : [];
  const name = String((fields[0]?.String as Json | undefined)?.sval ?? '').toLowerCase();
  return fields.length === 1 && SYSTEM_WORDS_NOT_RUN_OFFLINE.has(name) ? name : undefined;
}

/** Whether a statement reads nothing at all: no FROM item anywhere (a table, a subquery, a function, a CTE). */
function readsNoTable(statement: unknown): boolean {
  const reads = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return false;
    if (Array.isArray(node)) return node.some(reads);
    return Object.entries(node as Json).some(
      ([key, value]) =>
        (['RangeVar', 'RangeSubselect', 'RangeFunction', 'RangeTableFunc', 'withClause', 'fromClause'].includes(key) &&
          !!value &&
          (!Array.isArray(value) || value.length > 0)) ||
        reads(value),
    );
  };
  return !reads(statement);
}

/**
 * A documented table function (TABLE_FUNCTIONS) read in FROM as its page reads it: one call and a
 * column definition list, not LATERAL, ROWS FROM or WITH ORDINALITY.
 */
function tableFunction(body: Json): boolean {
  const fn = firstFunction(body)?.toLowerCase();
  const functions = Array.isArray(body.functions) ? body.functions : [];
  return (
    fn !== undefined &&
    TABLE_FUNCTIONS.has(fn) &&
    functions.length === 1 &&
    Array.isArray(body.coldeflist) &&
    !body.lateral &&
    !body.ordinality &&
    !body.is_rowsfrom
  );
}

/** NAME, the catalog's identifier type, as the pages' column lists give view_schema, view_name and col_name. */
function isNameType(type: Json): boolean {
  const names = Array.isArray(type.names) ? (type.names as Json[]) : [];
  const name = String((names[0]?.String as Json | undefined)?.sval ?? '');
  return names.length === 1 && name.toLowerCase() === 'name' && !type.arrayBounds && !type.typmods;
}

/** The name of the first function called under a node (a table function in FROM). */
function firstFunction(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const call = (node as Json).FuncCall as Json | undefined;
  const names = call?.funcname;
  if (Array.isArray(names)) return String(((names.at(-1) as Json | undefined)?.String as Json | undefined)?.sval ?? '');
  for (const value of Object.values(node)) {
    const found = firstFunction(value);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a statement reads a table of its own (not a PG_ catalog table, not a CTE): a
 * leader-node-only function there "will return an error"
 * (https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html).
 */
/** The tables and views a statement names (its CTEs left out). */
export function relationsNamed(statement: unknown): string[] {
  const tables: string[] = [];
  const ctes = new Set<string>();
  const collect = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(collect);
      return;
    }
    const body = node as Json;
    if (typeof body.ctename === 'string') ctes.add(body.ctename);
    if (typeof body.relname === 'string') tables.push(body.relname);
    Object.values(body).forEach(collect);
  };
  collect(statement);
  return tables.filter((name) => !ctes.has(name));
}

function readsUserTables(statement: unknown): boolean {
  // System tables and views (STL_, STV_, SVL_, SVV_, SYS_) are not checked: see docs/offline-twin.md, "Not covered yet".
  return relationsNamed(statement).some((name) => !/^(pg_|stl_|stv_|svl_|svv_|sys_)/i.test(name));
}
