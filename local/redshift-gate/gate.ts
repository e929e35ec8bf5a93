import { checkTableDesign } from './table-design';
import { liftCopyOptions } from './copy-options';
import { loadSqlParser, parseStatements } from './parser';
import { liftQuerySyntax } from './query-syntax';
import type { Finding, Refusal } from './refusal';
import { maskPlaceholders, positions } from './source-text';
import { liftTableAttributes } from './table-attributes';
import { TokenStream } from './token-stream';
import { walkStatement } from './walker';

/** Loads the parser the gate runs on; await it once before checkRedshiftSql. */
export const loadRedshiftGate = loadSqlParser;

/**
 * Everything in a SQL text (a file of sql/, placeholders and all, or an analyst's query) that
 * Redshift does not document, each with its file, line and column: empty when Redshift runs it.
 * The Redshift-only syntax PostgreSQL cannot parse is lifted out first (and checked on its own),
 * then PostgreSQL 18's parser reads the rest and the walker accepts only the allowlisted nodes.
 */
export function checkRedshiftSql(sql: string, file: string): Refusal[] {
  const { text, names } = maskPlaceholders(sql);
  const findings: Finding[] = [];
  const texts: string[] = [];
  try {
    const tokens = new TokenStream(text);
    const { tables, findings: attributes } = liftTableAttributes(tokens);
    findings.push(...attributes, ...liftCopyOptions(tokens, names));
    const { qualify } = liftQuerySyntax(tokens);
    for (const table of tables) findings.push(...checkTableDesign(table));
    texts.push(tokens.toString(), ...qualify);
  } catch (error) {
    findings.push({ construct: `SQL the gate cannot read (${(error as Error).message})`, at: 0, syntax: true });
  }
  for (const each of texts) {
    const parsed = parseStatements(each);
    if ('error' in parsed) findings.push({ construct: parsed.error, at: parsed.at, syntax: true });
    else for (const statement of parsed.statements) findings.push(...walkStatement(statement.stmt, firstWord(each, statement.location)));
  }
  const place = positions(text);
  return findings.sort((a, b) => a.at - b.at).map(({ at, ...finding }): Refusal => ({ file, ...place(at), ...finding }));
}

/** The byte offset of a statement's first word: PostgreSQL's statement location includes the comments before it. */
function firstWord(text: string, location: number): number {
  const rest = Buffer.from(text, 'utf8').subarray(location).toString('utf8');
  const lead = /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(rest)?.[0] ?? '';
  return location + Buffer.byteLength(lead, 'utf8');
}
