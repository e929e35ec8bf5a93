import { parseStatements, scanTokens } from '../../local/redshift-gate/parser';

// How the Redshift guide's markdown prints an example and its result, read into cases: the
// extractor's parsing (tools/conformance/extract.ts), kept apart so tests can hold it to examples.

/**
 * Functions whose answer depends on when, where or as whom the query runs, or on the cluster's own
 * objects, users and queries: a page prints its own cluster's answer. Such a case is compared on its
 * column names and shape only (docs/conformance.md).
 */
const VOLATILE = [
  'pg_get_cols',
  'pg_get_late_binding_view_cols',
  'pg_get_grantee_by_iam_role',
  'pg_get_iam_role_by_user',
  'has_assumerole_privilege',
  'has_database_privilege',
  'has_schema_privilege',
  'has_table_privilege',
  'role_is_member_of',
  'user_is_member_of',
  'change_query_priority',
  'change_session_priority',
  'change_user_priority',
  'explain_model',
  'getdate',
  'sysdate',
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'timeofday',
  'now',
  'today',
  'tomorrow',
  'yesterday',
  'random',
  'current_user',
  'current_user_id',
  'session_user',
  'user',
  'current_database',
  'current_schema',
  'current_schemas',
  'current_namespace',
  'current_aws_account',
  'version',
  'pg_backend_pid',
  'pg_last_query_id',
  'last_user_query_id',
  'pg_last_copy_id',
  'pg_last_copy_count',
  'pg_last_unload_id',
  'pg_last_unload_count',
  'slice_num',
  'default_iam_role',
];

interface Block {
  readonly lines: string[];
  /** The page's prose between the previous block and this one. */
  readonly before: string;
}

