import { INSTEAD } from './alternatives';
import { MAX_BYTES, REDSHIFT_TYPES } from './data-types';
import {
  LEADER_NODE_ANSWER_ONLY,
  LEADER_NODE_ONLY,
  NOT_RUN_OFFLINE,
  OFFLINE_FUNCTION_PREFIXES,
  REDSHIFT_FUNCTIONS,
  WITHIN_GROUP_FUNCTIONS,
} from './functions';
import type { Finding } from './refusal';

export type Json = Readonly<Record<string, unknown>>;

/** Where a node is: its own location, its parent field (VALUES is allowed only as INSERT's source). */
export interface NodePlace {
  readonly at: number;
  readonly field: string | undefined;
  /** The statement reads a table of its own (leader-node-only functions fail there). */
  readonly userTables?: boolean;
}

type Rule = (body: Json, place: NodePlace) => Finding[];

const str = (node: unknown): string => String(((node as Json | undefined)?.String as Json | undefined)?.sval ?? '');
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const refuse = (construct: string, at: number, instead?: string): Finding => ({ construct, at, ...(instead ? { instead } : {}) });

/** The first location anywhere under a node, for nodes that have none of their own. */
export function firstLocation(node: unknown): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const own = (node as Json).location;
  if (typeof own === 'number' && own >= 0) return own;
  for (const value of Object.values(node)) {
    const found = firstLocation(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

// Window frames: Redshift documents ROWS frames only, no EXCLUDE. https://docs.aws.amazon.com/redshift/latest/dg/r_Window_function_synopsis.html
const FRAME_NONDEFAULT = 0x1;
const FRAME_RANGE_OR_GROUPS = 0x2 | 0x8;
const FRAME_EXCLUDE = 0x8000 | 0x10000 | 0x20000;
// https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html (CURRENT_TIMESTAMP, NOW ... are leader-node only, deprecated)
const SQL_VALUE_FUNCTIONS = new Set([
  'SVFOP_CURRENT_DATE',
  'SVFOP_CURRENT_USER',
  'SVFOP_SESSION_USER',
  'SVFOP_USER',
  'SVFOP_CURRENT_ROLE',
  'SVFOP_CURRENT_SCHEMA',
]);
// https://docs.aws.amazon.com/redshift/latest/dg/r_expression_operators.html, r_comparison_condition.html, pattern-matching-conditions-posix.html
const OPERATORS = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '|/',
  '||/',
  '@',
  '&',
  '|',
  '#',
  '~',
  '<<',
  '>>',
  '||',
  '~*',
  '!~',
  '!~*',
]);
const A_EXPR_KINDS = new Set([
  'AEXPR_OP',
  'AEXPR_IN',
  'AEXPR_LIKE',
  'AEXPR_ILIKE',
  'AEXPR_SIMILAR',
  'AEXPR_BETWEEN',
  'AEXPR_NOT_BETWEEN',
  'AEXPR_NULLIF',
]);
const SUBLINKS = new Set(['EXISTS_SUBLINK', 'ALL_SUBLINK', 'ANY_SUBLINK', 'EXPR_SUBLINK']);
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html (column and table constraints; CHECK is not among them)
const CONSTRAINTS = new Set([
  'CONSTR_NULL',
  'CONSTR_NOTNULL',
  'CONSTR_DEFAULT',
  'CONSTR_IDENTITY',
  'CONSTR_PRIMARY',
  'CONSTR_UNIQUE',
  'CONSTR_FOREIGN',
]);
// https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
const ALTER_TABLE = new Set([
  'AT_AddColumn',
  'AT_DropColumn',
  'AT_AddConstraint',
  'AT_DropConstraint',
  'AT_ChangeOwner',
  'AT_AlterColumnType',
]);
// https://docs.aws.amazon.com/redshift/latest/dg/r_DROP_TABLE.html and the other DROP pages
const DROPPABLE = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SCHEMA', 'OBJECT_FUNCTION', 'OBJECT_PROCEDURE']);
// https://docs.aws.amazon.com/redshift/latest/dg/r_BEGIN.html, r_COMMIT.html, r_ROLLBACK.html, r_END.html (no savepoints)
const TRANSACTION = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK']);

