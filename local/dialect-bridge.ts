/**
 * The dialect bridge: one Redshift statement in, the PostgreSQL statement that behaves the same
 * for this project out. It works on tokens, so text inside string literals, quoted identifiers,
 * comments and dollar-quoted bodies is never touched. What it cannot translate faithfully is a
 * DialectError naming file:line, the construct and what to do instead, never a silent skip.
 */

import { postgresLiteral, stringValue, tokenize, type Token } from '../lib/plan/sql-tokens';
import { SPATIAL_OVERRIDES } from './prelude/spatial-functions';
import { SUPER_CONSTRUCTOR_NAMES, superAttributeSetting, superSyntax } from './super/navigation';

/** Where a statement came from, so errors point at file:line of the construct. */
export interface SqlOrigin {
  readonly file: string;
  /** Line (1-based) of the statement's first line in that file. */
  readonly line?: number;
}

export class DialectError extends Error {
  override readonly name = 'DialectError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly construct: string,
    readonly advice: string,
  ) {
    super(`${file}:${line}: ${construct}: ${advice}`);
  }
}

export { POSTGRES_PRELUDE } from './prelude';

// ---------------------------------------------------------------------------------------------
// Tokens

// ---------------------------------------------------------------------------------------------
// Vocabulary

const DISTSTYLES = new Set(['AUTO', 'EVEN', 'KEY', 'ALL']);

/**
 * Redshift's date parts and their abbreviations, each by its full name
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html).
 */
const DATE_PARTS: Record<string, string> = Object.fromEntries(
  (
    [
      ['millennium', 'millennium millennia mil mils'],
      ['century', 'century centuries c cent cents'],
      ['decade', 'decade decades dec decs'],
      ['epoch', 'epoch'],
      ['year', 'year years y yr yrs'],
      ['quarter', 'quarter quarters qtr qtrs'],
      ['month', 'month months mon mons'],
      ['week', 'week weeks w'],
      ['dow', 'dayofweek dow dw weekday'],
      ['doy', 'dayofyear doy dy yearday'],
      ['day', 'day days d'],
      ['hour', 'hour hours h hr hrs'],
      ['minute', 'minute minutes m min mins'],
      ['second', 'second seconds s sec secs'],
      ['millisecond', 'millisecond milliseconds ms msec msecs msecond mseconds millisec millisecs millisecon'],
      ['microsecond', 'microsecond microseconds microsec microsecs usecond useconds us usec usecs'],
      ['timezone', 'timezone'],
      ['timezone_hour', 'timezone_hour'],
      ['timezone_minute', 'timezone_minute'],
    ] as const
  ).flatMap(([name, spellings]) => spellings.split(' ').map((s) => [s.toUpperCase(), name])),
);

/** Redshift session settings that only tune the cluster: harmless to skip offline. */
const TUNING_SETTINGS = new Set(['WLM_QUERY_SLOT_COUNT', 'ENABLE_RESULT_CACHE_FOR_SESSION', 'ANALYZE_THRESHOLD_PERCENT']);
/** Redshift session settings that change results: PostgreSQL would silently differ. */
const SEMANTIC_SETTINGS = new Set([
  'ENABLE_CASE_SENSITIVE_IDENTIFIER',
  'DOWNCASE_DELIMITED_IDENTIFIER',
  'ENABLE_CASE_SENSITIVE_SUPER_ATTRIBUTE',
  'JSON_PARSE_TRUNCATE_STRINGS',
  'JSON_PARSE_DEDUP_ATTRIBUTES',
  'DESCRIBE_FIELD_NAME_IN_UPPERCASE',
]);

/** Physical-design words that must never reach PostgreSQL (a safety net after translation). */
const PHYSICAL_WORDS = new Set(['DISTSTYLE', 'DISTKEY', 'SORTKEY', 'INTERLEAVED']);

// ---------------------------------------------------------------------------------------------
// Translation

interface Edit {
  readonly from: number; // token indices, inclusive
  readonly to: number;
  readonly text: string; // '' deletes
}

/** Translates one statement; `noop` set means "nothing to run offline" (kept as a comment). */
class Translation {
  readonly tokens: Token[];
  /** Indices (into tokens) of the significant ones: no spaces, no comments. */
  readonly sig: number[];
  private readonly edits: Edit[] = [];
  private readonly file: string;
  private readonly firstLine: number;
  noop: string | undefined;
  constructor(
    readonly sql: string,
    origin: SqlOrigin | undefined,
  ) {
    this.file = origin?.file ?? '<sql>';
    this.firstLine = origin?.line ?? 1;
    this.tokens = tokenize(sql, (at, what) => this.failAt(at, `unterminated ${what}`, 'close it'));
    this.sig = this.tokens.flatMap((t, i) => (t.kind === 'space' || t.kind === 'comment' ? [] : [i]));
    // The statement's own end: a trailing ';' is not part of any clause.
    while (this.sig.length > 0 && this.text(this.sig.length - 1) === ';') this.sig.pop();
  }

  get size(): number {
    return this.sig.length;
  }

  token(k: number): Token | undefined {
    const i = this.sig[k];
    return i === undefined ? undefined : this.tokens[i];
  }

  text(k: number): string {
    return this.token(k)?.text ?? '';
  }

  /** Upper-case keyword at k, or '' when k is not a bare word. */
  word(k: number): string {
    const t = this.token(k);
    return t?.kind === 'word' ? t.text.toUpperCase() : '';
  }

  isOp(k: number, op: string): boolean {
    const t = this.token(k);
    return t?.kind === 'op' && t.text === op;
  }

  isWords(k: number, ...words: string[]): boolean {
    return words.every((w, j) => this.word(k + j) === w);
  }

  /** Index of the ')' matching the '(' at k. */
  close(k: number): number {
    let depth = 0;
    for (let j = k; j < this.size; j++) {
      if (this.isOp(j, '(')) depth += 1;
      else if (this.isOp(j, ')')) {
        depth -= 1;
        if (depth === 0) return j;
      }
    }
    return this.fail(k, 'unbalanced parenthesis', 'close it');
  }

  /** Index just past a possibly qualified name (a.b."c") starting at k. */
  nameEnd(k: number): number {
    let j = k;
    for (;;) {
      const t = this.token(j);
      if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return j;
      if (!this.isOp(j + 1, '.')) return j + 1;
      j += 2;
    }
  }

  edited(k: number): boolean {
    const i = this.sig[k] ?? -1;
    return this.edits.some((e) => e.from <= i && i <= e.to);
  }

  replace(from: number, to: number, text: string): void {
    const a = this.sig[from];
    const b = this.sig[to];
    if (a === undefined || b === undefined) throw new Error(`dialect bridge: edit out of range ${from}..${to}`);
    if (this.edits.some((e) => e.from <= b && a <= e.to)) {
      throw new Error(`dialect bridge: overlapping edits at ${from}..${to}`);
    }
    this.edits.push({ from: a, to: b, text });
  }

  remove(from: number, to = from): void {
    this.replace(from, to, '');
  }

  /** The statement's own text from token k to token to (inclusive), comments and spaces kept. */
  source(k: number, to: number): string {
    const a = this.token(k);
    const b = this.token(to);
    if (!a || !b || to < k) return this.fail(k, 'an empty argument', 'write the missing expression');
    return this.sql.slice(a.start, b.start + b.text.length);
  }

  /** Tokens k..to as an expression, itself translated (an argument moved or repeated by a rewrite). */
  expr(k: number, to: number): string {
    const inner = new Translation(this.source(k, to), { file: this.file, line: this.lineOf(k) });
    expressions(inner);
    return inner.render();
  }

  lineOf(k: number): number {
    const offset = this.token(k)?.start ?? 0;
    return this.firstLine + (this.sql.slice(0, offset).match(/\n/g)?.length ?? 0);
  }

  /** Source of tokens k..to with line breaks made spaces, for text moved to another line. */
  flat(k: number, to: number): string {
    const from = this.sig[k] ?? 0;
    const last = this.sig[to] ?? from;
    return this.tokens
      .slice(from, last + 1)
      .map((tok) => (tok.kind === 'space' || tok.kind === 'comment' ? ' ' : tok.text))
      .join('');
  }

  fail(k: number, construct: string, advice: string): never {
    return this.failAt(this.token(k)?.start ?? 0, construct, advice);
  }

  private failAt(offset: number, construct: string, advice: string): never {
    const line = this.firstLine + (this.sql.slice(0, offset).match(/\n/g)?.length ?? 0);
    throw new DialectError(this.file, line, construct, advice);
  }

  /** Rebuilds the text; a deletion also takes the whitespace before it (never comments). */
  render(): string {
    if (this.noop !== undefined) return `/* dialect bridge: ${this.noop} */`;
    const edits = [...this.edits].sort((x, y) => x.from - y.from);
    const parts: { text: string; space: boolean }[] = [];
    let dropped = false;
    const push = (text: string, space: boolean) => {
      if (text === '') return;
      const last = parts.at(-1)?.text.slice(-1) ?? '';
      // Never glue two words together where something between them was deleted.
      if (dropped && /[\w$]/.test(last) && /^[\w$]/.test(text)) parts.push({ text: ' ', space: true });
      parts.push({ text, space });
      dropped = false;
    };
    let e = 0;
    for (let i = 0; i < this.tokens.length;) {
      const edit = edits[e];
      if (edit?.from === i) {
        if (edit.text === '') {
          while (parts.at(-1)?.space) parts.pop();
          dropped = true;
        } else push(edit.text, false);
        i = edit.to + 1;
        e += 1;
        continue;
      }
      const t = this.tokens[i];
      if (t) push(t.text, t.kind === 'space');
      i += 1;
    }
    return parts.map((p) => p.text).join('');
  }
}

// ---------------------------------------------------------------------------------------------
// Statement shapes

function translateStatement(t: Translation): void {
  const first = t.word(0);
  switch (first) {
    case 'COPY':
      return t.fail(
        0,
        'COPY',
        'the dialect bridge does not translate COPY; the offline run executes it through the COPY emulation (local/copy), so route this statement there',
      );
    case 'UNLOAD':
      return t.fail(0, 'UNLOAD', 'writes to S3 and has no offline equivalent; keep it out of the load plan');
    case 'VACUUM':
      return t.fail(
        0,
        'VACUUM',
        'cannot run inside the load transaction and its Redshift options (SORT ONLY, DELETE ONLY, REINDEX, TO n PERCENT) do not exist in PostgreSQL; run it outside the plan, against Redshift only',
      );
    case 'TRUNCATE':
      return t.fail(
        0,
        'TRUNCATE',
        'commits the open transaction in Redshift, which breaks the all-or-nothing reload; use DELETE FROM instead',
      );
    case 'ANALYZE':
      return analyze(t);
    case 'CREATE':
      return create(t);
    case 'ALTER':
      // ALTER DEFAULT PRIVILEGES [FOR USER u] ... TO ROLE r: PostgreSQL reads FOR USER, and names roles bare.
      return t.isWords(1, 'DEFAULT', 'PRIVILEGES') ? grant(t) : alter(t);
    case 'SET':
    case 'RESET':
    case 'SHOW':
      return setting(t);
    case 'GRANT':
    case 'REVOKE':
      return grant(t);
    default:
      return;
  }
}

