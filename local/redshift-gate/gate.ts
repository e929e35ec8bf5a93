import { checkTableDesign } from './table-design';
import { liftCopyOptions } from './copy-options';
import { loadSqlParser, parseStatements, scanTokens, SqlScanError } from './parser';
import { statementFacts, type AlteredColumn, type WrittenColumns } from './plan-facts';
import { checkProcedureBody } from './procedure';
import { liftQuerySyntax } from './query-syntax';
import { liftRedshiftStatements, type AlterDesign } from './redshift-statements';
import { liftSuperSyntax } from './super-syntax';
import type { Finding, Refusal } from './refusal';
import { maskPlaceholders, positions } from './source-text';
import { liftTableAttributes, type TableDesign } from './table-attributes';
import { TokenStream } from './token-stream';
import type { Json } from './node-rules';
import { relationsNamed, walkStatement } from './walker';

/** Loads the parser the gate runs on; await it once before checkRedshiftSql. */
export const loadRedshiftGate = loadSqlParser;

/** What one text holds that only the whole plan can judge (offsets are UTF-8 bytes of the text). */
export interface SqlFacts {
  readonly tables: TableDesign[];
  readonly alters: AlterDesign[];
  readonly writes: WrittenColumns[];
  readonly alteredColumns: AlteredColumn[];
}

export interface Inspection {
  readonly refusals: Refusal[];
  readonly facts: SqlFacts;
  /** Line and column of a byte offset of the text. */
  readonly place: (at: number) => { readonly line: number; readonly column: number };
}

/**
 * Everything in a SQL text (a file of sql/, placeholders and all, or an analyst's query) that
 * Redshift does not document, each with its file, line and column: empty when Redshift runs it.
 * The Redshift-only syntax PostgreSQL cannot parse is lifted out first (and checked on its own),
 * then PostgreSQL 18's parser reads the rest and the walker accepts only the allowlisted nodes.
 */
export function checkRedshiftSql(sql: string, file: string): Refusal[] {
  return inspectRedshiftSql(sql, file).refusals;
}

/** The refusals of checkRedshiftSql, and the facts the plan gate checks across files. */
export function inspectRedshiftSql(sql: string, file: string): Inspection {
  const { text, names } = maskPlaceholders(sql);
  const facts: SqlFacts = { tables: [], alters: [], writes: [], alteredColumns: [] };
  const findings = checkText(text, names, facts);
  const place = positions(text);
  const refusals = findings.sort((a, b) => a.at - b.at).map(({ at, ...finding }): Refusal => ({ file, ...place(at), ...finding }));
  return { refusals, facts, place };
}

/** Statements that read or write rows: DDL and the rest run on the leader node alone. */
const ROW_STATEMENTS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt']);

/**
 * Whether a text runs a query on the compute nodes, which gives it a query id: "whenever a query
 * references user-created tables or system tables (tables with an STL or STV prefix and system views
 * with an SVL or SVV prefix)" (https://docs.aws.amazon.com/redshift/latest/dg/c_sql-functions-leader-node.html);
 * one that reads only the catalog (PG_) or no table runs on the leader node, and PG_LAST_QUERY_ID.html
 * and LAST_USER_QUERY_ID.html give no id for it. A text the gate cannot read: false.
 */
export function runsOnComputeNodes(sql: string): boolean {
  const { texts } = liftText(maskPlaceholders(sql).text, new Set());
  return texts.some((text) => {
    const parsed = parseStatements(text);
    return (
      !('error' in parsed) &&
      parsed.statements.some(
        ({ stmt }) =>
          Object.keys(stmt).some((kind) => ROW_STATEMENTS.has(kind)) &&
          relationsNamed(stmt).some((name) => !/^(pg_|information_schema)/i.test(name)),
      )
    );
  });
}

