import { ENCODINGS, type KeyColumn } from './table-attributes';
import type { Finding } from './refusal';
import type { TokenStream } from './token-stream';
import { liftSecurityStatement } from './security-statements';

// Redshift statements and clauses PostgreSQL's parser does not read, lifted out (blanked in
// place) and checked here, each next to its page of Redshift's SQL reference.

/** The sentence each page gives when a statement cannot run inside a transaction block (BEGIN ... END). */
export const NOT_IN_TRANSACTION = {
  // r_CREATE_DATABASE.html, r_DROP_DATABASE.html
  createDatabase: "You can't run CREATE DATABASE within a transaction block (BEGIN ... END).",
  dropDatabase: "You can't run DROP DATABASE within a transaction block (BEGIN ... END).",
  // r_CREATE_LIBRARY.html, r_DROP_LIBRARY.html
  createLibrary: "CREATE LIBRARY can't be run inside a transaction block (BEGIN … END).",
  dropLibrary: "DROP LIBRARY can't be run inside a transaction block (BEGIN … END).",
  // r_CREATE_EXTERNAL_TABLE.html
  createExternalTable: "You can't run CREATE EXTERNAL TABLE inside a transaction (BEGIN … END).",
  // r_VACUUM_command.html
  vacuum: "You can't run VACUUM within a transaction block (BEGIN ... END).",
  // r_ALTER_TABLE_APPEND.html
  append:
    "An ALTER TABLE APPEND command automatically commits immediately upon completion of the operation. It can't be rolled back. You can't run ALTER TABLE APPEND within a transaction block (BEGIN ... END).",
  // r_ALTER_TABLE.html (ALTER COLUMN column_name TYPE)
  alterColumn: "You can't alter columns within a transaction block (BEGIN ... END).",
} as const;

interface OfflineStatement {
  /** The statement's first words, lower case ('or replace' after CREATE is skipped). */
  readonly words: readonly string[];
  /** Its page under https://docs.aws.amazon.com/redshift/latest/dg/. */
  readonly page: string;
  readonly doc?: string;
}

// Statements Redshift documents (https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_commands.html)
// that act on S3, other clusters, models or the cluster itself: the twin has nothing to run them on.
const OFFLINE: readonly OfflineStatement[] = [
  { words: ['create', 'external', 'schema'], page: 'r_CREATE_EXTERNAL_SCHEMA.html' },
  { words: ['create', 'external', 'table'], page: 'r_CREATE_EXTERNAL_TABLE.html', doc: NOT_IN_TRANSACTION.createExternalTable },
  { words: ['create', 'external', 'function'], page: 'r_CREATE_EXTERNAL_FUNCTION.html' },
  { words: ['create', 'external', 'view'], page: 'r_CREATE_EXTERNAL_VIEW.html' },
  { words: ['alter', 'external'], page: 'r_ALTER_EXTERNAL_VIEW.html' },
  { words: ['drop', 'external'], page: 'r_DROP_EXTERNAL_VIEW.html' },
  { words: ['unload'], page: 'r_UNLOAD.html' },
  { words: ['create', 'library'], page: 'r_CREATE_LIBRARY.html', doc: NOT_IN_TRANSACTION.createLibrary },
  { words: ['drop', 'library'], page: 'r_DROP_LIBRARY.html', doc: NOT_IN_TRANSACTION.dropLibrary },
  { words: ['create', 'model'], page: 'r_CREATE_MODEL.html' },
  { words: ['drop', 'model'], page: 'r_DROP_MODEL.html' },
  { words: ['create', 'datashare'], page: 'r_CREATE_DATASHARE.html' },
  { words: ['alter', 'datashare'], page: 'r_ALTER_DATASHARE.html' },
  { words: ['drop', 'datashare'], page: 'r_DROP_DATASHARE.html' },
  { words: ['desc', 'datashare'], page: 'r_DESC_DATASHARE.html' },
  { words: ['create', 'database'], page: 'r_CREATE_DATABASE.html', doc: NOT_IN_TRANSACTION.createDatabase },
  { words: ['drop', 'database'], page: 'r_DROP_DATABASE.html', doc: NOT_IN_TRANSACTION.dropDatabase },
  { words: ['vacuum'], page: 'r_VACUUM_command.html', doc: NOT_IN_TRANSACTION.vacuum },
  { words: ['analyze', 'compression'], page: 'r_ANALYZE_COMPRESSION.html' },
  { words: ['cancel'], page: 'r_CANCEL.html' },
  { words: ['show', 'tables'], page: 'r_SHOW_TABLES.html' },
  { words: ['show', 'columns'], page: 'r_SHOW_COLUMNS.html' },
  { words: ['show', 'schemas'], page: 'r_SHOW_SCHEMAS.html' },
  { words: ['show', 'databases'], page: 'r_SHOW_DATABASES.html' },
  { words: ['show', 'table'], page: 'r_SHOW_TABLE.html' },
  { words: ['show', 'view'], page: 'r_SHOW_VIEW.html' },
  { words: ['show', 'procedure'], page: 'r_SHOW_PROCEDURE.html' },
  { words: ['show', 'model'], page: 'r_SHOW_MODEL.html' },
  { words: ['show', 'datashares'], page: 'r_SHOW_DATASHARES.html' },
  { words: ['show', 'external', 'table'], page: 'r_SHOW_EXTERNAL_TABLE.html' },
];