function analyze(t: Translation): void {
  if (t.word(1) === 'COMPRESSION') {
    return t.fail(1, 'ANALYZE COMPRESSION', 'only reports Redshift column encodings; keep it out of the load plan');
  }
  // ANALYZE t PREDICATE COLUMNS | ALL COLUMNS: which columns get statistics; PostgreSQL does all.
  const n = t.size;
  if (n >= 3 && t.word(n - 1) === 'COLUMNS' && ['PREDICATE', 'ALL'].includes(t.word(n - 2))) t.remove(n - 2, n - 1);
}

function create(t: Translation): void {
  let k = 1;
  if (t.isWords(k, 'OR', 'REPLACE')) k += 2;
  const what = t.word(k);
  switch (what) {
    case 'EXTERNAL':
      return t.fail(
        k,
        `CREATE EXTERNAL ${t.word(k + 1)}`,
        'Redshift Spectrum objects read S3 in place and have no offline equivalent; stage the data with COPY into a local table instead',
      );
    case 'LIBRARY':
      return t.fail(k, 'CREATE LIBRARY', 'Python UDF libraries do not exist in PostgreSQL; write the logic in SQL');
    case 'MODEL':
      return t.fail(k, 'CREATE MODEL', 'Redshift ML has no offline equivalent; keep it out of the load plan');
    case 'DATASHARE':
      return t.fail(k, 'CREATE DATASHARE', 'data sharing has no offline equivalent; keep it out of the load plan');
    case 'VIEW':
      return view(t);
    case 'MATERIALIZED':
      return tableTail(t, t.nameEnd(k + 2));
    case 'SCHEMA':
      return schema(t, k + 1);
    case 'FUNCTION':
    case 'PROCEDURE':
      return routine(t, k);
    case 'ROLE':
      return createRole(t, k);
    case 'USER':
      return createUser(t, k);
    default:
      break;
  }
  if (what === 'LOCAL') k += 1;
  if (['TEMP', 'TEMPORARY'].includes(t.word(k))) k += 1;
  if (t.word(k) === 'TABLE') createTable(t, k + 1);
}

function createTable(t: Translation, at: number): void {
  let k = at;
  if (t.isWords(k, 'IF', 'NOT', 'EXISTS')) k += 3;
  if (t.isOp(k, '#')) {
    return t.fail(k, 'a #name temporary table', 'PostgreSQL has no #-prefixed tables; write CREATE TEMP TABLE name');
  }
  k = t.nameEnd(k);
  if (t.isOp(k, '(')) {
    const close = t.close(k);
    elements(t, k, close);
    k = close + 1;
  }
  tableTail(t, k);
}

/** Table attributes after the column list (or the name, for CTAS and materialized views), up to AS. */
function tableTail(t: Translation, from: number): void {
  let k = from;
  while (k < t.size) {
    const w = t.word(k);
    if (w === 'AS') return;
    if (t.isOp(k, '(')) {
      k = t.close(k) + 1;
    } else if (w === 'DISTSTYLE') {
      const style = t.word(k + 1);
      if (!DISTSTYLES.has(style)) {
        t.fail(k, `DISTSTYLE ${t.text(k + 1)}`, 'is not a Redshift distribution style; use AUTO, EVEN, KEY or ALL');
      }
      t.remove(k, k + 1);
      k += 2;
    } else if (w === 'DISTKEY' && t.isOp(k + 1, '(')) {
      const end = t.close(k + 1);
      t.remove(k, end);
      k = end + 1;
    } else if ((w === 'COMPOUND' || w === 'INTERLEAVED') && t.word(k + 1) === 'SORTKEY' && t.isOp(k + 2, '(')) {
      const end = t.close(k + 2);
      t.remove(k, end);
      k = end + 1;
    } else if (w === 'SORTKEY' && t.isOp(k + 1, '(')) {
      const end = t.close(k + 1);
      t.remove(k, end);
      k = end + 1;
    } else if (w === 'SORTKEY' && t.word(k + 1) === 'AUTO') {
      t.remove(k, k + 1);
      k += 2;
    } else if (w === 'BACKUP' && ['YES', 'NO'].includes(t.word(k + 1))) {
      t.remove(k, k + 1);
      k += 2;
    } else if (w === 'ENCODE') {
      if (t.word(k + 1) !== 'AUTO') {
        t.fail(k, `table-level ENCODE ${t.text(k + 1)}`, 'Redshift only accepts ENCODE AUTO here; put codecs on the columns');
      }
      t.remove(k, k + 1);
      k += 2;
    } else if (t.isWords(k, 'AUTO', 'REFRESH')) {
      if (t.word(k + 2) === 'YES') {
        t.fail(
          k,
          'AUTO REFRESH YES',
          'PostgreSQL never refreshes a materialized view by itself; run REFRESH MATERIALIZED VIEW in the plan and say AUTO REFRESH NO',
        );
      }
      t.remove(k, k + 2);
      k += 3;
    } else k += 1;
  }
}

/** The parenthesised list of CREATE TABLE: columns, LIKE, and table constraints. */
function elements(t: Translation, open: number, close: number): void {
  const starts = [open + 1];
  const commas: number[] = [];
  for (let k = open + 1; k < close; k++) {
    if (t.isOp(k, '(')) k = t.close(k);
    else if (t.isOp(k, ',')) {
      commas.push(k);
      starts.push(k + 1);
    }
  }
  const kept = starts.map((s, j) => {
    const end = (commas[j] ?? close) - 1;
    if (s > end) return true;
    if (informationalConstraint(t, s)) {
      t.remove(s, end);
      return false;
    }
    if (t.word(s) !== 'LIKE') column(t, s, end);
    return true;
  });
  // Keep exactly the commas that separate two kept elements.
  commas.forEach((comma, j) => {
    const keptBefore = kept.slice(0, j + 1).some(Boolean);
    if (!kept[j + 1] || !keptBefore) t.remove(comma);
  });
}

/** Table-level [CONSTRAINT n] PRIMARY KEY (..) | UNIQUE (..) | FOREIGN KEY (..) REFERENCES .. */
function informationalConstraint(t: Translation, s: number): boolean {
  const k = t.word(s) === 'CONSTRAINT' ? s + 2 : s;
  return t.isWords(k, 'PRIMARY', 'KEY') || t.isWords(k, 'FOREIGN', 'KEY') || (t.word(k) === 'UNIQUE' && t.isOp(k + 1, '('));
}

/** One column definition: name, type, then attributes and constraints, from s to end inclusive. */
function column(t: Translation, s: number, end: number): void {
  if (s + 1 <= end) type_(t, s + 1);
  let k = s + 1;
  while (k <= end) {
    const w = t.word(k);
    if (t.isOp(k, '(')) {
      k = t.close(k) + 1;
    } else if (w === 'ENCODE') {
      if (!t.word(k + 1)) t.fail(k, 'ENCODE without a codec', 'name the codec (for example ENCODE zstd) or drop ENCODE');
      t.remove(k, k + 1);
      k += 2;
    } else if (w === 'DISTKEY' || w === 'SORTKEY') {
      t.remove(k);
      k += 1;
    } else if (w === 'IDENTITY' && t.isOp(k + 1, '(')) {
      k = identity(t, k, k + 1) + 1;
    } else if (t.isWords(k, 'GENERATED', 'BY', 'DEFAULT', 'AS', 'IDENTITY') && t.isOp(k + 5, '(')) {
      // Redshift writes (seed, step); PostgreSQL's own (START WITH ..) form passes through.
      k = t.word(k + 6) ? t.close(k + 5) + 1 : identity(t, k, k + 5) + 1;
    } else if (w === 'COLLATE') {
      const collation = t.word(k + 1);
      if (collation === 'CASE_INSENSITIVE' || collation === 'CI') {
        t.fail(k, `COLLATE ${t.text(k + 1)}`, 'PostgreSQL has no case-insensitive default collation; compare with LOWER() instead');
      }
      if (collation === 'CASE_SENSITIVE' || collation === 'CS') t.remove(k, k + 1);
      k += 2;
    } else if (w === 'CONSTRAINT' && ['PRIMARY', 'UNIQUE', 'REFERENCES'].includes(t.word(k + 2))) {
      t.remove(k, k + 1);
      k += 2;
    } else if (t.isWords(k, 'PRIMARY', 'KEY')) {
      t.remove(k, k + 1);
      k += 2;
    } else if (w === 'UNIQUE') {
      t.remove(k);
      k += 1;
    } else if (w === 'REFERENCES') {
      let last = t.nameEnd(k + 1) - 1;
      if (t.isOp(last + 1, '(')) last = t.close(last + 1);
      t.remove(k, last);
      k = last + 1;
    } else k += 1;
  }
}

/** IDENTITY(seed, step) or GENERATED BY DEFAULT AS IDENTITY(seed, step), `from`..`open`'s ')'. */
function identity(t: Translation, from: number, open: number): number {
  const close = t.close(open);
  const args: string[][] = [[]];
  for (let k = open + 1; k < close; k++) {
    if (t.isOp(k, ',')) args.push([]);
    else args.at(-1)?.push(t.text(k));
  }
  const values = args.map((a) => a.join(''));
  const [seed, step] = values.map(Number);
  if (values.length !== 2 || !values.every((v) => /^[+-]?\d+$/.test(v)) || seed === undefined || !step) {
    t.fail(from, `IDENTITY(${values.join(', ')})`, 'write IDENTITY(seed, step) with two integer literals, step not 0');
  }
  // PostgreSQL sequences stop at 1 (ascending) or -1 (descending) by default; Redshift seeds may pass it.
  const bound = step > 0 ? (seed < 1 ? ` MINVALUE ${seed}` : '') : seed > -1 ? ` MAXVALUE ${seed}` : '';
  t.replace(from, close, `GENERATED BY DEFAULT AS IDENTITY (START WITH ${seed} INCREMENT BY ${step}${bound})`);
  return close;
}

/** End of VARCHAR(MAX) / NVARCHAR(MAX) / CHARACTER VARYING(MAX) starting at k, or -1. */
function maxString(t: Translation, k: number): number {
  const w = t.word(k);
  const varying = t.isWords(k, 'CHARACTER', 'VARYING') || t.isWords(k, 'CHAR', 'VARYING');
  const open = varying ? k + 2 : k + 1;
  const named = varying || w === 'VARCHAR' || w === 'NVARCHAR';
  return named && t.isOp(open, '(') && t.word(open + 1) === 'MAX' && t.isOp(open + 2, ')') ? open + 2 : -1;
}

/**
 * Redshift-only type names at a type position k, and Redshift's defaults where the DDL gives no
 * length or precision (https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html):
 * VARCHAR and TEXT are VARCHAR(256), BPCHAR is CHAR(256), DECIMAL is DECIMAL(18,0), VARCHAR(MAX) is 65535.
 */
