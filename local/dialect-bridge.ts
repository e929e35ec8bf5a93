/**
 * The dialect bridge: one Redshift statement in, the PostgreSQL statement that behaves the same
 * for this project out. It works on tokens, so text inside string literals, quoted identifiers,
 * comments and dollar-quoted bodies is never touched. What it cannot translate faithfully is a
 * DialectError naming file:line, the construct and what to do instead, never a silent skip.
 */

import { tokenize, type Token } from '../lib/plan/sql-tokens';

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

/** Redshift date-part spellings (EXTRACT, DATE_PART) mapped to the ones PostgreSQL knows. */
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
    ] as const
  ).flatMap(([pg, spellings]) => spellings.split(' ').map((s) => [s.toUpperCase(), pg])),
);

/** Redshift session settings that only tune the cluster: harmless to skip offline. */
const TUNING_SETTINGS = new Set(['QUERY_GROUP', 'WLM_QUERY_SLOT_COUNT', 'ENABLE_RESULT_CACHE_FOR_SESSION', 'ANALYZE_THRESHOLD_PERCENT']);
/** Redshift session settings that change results: PostgreSQL would silently differ. */
const SEMANTIC_SETTINGS = new Set([
  'ENABLE_CASE_SENSITIVE_IDENTIFIER',
  'DOWNCASE_DELIMITED_IDENTIFIER',
  'ENABLE_CASE_SENSITIVE_SUPER_ATTRIBUTE',
  'JSON_PARSE_TRUNCATE_STRINGS',
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
    private readonly sql: string,
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
      return alter(t);
    case 'SET':
    case 'RESET':
      return setting(t);
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
  else if (w === 'SUPER') t.replace(k, k, 'JSONB');
  else if (w === 'NVARCHAR') t.replace(k, k, 'VARCHAR');
  else if (w === 'VARBYTE' || w === 'VARBINARY') t.replace(k, withLength(k), 'BYTEA');
  else if (t.isWords(k, 'BINARY', 'VARYING')) t.replace(k, withLength(k + 1), 'BYTEA');
  else if (w === 'HLLSKETCH' || w === 'GEOMETRY' || w === 'GEOGRAPHY') {
    t.fail(k, `type ${t.text(k)}`, 'has no PostgreSQL equivalent offline; keep such columns out of the warehouse tables');
  }
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
  }
}

function alter(t: Translation): void {
  if (t.word(1) === 'DATASHARE') {
    return t.fail(1, 'ALTER DATASHARE', 'data sharing has no offline equivalent; keep it out of the load plan');
  }
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

function setting(t: Translation): void {
  let k = 1;
  if (['SESSION', 'LOCAL'].includes(t.word(k))) k += 1;
  const name = t.word(k);
  if (TUNING_SETTINGS.has(name)) {
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
      type_(t, k + 1);
    } else if (w === 'AS' && openers.at(-1) === 'CAST') {
      type_(t, k + 1);
    } else if (w === 'NVL' && !prevDot && t.isOp(k + 1, '(')) {
      t.replace(k, k, 'COALESCE'); // NVL(a, b, ...) is exactly COALESCE in Redshift
    } else if (w === 'SYSDATE' && !prevDot && !t.isOp(k + 1, '(')) {
      t.replace(k, k, 'LOCALTIMESTAMP'); // transaction start, without time zone
    } else if ((w === 'EXTRACT' || w === 'DATE_PART') && t.isOp(k + 1, '(')) {
      const part = t.word(k + 2);
      const next = w === 'EXTRACT' ? t.word(k + 3) === 'FROM' : t.isOp(k + 3, ',');
      // Redshift takes the part as a bare word in both; DATE_PART needs a string in PostgreSQL.
      if (part && next) {
        const pg = DATE_PARTS[part] ?? t.text(k + 2).toLowerCase();
        if (w === 'DATE_PART') t.replace(k + 2, k + 2, `'${pg}'`);
        else if (pg !== t.text(k + 2).toLowerCase()) t.replace(k + 2, k + 2, pg);
      }
    } else if (w === 'SELECT' && isTop(t, ['DISTINCT', 'ALL'].includes(t.word(k + 1)) ? k + 2 : k + 1)) {
      t.fail(k, 'SELECT TOP n', 'is Redshift-only; write LIMIT n at the end of the query');
    }
  }
}

function isTop(t: Translation, k: number): boolean {
  return t.word(k) === 'TOP' && t.token(k + 1)?.kind === 'number';
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
 * One Redshift statement to PostgreSQL. Throws DialectError for what has no faithful offline
 * equivalent. A statement that means nothing offline (an informational constraint added by
 * ALTER TABLE, a workload setting) becomes a comment, which both engines run as an empty query.
 */
export function toPostgres(sql: string, origin?: SqlOrigin): string {
  const t = new Translation(sql, origin);
  for (let k = 0; k < t.size; k++) {
    if (t.isOp(k, ';')) t.fail(k, 'more than one statement', 'split the SQL into statements and translate each one');
  }
  if (t.size === 0) return sql;
  translateStatement(t);
  if (t.noop !== undefined) return t.render();
  expressions(t);
  leftovers(t);
  return t.render();
}
