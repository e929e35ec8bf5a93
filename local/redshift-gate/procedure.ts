import { sqlParser } from './parser';
import type { Json } from './node-rules';
import type { Finding } from './refusal';

// A procedure's $$ ... $$ body, read by PostgreSQL's own PL/pgSQL parser (libpg-query): each
// statement kind must be one Redshift documents, and each SQL statement and expression inside
// goes through the same gate, placed at its offset in the file so refusals keep the file's lines.
// https://docs.aws.amazon.com/redshift/latest/dg/c_PLpgSQL-statements.html (supported statements)
// https://docs.aws.amazon.com/redshift/latest/dg/c_PLpgSQL-structure.html (GET DIAGNOSTICS ... ROW_COUNT)
// https://docs.aws.amazon.com/redshift/latest/dg/stored-procedure-trapping-errors.html (only OTHERS)
// https://docs.aws.amazon.com/redshift/latest/dg/stored-procedure-constraints.html

const PAGE = 'https://docs.aws.amazon.com/redshift/latest/dg/c_PLpgSQL-statements.html';

/** Statement kinds Redshift's PL/pgSQL runs. */
const STATEMENTS = new Set([
  'block',
  'assign',
  'execsql',
  'dynexecute',
  'return',
  'if',
  'case',
  'loop',
  'while',
  'fori',
  'fors',
  'dynfors',
  'exit',
  'open',
  'fetch',
  'close',
  'raise',
  'commit',
  'rollback',
  'getdiag',
  'call',
]);

/** What Redshift offers instead of the PL/pgSQL statements it does not document. */
const REFUSED: Readonly<Record<string, { readonly construct: string; readonly instead: string }>> = {
  perform: { construct: 'PERFORM', instead: 'SELECT ... INTO a variable, or CALL for a procedure' },
  foreach_a: { construct: 'FOREACH ... IN ARRAY', instead: 'a FOR loop over a query' },
  assert: { construct: 'ASSERT', instead: "IF NOT condition THEN RAISE EXCEPTION '...'; END IF" },
  return_next: { construct: 'RETURN NEXT', instead: 'a refcursor OUT argument (stored-procedure-result-set.html)' },
  return_query: { construct: 'RETURN QUERY', instead: 'a refcursor OUT argument (stored-procedure-result-set.html)' },
};

// RAISE levels Redshift names: NOTICE, INFO, LOG, WARNING and EXCEPTION (PostgreSQL's elog levels).
const RAISE_LEVELS = new Set([15, 17, 18, 19, 21]);
const SIMPLE_VARIABLE = /^[A-Za-z_][A-Za-z0-9_$]*$/;
// https://docs.aws.amazon.com/redshift/latest/dg/stored-procedure-constraints.html: commands that need their own transaction.
const OWN_TRANSACTION = /^\s*(prepare|set\s+local)\b/i;

/** Runs the whole gate over a text of the file's length (placement keeps offsets). */
export type CheckText = (text: string) => Finding[];

/**
 * The findings in one CREATE PROCEDURE/FUNCTION ... LANGUAGE plpgsql statement, lying at bytes
 * [start, end) of the file's text, whose body (inside its dollar quotes) lies at [body.start, body.end).
 */