function type_(t: Translation, k: number): void {
  if (t.edited(k)) return;
  const w = t.word(k);
  const withLength = (to: number) => (t.isOp(to + 1, '(') ? t.close(to + 1) : to);
  const varying = t.isWords(k, 'CHARACTER', 'VARYING') || t.isWords(k, 'CHAR', 'VARYING');
  const max = maxString(t, k);
  if (max >= 0) t.replace(k, max, 'VARCHAR(65535)');
  else if (varying && !t.isOp(k + 2, '(')) t.replace(k, k + 1, 'VARCHAR(256)');
  else if ((w === 'VARCHAR' || w === 'NVARCHAR') && !t.isOp(k + 1, '(')) t.replace(k, k, 'VARCHAR(256)');
  else if (w === 'TEXT') t.replace(k, k, 'VARCHAR(256)');
  else if (w === 'BPCHAR' && !t.isOp(k + 1, '(')) t.replace(k, k, 'CHAR(256)');
  else if ((w === 'NUMERIC' || w === 'DECIMAL') && !t.isOp(k + 1, '(')) t.replace(k, k, 'NUMERIC(18,0)');
  else if (w === 'SUPER') t.replace(k, k, 'JSON');
  else if (w === 'NVARCHAR') t.replace(k, k, 'VARCHAR');
  else if (w === 'VARBYTE' || w === 'VARBINARY') t.replace(k, withLength(k), 'BYTEA');
  else if (t.isWords(k, 'BINARY', 'VARYING')) t.replace(k, withLength(k + 1), 'BYTEA');
  else if (w === 'HLLSKETCH') {
    t.fail(k, `type ${t.text(k)}`, 'has no PostgreSQL equivalent offline; keep such columns out of the warehouse tables');
  }
  // GEOMETRY and GEOGRAPHY are PostGIS's types of those names (local/spatial.ts installs PostGIS).
}

function view(t: Translation): void {
  // Late-binding views: PostgreSQL binds at creation, which is fine once the tables exist.
  const n = t.size;
  if (n >= 4 && t.isWords(n - 4, 'WITH', 'NO', 'SCHEMA', 'BINDING')) t.remove(n - 4, n - 1);
}

function schema(t: Translation, at: number): void {
  for (let k = at; k < t.size; k++) {
    if (t.word(k) !== 'QUOTA') continue;
    // QUOTA n {MB|GB|TB} | QUOTA UNLIMITED: storage limits do not exist offline.
    const last = t.word(k + 1) === 'UNLIMITED' ? k + 1 : k + 2;
    t.remove(k, last);
    return;
  }
}

function routine(t: Translation, at: number): void {
  for (let k = at; k < t.size; k++) {
    if (t.word(k) === 'LANGUAGE' && t.word(k + 1).startsWith('PLPYTHON')) {
      t.fail(k, `LANGUAGE ${t.text(k + 1)}`, 'Python UDFs do not exist in PostgreSQL; write the function in SQL or plpgsql');
    }
    if (t.word(k) === 'NONATOMIC') {
      t.fail(k, 'NONATOMIC procedure', 'commits inside the procedure would break the all-or-nothing reload; drop NONATOMIC');
    }
    if (t.token(k)?.kind === 'dollar') executedStatements(t, k);
  }
}

/**
 * Inside a procedure body, `EXECUTE 'statement'` whose literal is a whole CREATE USER, CREATE ROLE,
 * GRANT or REVOKE runs a statement PostgreSQL spells differently: it is translated
 * (CREATE USER ... PASSWORD DISABLE in sql/security/create_identities_procedure.sql). Everything
 * else in a body passes byte for byte, dynamic SQL included, as PostgreSQL runs it.
 */
function executedStatements(t: Translation, k: number): void {
  const body = t.text(k);
  const tag = /^\$[^$]*\$/.exec(body)?.[0] ?? '$$';
  const inner = body.slice(tag.length, body.length - tag.length);
  const tokens = tokenize(inner, () => {
    throw new DialectError('<sql>', t.lineOf(k), 'an unterminated procedure body', 'close it');
  });
  const significant = tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
  let out = '';
  let at = 0;
  significant.forEach((token, n) => {
    const next = significant[n + 1];
    const executed = significant[n - 1]?.text.toUpperCase() === 'EXECUTE' && token.kind === 'string' && next?.text === ';';
    if (!executed) return;
    const statement = token.text.slice(1, -1).replace(/''/g, "'");
    if (!/^\s*(CREATE\s+(USER|ROLE)|GRANT|REVOKE)\b/i.test(statement)) return;
    const translated = toPostgres(statement, { file: '<procedure body>', line: t.lineOf(k) });
    out += inner.slice(at, token.start) + `'${translated.replace(/'/g, "''")}'`;
    at = token.start + token.text.length;
  });
  if (at === 0) return;
  t.replace(k, k, `${tag}${out}${inner.slice(at)}${tag}`);
}

/**
 * CREATE ROLE role_name [ EXTERNALID external_id ] (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_ROLE.html):
 * a PostgreSQL role that cannot log in, which is what CREATE ROLE makes there too.
 */
function createRole(t: Translation, k: number): void {
  if (t.word(k + 2) === 'EXTERNALID') {
    t.fail(k + 2, 'CREATE ROLE ... EXTERNALID', 'identity-provider roles have no offline equivalent; create the role without EXTERNALID');
  }
}

/**
 * CREATE USER name [ WITH ] PASSWORD { 'password' | DISABLE } [ option ... ]
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html). DISABLE: "the user can
 * log on only using temporary AWS Identity and Access Management (IAM) user credentials", which
 * have no offline equivalent: no one signs in as the user. PASSWORD NULL alone would not do it: a
 * server whose pg_hba.conf trusts a host (as CI's and many a development server's do) lets anyone
 * connect as a user with no password. CONNECTION LIMIT 0 refuses every connection of a user that is
 * not a superuser, however it authenticates, and keeps it a user (pg_user lists it, which the
 * bootstrap's procedure and the catalog views read), where NOLOGIN would make it a role; the twin
 * still acts as it by SET ROLE. CREATEUSER makes a superuser on Redshift, which the twin never creates.
 */
function createUser(t: Translation, k: number): void {
  userOptions(t, k + 2, 'CREATE USER');
}

/**
 * ALTER USER username [ WITH ] option [, ... ] (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_USER.html),
 * its options as CREATE USER's, separated by spaces as PostgreSQL writes them. A password given
 * again lifts the connection limit PASSWORD DISABLE set (unless the statement sets one); SET and
 * RESET of a parameter are PostgreSQL's own. Known difference: a later CONNECTION LIMIT alone lifts
 * that limit too, where Redshift keeps the user IAM-only.
 */
function alterUser(t: Translation): void {
  const k = t.word(3) === 'WITH' ? 4 : 3;
  if (t.word(k) === 'SET' || (t.word(k) === 'RESET' && t.word(k + 1) !== 'SESSION')) return;
  for (let j = k; j < t.size; j++) if (t.isOp(j, ',')) t.remove(j);
  userOptions(t, k, 'ALTER USER');
}

/** CREATE USER's and ALTER USER's options from token k: see createUser for PASSWORD DISABLE. */
function userOptions(t: Translation, k: number, statement: string): void {
  let disabled: number | undefined;
  let password: number | undefined;
  let limit: number | undefined;
  for (let j = k; j < t.size; j++) {
    const w = t.word(j);
    if (w === 'PASSWORD' && t.word(j + 1) === 'DISABLE') disabled = j + 1;
    else if (w === 'PASSWORD' && t.text(j + 1).startsWith("'")) password = j + 1;
    if (w === 'CONNECTION' && t.word(j + 1) === 'LIMIT') limit = j + 2;
    if (w === 'CREATEUSER') t.fail(j, `${statement} ... CREATEUSER`, 'makes a superuser; the twin creates none: drop CREATEUSER');
    if (w === 'NOCREATEUSER') t.replace(j, j, 'NOSUPERUSER');
    if (['SYSLOG', 'SESSION', 'EXTERNALID'].includes(w)) {
      t.fail(j, `${statement} ... ${w}`, 'has no PostgreSQL equivalent offline; leave it out of the statement');
    }
  }
  if (password !== undefined && limit === undefined && statement === 'ALTER USER')
    t.replace(password, password, `${t.text(password)} CONNECTION LIMIT -1`);
  if (disabled === undefined) {
    if (limit !== undefined && t.word(limit) === 'UNLIMITED') t.replace(limit, limit, '-1');
    return;
  }
  if (limit === undefined) return t.replace(disabled, disabled, 'NULL CONNECTION LIMIT 0');
  t.replace(disabled, disabled, 'NULL');
  t.replace(limit, limit, '0');
}

/**
 * GRANT and REVOKE (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, r_REVOKE.html):
 * `ROLE name` as a grantee or as the role granted is PostgreSQL's bare name. ASSUMEROLE has nothing
 * to guard offline: the twin's COPY reads a local folder and assumes no IAM role, so it becomes a
 * comment. Redshift's system permissions (GRANT CREATE USER TO ROLE r, ...) are not PostgreSQL's.
 */
function grant(t: Translation): void {
  if (t.word(1) === 'ASSUMEROLE') {
    t.noop = `${t.word(0)} ASSUMEROLE: the offline COPY reads a local folder and assumes no IAM role`;
    return;
  }
  let grantees = false;
  for (let k = 1; k < t.size; k++) {
    if (['TO', 'FROM'].includes(t.word(k))) grantees = true;
    if (t.word(k) !== 'ROLE') continue;
    // GRANT ROLE a, ROLE b TO ...: the roles granted; TO ROLE r, ROLE s: the grantees.
    const listed = k === 1 || t.isOp(k - 1, ',') || (grantees && ['TO', 'FROM'].includes(t.word(k - 1)));
    if (listed && (grantees || t.word(1) === 'ROLE')) t.remove(k);
  }
  for (let k = 1; k < t.size; k++) if (t.isWords(k, 'ON', 'DATABASE')) return onCurrentDatabase(t, k + 2);
}

/**
 * GRANT/REVOKE ... ON DATABASE name: the deployed database's name (sparkify:databaseName, which
 * sql/security/revoke_temp_on_database_from_public.sql binds) is not the twin's, which PGlite or
 * the server chose. The twin holds one database, so any name means the one it runs in:
 * current_database(). PostgreSQL takes only a name there (no expression), so the statement runs
 * through EXECUTE in a DO block, the name spliced in with quote_ident; both dollar tags are ones
 * the statement does not hold, so nothing in it can end them.
 */
function onCurrentDatabase(t: Translation, k: number): void {
  const name = t.token(k);
  if (name?.kind !== 'word' && name?.kind !== 'quoted') return t.fail(k - 1, 'ON DATABASE without a name', 'name the database');
  if (t.isOp(k + 1, ',') || t.isOp(k + 1, '.')) {
    return t.fail(k + 1, 'ON DATABASE with more than one database', "the twin holds one database: name the warehouse's alone");
  }
  const last = t.size - 1;
  if (k >= last) return t.fail(k, `${t.word(0)} ... ON DATABASE without grantees`, `add ${t.word(0) === 'GRANT' ? 'TO' : 'FROM'} and who`);
  const block = unusedDollarTag(t.sql, 'on_database');
  const text = unusedDollarTag(t.sql, 'statement');
  t.replace(0, 0, `DO ${block} BEGIN EXECUTE ${text}${t.text(0)}`);
  t.replace(k, k, `${text} || quote_ident(current_database()) || ${text}`);
  t.replace(last, last, `${t.text(last)}${text}; END ${block}`);
}