/** One ALTER TABLE with Redshift's physical-design clauses: the plan checks its columns against the table's DDL. */
export interface AlterDesign {
  readonly table: string;
  readonly at: number;
  readonly distkeys: KeyColumn[];
  readonly sortkeys: KeyColumn[];
}

/** A statement the plan must keep out of its transaction, found by this lift. */
export interface NoTransaction {
  readonly construct: string;
  readonly at: number;
  readonly doc: string;
}

export interface LiftedStatements {
  readonly findings: Finding[];
  readonly alters: AlterDesign[];
}

// https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html: the clauses PostgreSQL does
// not parse; Redshift combines only SORTKEY with DISTKEY or DISTSTYLE ALL in one statement.
type Clause = 'distkey' | 'diststyle' | 'sortkey' | 'encode' | 'column encode';
const COMBINABLE: readonly (readonly string[])[] = [
  ['sortkey', 'distkey'],
  ['sortkey', 'diststyle all'],
];
const MAX_SORTKEY_COLUMNS = 400;

/**
 * Lifts, in each statement: the Redshift statements with no offline equivalent (refused as such),
 * ALTER TABLE's DISTKEY/DISTSTYLE/SORTKEY/ENCODE clauses (checked, kept for the plan), MINUS
 * (read as UNION, the same precedence), TRY_CAST (read as CAST) and WITH NO SCHEMA BINDING.
 */
export function liftRedshiftStatements(tokens: TokenStream): LiftedStatements {
  const findings: Finding[] = [];
  const alters: AlterDesign[] = [];
  let start = 0;
  for (let i = 0; i <= tokens.tokens.length; i++) {
    if (i < tokens.tokens.length && tokens.word(i) !== ';') continue;
    if (i > start) liftStatement(tokens, start, i - 1, findings, alters);
    start = i + 1;
  }
  return { findings, alters };
}

