import type { AnalystQuery } from '../local/analyst-queries';
import { formatRefusal, RedshiftGateError } from '../local/redshift-gate/refusal';
import { caretLines, mapOffset, offsetOfPosition, placeOf, type TextPlace } from './sql-position';

/**
 * An error in SQL the user gave, said as the Redshift gate says its refusals: `file:line:column:`
 * and the message, then the line as written with a caret under the place; the engine's detail and
 * hint follow. Printed as `error: <message>` like every error of the CLI.
 */
export class SqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlError';
  }
}

/** What PostgreSQL's error carries: pg's DatabaseError and PGlite's have the same fields (position a string). */
interface EngineError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: string;
}

/** A database error (it has a SQLSTATE), or undefined for anything else. */
function engineError(error: unknown): EngineError | undefined {
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & Partial<Record<'code' | 'detail' | 'hint' | 'position', unknown>>;
  if (typeof fields.code !== 'string' || !/^[0-9A-Z]{5}$/.test(fields.code)) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { message: error.message, detail: text(fields.detail), hint: text(fields.hint), position: text(fields.position) };
}

/**
 * The engine's error for `query`, which ran as `sent` (the twin's rewrite of query.sql): its place
 * mapped back to what the user wrote (the named query's file and line, or `query` and the SQL
 * given), its detail and hint. The place is left out when the rewrite moved or copied what the
 * engine points at (sql-position.ts mapOffset). Anything that is not a database error is returned as it is.
 */
export function placedEngineError(error: unknown, query: AnalystQuery, sent: string): unknown {
  const found = engineError(error);
  if (!found) return error;
  const offset = found.position === undefined ? undefined : offsetOfPosition(sent, Number(found.position));
  const inWritten = offset === undefined ? undefined : mapOffset(sent, query.sql, offset);
  const inSource = inWritten === undefined ? undefined : sourceOffset(query, inWritten);
  const place = inSource === undefined ? undefined : placeOf(query.source, inSource);
  const lines = [`${where(query.file, place)}: ${found.message}`, ...caret(query.source, place, '  ')];
  if (found.detail) lines.push(`detail: ${found.detail}`);
  if (found.hint) lines.push(`hint: ${found.hint}`);
  return new SqlError(lines.join('\n'));
}

/** The Redshift gate's refusals of `query`, each with the line it points at and a caret, as placedEngineError shows the engine's. */
export function placedGateError(error: unknown, query: AnalystQuery): unknown {
  if (!(error instanceof RedshiftGateError)) return error;
  const heading = error.message.split('\n')[0] ?? '';
  const lines = [heading];
  for (const refusal of error.refusals) {
    lines.push(`  ${formatRefusal(refusal)}`);
    if (refusal.file === query.file) lines.push(...caret(query.source, { line: refusal.line, column: refusal.column }, '    '));
  }
  return new SqlError(lines.join('\n'));
}

function where(file: string, place: TextPlace | undefined): string {
  return place ? `${file}:${place.line}:${place.column}` : file;
}

function caret(source: string, place: TextPlace | undefined, indent: string): string[] {
  const shown = place ? caretLines(source, place) : undefined;
  return shown ? shown.map((line) => `${indent}${line}`) : [];
}

/**
 * An offset of query.sql in query.source: the statement is the source trimmed (leading blank space
 * and a trailing semicolon dropped: lib/plan/bind.ts trimStatement). Undefined if it is not.
 */
function sourceOffset(query: AnalystQuery, offset: number): number | undefined {
  const lead = query.source.length - query.source.trimStart().length;
  return query.source.startsWith(query.sql, lead) ? lead + offset : undefined;
}