/** `$name$`, else `$name_1$`, ...: the first dollar tag `sql` does not hold. */
function unusedDollarTag(sql: string, name: string): string {
  let tag = `$${name}$`;
  for (let n = 1; sql.includes(tag); n++) tag = `$${name}_${n}$`;
  return tag;
}

/** set_config('role' | 'session_authorization', ...) changes who the session is, like SET ROLE: refused. */
function identityFunctions(t: Translation): void {
  for (let k = 0; k + 2 < t.size; k++) {
    if (t.word(k) !== 'SET_CONFIG' || !t.isOp(k + 1, '(')) continue;
    const name = t.text(k + 2).toLowerCase();
    if (name === "'role'" || name === "'session_authorization'") {
      t.fail(
        k,
        `SET_CONFIG(${t.text(k + 2)}, ...)`,
        'changes who the session is; the twin runs a load as the loader and a query as the analyst (or the loader with --write)',
      );
    }
  }
}

function alter(t: Translation): void {
  if (t.word(1) === 'DATASHARE') {
    return t.fail(1, 'ALTER DATASHARE', 'data sharing has no offline equivalent; keep it out of the load plan');
  }
  if (t.word(1) === 'USER') return alterUser(t);
  if (t.word(1) !== 'TABLE') return;
  let k = 2;
  if (t.isWords(k, 'IF', 'EXISTS')) k += 2;
  k = t.nameEnd(k);
  const action = t.word(k);
  const physical = 'changes only Redshift physical design and has no PostgreSQL equivalent; declare it in CREATE TABLE instead';
  if (action === 'APPEND') {
    return t.fail(k, 'ALTER TABLE APPEND', 'moves Redshift storage blocks; use INSERT INTO .. SELECT then DELETE instead');
  }
  if (action === 'ALTER') {
    const what = t.word(k + 1);
    if (['DISTSTYLE', 'DISTKEY', 'SORTKEY', 'COMPOUND', 'INTERLEAVED', 'ENCODE'].includes(what)) {
      return t.fail(k, `ALTER TABLE ALTER ${what}`, physical);
    }
    if (what === 'COLUMN' && t.word(k + 3) === 'ENCODE') return t.fail(k, 'ALTER COLUMN .. ENCODE', physical);
    if (what === 'COLUMN' && t.word(k + 3) === 'TYPE') type_(t, k + 4);
    return;
  }
  if (action === 'ADD') {
    if (informationalConstraint(t, k + 1)) {
      t.noop = 'informational constraint (PRIMARY KEY, UNIQUE, FOREIGN KEY) not created: Redshift does not enforce it';
      return;
    }
    const s = t.word(k + 1) === 'COLUMN' ? k + 2 : k + 1;
    if (t.word(s) !== 'CONSTRAINT') column(t, s, t.size - 1);
    return;
  }
  // The informational constraints were never created offline.
  if (t.isWords(k, 'DROP', 'CONSTRAINT') && t.word(k + 2) !== 'IF') {
    t.replace(k + 2, k + 2, `IF EXISTS ${t.text(k + 2)}`);
  }
}

/**
 * Redshift's query_group, a session label with no default: SHOW prints unset
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_query_group.html, r_SHOW.html, r_CURRENT_SETTING.html).
 * PostgreSQL takes a setting of its own only with a dotted name, so SET, RESET and SHOW, CURRENT_SETTING and
 * SET_CONFIG all name it sparkify.query_group; unset (or '' once a SET LOCAL ends) reads as 'unset'.
 */
const QUERY_GROUP = 'sparkify.query_group';
const QUERY_GROUP_VALUE = `COALESCE(NULLIF(pg_catalog.current_setting('${QUERY_GROUP}', true), ''), 'unset')`;

/** CURRENT_SETTING('query_group') and SET_CONFIG('query_group', ...) on the twin's sparkify.query_group. */
function queryGroupCalls(t: Translation): void {
  for (let k = 0; k + 2 < t.size; k++) {
    const w = t.word(k);
    if (!['CURRENT_SETTING', 'SET_CONFIG'].includes(w) || t.isOp(k - 1, '.') || !t.isOp(k + 1, '(') || t.edited(k)) continue;
    if (t.text(k + 2).toLowerCase() !== "'query_group'") continue;
    const { close, args } = argRanges(t, k + 1);
    if (w === 'SET_CONFIG') t.replace(k + 2, k + 2, `'${QUERY_GROUP}'`);
    else if (args.length === 1) t.replace(k, close, `${QUERY_GROUP_VALUE}${named(t, k, close) ? ' AS current_setting' : ''}`);
  }
}

/** Who the session is: the twin sets it (the loader for a load, the analyst for a query), never the SQL it runs. */
const IDENTITY_SETTINGS = new Set(['ROLE', 'AUTHORIZATION', 'ALL']);

