import type * as libpgQuery from 'libpg-query';
import type { ScanToken } from 'libpg-query';
import { standardQuotes } from '../../lib/plan/sql-tokens';

// PostgreSQL 18's own parser (libpg-query, WebAssembly): it must be loaded once before use. Its
// module is imported then too, not with this file, so a command that checks no SQL (--help) never loads it.
type LibPgQuery = typeof libpgQuery;
let loaded: Promise<void> | undefined;
let parser: LibPgQuery | undefined;

/** Loads the parser (once; about 50 ms). Every entry point of the gate awaits it. */
export async function loadSqlParser(): Promise<void> {
  loaded ??= import('libpg-query').then(async (module) => {
    await module.loadModule();
    parser = module;
  });
  return loaded;
}

/** The loaded parser's functions; loadSqlParser() must have been awaited. */
export function sqlParser(): LibPgQuery {
  if (!parser) throw new Error('the Redshift gate is not loaded: await loadSqlParser() first');
  return parser;
}

export interface ParsedStatement {
  readonly stmt: Record<string, unknown>;
  readonly location: number;
  /** Its length in bytes; 0 when it runs to the end of the text. */
  readonly length: number;
}

/**
 * PostgreSQL's scanner reads '...' with standard_conforming_strings on, where Redshift reads a
 * backslash as an escape (lib/plan/sql-tokens.ts stringValue): both the parser and the scanner
 * get the text with each \' written '', which keeps every literal's extent and every offset.
 */
const asPostgresReads = standardQuotes;

/** The statements of a text, or a syntax error with its byte offset. */
export function parseStatements(
  text: string,
): { readonly statements: ParsedStatement[] } | { readonly error: string; readonly at: number } {
  const { parseSync } = sqlParser();
  try {
    const result = parseSync(asPostgresReads(text)) as {
      stmts?: { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[];
    };
    return { statements: (result.stmts ?? []).map((s) => ({ stmt: s.stmt, location: s.stmt_location ?? 0, length: s.stmt_len ?? 0 })) };
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    // libpg-query's cursor position counts characters from 0; the gate's offsets are UTF-8 bytes.
    const characters = Math.max(0, details?.cursorPosition ?? 0);
    return { error: (error as Error).message, at: Buffer.byteLength([...text].slice(0, characters).join(''), 'utf8') };
  }
}

/** What PostgreSQL's lexer cannot read (an unterminated quote), with its byte offset. */
export class SqlScanError extends Error {
  override readonly name = 'SqlScanError';
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** The tokens of a text, comments left out (offsets in UTF-8 bytes). */
export function scanTokens(text: string): ScanToken[] {
  const { scanSync } = sqlParser();
  let scanned: ReturnType<typeof scanSync>;
  try {
    scanned = scanSync(asPostgresReads(text));
  } catch (error) {
    // libpg-query's scanner fails on what it cannot lex with an error of its own ("... is not
    // valid JSON"); the parser names the problem and where it is.
    const parsed = parseStatements(text);
    throw 'error' in parsed ? new SqlScanError(parsed.error, parsed.at) : error;
  }
  return scanned.tokens.filter((token) => token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT');
}