function liftStatement(tokens: TokenStream, first: number, last: number, findings: Finding[], alters: AlterDesign[]): void {
  const words: string[] = [];
  for (let k = first; k <= Math.min(last, first + 5); k++) words.push(tokens.word(k));
  const lead = words[0] === 'create' && words[1] === 'or' && words[2] === 'replace' ? ['create', ...words.slice(3)] : words;
  const offline = OFFLINE.find((entry) => entry.words.every((word, n) => lead[n] === word));
  if (offline) {
    const construct = offline.words.join(' ').toUpperCase();
    findings.push({ construct, at: tokens.start(first), kind: 'offline', ...(offline.doc ? { doc: offline.doc } : {}) });
    tokens.blank(first, last);
    return;
  }
  if (liftSecurityStatement(tokens, first, last, findings)) return;
  if (words[0] === 'alter' && words[1] === 'table') liftAlterTable(tokens, first, last, findings, alters);
  for (let k = first; k <= last; k++) {
    const word = tokens.word(k);
    // https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html: "MINUS and EXCEPT are exact synonyms"; no MINUS ALL.
    if (word === 'minus' && isSetOperator(tokens, k)) {
      if (tokens.word(k + 1) === 'all')
        findings.push({ construct: 'MINUS ALL', at: tokens.start(k), instead: 'MINUS (or EXCEPT) without ALL' });
      tokens.overwrite(k, 'union');
    }
    // https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html: TRY_CAST(expression AS type)
    if (word === 'try_cast' && tokens.word(k + 1) === '(') tokens.overwrite(k, '    cast');
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html: a late-binding view
    if (
      word === 'with' &&
      tokens.word(k + 1) === 'no' &&
      tokens.word(k + 2) === 'schema' &&
      tokens.word(k + 3) === 'binding' &&
      k + 3 === last
    )
      tokens.blank(k, k + 3);
  }
}

function isSetOperator(tokens: TokenStream, k: number): boolean {
  const next = tokens.word(k + 1);
  const before = tokens.word(k - 1);
  return ['select', '(', 'all', 'with'].includes(next) && !['select', ',', '(', '.'].includes(before);
}

