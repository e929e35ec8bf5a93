import { trimStatement } from '../lib/plan/bind';
import type { SqlFiles } from '../lib/plan/sql-files';
import { checkRedshiftSql, loadRedshiftGate } from './redshift-gate/gate';
import { RedshiftGateError } from './redshift-gate/refusal';

export interface AnalystQuery {
  readonly name: string;
  /** The comment the query file opens with. */
  readonly description: string;
  readonly sql: string;
  /** The query as written (its file's text, or the SQL given), and where refusals point: the file, or 'query'. */
  readonly source: string;
  readonly file: string;
}

/** The named queries of sql/queries/, by file name. */
export function analystQueries(files: SqlFiles): AnalystQuery[] {
  return [...files.entries()]
    .filter(([file]) => file.startsWith('queries/'))
    .map(([file, text]) => ({
      name: file.slice('queries/'.length, -'.sql'.length),
      description: /^--\s*(.+)$/m.exec(text)?.[1]?.trim() ?? '',
      sql: trimStatement(text),
      source: text,
      file: `sql/${file}`,
    }));
}

/** A query name from sql/queries/, or any SQL statement (anything with a space in it). */
export function resolveQuery(files: SqlFiles, nameOrSql: string): AnalystQuery {
  const named = analystQueries(files).find((query) => query.name === nameOrSql);
  if (named) return named;
  if (/\s/.test(nameOrSql.trim())) return { name: 'sql', description: '', sql: trimStatement(nameOrSql), source: nameOrSql, file: 'query' };
  const names = analystQueries(files).map((query) => query.name);
  throw new Error(`no query named '${nameOrSql}' in sql/queries/: use one of ${names.join(', ')} or a SQL statement in quotes`);
}

/** Refuses (RedshiftGateError) an analyst query Redshift would not run, before it runs offline. */
export async function checkAnalystQuery(query: AnalystQuery): Promise<void> {
  await loadRedshiftGate();
  const refusals = checkRedshiftSql(query.source, query.file);
  if (refusals.length > 0) throw new RedshiftGateError(refusals);
}