function functionName(body: Json): { readonly name: string; readonly schema: string | undefined } {
  const names = list(body.funcname).map(str);
  return { name: (names.at(-1) ?? '').toLowerCase(), schema: names.length > 1 ? names[0] : undefined };
}

const RULES: Readonly<Record<string, Rule>> = {
  FuncCall(body, { at, userTables }) {
    const { name, schema } = functionName(body);
    const shown = `${name.toUpperCase()}()`;
    const found: Finding[] = [];
    const offline = OFFLINE_FUNCTION_PREFIXES.find(({ prefix }) => name.startsWith(prefix));
    if (offline) return [{ construct: name.toUpperCase(), at, kind: 'not run offline', instead: `${offline.what}; run it on the cluster` }];
    const notRun = NOT_RUN_OFFLINE.get(name);
    if (notRun) return [{ construct: name.toUpperCase(), at, kind: 'not run offline', instead: notRun }];
    const leaderOnly = LEADER_NODE_ANSWER_ONLY.get(name);
    if (leaderOnly && userTables)
      return [{ construct: `${name.toUpperCase()} in a statement that reads a table`, at, kind: 'not run offline', instead: leaderOnly }];
    // User-defined functions are named f_... (https://docs.aws.amazon.com/redshift/latest/dg/udf-naming-udfs.html).
    const known = REDSHIFT_FUNCTIONS.has(name) || (schema !== 'pg_catalog' && name.startsWith('f_'));
    if (!known) found.push(refuse(`the function ${shown}`, at, INSTEAD[name]));
    if (LEADER_NODE_ONLY.has(name) && userTables)
      found.push(refuse(`the leader-node-only function ${shown} in a statement that reads a table`, at, INSTEAD['leader node']));
    if (body.agg_filter) found.push(refuse(`FILTER (WHERE ...) on ${shown}`, firstLocation(body.agg_filter) ?? at, INSTEAD.FILTER));
    if (body.agg_within_group && !WITHIN_GROUP_FUNCTIONS.has(name)) found.push(refuse(`WITHIN GROUP on ${shown}`, at));
    if (body.agg_order && !body.agg_within_group) found.push(refuse(`ORDER BY inside ${shown}`, at, INSTEAD['aggregate ORDER BY']));
    if (body.func_variadic) found.push(refuse(`VARIADIC in ${shown}`, at));
    return found;
  },
  WindowDef(body, { at }) {
    const found: Finding[] = [];
    for (const sort of list(body.orderClause)) {
      const by = sort.SortBy as Json | undefined;
      if (by && by.sortby_nulls !== undefined && by.sortby_nulls !== 'SORTBY_NULLS_DEFAULT') {
        found.push(refuse('NULLS FIRST/LAST in a window ORDER BY', firstLocation(by.node) ?? at, INSTEAD['window NULLS']));
      }
    }
    const frame = typeof body.frameOptions === 'number' ? body.frameOptions : 0;
    if (frame & FRAME_NONDEFAULT && frame & FRAME_RANGE_OR_GROUPS)
      found.push(refuse('a RANGE or GROUPS window frame', at, INSTEAD['window frame']));
    if (frame & FRAME_EXCLUDE) found.push(refuse('EXCLUDE in a window frame', at, INSTEAD['window frame']));
    return found;
  },
  TypeName(body, { at }) {
    const names = list(body.names).map(str);
    const name = (names.at(-1) ?? '').toLowerCase();
    const found: Finding[] = [];
    // "char" (quoted, one byte, PostgreSQL-internal) parses to an unqualified char; CHAR(n) to pg_catalog.bpchar.
    const internalChar = name === 'char' && names.length === 1;
    if (!REDSHIFT_TYPES.has(name) || internalChar || body.pct_type || body.setof) {
      found.push(refuse(`the data type ${internalChar ? '"char"' : name.toUpperCase()}`, at, INSTEAD[name]));
    }
    if (body.arrayBounds) found.push(refuse(`an array type (${name.toUpperCase()}[])`, at, INSTEAD.array));
    const max = MAX_BYTES[name];
    const length = ((list(body.typmods)[0]?.A_Const as Json | undefined)?.ival as Json | undefined)?.ival;
    if (max !== undefined && typeof length === 'number' && length > max) {
      const shown = name === 'bpchar' ? 'CHAR' : name.toUpperCase();
      found.push(
        refuse(
          `${shown}(${length}), wider than Redshift's ${max} bytes`,
          firstLocation(body.typmods) ?? at,
          `${shown}(${max}) or ${shown}(MAX)${name.endsWith('varchar') ? ', or SUPER' : ''}`,
        ),
      );
    }
    return found;
  },
  SelectStmt(body, { at, field }) {
    const found: Finding[] = [];
    const distinct = list(body.distinctClause);
    if (distinct.some((node) => Object.keys(node).length > 0))
      found.push(refuse('SELECT DISTINCT ON', firstLocation(distinct) ?? at, INSTEAD['DISTINCT ON']));
    if (body.valuesLists && field !== 'selectStmt')
      found.push(refuse('a VALUES list used as a table', firstLocation(body.valuesLists) ?? at, INSTEAD['VALUES table']));
    if (body.lockingClause) found.push(refuse('FOR UPDATE / FOR SHARE', at));
    if (body.windowClause)
      found.push(refuse('a WINDOW clause', firstLocation(body.windowClause) ?? at, 'the window spelled out in each OVER (...)'));
    if (body.limitOption === 'LIMIT_OPTION_WITH_TIES') found.push(refuse('FETCH ... WITH TIES', at));
    // https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html: "INTERSECT ALL, EXCEPT ALL, and MINUS ALL aren't supported."
    if (body.all && (body.op === 'SETOP_EXCEPT' || body.op === 'SETOP_INTERSECT'))
      found.push(
        refuse(
          `${String(body.op).replace(/^SETOP_/, '')} ALL`,
          firstLocation(body.rarg) ?? at,
          `${String(body.op).replace(/^SETOP_/, '')} without ALL`,
        ),
      );
    return found;
  },
  InsertStmt: dml,
  UpdateStmt: dml,
  DeleteStmt: dml,
  MergeStmt: dml,
  RangeSubselect(body, { at }) {
    return body.lateral ? [refuse('LATERAL', at, INSTEAD.LATERAL)] : [];
  },
  A_Expr(body, { at }) {
    const kind = String(body.kind);
    const operator = list(body.name).map(str).at(-1) ?? '';
    if (kind === 'AEXPR_DISTINCT' || kind === 'AEXPR_NOT_DISTINCT')
      return [refuse('IS [NOT] DISTINCT FROM', at, INSTEAD['IS DISTINCT FROM'])];
    if (kind === 'AEXPR_OP_ANY' || kind === 'AEXPR_OP_ALL')
      return [refuse(`${operator} ANY/ALL over an array`, at, 'IN (...) or a subquery')];
    if (!A_EXPR_KINDS.has(kind)) return [refuse(`the expression ${kind}`, at)];
    if (kind === 'AEXPR_OP' && !OPERATORS.has(operator)) return [refuse(`the operator ${operator}`, at)];
    return [];
  },
  SubLink(body, { at }) {
    return SUBLINKS.has(String(body.subLinkType)) ? [] : [refuse(`the subquery form ${String(body.subLinkType)}`, at, INSTEAD.A_ArrayExpr)];
  },
  SQLValueFunction(body, { at }) {
    const op = String(body.op);
    if (SQL_VALUE_FUNCTIONS.has(op)) return [];
    const name = op
      .replace(/^SVFOP_/, '')
      .replace(/_N$/, '')
      .toLowerCase();
    return [refuse(name.toUpperCase(), at, INSTEAD[name] ?? 'GETDATE() or SYSDATE')];
  },
  Constraint(body, { at }) {
    const type = String(body.contype);
    if (!CONSTRAINTS.has(type))
      return [refuse(`the constraint ${type.replace(/^CONSTR_/, '')}`, at, 'no such constraint: Redshift enforces only NOT NULL')];
    if (type === 'CONSTR_IDENTITY' && body.generated_when === 'a')
      return [refuse('GENERATED ALWAYS AS IDENTITY', at, 'GENERATED BY DEFAULT AS IDENTITY or IDENTITY(seed, step)')];
    return [];
  },
  CreateStmt(body, { at }) {
    const found: Finding[] = [];
    if (body.partspec) found.push(refuse('PARTITION BY', at));
    if (body.inhRelations) found.push(refuse('INHERITS', at));
    if (body.tablespacename) found.push(refuse('TABLESPACE', at));
    if (body.options) found.push(refuse('WITH (storage parameters)', at));
    if ((body.relation as Json | undefined)?.relpersistence === 'u') found.push(refuse('UNLOGGED', at));
    return found;
  },
  AlterTableCmd(body, { at }) {
    const subtype = String(body.subtype);
    if (subtype === 'AT_AddColumn' && body.missing_ok) return [refuse('ADD COLUMN IF NOT EXISTS', at, INSTEAD['ADD COLUMN IF NOT EXISTS'])];
    // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html: "This clause only supports altering the size of a VARCHAR data type."
    if (subtype === 'AT_AlterColumnType') {
      const type = list((((body.def as Json | undefined)?.ColumnDef as Json | undefined)?.typeName as Json | undefined)?.names)
        .map(str)
        .at(-1);
      if (type !== 'varchar')
        return [
          refuse(
            `ALTER COLUMN ... TYPE ${(type === 'bpchar' ? 'char' : (type ?? '')).toUpperCase()}`,
            at,
            'ALTER COLUMN ... TYPE VARCHAR(n), only to change a VARCHAR size',
          ),
        ];
    }
    return ALTER_TABLE.has(subtype) ? [] : [refuse(`ALTER TABLE ${subtype.replace(/^AT_/, '')}`, at)];
  },
  DropStmt(body, { at }) {
    const type = String(body.removeType);
    return DROPPABLE.has(type) ? [] : [refuse(`DROP ${type.replace(/^OBJECT_/, '')}`, at)];
  },
  TransactionStmt(body, { at }) {
    const kind = String(body.kind);
    return TRANSACTION.has(kind) ? [] : [refuse(kind.replace(/^TRANS_STMT_/, '').replace(/_/g, ' '), at, 'BEGIN, COMMIT, ROLLBACK or END')];
  },
  CreateFunctionStmt(body, { at }) {
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_FUNCTION.html, r_CREATE_PROCEDURE.html
    const language = list(body.options).find((option) => (option.DefElem as Json | undefined)?.defname === 'language');
    const value = str((language?.DefElem as Json | undefined)?.arg).toLowerCase();
    const allowed = body.is_procedure ? ['plpgsql'] : ['sql', 'plpythonu'];
    return allowed.includes(value)
      ? []
      : [
          refuse(
            `${body.is_procedure ? 'a procedure' : 'a function'} in LANGUAGE ${value || '(none)'}`,
            at,
            `LANGUAGE ${allowed.join(' or ')}`,
          ),
        ];
  },
};

function dml(body: Json, { at }: NodePlace): Finding[] {
  const found: Finding[] = [];
  const conflict = body.onConflictClause as Json | undefined;
  if (conflict)
    found.push(refuse('INSERT ... ON CONFLICT', typeof conflict.location === 'number' ? conflict.location : at, INSTEAD['ON CONFLICT']));
  const returning = (body.returningClause as Json | undefined)?.exprs ?? body.returningList;
  if (returning) found.push(refuse('RETURNING', firstLocation(returning) ?? at, INSTEAD.RETURNING));
  if (body.override && body.override !== 'OVERRIDING_NOT_SET') found.push(refuse('OVERRIDING ... VALUE', at));
  return found;
}

/** What Redshift refuses in one node of an allowed kind. */
export function checkNode(kind: string, body: Json, place: NodePlace): Finding[] {
  return RULES[kind]?.(body, place) ?? [];
}