/** ALTER TABLE name ALTER DISTKEY | DISTSTYLE | [COMPOUND] SORTKEY | ENCODE AUTO | COLUMN c ENCODE e, and APPEND FROM. */
function liftAlterTable(tokens: TokenStream, first: number, last: number, findings: Finding[], alters: AlterDesign[]): void {
  let k = first + 2;
  if (tokens.word(k) === 'if' && tokens.word(k + 1) === 'exists') k += 2;
  let table = tokens.name(k);
  while (tokens.word(k + 1) === '.') {
    k += 2;
    table = tokens.name(k);
  }
  const body = k + 1;
  if (tokens.word(body) === 'append') {
    findings.push({ construct: 'ALTER TABLE APPEND', at: tokens.start(first), kind: 'offline', doc: NOT_IN_TRANSACTION.append });
    tokens.blank(first, last);
    return;
  }
  // Split the clauses at top-level commas.
  const clauses: [number, number][] = [];
  let from = body;
  for (let j = body, depth = 0; j <= last + 1; j++) {
    const word = j <= last ? tokens.word(j) : ',';
    if (word === '(') depth++;
    else if (word === ')') depth--;
    else if (word === ',' && depth === 0) {
      clauses.push([from, j - 1]);
      from = j + 1;
    }
  }
  const kinds = clauses.map(([a, b]) => redshiftClause(tokens, a, b));
  if (!kinds.some((kind) => kind !== undefined)) return;
  const alter: AlterDesign = { table, at: tokens.start(first), distkeys: [], sortkeys: [] };
  const seen: string[] = [];
  const encoded = new Set<string>();
  clauses.forEach(([a, b], n) => {
    const kind = kinds[n];
    if (kind === undefined) {
      findings.push({
        construct: `ALTER TABLE combining ${tokens.text(a).toUpperCase()} ${tokens.text(a + 1).toUpperCase()} with DISTKEY, DISTSTYLE, SORTKEY or ENCODE`,
        at: tokens.start(a),
        instead: 'one ALTER TABLE statement per clause',
      });
      return;
    }
    seen.push(kind === 'diststyle' && tokens.word(a + 2) === 'all' ? 'diststyle all' : kind);
    checkClause(tokens, kind, a, b, alter, encoded, findings);
  });
  if (seen.length > 1 && !(seen.every((kind) => kind === 'column encode') || COMBINABLE.some((pair) => sameSet(pair, seen))))
    findings.push({
      construct: `ALTER TABLE combining ${seen.map((kind) => kind.toUpperCase()).join(' and ')}`,
      at: alter.at,
      instead: 'ALTER SORTKEY with ALTER DISTKEY, or ALTER SORTKEY with ALTER DISTSTYLE ALL, or one statement per clause',
    });
  alters.push(alter);
  tokens.blank(first, last);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function redshiftClause(tokens: TokenStream, a: number, b: number): Clause | undefined {
  if (tokens.word(a) !== 'alter' || b <= a) return undefined;
  const word = tokens.word(a + 1);
  if (word === 'distkey' || word === 'diststyle' || word === 'sortkey' || word === 'encode') return word;
  if (word === 'compound' || word === 'interleaved') return 'sortkey';
  if (word === 'column' && tokens.word(a + 3) === 'encode') return 'column encode';
  return undefined;
}

function checkClause(
  tokens: TokenStream,
  kind: Clause,
  a: number,
  b: number,
  alter: AlterDesign,
  encoded: Set<string>,
  findings: Finding[],
): void {
  const refuse = (construct: string, at: number, instead: string): void => {
    findings.push({ construct, at, instead });
  };
  const shown = (): string => {
    const parts: string[] = [];
    for (let j = a; j <= b; j++) parts.push(tokens.text(j));
    return parts.join(' ').toUpperCase();
  };
  if (kind === 'distkey') {
    if (b !== a + 2) refuse(shown(), tokens.start(a), 'ALTER DISTKEY column_name (one column)');
    else alter.distkeys.push({ name: tokens.name(a + 2), at: tokens.start(a + 2) });
  } else if (kind === 'diststyle') {
    const style = tokens.word(a + 2);
    if (['all', 'even', 'auto'].includes(style) && b === a + 2) return;
    if (style === 'key' && tokens.word(a + 3) === 'distkey' && b === a + 4) {
      alter.distkeys.push({ name: tokens.name(a + 4), at: tokens.start(a + 4) });
      return;
    }
    refuse(shown(), tokens.start(a), 'ALTER DISTSTYLE ALL | EVEN | AUTO, or ALTER DISTSTYLE KEY DISTKEY column_name');
  } else if (kind === 'sortkey') {
    const key = tokens.word(a + 1) === 'sortkey' ? a + 1 : a + 2;
    if (tokens.word(a + 1) === 'interleaved') {
      refuse(
        'ALTER INTERLEAVED SORTKEY',
        tokens.start(a),
        "ALTER [COMPOUND] SORTKEY (...): Redshift can't alter a sort key to an interleaved one",
      );
      return;
    }
    if (['auto', 'none'].includes(tokens.word(key + 1)) && b === key + 1 && key === a + 1) return;
    if (tokens.word(key + 1) !== '(' || tokens.closing(key + 1) !== b) {
      refuse(shown(), tokens.start(a), 'ALTER [COMPOUND] SORTKEY (column_name [, ...]), ALTER SORTKEY AUTO or ALTER SORTKEY NONE');
      return;
    }
    const names = tokens.names(key + 1, b);
    alter.sortkeys.push(...names);
    if (names.length > MAX_SORTKEY_COLUMNS)
      refuse(`a SORTKEY of ${names.length} columns`, tokens.start(a), `at most ${MAX_SORTKEY_COLUMNS} sort key columns`);
  } else if (kind === 'encode') {
    if (tokens.word(a + 2) !== 'auto' || b !== a + 2) refuse(shown(), tokens.start(a), 'ALTER ENCODE AUTO');
  } else {
    const column = tokens.name(a + 2);
    const encoding = tokens.word(a + 4);
    if (!ENCODINGS.has(encoding) || b !== a + 4)
      refuse(`ENCODE ${tokens.text(a + 4)}`, tokens.start(a + 4), [...ENCODINGS].join(', ').toUpperCase());
    if (encoded.has(column))
      refuse(`a second ALTER COLUMN ${column} ENCODE in one statement`, tokens.start(a), 'one encoding per column per statement');
    encoded.add(column);
  }
}