/** The ``` blocks of a page, as lines with the fence's indentation removed. */
function codeBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let open: { indent: number; lines: string[]; before: string } | undefined;
  let prose: string[] = [];
  for (const line of text.split('\n')) {
    const fence = /^(\s*)```/.exec(line);
    if (fence) {
      if (open) {
        blocks.push({ lines: open.lines, before: open.before });
        open = undefined;
        prose = [];
      } else open = { indent: fence[1]?.length ?? 0, lines: [], before: prose.join('\n').trim() };
      continue;
    }
    if (!open) prose.push(line);
    if (open) {
      const lead = /^\s*/.exec(line)?.[0].length ?? 0;
      open.lines.push(line.slice(Math.min(lead, open.indent)).replace(/\s+$/, ''));
    }
  }
  return blocks;
}

const DASHES = /^\s*-{3,}[-+\s]*$/;
const BOX_BORDER = /^\s*\+-[-+]*\+\s*$/;
const FOOTER = /^\s*\((\d+) rows?\)\s*$/;
const SQL_START = /^\s*(select|with|values|create|insert|update|delete|drop|set|reset|show|begin|end|commit|rollback|call|explain|--)\b/i;

/** One statement-and-result pair found in a block, before any filtering. */
export interface Pair {
  readonly sql: string;
  readonly printed: string[];
  readonly header: string;
  readonly dashes: string;
  readonly rows: string[];
  readonly box: boolean;
}

/** The statement-and-result pairs of a block: SQL, then a header line, a dashes line, rows and maybe "(n rows)". */
function pairsOf(lines: readonly string[]): Pair[] {
  const pairs: Pair[] = [];
  let start = 0;
  for (let d = 1; d < lines.length; d++) {
    const line = lines[d] ?? '';
    const box = BOX_BORDER.test(line) && /^\s*\|.*\|\s*$/.test(lines[d + 1] ?? '') && BOX_BORDER.test(lines[d + 2] ?? '');
    if (box) {
      // +----+ / | a | / +----+ / | 1 | ... / +----+
      let end = d + 3;
      const rows: string[] = [];
      while (end < lines.length && /^\s*\|/.test(lines[end] ?? '')) rows.push(lines[end++] ?? '');
      const close = BOX_BORDER.test(lines[end] ?? '') ? end + 1 : end;
      const footer = FOOTER.test(lines[close] ?? '') ? close + 1 : close;
      pairs.push({
        sql: sqlText(lines.slice(start, d)),
        printed: lines.slice(d, footer),
        header: lines[d + 1] ?? '',
        dashes: lines[d + 2] ?? '',
        rows,
        box: true,
      });
      start = footer;
      d = footer - 1;
      continue;
    }
    if (!DASHES.test(line) || d - 1 < start) continue;
    const header = lines[d - 1] ?? '';
    if (header.trim() === '' || /;\s*$/.test(header) || DASHES.test(header)) continue;
    let end = d + 1;
    const rows: string[] = [];
    let footer = false;
    while (end < lines.length) {
      const row = lines[end] ?? '';
      if (FOOTER.test(row)) {
        footer = true;
        end++;
        break;
      }
      if (SQL_START.test(row) && !row.startsWith(' ')) break;
      if (DASHES.test(lines[end + 1] ?? '') && row.trim() !== '') break; // the next result's header
      rows.push(row);
      end++;
    }
    // Blank lines end the rows, unless the footer's count says they are rows (empty values).
    const count = footer ? Number(FOOTER.exec(lines[end - 1] ?? '')?.[1]) : undefined;
    while (rows.length > 0 && rows[rows.length - 1]?.trim() === '') rows.pop();
    const blank = rows.findIndex((row) => row.trim() === '');
    const kept = blank >= 0 && count !== rows.length ? rows.slice(0, blank) : rows;
    const stop = blank >= 0 && count !== rows.length ? d + 1 + blank : end;
    // psql always ends with "(n rows)"; a page that drops it and prints nothing under the dashes
    // shows one row whose values print as nothing (an empty string, or NULL).
    if (kept.length === 0 && !footer) kept.push('');
    // "(1 row)" under nothing: the one row's values print as nothing.
    if (kept.length === 0 && count !== undefined) for (let i = 0; i < count; i++) kept.push('');
    pairs.push({
      sql: sqlText(lines.slice(start, d - 1)),
      printed: lines.slice(d - 1, stop).filter((_, i, all) => i < all.length - 1 || all[i]?.trim() !== ''),
      header,
      dashes: line,
      rows: kept,
      box: false,
    });
    start = stop;
    d = stop;
  }
  return pairs;
}

/**
 * A few pages print a one-column result with no dashes: the statement, then the column name and
 * the values on the lines after it (DATE_TRUNC, DATE_PART_YEAR).
 */
function dashlessPair(lines: readonly string[]): Pair[] {
  const end = lines.findIndex((line) => /;\s*$/.test(line));
  const rest = lines.slice(end + 1).filter((line) => line.trim() !== '');
  const header = rest[0] ?? '';
  if (end < 0 || rest.length < 2 || !/^\s*[a-z_?][\w?]*\s*$/i.test(header)) return [];
  if (rest.some((line) => SQL_START.test(line) || /^\s*(error|an error)\b/i.test(line))) return [];
  return [{ sql: sqlText(lines.slice(0, end + 1)), printed: rest, header, dashes: '', rows: rest.slice(1), box: false }];
}

/**
 * The SQL before a result, blank lines around it dropped. What follows a server message (an
 * earlier statement's ERROR in the same block) is the statement the result belongs to.
 */
function sqlText(lines: readonly string[]): string {
  const message = lines.findLastIndex((line) => /^\s*(ERROR|DETAIL|HINT|NOTICE|WARNING|INFO):|^An error occurred/.test(line));
  return lines
    .slice(message + 1)
    .join('\n')
    .replace(/^\s*\n/, '')
    .trim();
}

export interface Table {
  readonly columns: string[];
  readonly rows: string[][];
}

/**
 * Columns and cells of a printed result. psql separates columns with '|' (dashes joined by '+');
 * some pages align columns with spaces instead (dashes in runs): the runs give the columns.
 * Undefined when a row cannot be cut into the header's columns.
 */
function tableOf(pair: Pair): Table | undefined {
  const cut = (line: string) => line.replace(/^\s*\|/, '').replace(/\|\s*$/, '');
  if (pair.box) {
    const columns = cut(pair.header)
      .split('|')
      .map((c) => c.trim());
    const rows = pair.rows.map((row) =>
      cut(row)
        .split('|')
        .map((c) => c.trim()),
    );
    return rows.every((row) => row.length === columns.length) ? { columns, rows } : undefined;
  }
  if (pair.header.includes('|') || pair.dashes.includes('+')) {
    const columns = pair.header.split('|').map((c) => c.trim());
    const rows = pair.rows.map((row) => (row.trim() === '' ? columns.map(() => '') : row.split('|').map((c) => c.trim())));
    if (rows.every((row) => row.length === columns.length)) return { columns, rows };
    return undefined;
  }
  const runs = [...pair.dashes.matchAll(/-+/g)].map((m) => ({ from: m.index, to: m.index + m[0].length }));
  if (runs.length <= 1) {
    const columns = [pair.header.trim()];
    return { columns, rows: pair.rows.map((row) => [row.trim()]) };
  }
  // Aligned with spaces: a header word per dash run, and each row cut where two or more spaces
  // separate values (the pages' alignment is not always exact), else at the runs' starts.
  const columns = pair.header.trim().split(/\s+/);
  if (columns.length !== runs.length) return undefined;
  const rows: string[][] = [];
  for (const row of pair.rows) {
    const byGaps = row.trim().split(/\s{2,}/);
    if (byGaps.length === runs.length) {
      rows.push(byGaps);
      continue;
    }
    const byRuns = runs.map((run, i) => row.slice(run.from, runs[i + 1]?.from ?? row.length).trim());
    if (byRuns.join(' ').replace(/\s+/g, ' ') !== row.trim().replace(/\s+/g, ' ')) return undefined;
    rows.push(byRuns);
  }
  return { columns, rows };
}

type Json = Record<string, unknown>;

/** Every relation a parse tree reads (RangeVar), CTE names excepted. */
function readsTable(tree: unknown): boolean {
  const ctes = new Set<string>();
  const relations: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'CommonTableExpr') ctes.add(String((value as Json).ctename ?? ''));
      if (key === 'RangeVar') {
        const range = value as Json;
        relations.push(range.schemaname ? `${String(range.schemaname)}.${String(range.relname)}` : String(range.relname));
      }
      walk(value);
    }
  };
  walk(tree);
  return relations.some((name) => !ctes.has(name));
}

/** Calls whose own syntax holds FROM: EXTRACT(part FROM x), TRIM(... FROM x), SUBSTRING(x FROM n). */
const FROM_INSIDE = new Set(['extract', 'trim', 'btrim', 'ltrim', 'rtrim', 'substring', 'position', 'overlay']);

/**
 * For SQL PostgreSQL's parser cannot read (Redshift-only syntax): conservatively, a statement reads
 * a table when it has JOIN, or FROM anywhere but inside the calls above.
 */
function mentionsTable(sql: string): boolean {
  const tokens = scanTokens(sql);
  const bytes = Buffer.from(sql, 'utf8');
  const text = (i: number) =>
    bytes
      .subarray(tokens[i]?.start ?? 0, tokens[i]?.end ?? 0)
      .toString('utf8')
      .toLowerCase();
  const stack: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = text(i);
    if (word === '(') stack.push(i > 0 ? text(i - 1) : '');
    else if (word === ')') stack.pop();
    else if (word === 'join') return true;
    else if (word === 'from' && !FROM_INSIDE.has(stack[stack.length - 1] ?? '')) return true;
  }
  return false;
}

function volatileCalls(sql: string): string[] {
  const words = new Set(sql.toLowerCase().match(/[a-z_0-9]+/g) ?? []);
  return VOLATILE.filter((name) => words.has(name));
}

type Verdict = { readonly keep: true; readonly volatile: string[] } | { readonly keep: false; readonly reason: string };

function judge(pair: Pair): Verdict {
  const sql = pair.sql;
  if (sql === '') return { keep: false, reason: 'no SQL before the result' };
  if (pair.rows.some((row) => row.trim() === '...' || /^\s*\.\.\.\s*$/.test(row.replace(/\|/g, '')))) {
    return { keep: false, reason: 'result elided (...)' };
  }
  const parsed = parseStatements(sql);
  if ('error' in parsed) {
    if (!/^\s*(?:--[^\n]*\n\s*)*(select|with|values)\b/i.test(sql)) return { keep: false, reason: 'not a SELECT/WITH/VALUES' };
    if (sql.replace(/;\s*$/, '').includes(';')) return { keep: false, reason: 'several statements before one result' };
    let mentions: boolean;
    try {
      mentions = mentionsTable(sql);
    } catch {
      // Not even SQL's tokens (an unclosed quote): a word FROM or JOIN anywhere counts.
      mentions = /\b(from|join)\b/i.test(sql);
    }
    if (mentions) return { keep: false, reason: 'reads a table (FROM/JOIN, Redshift-only syntax)' };
    return { keep: true, volatile: volatileCalls(sql) };
  }
  if (parsed.statements.length === 0) return { keep: false, reason: 'no SQL before the result' };
  if (parsed.statements.length > 1) return { keep: false, reason: 'several statements before one result' };
  const stmt = parsed.statements[0]?.stmt ?? {};
  if (!('SelectStmt' in stmt)) return { keep: false, reason: 'not a SELECT/WITH/VALUES' };
  if (readsTable(stmt)) return { keep: false, reason: 'reads a table' };
  return { keep: true, volatile: volatileCalls(sql) };
}

/** A kept example of a page: its pair's ordinal on the page (the id's n), SQL, result, and volatile calls. */
export interface PageExample {
  readonly n: number;
  readonly pair: Pair;
  readonly table: Table;
  readonly volatile: readonly string[];
}

export interface PageExamples {
  readonly blocks: number;
  /** Every statement-and-result pair, kept or not, in page order. */
  readonly pairs: number;
  readonly kept: PageExample[];
  readonly skipped: { readonly n: number; readonly pair: Pair; readonly reason: string }[];
  /** Blocks holding SELECT or VALUES whose result the page does not print (syntax, an error, prose). */
  readonly unanswered: string[];
}

/** The examples of one page's markdown (the parser must be loaded: loadSqlParser). */
export function examplesOfPage(text: string): PageExamples {
  const result: PageExamples = { blocks: 0, pairs: 0, kept: [], skipped: [], unanswered: [] };
  let n = 0;
  let blocks = 0;
  let previous: { sql: string; results: number; select: boolean } | undefined;
  const unanswered = () => {
    if (previous?.select && previous.results === 0) result.unanswered.push(previous.sql);
  };
  for (const block of codeBlocks(text)) {
    blocks++;
    let pairs = pairsOf(block.lines);
    if (pairs.length === 0) pairs = dashlessPair(block.lines);
    // Many pages print the SQL in one block and its result in the next, with nothing or a
    // sentence between them ("This example returns the following output.").
    const first = pairs[0];
    const sentence = block.before.length <= 400 && !/^#/m.test(block.before);
    if (first && first.sql === '' && previous?.results === 0 && sentence) {
      pairs = [{ ...first, sql: previous.sql }, ...pairs.slice(1)];
      previous.results = 1;
    }
    unanswered();
    previous = { sql: sqlText(block.lines), results: pairs.length, select: /\b(select|values)\b/i.test(block.lines.join('\n')) };
    for (const pair of pairs) {
      n++;
      const verdict = judge(pair);
      const table = verdict.keep ? tableOf(pair) : undefined;
      if (!verdict.keep) result.skipped.push({ n, pair, reason: verdict.reason });
      else if (!table) result.skipped.push({ n, pair, reason: 'result the extractor cannot cut into columns' });
      else result.kept.push({ n, pair, table, volatile: verdict.volatile });
    }
  }
  unanswered();
  return { ...result, blocks, pairs: n };
}