function setting(t: Translation): void {
  let k = 1;
  if (['SESSION', 'LOCAL'].includes(t.word(k))) k += 1;
  const name = t.word(k);
  if (t.word(0) === 'SHOW' && name !== 'QUERY_GROUP') return;
  if (IDENTITY_SETTINGS.has(name)) {
    t.fail(
      k,
      `${t.word(0)} ${t.word(k - 1) === 'SESSION' ? 'SESSION ' : ''}${name}`,
      'changes who the session is; the twin runs a load as the loader and a query as the analyst (or the loader with --write), as Redshift signs them in',
    );
  }
  if (name === 'QUERY_GROUP') {
    if (t.word(0) === 'SHOW') t.replace(0, t.size - 1, `SELECT ${QUERY_GROUP_VALUE} AS query_group`);
    else t.replace(k, k, QUERY_GROUP);
  } else if (name === 'ENABLE_CASE_SENSITIVE_SUPER_ATTRIBUTE') {
    t.replace(0, t.size - 1, superAttributeSetting(t.word(0), t.word(t.size - 1)));
  } else if (TUNING_SETTINGS.has(name)) {
    t.noop = `${name.toLowerCase()} only tunes Redshift workload management or caching`;
  } else if (SEMANTIC_SETTINGS.has(name)) {
    t.fail(
      k,
      `${t.word(0)} ${t.text(k)}`,
      'changes how Redshift reads identifiers or JSON, which PostgreSQL cannot mirror; write the SQL so it does not depend on it',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions, anywhere in a statement

/** Whether the statement has a FROM anywhere (a table, subquery or function it reads). */
function readsFrom(t: Translation): boolean {
  for (let k = 0; k < t.size; k++) if (t.word(k) === 'FROM') return true;
  return false;
}

function expressions(t: Translation): void {
  const openers: string[] = []; // the word before each open '(' (CAST, EXTRACT, ...)
  for (let k = 0; k < t.size; k++) {
    const w = t.word(k);
    const prevDot = t.isOp(k - 1, '.');
    if (t.isOp(k, '(')) openers.push(t.word(k - 1));
    else if (t.isOp(k, ')')) openers.pop();
    if (t.edited(k)) continue;

    const max = maxString(t, k);
    if (max >= 0) {
      t.replace(k, max, 'TEXT');
    } else if (t.isOp(k, '::')) {
      if (!varbyteCast(t, k)) type_(t, k + 1);
    } else if (SUPER_CONSTRUCTOR_NAMES[w] && !prevDot && t.isOp(k + 1, '(')) {
      // ARRAY(...) and OBJECT(...) as local/super/navigation.ts wrote them: named array and object.
      const close = t.close(k + 1);
      if (named(t, k, close)) t.replace(close, close, `) AS "${SUPER_CONSTRUCTOR_NAMES[w]}"`);
    } else if (w === 'SPARKIFY_SUPER_CAST' && t.word(k - 2) === 'PUBLIC' && t.isOp(k + 1, '(')) {
      superCastName(t, k);
    } else if (w === 'AS' && openers.at(-1) === 'CAST') {
      type_(t, k + 1);
    } else if (w === 'NVL' && !prevDot && t.isOp(k + 1, '(')) {
      t.replace(k, k, 'COALESCE'); // NVL(a, b, ...) is exactly COALESCE in Redshift
    } else if (w === 'SYSDATE' && !prevDot && !t.isOp(k + 1, '(')) {
      // The transaction start, without time zone; named timestamp (r_SYSDATE.html).
      t.replace(k, k, `LOCALTIMESTAMP${named(t, k, k) ? ' AS "timestamp"' : ''}`);
    } else if (w === 'CURRENT_USER_ID' && !prevDot && !t.isOp(k + 1, '(')) {
      // A reserved word (https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html), so never a
      // column: the prelude's current_user_id(), named current_user_id (r_CURRENT_USER_ID.html).
      t.replace(k, k, 'current_user_id()');
    } else if (w === 'CURRENT_NAMESPACE' && !prevDot && !t.isOp(k + 1, '(') && !readsFrom(t)) {
      // Syntax, not a call (r_CURRENT_NAMESPACE.html): the prelude's current_namespace(), named
      // current_namespace. Where the statement reads a table, the word may be one of its columns.
      t.replace(k, k, 'current_namespace()');
    } else if (w === 'USER' && !prevDot && !t.isOp(k + 1, '(') && named(t, k, k)) {
      // CURRENT_USER's synonym, named current_user (r_CURRENT_USER_ID.html, r_CURRENT_NAMESPACE.html and
      // r_CURRENT_AWS_ACCOUNT.html print select user, ... under current_user); PostgreSQL names it user.
      t.replace(k, k, 'USER AS "current_user"');
    } else if (w === 'CURRENT_DATE' && !prevDot && !t.isOp(k + 1, '(')) {
      // Named date (https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_DATE_function.html).
      if (named(t, k, k)) t.replace(k, k, 'CURRENT_DATE AS "date"');
    } else if (w === 'LOG' && !prevDot && t.isOp(k + 1, '(') && argRanges(t, k + 1).args.length === 1) {
      // A synonym of DLOG10: a DOUBLE PRECISION, named dlog10 (https://docs.aws.amazon.com/redshift/latest/dg/r_LOG.html).
      t.replace(k, k, 'DLOG10');
    } else if (DOUBLE_RESULTS.has(w) && !prevDot && t.isOp(k + 1, '(')) {
      doubleResult(t, k);
    } else if (w === 'GETDATE' && !prevDot && t.isOp(k + 1, '(') && t.isOp(k + 2, ')')) {
      // The prelude's getdate(); named timestamp (https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html).
      if (named(t, k, k + 2)) t.replace(k + 2, k + 2, ') AS "timestamp"');
    } else if (['EXTRACT', 'DATE_PART', 'PGDATE_PART'].includes(w) && !prevDot && t.isOp(k + 1, '(')) {
      datePart(t, k);
    } else if (REGEXP_ARGUMENTS[w] && !prevDot && t.isOp(k + 1, '(')) {
      regexp(t, k);
    } else if (w === 'TO_TIMESTAMP' && !prevDot && t.isOp(k + 1, '(') && argRanges(t, k + 1).args.length >= 2) {
      // Redshift's TO_TIMESTAMP (https://docs.aws.amazon.com/redshift/latest/dg/r_TO_TIMESTAMP.html) is the prelude's.
      t.replace(k, k, 'public.to_timestamp');
    } else if ((w === 'AVG' || w === 'SUM') && !prevDot && t.isOp(k + 1, '(')) {
      // Redshift's result types (https://docs.aws.amazon.com/redshift/latest/dg/r_AVG.html, r_SUM.html) are the prelude's aggregates.
      t.replace(k, k, `public.${w.toLowerCase()}`);
    } else if (w === 'CONVERT' && !prevDot && t.isOp(k + 1, '(')) {
      convert(t, k);
    } else if (w === 'NVL2' && !prevDot && t.isOp(k + 1, '(')) {
      nvl2(t, k);
    } else if (w === 'DECODE' && !prevDot && t.isOp(k + 1, '(') && argRanges(t, k + 1).args.length >= 3) {
      decode(t, k); // two arguments is PostgreSQL's decode(text, format), which Redshift does not have
    } else if (w === 'LISTAGG' && !prevDot && t.isOp(k + 1, '(')) {
      listagg(t, k);
    } else if ((w === 'DATEADD' || w === 'DATEDIFF') && !prevDot && t.isOp(k + 1, '(')) {
      // The date part is a bare word in Redshift; the prelude's functions take it as a string.
      const part = t.word(k + 2);
      if (part && t.isOp(k + 3, ',')) {
        if (!DATEADD_PARTS.has(part)) {
          t.fail(
            k + 2,
            `${w}(${t.text(k + 2)}, ...)`,
            'is not a date part Redshift documents for DATEADD and DATEDIFF (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html)',
          );
        }
        t.replace(k + 2, k + 2, `'${part.toLowerCase()}'`);
      }
      // Named date_add and date_diff (the examples of r_DATEADD_function.html and r_DATEDIFF_function.html).
      const close = t.close(k + 1);
      if (named(t, k, close) && !t.edited(close)) t.replace(close, close, `) AS "${w === 'DATEADD' ? 'date_add' : 'date_diff'}"`);
    } else if (w === 'APPROXIMATE' && ['COUNT', 'PERCENTILE_DISC'].includes(t.word(k + 1)) && t.isOp(k + 2, '(')) {
      // https://docs.aws.amazon.com/redshift/latest/dg/r_COUNT.html: APPROXIMATE COUNT(DISTINCT ...)
      // uses HyperLogLog with a relative error of about 2%; an exact count is within that error.
      // https://docs.aws.amazon.com/redshift/latest/dg/r_APPROXIMATE_PERCENTILE_DISC.html: likewise
      // within its documented error bound.
      t.remove(k);
    } else if (!prevDot && t.isOp(k + 1, '(') && (SPATIAL_OVERRIDES.has(w.toLowerCase()) || w === 'ST_COLLECT')) {
      spatialCall(t, k);
    } else if (w === 'MINUS' && !prevDot && (t.word(k + 1) === 'SELECT' || t.isOp(k + 1, '('))) {
      // https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html: MINUS is a synonym for EXCEPT.
      t.replace(k, k, 'EXCEPT');
    }
  }
}

/**
 * EXTRACT(part FROM source) and DATE_PART(part, source) (PGDATE_PART is its synonym) call the
 * prelude's public.date_part and public.pgdate_part (local/prelude/redshift-functions.ts), which
 * give Redshift's types and values; by their names, the columns are named as Redshift names them
 * (date_part for EXTRACT, https://docs.aws.amazon.com/redshift/latest/dg/r_EXTRACT_function.html;
 * pgdate_part for DATE_PART, https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html).
 * The part is a word or a string literal, passed by its full name.
 */
function datePart(t: Translation, k: number): void {
  const extract = t.word(k) === 'EXTRACT';
  const { close, args } = argRanges(t, k + 1);
  const [partAt, sourceFrom] = extract ? [k + 2, k + 4] : [k + 2, (args[1] ?? [close])[0]];
  const separated = extract ? t.word(k + 3) === 'FROM' : args.length === 2 && args[0]?.[1] === k + 2;
  const token = t.token(partAt);
  const written = token?.kind === 'string' ? t.text(partAt).slice(1, -1) : token?.kind === 'word' ? t.text(partAt) : '';
  const part = DATE_PARTS[written.toUpperCase()];
  const call = `${t.word(k)}(${t.text(partAt)}${extract ? ' FROM' : ','} ...)`;
  if (!separated || sourceFrom >= close) {
    return t.fail(k, call, extract ? 'write EXTRACT(datepart FROM source)' : 'write DATE_PART(datepart, source)');
  }
  if (!part) {
    return t.fail(
      partAt,
      `${call} is Redshift SQL that the offline twin does not run`,
      'name a date part Redshift documents (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html), as a word or a string literal',
    );
  }
  t.replace(k, close, `public.${extract ? 'date_part' : 'pgdate_part'}('${part}', ${t.expr(sourceFrom, close - 1)})`);
}

/** Redshift's DATEADD/DATEDIFF date parts and abbreviations (r_Dateparts_for_datetime_functions.html). */
const DATEADD_PARTS = new Set(
  [
    'millennium millennia mil mils century centuries c cent cents decade decades dec decs',
    'year years y yr yrs quarter quarters qtr qtrs month months mon mons week weeks w day days d',
    'hour hours h hr hrs minute minutes m min mins second seconds s sec secs',
    'millisecond milliseconds ms msec msecs msecond mseconds millisec millisecs millisecon',
    'microsecond microseconds microsec microsecs usecond useconds us usec usecs',
  ]
    .join(' ')
    .toUpperCase()
    .split(' '),
);

/** What ends a select-list item besides ',' and ')'. */
const ITEM_ENDS = new Set([
  'FROM',
  'INTO',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'QUALIFY',
  'WINDOW',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
]);
/** Clause words that own a comma-separated list other than the select list. */
const LIST_OWNERS = new Set([
  'FROM',
  'WHERE',
  'BY',
  'HAVING',
  'VALUES',
  'ON',
  'SET',
  'RETURNING',
  'USING',
  'INTO',
  'LIMIT',
  'QUALIFY',
  'WINDOW',
]);

/**
 * Whether tokens from..to are a whole select-list item without an alias: where a rewrite changes
 * the name PostgreSQL would give the column, it adds AS "<Redshift's name>", the default column
 * name the function's page prints (https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html:
 * an item without an alias is named by Redshift), so --json keys and CTAS columns match.
 */
function named(t: Translation, from: number, to: number): boolean {
  const before = t.word(from - 1);
  const starts = t.isOp(from - 1, ',') || before === 'SELECT' || (['DISTINCT', 'ALL'].includes(before) && t.word(from - 2) === 'SELECT');
  const ends = to + 1 >= t.size || t.isOp(to + 1, ',') || t.isOp(to + 1, ')') || ITEM_ENDS.has(t.word(to + 1));
  if (!starts || !ends) return false;
  const { start } = blockOf(t, from);
  const own = level(t, start, from - 1);
  for (let i = own.length - 1; i >= 0; i--) {
    const w = t.word(own[i] ?? -1);
    if (w === 'SELECT') return true;
    if (LIST_OWNERS.has(w)) return false;
  }
  return false;
}

/**
 * The column name Redshift gives an unaliased cast: the type's name as its catalog spells it, as
 * PostgreSQL names its own casts (https://docs.aws.amazon.com/redshift/latest/dg/r_CAST_function.html
 * prints bpchar and numeric, r_RANDOM.html int4, limitations-super.html bool, r_VARBYTE_type.html
 * varbyte). Needed where the twin's cast is not PostgreSQL's cast to the same type name.
 */
const CAST_NAMES: Readonly<Record<string, string>> = {
  BOOL: 'bool',
  BOOLEAN: 'bool',
  SMALLINT: 'int2',
  INT2: 'int2',
  INT: 'int4',
  INTEGER: 'int4',
  INT4: 'int4',
  BIGINT: 'int8',
  INT8: 'int8',
  DECIMAL: 'numeric',
  NUMERIC: 'numeric',
  REAL: 'float4',
  FLOAT4: 'float4',
  FLOAT: 'float8',
  FLOAT8: 'float8',
  'DOUBLE PRECISION': 'float8',
  VARCHAR: 'varchar',
  NVARCHAR: 'varchar',
  TEXT: 'varchar',
  'CHARACTER VARYING': 'varchar',
  'CHAR VARYING': 'varchar',
  CHAR: 'bpchar',
  CHARACTER: 'bpchar',
  NCHAR: 'bpchar',
  BPCHAR: 'bpchar',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITHOUT TIME ZONE': 'timestamp',
  TIMESTAMPTZ: 'timestamptz',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  VARBYTE: 'varbyte',
  VARBINARY: 'varbyte',
  'BINARY VARYING': 'varbyte',
};

/** The first token of the operand of the cast whose `::` is at k (`5` in 5::int::varbyte), or -1. */
function castOperand(t: Translation, k: number): number {
  let s = k - 1;
  if (t.isOp(s, ')')) {
    for (let depth = 0; s >= 0; s--) {
      if (t.isOp(s, ')')) depth++;
      else if (t.isOp(s, '(') && --depth === 0) break;
    }
    if (s < 0) return -1;
    if (t.token(s - 1)?.kind === 'word' && t.word(s - 1) !== 'SELECT') s--;
  } else if (!['word', 'quoted', 'string', 'number'].includes(t.token(s)?.kind ?? '')) return -1;
  while (t.isOp(s - 1, '.') && t.token(s - 2) !== undefined) s -= 2;
  return t.isOp(s - 1, '::') ? castOperand(t, s - 1) : s;
}

/**
 * `x::VARBYTE` (the `::` at k): bytea offline, named varbyte as a whole unaliased select-list item
 * (r_VARBYTE_type.html prints `varbyte` for 'abc'::varbyte). False when k casts to another type.
 */
function varbyteCast(t: Translation, k: number): boolean {
  const w = t.word(k + 1);
  const two = t.isWords(k + 1, 'BINARY', 'VARYING');
  if (t.edited(k + 1) || (w !== 'VARBYTE' && w !== 'VARBINARY' && !two)) return false;
  const last = two ? k + 2 : k + 1;
  const end = t.isOp(last + 1, '(') ? t.close(last + 1) : last;
  const from = castOperand(t, k);
  t.replace(k + 1, end, from >= 0 && named(t, from, end) ? 'BYTEA AS "varbyte"' : 'BYTEA');
  return true;
}

/** public.sparkify_super_cast(v, NULL::type) (a cast through SUPER, local/super/navigation.ts), named by its type. */
function superCastName(t: Translation, k: number): void {
  const { close, args } = argRanges(t, k + 1);
  const [a, b] = args.at(-1) ?? [0, -1];
  if (t.word(a) !== 'NULL' || !t.isOp(a + 1, '::')) return;
  let last = b;
  if (t.isOp(last, ')')) last = t.sig.findIndex((_, j) => j > a && t.isOp(j, '(')) - 1;
  const type: string[] = [];
  for (let j = a + 2; j <= last; j++) type.push(t.word(j));
  const name = CAST_NAMES[type.join(' ')];
  if (name && named(t, k - 2, close)) t.replace(close, close, `) AS "${name}"`);
}

/**
 * Functions whose page says they return DOUBLE PRECISION where PostgreSQL also has a numeric
 * version (https://docs.aws.amazon.com/redshift/latest/dg/r_SQRT.html, r_EXP.html, r_POWER.html):
 * SQRT(ROUND(16.4)) is 4, not PostgreSQL's 4.000000000000000. Trigonometry, CBRT, PI, DEXP, DLOG10
 * and RANDOM have float8 versions only; LN returns its argument's type (r_LN.html) as PostgreSQL's does.
 */
const DOUBLE_RESULTS = new Set(['SQRT', 'EXP', 'POWER', 'POW']);

/** The first argument of the call at k made float8, so PostgreSQL picks its float8 version. */
function doubleResult(t: Translation, k: number): void {
  const { args } = argRanges(t, k + 1);
  const first = args[0];
  if (!first || t.edited(k + 1) || t.edited(first[1] + 1)) return;
  t.replace(k + 1, k + 1, '((');
  t.replace(first[1] + 1, first[1] + 1, `)::pg_catalog.float8${t.text(first[1] + 1)}`);
}

/** The top-level, comma-separated argument ranges [from, to] of the call whose '(' is at `open`. */
function argRanges(t: Translation, open: number): { readonly close: number; readonly args: [number, number][] } {
  const close = t.close(open);
  const args: [number, number][] = [];
  let start = open + 1;
  for (let k = open + 1; k <= close; k++) {
    if (k < close && t.isOp(k, '(')) k = t.close(k);
    else if (k === close || t.isOp(k, ',')) {
      if (k > start || args.length > 0 || k < close) args.push([start, k - 1]);
      start = k + 1;
    }
  }
  return { close, args };
}

/** Each REGEXP_ function's arguments after (source, pattern), in order (the Syntax of its page). */
const REGEXP_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  REGEXP_COUNT: ['position', 'parameters'],
  REGEXP_INSTR: ['position', 'occurrence', 'option', 'parameters'],
  REGEXP_SUBSTR: ['position', 'occurrence', 'parameters'],
  REGEXP_REPLACE: ['replace_string', 'position', 'parameters'],
};

/**
 * REGEXP_COUNT, REGEXP_INSTR, REGEXP_SUBSTR and REGEXP_REPLACE
 * (https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_COUNT.html, REGEXP_INSTR.html,
 * REGEXP_SUBSTR.html, REGEXP_REPLACE.html) on PostgreSQL's functions of the same names (15 and
 * later), called by schema. Redshift's pattern and parameters are string literals; the parameters
 * are c (case-sensitive, the default), i (case-insensitive), e (INSTR and SUBSTR: the first
 * subexpression, ignored when the pattern has none) and p (PCRE; regexpPattern). A position below
 * 1 is 1; an occurrence below 1 answers 0 (INSTR) or NULL (SUBSTR); an INSTR option other than 0
 * is 1; REGEXP_REPLACE replaces every match, with '' by default.
 */
function regexp(t: Translation, k: number): void {
  const fn = t.word(k);
  const names = REGEXP_ARGUMENTS[fn] ?? [];
  const { close, args } = argRanges(t, k + 1);
  const refuse = (what: string, advice: string): never =>
    t.fail(k, `${fn} ${what} is Redshift SQL that the offline twin does not run`, advice);
  if (args.length < 2 || args.length > 2 + names.length) {
    return t.fail(k, `${fn} with ${args.length} arguments`, `${fn} takes (source_string, pattern, ${names.join(', ')})`);
  }
  const arg = (name: string) => {
    const range = args[2 + names.indexOf(name)];
    return range ? t.expr(...range) : undefined;
  };
  const literal = (range: [number, number] | undefined, name: string): string | undefined => {
    if (!range) return undefined;
    const token = t.token(range[0]);
    if (range[0] !== range[1] || token?.kind !== 'string')
      return refuse(`with a ${name} that is not a string literal`, `write the ${name} as a string literal, as Redshift requires`);
    const read = stringValue(token.text);
    return 'value' in read ? read.value : refuse(`with the escape ${read.unsupported} in its ${name}`, 'write the character itself');
  };
  const parameters = literal(args[2 + names.indexOf('parameters')], 'parameters') ?? 'c';
  let flags = 'c';
  let pcre = false;
  let subexpression = false;
  for (const p of parameters) {
    if (p === 'c' || p === 'i') flags = p;
    else if (p === 'p') pcre = true;
    else if (p === 'e' && (fn === 'REGEXP_INSTR' || fn === 'REGEXP_SUBSTR')) subexpression = true;
    else return refuse(`parameter '${p}'`, `use c, i${fn === 'REGEXP_INSTR' || fn === 'REGEXP_SUBSTR' ? ', e' : ''} or p`);
  }
  const written = literal(args[1], 'pattern') ?? '';
  const translated = regexpPattern(written, pcre);
  if (typeof translated !== 'string') return refuse(`with the PCRE ${translated.construct}`, translated.advice);
  const pattern = postgresLiteral(translated);
  const source = t.expr(...(args[0] ?? [k, k]));
  const position = arg('position');
  const start = position === undefined ? '1' : `GREATEST((${position}), 1)`;
  const sub = subexpression && captures(translated) > 0 ? 1 : 0;
  let call: string;
  if (fn === 'REGEXP_COUNT') call = `pg_catalog.regexp_count(${source}, ${pattern}, ${start}, '${flags}')`;
  else if (fn === 'REGEXP_REPLACE') {
    const replacement = args[2] ? t.expr(...args[2]) : "''";
    call = `pg_catalog.regexp_replace(${source}, ${pattern}, public.sparkify_regexp_replacement(${replacement}), ${start}, 0, '${flags}')`;
  } else {
    const occurrence = arg('occurrence') ?? '1';
    const option = arg('option');
    const end = option === undefined ? '0' : `CASE WHEN (${option}) <> 0 THEN 1 ELSE 0 END`;
    const found =
      fn === 'REGEXP_INSTR'
        ? `pg_catalog.regexp_instr(${source}, ${pattern}, ${start}, GREATEST((${occurrence}), 1), ${end}, '${flags}', ${sub})`
        : `pg_catalog.regexp_substr(${source}, ${pattern}, ${start}, GREATEST((${occurrence}), 1), '${flags}', ${sub})`;
    const missing = fn === 'REGEXP_INSTR' ? '0' : 'NULL';
    // REGEXP_SUBSTR from past the end is '' (the page's position argument), PostgreSQL's NULL.
    const past = fn === 'REGEXP_SUBSTR' && position !== undefined ? ` WHEN (${start}) > char_length(${source}) THEN ''` : '';
    call = occurrence === '1' && !past ? found : `CASE WHEN (${occurrence}) < 1 THEN ${missing}${past} ELSE ${found} END`;
  }
  // REGEXP_SUBSTR and REGEXP_REPLACE return VARCHAR, compared as Redshift compares it (stringComparisons).
  const typed = fn === 'REGEXP_SUBSTR' || fn === 'REGEXP_REPLACE' ? `CAST(${call} AS pg_catalog.varchar)` : call;
  t.replace(k, close, `${typed}${named(t, k, close) ? ` AS "${fn.toLowerCase()}"` : ''}`);
}

/** The number of capturing groups in a PostgreSQL regular expression. */
function captures(pattern: string): number {
  let count = 0;
  let bracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\') i += 1;
    else if (bracket) bracket = c !== ']';
    else if (c === '[') {
      bracket = true;
      if (pattern.charAt(i + 1) === '^') i += 1;
      if (pattern.charAt(i + 1) === ']') i += 1;
    } else if (c === '(' && pattern.charAt(i + 1) !== '?') count += 1;
  }
  return count;
}

/**
 * Redshift's pattern as PostgreSQL's advanced regular expression. Without p it is POSIX, which
 * PostgreSQL's ARE extends (the POSIX operators page: Perl-style \d \w \s and their negations).
 * With p it is PCRE: what ARE reads the same way passes (look-ahead and look-behind, classes,
 * greedy quantifiers on single items, \d \w \s, back references), \b and \B become ARE's \y and
 * \Y; what PCRE reads differently is refused: alternation and quantified or lazy groups (PCRE
 * takes the first alternative that matches, ARE the longest match), lazy and possessive
 * quantifiers, named or atomic groups, inline options, and escapes ARE lacks or reads otherwise.
 */
function regexpPattern(pattern: string, pcre: boolean): string | { readonly construct: string; readonly advice: string } {
  if (!pcre) return pattern;
  const differs = (construct: string) => ({
    construct,
    advice: 'PostgreSQL cannot match it as PCRE does; write the pattern without it, or without the p parameter as a POSIX pattern',
  });
  let out = '';
  let bracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    const next = pattern.charAt(i + 1);
    if (c === '\\') {
      if (bracket || /[dDsSwWnrtfv.^$|?*+()[\]{}\\/-]/.test(next) || /[1-9]/.test(next) || next === 'A') out += c + next;
      else if (next === 'b' || next === 'B') out += next === 'b' ? '\\y' : '\\Y';
      else if (next === 'z') out += '\\Z';
      else return differs(`escape \\${next}`);
      i += 1;
    } else if (bracket) {
      out += c;
      if (c === ']') bracket = false;
    } else if (c === '[') {
      bracket = true;
      out += c;
      for (const lead of ['^', ']']) {
        if (pattern.charAt(i + 1) === lead) {
          out += lead;
          i += 1;
        }
      }
    } else if (c === '|') return differs('alternation |');
    else if (c === '(' && next === '?' && !/^\(\?(?:[:=!]|<[=!])/.test(pattern.slice(i)))
      return differs(`group ${pattern.slice(i, i + 3)}`);
    else if (/[*+?}]/.test(c) && /[?+]/.test(next)) return differs(`quantifier ${c}${next}`);
    else if (c === ')' && /[*+?{]/.test(next)) return differs(`quantified group )${next}`);
    else out += c;
  }
  return out;
}

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/r_CONVERT_function.html: CONVERT(type, expression)
 * returns the expression as that type: CAST(expression AS type), Redshift's type names mapped.
 * PostgreSQL's convert(bytes, from, to) has three arguments and is left alone.
 */
function convert(t: Translation, k: number): void {
  const { close, args } = argRanges(t, k + 1);
  const [type, value] = args;
  if (args.length !== 2 || !type || !value) return;
  const cast = new Translation(`CAST(NULL AS ${t.flat(...type)})`, undefined);
  expressions(cast);
  const target = cast.render().slice('CAST(NULL AS '.length, -1);
  t.replace(k, close, `CAST((${t.expr(...value)}) AS ${target})`);
}

/** https://docs.aws.amazon.com/redshift/latest/dg/r_NVL2.html: NVL2(e, a, b) is a when e is not NULL, else b. */
function nvl2(t: Translation, k: number): void {
  const { close, args } = argRanges(t, k + 1);
  const [e, a, b] = args;
  if (args.length !== 3 || !e || !a || !b) {
    return t.fail(k, `NVL2 with ${args.length} arguments`, 'NVL2 takes (expression, not_null_return_value, null_return_value)');
  }
  t.replace(k, close, `CASE WHEN (${t.expr(...e)}) IS NOT NULL THEN (${t.expr(...a)}) ELSE (${t.expr(...b)}) END`);
}

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/r_DECODE_expression.html: DECODE(e, s1, r1, ...,
 * default) is a CASE whose searches also match when e and the search are both NULL.
 */
function decode(t: Translation, k: number): void {
  const { close, args } = argRanges(t, k + 1);
  const [e, ...rest] = args.map(([a, b]) => t.expr(a, b));
  const whens: string[] = [];
  for (let j = 0; j + 1 < rest.length; j += 2) whens.push(`WHEN (${e}) IS NOT DISTINCT FROM (${rest[j]}) THEN (${rest[j + 1]})`);
  const fallback = rest.length % 2 === 1 ? ` ELSE (${rest.at(-1)})` : '';
  t.replace(k, close, `CASE ${whens.join(' ')}${fallback} END`);
}

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html: LISTAGG([DISTINCT] expr [, delimiter])
 * [WITHIN GROUP (ORDER BY ...)] concatenates the values, ignoring NULLs and empty strings; the
 * default delimiter is none. DISTINCT ignores trailing blanks ('a' and 'a ' are duplicates, the
 * first one met is kept): offline such values are refused rather than guessed.
 * https://docs.aws.amazon.com/redshift/latest/dg/r_WF_LISTAGG.html: as a window function, OVER
 * takes only PARTITION BY.
 */
function listagg(t: Translation, k: number): void {
  const distinct = t.word(k + 2) === 'DISTINCT';
  const { close, args } = argRanges(t, k + 1);
  const first = args[0];
  if (!first || args.length > 2)
    return t.fail(k, `LISTAGG with ${args.length} arguments`, 'LISTAGG takes ([DISTINCT] expression [, delimiter])');
  const value = t.expr(distinct ? first[0] + 1 : first[0], first[1]);
  const delimiter = args[1] ? t.expr(...args[1]) : "''";
  let end = close;
  let order: string | undefined;
  if (t.isWords(close + 1, 'WITHIN', 'GROUP') && t.isOp(close + 3, '(') && t.isWords(close + 4, 'ORDER', 'BY')) {
    end = t.close(close + 3);
    order = t.expr(close + 6, end - 1);
  }
  const over = t.word(end + 1) === 'OVER';
  if (over && (order !== undefined || distinct)) {
    return t.fail(
      k,
      `not supported offline: LISTAGG(${distinct ? 'DISTINCT ' : ''}...)${order ? ' WITHIN GROUP (ORDER BY ...)' : ''} OVER (...)`,
      'PostgreSQL has no ordered or DISTINCT window aggregate; aggregate LISTAGG in a subquery grouped by the partition columns and join it back',
    );
  }
  // Named listagg (the examples of r_LISTAGG.html); after OVER (...) when it is a window function.
  const overClose = over && t.isOp(end + 2, '(') ? t.close(end + 2) : -1;
  const name = named(t, k, over ? overClose : end) ? ' AS "listagg"' : '';
  if (name && over) t.replace(overClose, overClose, `)${name}`);
  const alias = over ? '' : name;
  if (!distinct) {
    t.replace(k, end, `string_agg(NULLIF(CAST((${value}) AS TEXT), ''), ${delimiter}${order ? ` ORDER BY ${order}` : ''})${alias}`);
    return;
  }
  // DISTINCT: PostgreSQL can only order a DISTINCT aggregate by its argument, in the argument's own type.
  const direction = order?.match(/\s+(ASC|DESC)\s*$/i)?.[1] ?? '';
  const key = (sql: string) =>
    sql
      .replace(/\s+(ASC|DESC)\s*$/i, '')
      .replace(/\s+/g, '')
      .toLowerCase();
  if (order !== undefined && key(order) !== key(value)) {
    return t.fail(
      k,
      'not supported offline: LISTAGG(DISTINCT x) WITHIN GROUP (ORDER BY another expression)',
      'order by the aggregated expression itself, or aggregate the DISTINCT values in a subquery first',
    );
  }
  const sorted = order !== undefined ? ` ORDER BY (${value}) ${direction}`.trimEnd() : '';
  t.replace(
    k,
    end,
    `CASE WHEN bool_or(CAST((${value}) AS TEXT) LIKE '% ') ` +
      `THEN public.sparkify_not_supported('LISTAGG(DISTINCT ...) over values with trailing blanks (Redshift treats ''a'' and ''a '' as one value)') ` +
      `ELSE array_to_string(array_remove(CAST(array_agg(DISTINCT (${value})${sorted}) AS TEXT[]), ''), ${delimiter}) END${alias}`,
  );
}

/**
 * A spatial function whose Redshift answer is the prelude's (local/prelude/spatial-functions.ts),
 * called by schema: the column keeps the function's own name, as Redshift names it. ST_Collect's
 * aggregate takes its order as WITHIN GROUP (ORDER BY ...)
 * (https://docs.aws.amazon.com/redshift/latest/dg/ST_Collect-function.html), PostgreSQL's as
 * ST_Collect(g ORDER BY ...).
 */
function spatialCall(t: Translation, k: number): void {
  const w = t.word(k);
  if (SPATIAL_OVERRIDES.has(w.toLowerCase())) t.replace(k, k, `sparkify_spatial.${w.toLowerCase()}`);
  const close = t.close(k + 1);
  if (w === 'ST_COLLECT' && t.isWords(close + 1, 'WITHIN', 'GROUP') && t.isOp(close + 3, '(') && t.isWords(close + 4, 'ORDER', 'BY')) {
    const end = t.close(close + 3);
    t.replace(close, end, ` ORDER BY ${t.expr(close + 6, end - 1)})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Query clauses PostgreSQL lacks: SELECT TOP n and QUALIFY, rewritten one at a time on the text
// (line breaks kept in place, so later refusals still name the file's lines).

const SET_OPERATORS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const QUALIFY_ENDS = new Set(['ORDER', 'LIMIT', 'OFFSET', 'FETCH']);

/** The query block around token k: from just inside its enclosing '(' (or 0) to just before the matching ')' (or the end). */
function blockOf(t: Translation, k: number): { readonly start: number; readonly end: number } {
  let depth = 0;
  let start = 0;
  for (let j = k - 1; j >= 0; j--) {
    if (t.isOp(j, ')')) depth += 1;
    else if (t.isOp(j, '(')) {
      if (depth === 0) {
        start = j + 1;
        break;
      }
      depth -= 1;
    }
  }
  return { start, end: start === 0 ? t.size - 1 : t.close(start - 1) - 1 };
}

/** Indices of the tokens in from..to that are at the block's own level (not inside parentheses). */
function level(t: Translation, from: number, to: number): number[] {
  const out: number[] = [];
  for (let j = from; j <= to; j++) {
    out.push(j);
    if (t.isOp(j, '(')) j = t.close(j);
  }
  return out;
}

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html: SELECT [TOP n] [ALL | DISTINCT]
 * returns the first n rows, after ORDER BY: PostgreSQL's LIMIT n at the end of the query block.
 */
function top(t: Translation): boolean {
  for (let k = 0; k < t.size; k++) {
    if (t.word(k) !== 'SELECT') continue;
    const quantifier = ['DISTINCT', 'ALL'].includes(t.word(k + 1)) ? 1 : 0;
    const at = k + 1 + quantifier;
    if (t.word(at) !== 'TOP' || t.token(at + 1)?.kind !== 'number') continue;
    const { start, end } = blockOf(t, k);
    for (const j of level(t, start, end)) {
      if (SET_OPERATORS.has(t.word(j))) {
        t.fail(
          k,
          `not supported offline: SELECT TOP ${t.text(at + 1)} next to ${t.word(j)}`,
          'LIMIT would apply to the whole set operation; put the TOP query in parentheses as a subquery: SELECT * FROM (SELECT TOP n ...) AS b',
        );
      }
      if (j > k && t.word(j) === 'LIMIT') t.fail(j, 'SELECT TOP n with LIMIT', 'Redshift takes one or the other; keep TOP n or LIMIT n');
    }
    t.remove(at, at + 1);
    t.replace(end, end, `${t.source(end, end)} LIMIT ${t.text(at + 1)}`);
    return true;
  }
  return false;
}

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/r_QUALIFY_clause.html: QUALIFY filters the rows
 * after the window functions are computed, before DISTINCT, ORDER BY and LIMIT. Rewritten as
 *   SELECT [DISTINCT] names FROM (SELECT list, (condition) AS sparkify_qualify FROM ... ) AS
 *   sparkify_qualified WHERE sparkify_qualify [ORDER BY ...] [LIMIT ...]
 * which needs a name for every select-list item; a * or t.* is carried as the relation's whole row.
 */
function qualify(t: Translation): boolean {
  let q = -1;
  for (let k = 0; k < t.size && q < 0; k++) if (t.word(k) === 'QUALIFY' && !t.isOp(k - 1, '.')) q = k;
  if (q < 0) return false;
  const refuse = (k: number, shape: string, advice: string): never =>
    t.fail(
      k,
      `not supported offline: QUALIFY ${shape}`,
      `${advice}; or write the filter as a subquery: SELECT ... FROM (SELECT ..., ROW_NUMBER() OVER (...) AS rn FROM ...) AS s WHERE rn = 1`,
    );
  const { start, end } = blockOf(t, q);
  const own = level(t, start, end);
  const select = own.filter((j) => j < q && t.word(j) === 'SELECT').at(-1);
  const from = own.find((j) => select !== undefined && j > select && j < q && t.word(j) === 'FROM');
  if (select === undefined || from === undefined)
    return refuse(q, 'outside SELECT ... FROM', 'put QUALIFY after the FROM clause of a SELECT');
  const setOperator = own.find((j) => SET_OPERATORS.has(t.word(j)));
  if (setOperator !== undefined) return refuse(setOperator, `in a query with ${t.word(setOperator)}`, 'QUALIFY one branch in a subquery');
  const after = own.filter((j) => j > q);
  const conditionEnd = (after.find((j) => QUALIFY_ENDS.has(t.word(j))) ?? end + 1) - 1;
  for (const j of after.filter((i) => i > conditionEnd)) {
    if (t.isOp(j, '.')) return refuse(j, 'with ORDER BY a qualified name', 'order by the output column names instead');
  }

  const distinct = t.word(select + 1) === 'DISTINCT';
  const listStart = ['DISTINCT', 'ALL'].includes(t.word(select + 1)) ? select + 2 : select + 1;
  const items: [number, number][] = [];
  let itemStart = listStart;
  for (const j of level(t, listStart, from - 1)) {
    if (t.isOp(j, ',')) {
      items.push([itemStart, j - 1]);
      itemStart = j + 1;
    }
  }
  items.push([itemStart, from - 1]);

  const outer: string[] = [];
  let rows = 0;
  for (const [a, b] of items) {
    const star = t.isOp(b, '*') && (a === b || (a + 2 === b && t.isOp(a + 1, '.')));
    const name = star ? undefined : itemName(t, a, b);
    if (star) {
      rows += 1;
      const row = `sparkify_row_${rows}`;
      const relation = a === b ? singleRelation(t, from, q) : t.text(a);
      if (relation === undefined) return refuse(a, 'with SELECT * over more than one relation', 'list the columns');
      t.replace(a, b, `${relation} AS ${row}`);
      outer.push(`(sparkify_qualified.${row}).*`);
    } else if (name === undefined) {
      return refuse(a, `with an unnamed select-list expression (${t.flat(a, b).trim()})`, 'name it with AS');
    } else outer.push(name);
  }
  const lines = (t.source(q, conditionEnd).match(/\n/g) ?? []).length;
  t.replace(select, listStart - 1, `SELECT ${distinct ? 'DISTINCT ' : ''}${outer.join(', ')} FROM (SELECT`);
  t.replace(from, from, `, (${t.flat(q + 1, conditionEnd)}) AS sparkify_qualify FROM`);
  t.replace(q, conditionEnd, `) AS sparkify_qualified WHERE sparkify_qualify${'\n'.repeat(lines)}`);
  return true;
}

/** The output name of select-list item a..b: `x`, `t.x`, `expr AS x` or `expr x`; undefined when it has none. */
function itemName(t: Translation, a: number, b: number): string | undefined {
  const named = (k: number) => t.token(k)?.kind === 'word' || t.token(k)?.kind === 'quoted';
  let k = a;
  while (named(k) && k < b && t.isOp(k + 1, '.')) k += 2;
  if (k === b && named(b)) return t.text(b);
  if (b > a && named(b) && t.word(b - 1) === 'AS') return t.text(b);
  const previous = t.token(b - 1);
  const bare = named(b) && !['END', 'NULL', 'TRUE', 'FALSE', 'ZONE'].includes(t.word(b));
  const ends = previous !== undefined && (t.isOp(b - 1, ')') || ['word', 'quoted', 'string', 'number'].includes(previous.kind));
  return b > a && bare && ends && !t.isOp(b - 1, '.') ? t.text(b) : undefined;
}

/** The alias (or name) of the single relation in FROM .. QUALIFY, or undefined for a join or a list. */
function singleRelation(t: Translation, from: number, q: number): string | undefined {
  const stops = new Set(['WHERE', 'GROUP', 'HAVING', 'WINDOW', 'QUALIFY']);
  const own = level(t, from + 1, q - 1);
  const last = (own.find((j) => stops.has(t.word(j))) ?? q) - 1;
  const first = from + 1;
  const nameEnd = t.isOp(first, '(') ? t.close(first) + 1 : t.nameEnd(first);
  const rest = own.filter((j) => j >= nameEnd && j <= last);
  if (rest.length === 0) return t.isOp(first, '(') ? undefined : t.text(nameEnd - 1);
  const alias = rest.at(-1);
  const shape = rest.length === 1 || (rest.length === 2 && t.word(rest[0] ?? -1) === 'AS');
  return shape && alias !== undefined && !t.isOp(alias, ')') ? t.text(alias) : undefined;
}

/** Redshift's SUPER syntax (navigation, ARRAY, OBJECT, unnesting), rewritten as text: local/super/navigation.ts. */
function superSql(sql: string, origin: SqlOrigin | undefined, superColumns: ReadonlySet<string> | undefined): string {
  return superSyntax(
    sql,
    (offset, construct, advice) => {
      const line = (origin?.line ?? 1) + (sql.slice(0, offset).match(/\n/g)?.length ?? 0);
      throw new DialectError(origin?.file ?? '<sql>', line, construct, advice);
    },
    superColumns,
  );
}

/** Applies TOP, then QUALIFY, rewrites until none is left. */
function queryClauses(sql: string, origin: SqlOrigin | undefined): string {
  let text = sql;
  for (const rewrite of [top, qualify]) {
    for (let round = 0; round < 100; round++) {
      const t = new Translation(text, origin);
      if (!rewrite(t)) break;
      text = t.render();
    }
  }
  return text;
}

/** Anything physical left means a shape this bridge does not know: refuse rather than guess. */
function leftovers(t: Translation): void {
  for (let k = 0; k < t.size; k++) {
    const w = t.word(k);
    // As clauses only: PG_TABLE_DEF's distkey and sortkey columns, or `AS diststyle`, are names.
    const clause =
      (PHYSICAL_WORDS.has(w) && (t.isOp(k + 1, '(') || DISTSTYLES.has(t.word(k + 1)) || t.word(k + 1) === 'SORTKEY')) ||
      (w === 'ENCODE' && !t.isOp(k + 1, '(') && t.word(k - 1) !== 'AS');
    if (clause && !t.edited(k) && !t.isOp(k - 1, '.')) {
      t.fail(
        k,
        w,
        'appears where the dialect bridge does not expect it (only in CREATE TABLE column definitions and table attributes); move it there or remove it',
      );
    }
  }
}

/**
 * TRY_CAST(x AS type) (https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html): NULL
 * where the conversion fails, through the prelude's sparkify_try_cast. Not checked offline: the
 * pairs the page does not permit (PostgreSQL's casts decide here).
 */
function tryCasts(t: Translation): void {
  for (let k = 0; k < t.size; k++) {
    if (t.word(k) !== 'TRY_CAST' || !t.isOp(k + 1, '(') || t.isOp(k - 1, '.')) continue;
    const close = t.close(k + 1);
    let as = -1;
    for (let j = k + 2, depth = 0; j < close; j++) {
      if (t.isOp(j, '(')) depth += 1;
      else if (t.isOp(j, ')')) depth -= 1;
      else if (depth === 0 && t.word(j) === 'AS') as = j;
    }
    if (as < 0 || t.edited(k) || t.edited(k + 1) || t.edited(as))
      t.fail(k, 'TRY_CAST without AS type', 'write TRY_CAST(expression AS type)');
    t.replace(k, k + 1, 'public.sparkify_try_cast(');
    // A bare literal or NULL has no type of its own for the polymorphic argument: it is text, as Redshift reads it.
    const bare = as === k + 3 && (t.token(k + 2)?.kind === 'string' || t.word(k + 2) === 'NULL');
    t.replace(as, as, `${bare ? '::text' : ''}, NULL::`);
  }
}

/** PostgreSQL's string functions that return text, where Redshift's return VARCHAR. */
const TEXT_FUNCTIONS = new Set(
  'LOWER UPPER INITCAP TRIM BTRIM LTRIM RTRIM SUBSTRING SUBSTR LEFT RIGHT REPLACE TRANSLATE CONCAT MD5 SHA1 SHA2 TO_CHAR SPLIT_PART LPAD RPAD REPEAT REVERSE REGEXP_REPLACE REGEXP_SUBSTR QUOTE_IDENT QUOTE_LITERAL CHR'.split(
    ' ',
  ),
);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
/** Of those, the ones that also take a VARBYTE and then return one (https://docs.aws.amazon.com/redshift/latest/dg/varbyte-functions.html). */
const VARBYTE_STRING_FUNCTIONS = new Set(['SUBSTRING', 'SUBSTR', 'CONCAT']);

/**
 * Redshift ignores trailing blanks when it compares strings (r_Character_types.html); the prelude
 * gives PostgreSQL's varchar that rule (local/prelude/varchar-semantics.ts), not its text. So what
 * is text here and VARCHAR on Redshift becomes varchar: a string function's result, and a string
 * literal compared with another string literal (`'a ' = 'a'`, `'a ' IN ('a')`), whose type
 * PostgreSQL would otherwise settle as text. A literal next to a column takes the column's type
 * already. pg_catalog.varchar has no length, so nothing is cut.
 */
function stringComparisons(t: Translation): void {
  const isString = (k: number) => t.token(k)?.kind === 'string' && !t.edited(k);
  for (let k = 0; k < t.size; k++) {
    const w = t.word(k);
    if (TEXT_FUNCTIONS.has(w) && t.isOp(k + 1, '(') && !t.isOp(k - 1, '.') && !t.edited(k)) {
      const close = t.close(k + 1);
      if (t.edited(close) || t.isOp(close + 1, '::')) continue;
      if (VARBYTE_STRING_FUNCTIONS.has(w)) {
        // The prelude's sparkify_string_result keeps a VARBYTE result bytea (local/prelude/varbyte-functions.ts);
        // the column keeps the function's name.
        t.replace(k, k, `public.sparkify_string_result(${t.text(k)}`);
        t.replace(close, close, named(t, k, close) ? `)) AS "${w.toLowerCase()}"` : '))');
      } else t.replace(close, close, ')::pg_catalog.varchar');
    } else if (isString(k) && !t.isOp(k + 1, '::') && !t.isOp(k - 1, '::')) {
      const op = t.text(k + 1);
      const literalAfter = COMPARISONS.has(op) && isString(k + 2);
      const inLiterals = t.word(k + 1) === 'IN' && t.isOp(k + 2, '(') && isString(k + 3);
      if (literalAfter || inLiterals) t.replace(k, k, `${t.text(k)}::pg_catalog.varchar`);
    }
  }
}

/**
 * One Redshift statement to PostgreSQL. Throws DialectError for what has no faithful offline
 * equivalent. A statement that means nothing offline (an informational constraint added by
 * ALTER TABLE, a workload setting) becomes a comment, which both engines run as an empty query.
 * `superColumns`: the statement's SUPER column names (local/super/columns.ts), when the caller has a catalog.
 */
export function toPostgres(sql: string, origin?: SqlOrigin, superColumns?: ReadonlySet<string>): string {
  // TOP and QUALIFY first, as text, so every later rewrite sees (and translates) the moved parts.
  const t = new Translation(superSql(queryClauses(sql, origin), origin, superColumns), origin);
  for (let k = 0; k < t.size; k++) {
    if (t.isOp(k, ';')) t.fail(k, 'more than one statement', 'split the SQL into statements and translate each one');
  }
  if (t.size === 0) return sql;
  translateStatement(t);
  if (t.noop !== undefined) return t.render();
  identityFunctions(t);
  queryGroupCalls(t);
  expressions(t);
  tryCasts(t);
  stringComparisons(t);
  leftovers(t);
  return postgresLiterals(t.render(), origin);
}

/** Whether the literal at k is STRTOL's first argument and its escape the null character (\0, \00, \000). */
function strtolNull(t: Translation, k: number, escape: string): boolean {
  return /^\\0+$/.test(escape) && t.isOp(k - 1, '(') && t.word(k - 2) === 'STRTOL' && !t.isOp(k - 3, '.') && t.isOp(k + 1, ',');
}

/**
 * Redshift's string literals, read with its backslash escapes (lib/plan/sql-tokens.ts stringValue),
 * written as PostgreSQL literals of the same value. Last, on the translated text: every rewrite
 * before it moves literals as Redshift wrote them, and writes its own without backslashes.
 */
function postgresLiterals(sql: string, origin: SqlOrigin | undefined): string {
  const t = new Translation(sql, origin);
  for (let k = 0; k < t.size; k++) {
    const token = t.token(k);
    // E'...' is read with the same escapes by both, so it stays as written.
    if (token?.kind !== 'string' || !token.text.startsWith("'") || !token.text.includes('\\')) continue;
    const read = stringValue(token.text);
    if ('unsupported' in read && strtolNull(t, k, read.unsupported)) {
      // https://docs.aws.amazon.com/redshift/latest/dg/r_STRTOL.html: C's strtol reads up to the null
      // character ("If num_string ... begins with the null character ('\0'), the converted value is 0"),
      // and no digit is a null character: the text before it converts the same.
      t.replace(k, k, postgresLiteral(read.before));
      continue;
    }
    if ('unsupported' in read) {
      return t.fail(
        k,
        `the backslash escape ${read.unsupported} in a string literal is Redshift SQL that the offline twin does not run`,
        'write the character itself, or build it with CHR(n)',
      );
    }
    // An E before the quote must not join a word written against it (timestamp'...').
    const glued = /[\w$]/.test(sql.charAt(token.start - 1));
    t.replace(k, k, `${glued ? ' ' : ''}${postgresLiteral(read.value)}`);
  }
  return t.render();
}
