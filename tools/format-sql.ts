/**
 * The SQL formatter for sql/: `npm run format:sql` rewrites the files, `npm run format:check`
 * (the first step of `npm test`) fails on any file that is not formatted, and names it.
 *
 * Why sql-formatter (npm), not sqlfluff (Debian's 1.4.5, tried on this project's files):
 * sql-formatter only changes whitespace (keyword case is kept), so a formatted statement means
 * what it meant (test/tools/format-sql.test.ts compares every file's tokens); the same input and
 * version always give the same text; comments stay where they are; it runs in-process from
 * `npm ci`, pinned to one version, in milliseconds. sqlfluff 1.4 has no `format`: its `fix`
 * applies lint rules, and some rewrite the statement (L034 moved songplays' MD5 column after the
 * others, which reorders an INSERT ... SELECT); its jinja templater reads `{{ name }}` as an
 * undefined variable; it cannot parse `DELETE FROM {{ table }}` or a COPY's `MAXERROR {{ n }}`,
 * and leaves what it cannot parse unfixed; and CI would need apt and Python for it.
 *
 * Options: the `redshift` dialect, with `{{ name }}` (lib/plan/bind.ts) as a placeholder, so a
 * bare `{{ table }}` is kept as written (inside quotes it is a string and untouched anyway), and
 * two things Redshift has that the dialect of sql-formatter 15 lacks: dollar-quoted bodies
 * (`AS $$ ... $$` of a stored procedure, kept as written) and CREATE OR REPLACE PROCEDURE; and
 * `INSERT INTO table (` on one line, as the tests that edit a mart's SELECT expect.
 * sql-formatter knows no COPY parameters (it would put them all on one line): a COPY keeps them
 * one per line after a `/* sql-formatter-disable *\/` comment, which ends formatting for the rest
 * of the file (and `/* sql-formatter-enable *\/` resumes it). The same markers keep the songplays
 * key's `||` chain one part a line: sql-formatter never breaks a line at an operator.
 *
 * Usage: tsx tools/format-sql.ts [--check] [--root DIR]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DialectOptions, type FormatOptionsWithDialect, formatDialect, redshift } from 'sql-formatter';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** lib/plan/bind.ts's placeholder, `{{ name }}`. */
const PLACEHOLDER = String.raw`\{\{\s*[a-z_][a-z0-9_]*\s*\}\}`;

/** Missing from the dialect: a clause of its own, its name and what follows on one line. */
const EXTRA_CLAUSES = ['CREATE OR REPLACE PROCEDURE'];
/** `INSERT INTO table (columns)` on one line, as `CREATE TABLE name (` and `UPDATE name` are. */
const ONELINE = ['INSERT INTO'];

const DIALECT: DialectOptions = {
  ...redshift,
  tokenizerOptions: {
    ...redshift.tokenizerOptions,
    reservedClauses: [...redshift.tokenizerOptions.reservedClauses, ...EXTRA_CLAUSES],
    stringTypes: [...redshift.tokenizerOptions.stringTypes, '$$'],
  },
  formatOptions: {
    ...redshift.formatOptions,
    onelineClauses: [...redshift.formatOptions.onelineClauses, ...EXTRA_CLAUSES, ...ONELINE],
    tabularOnelineClauses: [...(redshift.formatOptions.tabularOnelineClauses ?? []), ...EXTRA_CLAUSES],
  },
};

const OPTIONS: FormatOptionsWithDialect = {
  dialect: DIALECT,
  tabWidth: 2,
  useTabs: false,
  keywordCase: 'preserve',
  dataTypeCase: 'preserve',
  functionCase: 'preserve',
  identifierCase: 'preserve',
  indentStyle: 'standard',
  logicalOperatorNewline: 'before',
  expressionWidth: 50,
  linesBetweenQueries: 1,
  denseOperators: false,
  newlineBeforeSemicolon: false,
  paramTypes: { numbered: ['$'], custom: [{ regex: PLACEHOLDER }] },
};

/** One SQL file's text, formatted: the same statement and comments, ending in one newline. */
export function formatSql(text: string): string {
  return `${formatDialect(text, OPTIONS).trimEnd()}\n`;
}

/** The .sql files under root/sql, relative to root, sorted. */
export function sqlFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(child);
      } else if (entry.isFile() && entry.name.endsWith('.sql')) {
        files.push(child);
      }
    }
  };
  walk('sql');
  return files.sort();
}

export interface FileResult {
  /** Relative to the root, with forward slashes. */
  readonly file: string;
  /** 'formatted': already formatted; 'changed': differs (written unless checking); 'error': cannot be parsed. */
  readonly status: 'formatted' | 'changed' | 'error';
  readonly error?: string;
}

/** Formats every file in memory; writes the changed ones unless check is set. */
export function formatSqlFiles(root: string, options: { check: boolean }): FileResult[] {
  return sqlFiles(root).map((file): FileResult => {
    const full = path.join(root, file);
    const text = readFileSync(full, 'utf8');
    let formatted: string;
    try {
      formatted = formatSql(text);
    } catch (error) {
      return { file, status: 'error', error: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '' };
    }
    if (formatted === text) return { file, status: 'formatted' };
    if (!options.check) writeFileSync(full, formatted);
    return { file, status: 'changed' };
  });
}

/** Runs the command; returns its exit code (1 when checking finds a file to format, or any file cannot be parsed). */
export function main(
  argv: readonly string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      check: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
  });
  const root = values.root ?? PROJECT_ROOT;
  const check = values.check ?? false;
  const results = formatSqlFiles(root, { check });
  const failed = results.filter((r) => r.status === 'error');
  const changed = results.filter((r) => r.status === 'changed');
  for (const r of failed) err(`${r.file}: sql-formatter cannot parse it: ${r.error}`);
  if (check) {
    if (changed.length > 0) {
      err(`SQL not formatted (${changed.length} of ${results.length} files):`);
      for (const r of changed) err(`  ${r.file}`);
      err('Fix: npm run format:sql');
      return 1;
    }
    if (failed.length === 0) out(`SQL formatted: ${results.length} files.`);
  } else {
    for (const r of changed) out(`formatted ${r.file}`);
    out(`${changed.length} of ${results.length} SQL files changed.`);
  }
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