export function checkProcedureBody(
  text: string,
  statement: { readonly start: number; readonly end: number },
  body: { readonly start: number; readonly end: number },
  checkText: CheckText,
): Finding[] {
  const file = Buffer.from(text, 'utf8');
  const from = body.start;
  const to = body.end;
  let parsed: Json;
  try {
    parsed = sqlParser().parsePlPgSQLSync(file.subarray(statement.start, statement.end).toString('utf8')) as unknown as Json;
  } catch (error) {
    return [{ construct: `a PL/pgSQL body the parser cannot read (${(error as Error).message})`, at: from, syntax: true }];
  }
  const source = file.subarray(from, to);
  const lineStarts = [from];
  source.forEach((byte, k) => {
    if (byte === 0x0a) lineStarts.push(from + k + 1);
  });
  const lineStart = (lineno: number): number => lineStarts[Math.max(0, lineno - 1)] ?? from;
  /** The file offset of a text the body holds, searched from the start of its line. */
  const locate = (fragment: string, lineno: number): number => {
    const start = lineStart(lineno);
    const found = fragment ? source.indexOf(Buffer.from(fragment, 'utf8'), start - from) : -1;
    if (found >= 0) return from + found;
    const indent = /^[ \t]*/.exec(file.subarray(start, to).toString('utf8'))?.[0].length ?? 0;
    return start + indent;
  };
  /** Places a fragment at its offset in a blank text of the file's length, with a prefix just before it. */
  const placed = (fragment: string, at: number, prefix = '', suffix = ''): string => {
    const copy = Buffer.alloc(file.length, 0x20);
    const bytes = Buffer.byteLength(prefix);
    copy.write(prefix, Math.max(0, at - bytes), 'utf8');
    copy.write(fragment, at, 'utf8');
    if (suffix) copy.write(suffix, at + Buffer.byteLength(fragment), 'utf8');
    return copy.toString('utf8');
  };
  const findings: Finding[] = [];
  const refuse = (construct: string, at: number, instead?: string): void => {
    findings.push({ construct: `${construct} in a procedure body`, at, ...(instead ? { instead } : {}) });
  };

  const expression = (expr: Json | undefined, lineno: number): void => {
    const query = String(expr?.query ?? '');
    if (!query) return;
    const mode = Number(expr?.parseMode ?? 0);
    if (mode === 0) {
      const at = locate(query, lineno);
      if (OWN_TRANSACTION.test(query))
        refuse(
          query.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase(),
          at,
          'the command outside the procedure: it needs its own transaction',
        );
      findings.push(...checkText(placed(query, at)));
      return;
    }
    // CASE x WHEN v: PL/pgSQL rewrites the WHEN list as "__Case__Variable_n__" IN (v); the list is the source.
    const caseList = /^"__Case__Variable_\d+__" IN \(([\s\S]*)\)$/.exec(query)?.[1];
    // An assignment "target := expression" (or "="): only the expression is SQL.
    const assigned = mode >= 3 ? /^[\s\S]*?(?::=|=)\s*/.exec(query)?.[0].length : undefined;
    const value = caseList ?? (assigned !== undefined ? query.slice(assigned) : query);
    const at = locate(value, lineno);
    findings.push(...checkText(placed(value, at, 'SELECT ')));
  };

  const visit = (node: unknown, lineno: number): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, lineno);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (!value || typeof value !== 'object') continue;
      const body = value as Json;
      const here = typeof body.lineno === 'number' ? body.lineno : lineno;
      if (key.startsWith('PLpgSQL_stmt_')) {
        const kind = key.slice('PLpgSQL_stmt_'.length);
        const at = locate('', here);
        if (!STATEMENTS.has(kind)) {
          const known = REFUSED[kind];
          refuse(known?.construct ?? `the PL/pgSQL statement ${kind.toUpperCase()}`, at, known?.instead ?? `the statements of ${PAGE}`);
          continue;
        }
        checkStatement(kind, body, at);
      } else if (key === 'PLpgSQL_expr') {
        expression(body, here);
        continue;
      } else if (key === 'PLpgSQL_exception') {
        for (const condition of Array.isArray(body.conditions) ? (body.conditions as Json[]) : []) {
          const name = String((condition.PLpgSQL_condition as Json | undefined)?.condname ?? '');
          if (name === 'others') continue;
          // The handler has no line of its own: its condition is found by name, in any case.
          const found = source.toString('utf8').toLowerCase().indexOf(name);
          const at =
            found >= 0 ? from + Buffer.byteLength(source.toString('utf8').slice(0, found)) : locate('', firstLine(body.action) ?? here);
          refuse(`EXCEPTION WHEN ${name.toUpperCase()}`, at, 'EXCEPTION WHEN OTHERS, the only condition Redshift supports');
        }
      } else if (key === 'PLpgSQL_var' && typeof body.lineno === 'number') {
        declaredType(body);
      }
      visit(value, here);
    }
  };

  const checkStatement = (kind: string, body: Json, at: number): void => {
    if (kind === 'dynexecute' && Array.isArray(body.params))
      refuse('EXECUTE ... USING', at, 'EXECUTE command-string [ INTO target ], the values concatenated in with QUOTE_LITERAL');
    if (kind === 'raise') {
      const level = Number(body.elog_level);
      if (!RAISE_LEVELS.has(level))
        refuse('a RAISE level other than NOTICE, INFO, LOG, WARNING or EXCEPTION', at, 'RAISE NOTICE | INFO | LOG | WARNING | EXCEPTION');
      if (body.options) refuse('RAISE ... USING', at, "RAISE level 'format' [, variable [, ...]]");
      for (const param of Array.isArray(body.params) ? (body.params as Json[]) : []) {
        const query = String((param.PLpgSQL_expr as Json | undefined)?.query ?? '');
        if (!SIMPLE_VARIABLE.test(query.trim()))
          refuse(
            `the RAISE argument ${query}`,
            locate(query, Number(body.lineno)),
            'a simple variable (Redshift: "optional arguments must be simple variables, not expressions")',
          );
      }
    }
    if (kind === 'getdiag') {
      for (const item of Array.isArray(body.diag_items) ? (body.diag_items as Json[]) : []) {
        const what = String((item.PLpgSQL_diag_item as Json | undefined)?.kind ?? '');
        if (what !== 'ROW_COUNT') refuse(`GET DIAGNOSTICS ... ${what}`, at, 'GET DIAGNOSTICS integer_var := ROW_COUNT');
      }
      if (body.is_stacked) refuse('GET STACKED DIAGNOSTICS', at, 'SQLSTATE and SQLERRM in the exception handler');
    }
  };

  const declaredType = (variable: Json): void => {
    const name = String(variable.refname ?? '');
    const type = String(((variable.datatype as Json | undefined)?.PLpgSQL_type as Json | undefined)?.typname ?? '');
    // Loop counters, CASE and exception variables are PL/pgSQL's own; record and refcursor are documented types.
    if (!type || name.startsWith('__') || variable.isconst || ['record', 'refcursor', 'integer'].includes(type.toLowerCase())) return;
    const at = locate(type, Number(variable.lineno));
    if (file.subarray(at, at + Buffer.byteLength(type)).toString('utf8') !== type) return;
    findings.push(...checkText(placed(type, at, 'SELECT CAST(NULL AS ', ')')));
  };

  visit(parsed, 1);
  return findings;
}

function firstLine(node: unknown): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const own = (node as Json).lineno;
  if (typeof own === 'number') return own;
  for (const value of Object.values(node)) {
    const found = firstLine(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