/** The Redshift-only syntax lifted out of a text (offsets kept), with what the lifts refused and the texts left to parse. */
function liftText(text: string, names: ReadonlySet<string>, facts?: SqlFacts): { readonly findings: Finding[]; readonly texts: string[] } {
  const findings: Finding[] = [];
  try {
    const tokens = new TokenStream(text);
    const statements = liftRedshiftStatements(tokens);
    findings.push(...statements.findings);
    const { tables, findings: attributes } = liftTableAttributes(tokens);
    findings.push(...attributes, ...liftCopyOptions(tokens, names));
    const partiql = liftSuperSyntax(tokens);
    findings.push(...partiql.findings);
    const { qualify, ...calls } = liftQuerySyntax(tokens);
    findings.push(...calls.findings);
    for (const table of tables) findings.push(...checkTableDesign(table));
    facts?.tables.push(...tables);
    facts?.alters.push(...statements.alters);
    return { findings, texts: [tokens.toString(), ...qualify, ...partiql.texts, ...calls.texts] };
  } catch (error) {
    const at = error instanceof SqlScanError ? error.at : 0;
    findings.push({ construct: `SQL the gate cannot read (${(error as Error).message})`, at, syntax: true });
    return { findings, texts: [] };
  }
}

function checkText(text: string, names: ReadonlySet<string>, facts?: SqlFacts): Finding[] {
  const { findings, texts } = liftText(text, names, facts);
  texts.forEach((each, n) => {
    const parsed = parseStatements(each);
    if ('error' in parsed) {
      findings.push({ construct: parsed.error, at: parsed.at, syntax: true });
      return;
    }
    for (const statement of parsed.statements) {
      const at = firstWord(each, statement.location);
      findings.push(...walkStatement(statement.stmt, at));
      if (n > 0) continue;
      const end = statement.length ? statement.location + statement.length : Buffer.byteLength(each);
      findings.push(...procedureBody(each, statement.stmt, at, end, names));
      if (!facts) continue;
      const { writes, alteredColumns } = statementFacts(statement.stmt, at);
      facts.writes.push(...writes);
      facts.alteredColumns.push(...alteredColumns);
    }
  });
  return findings;
}

/** The body of a LANGUAGE plpgsql procedure or function, walked with the same gate. */
function procedureBody(text: string, stmt: Json, start: number, end: number, names: ReadonlySet<string>): Finding[] {
  const create = stmt.CreateFunctionStmt as Json | undefined;
  if (!create) return [];
  const options = Array.isArray(create.options) ? (create.options as Json[]) : [];
  const language = options.map((option) => option.DefElem as Json | undefined).find((option) => option?.defname === 'language');
  const value = String(((language?.arg as Json | undefined)?.String as Json | undefined)?.sval ?? '').toLowerCase();
  if (value !== 'plpgsql') return [];
  const bytes = Buffer.from(text, 'utf8');
  const token = scanTokens(text).find((t) => t.start >= start && t.end <= end && t.tokenName === 'SCONST' && bytes[t.start] === 0x24);
  if (!token) return [];
  const tag = Buffer.byteLength(/^\$[^$]*\$/.exec(bytes.subarray(token.start, token.end).toString('utf8'))?.[0] ?? '$$');
  const body = { start: token.start + tag, end: token.end - tag };
  // Redshift-only syntax inside the body (MINUS, TRY_CAST, QUALIFY ...) is lifted first, in place:
  // PL/pgSQL's parser checks the SQL it holds with PostgreSQL's grammar.
  const alone = Buffer.alloc(bytes.length, 0x20);
  bytes.copy(alone, body.start, body.start, body.end);
  const lifted = liftText(alone.toString('utf8'), names);
  const findings = [...lifted.findings];
  for (const qualify of lifted.texts.slice(1)) findings.push(...checkText(qualify, names));
  const spliced = Buffer.from(bytes);
  Buffer.from(lifted.texts[0] ?? alone.toString('utf8'), 'utf8').copy(spliced, body.start, body.start, body.end);
  findings.push(...checkProcedureBody(spliced.toString('utf8'), { start, end }, body, (placed) => checkText(placed, names)));
  return findings;
}

/** The byte offset of a statement's first word: PostgreSQL's statement location includes the comments before it. */
function firstWord(text: string, location: number): number {
  const rest = Buffer.from(text, 'utf8').subarray(location).toString('utf8');
  const lead = /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(rest)?.[0] ?? '';
  return location + Buffer.byteLength(lead, 'utf8');
}
