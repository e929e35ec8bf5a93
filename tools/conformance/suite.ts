import { readFileSync } from 'node:fs';
import { trimStatement } from '../../lib/plan/bind';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { POSTGRES_PRELUDE } from '../../local/dialect-bridge';
import type { ArrayQueryResult, SqlEngine } from '../../local/engine';
import { runOfflineBootstrap } from '../../local/offline-executor';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { usesSpatial } from '../../local/redshift-gate/spatial';
import { installSpatial } from '../../local/spatial';
import { formatRefusal } from '../../local/redshift-gate/refusal';
import { twinStatement } from '../../local/twin-statement';
import { actAs } from '../../local/warehouse';
import { BASELINE_FILE, PAGE_ERRORS_FILE, type GuideCase } from './cases';
import { renderValue } from './render';

/**
 * What the twin did with one of the guide's examples:
 * - same: Redshift's answer, as the page prints it (docs/conformance.md: formatting aside);
 * - differs: another value, another column name, or another number of rows or columns;
 * - not-run-offline: refused as Redshift SQL the offline twin does not run (an honest refusal);
 * - refused: the gate says Redshift refuses the guide's own example (a gate bug);
 * - error: the engine's own error (PostgreSQL's "function ... does not exist" and the like).
 */
export type CaseClass = 'same' | 'differs' | 'not-run-offline' | 'refused' | 'error';

export const CLASSES: readonly CaseClass[] = ['same', 'differs', 'not-run-offline', 'refused', 'error'];

export interface CaseOutcome {
  readonly id: string;
  readonly page: string;
  readonly family: string;
  readonly class: CaseClass;
  /** One line: why it is not `same`. */
  readonly reason?: string;
}

/**
 * The wordings of an honest refusal: the gate's and the bridge's "not supported offline: ..." and
 * the prelude's RAISE of it, and "<name> is Redshift SQL that the offline twin does not run".
 */
const NOT_RUN_OFFLINE = /not supported offline|is Redshift SQL that the offline twin does not run/;

/**
 * The users and roles the guide's examples name, as an analyst finds them on the guide's sample
 * cluster: GUEST (r_HAS_DATABASE_PRIVILEGE.html, r_HAS_SCHEMA_PRIVILEGE.html, r_HAS_TABLE_PRIVILEGE.html),
 * REGUSER, ROLE1 and ROLE2 (r_USER_IS_MEMBER_OF.html, r_ROLE_IS_MEMBER_OF.html). The runner's fixture,
 * not the twin's: roles are the server's, so each is made only when missing, and never granted anything.
 */
const GUIDE_USERS = `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'guest') THEN CREATE ROLE guest NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'reguser') THEN CREATE ROLE reguser NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'role1') THEN CREATE ROLE role1 NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'role2') THEN CREATE ROLE role2 NOLOGIN; END IF;
END $$`;

/**
 * The TICKIT objects the guide's examples read, empty and granted to no one: LISTING, which
 * r_HAS_TABLE_PRIVILEGE.html asks GUEST about (the page answers false); the view SALES_VW over SALES
 * (PG_GET_COLS.html) and the late-binding views MYEVENT (r_CREATE_VIEW.html's), SALES_LBV and EVENT_LBV
 * (PG_GET_LATE_BINDING_VIEW_COLS.html), with SALES and EVENT as r_CREATE_TABLE_examples.html and
 * t_explain_plan_example.html create them. Redshift SQL, run through the twin as a user's would be, so
 * the views are recorded as late-binding as any user's are. The runner's fixture, not the twin's.
 */
const GUIDE_TICKIT = [
  'CREATE TABLE public.listing (listid INTEGER)',
  'CREATE TABLE public.sales (salesid INTEGER NOT NULL, listid INTEGER NOT NULL, sellerid INTEGER NOT NULL, buyerid INTEGER NOT NULL, ' +
    'eventid INTEGER NOT NULL, dateid SMALLINT NOT NULL, qtysold SMALLINT NOT NULL, pricepaid DECIMAL(8,2), commission DECIMAL(8,2), saletime TIMESTAMP)',
  'CREATE TABLE public.event (eventid INTEGER NOT NULL, venueid SMALLINT NOT NULL, catid SMALLINT NOT NULL, dateid SMALLINT NOT NULL, ' +
    'eventname VARCHAR(200), starttime TIMESTAMP)',
  'CREATE VIEW sales_vw AS SELECT * FROM public.sales',
  'CREATE VIEW myevent AS SELECT eventname FROM public.event WITH NO SCHEMA BINDING',
  'CREATE VIEW sales_lbv AS SELECT * FROM public.sales WITH NO SCHEMA BINDING',
  'CREATE VIEW event_lbv AS SELECT * FROM public.event WITH NO SCHEMA BINDING',
];

/**
 * The guide's sample database, which r_HAS_DATABASE_PRIVILEGE.html asks GUEST about (TEMP, which
 * every user has on a new database: the page answers true). CREATE DATABASE runs outside a
 * transaction, so on its own; on a server it stays for the next run, as a cluster's TICKIT does.
 */
async function createTickitDatabase(engine: SqlEngine): Promise<void> {
  const { rows } = await engine.query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = 'tickit'");
  if (rows.length > 0) return;
  await engine.exec('CREATE DATABASE tickit').catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== '42P04') throw error; // made meanwhile by a run beside this one
  });
}

/**
 * Pages whose examples an administrator runs: they ask about roles the analyst has no access to,
 * and "Superusers can check the membership of all roles ... Amazon Redshift errors out if ... the
 * current user doesn't have access to the role" (r_ROLE_IS_MEMBER_OF.html, r_USER_IS_MEMBER_OF.html).
 * As the analyst, the twin errors out as Redshift does; the runner runs them as the superuser.
 */
const ADMINISTRATOR_PAGES: ReadonlySet<string> = new Set(['r_ROLE_IS_MEMBER_OF', 'r_USER_IS_MEMBER_OF']);

/** Whether any of the cases uses Redshift's spatial SQL: the engine then needs PostGIS (local/spatial.ts). */
export function needsSpatial(cases: readonly GuideCase[]): boolean {
  return cases.some((c) => usesSpatial(c.sql));
}

/**
 * Makes a fresh engine ready to run analyst queries as `npx sparkify query` does on a loaded
 * warehouse: the prelude (with PostGIS first when `spatial`, as `sparkify query` installs it) and
 * the bootstrap's roles (as the superuser the engine connects as), then the analyst's identity
 * for the rest of the session.
 */
export async function prepareEngine(engine: SqlEngine, { spatial = false }: { readonly spatial?: boolean } = {}): Promise<void> {
  if (spatial) await installSpatial(engine);
  await engine.exec(POSTGRES_PRELUDE);
  await runOfflineBootstrap(engine, readSqlFiles());
  await engine.exec(GUIDE_USERS);
  for (const sql of GUIDE_TICKIT) await engine.exec(await twinStatement(engine, sql, { file: 'conformance fixture' }));
  await createTickitDatabase(engine);
  // A runaway case must not hold the suite: no table-free example needs a second.
  await engine.exec("SET statement_timeout = '10s'");
  await actAs(engine, 'analyst');
}

/** First line of an error's message, for a one-line reason. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .find((line) => line.trim() !== '' && !/^Redshift would refuse/.test(line))
      ?.trim() ?? message
  );
}

/**
 * Runs one case exactly as `npx sparkify query "<sql>"` does (cli/main.ts queryCommand): the
 * Redshift gate on the SQL as written, the dialect bridge, then the engine, in a transaction of its
 * own that is rolled back, so a failing case leaves the session as it found it.
 */
export async function runCase(engine: SqlEngine, c: GuideCase): Promise<CaseOutcome> {
  const outcome = (cls: CaseClass, reason?: string): CaseOutcome => ({
    id: c.id,
    page: c.page,
    family: c.family,
    class: cls,
    ...(reason === undefined ? {} : { reason }),
  });
  await loadRedshiftGate();
  let refusals;
  try {
    refusals = checkRedshiftSql(c.sql, 'query');
  } catch (error) {
    return outcome('error', `the gate failed: ${firstLine(error)}`);
  }
  if (refusals.length > 0) {
    // Honest only when every refusal is: one "is not Redshift SQL" among them is a gate bug.
    const texts = refusals.map(formatRefusal);
    const wrong = texts.filter((text) => !NOT_RUN_OFFLINE.test(text));
    return wrong.length === 0 ? outcome('not-run-offline', texts.join('; ')) : outcome('refused', wrong.join('; '));
  }
  let statement: string;
  try {
    statement = await twinStatement(engine, trimStatement(c.sql), { file: 'query' });
  } catch (error) {
    const reason = firstLine(error);
    return NOT_RUN_OFFLINE.test(reason) ? outcome('not-run-offline', reason) : outcome('error', `the dialect bridge failed: ${reason}`);
  }
  let answer: ArrayQueryResult;
  await engine.exec('BEGIN');
  try {
    // RESET ROLE in the transaction: its ROLLBACK makes the session the analyst's again.
    if (ADMINISTRATOR_PAGES.has(c.page)) await engine.exec('RESET ROLE');
    answer = await engine.queryArrays(statement);
  } catch (error) {
    const reason = firstLine(error);
    return NOT_RUN_OFFLINE.test(reason) ? outcome('not-run-offline', reason) : outcome('error', reason);
  } finally {
    await engine.exec('ROLLBACK');
  }
  const difference = compare(c, answer);
  return difference === undefined ? outcome('same') : outcome('differs', difference);
}

/**
 * Cases whose page says the order of a collection's members is not determined: any order of the same
 * members is the page's answer. ST_Collect-function.html: "There isn't a determined return order of
 * the geometries. Specify the WITHIN GROUP (ORDER BY ...) clause to specify the order".
 */
const UNDETERMINED_MEMBER_ORDER: ReadonlySet<string> = new Set(['ST_Collect-function#3']);

/**
 * A collection's WKT with its members sorted: 'SRID=4326;MULTILINESTRING((10 0,20 -5),(0 0,10 0))'
 * and its members in the other order give the same text. Anything else is returned as it is.
 */
export function membersInOrder(wkt: string): string {
  const m = /^(SRID=\d+;)?([A-Z ]+)\((.*)\)$/.exec(wkt);
  if (!m) return wkt;
  const [, srid = '', kind = '', body = ''] = m;
  const members: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '(') depth++;
    else if (body[i] === ')') depth--;
    else if (body[i] === ',' && depth === 0) {
      members.push(body.slice(start, i));
      start = i + 1;
    }
  }
  members.push(body.slice(start));
  return `${srid}${kind}(${members.sort().join(',')})`;
}

/** A page's cell against a rendered value; undefined value is SQL NULL. */
function sameCell(printed: string, value: string | undefined, anyMemberOrder = false): boolean {
  const expected = printed.trim();
  // psql prints NULL as nothing; some pages were printed by a client that writes NULL or null.
  if (value === undefined) return expected === '' || /^(null|<null>)$/i.test(expected);
  const actual = value.trim();
  if (expected === actual) return true;
  if (anyMemberOrder && membersInOrder(expected) === membersInOrder(actual)) return true;
  // Booleans: psql's t and f, or a client's true and false.
  const bool = (text: string) => ({ t: 't', true: 't', f: 'f', false: 'f' })[text.toLowerCase()];
  return (actual === 't' || actual === 'f') && bool(expected) === actual;
}

/**
 * Why the answer is not the page's, or undefined when it is (docs/conformance.md): every column
 * name that differs and the first value that does, so a wrong name does not hide a wrong value.
 */
export function compare(c: GuideCase, answer: ArrayQueryResult): string | undefined {
  const names = answer.fields.map((field) => field.name);
  if (names.length !== c.columns.length) return `${names.length} columns (${names.join(', ')}), the page prints ${c.columns.length}`;
  const problems: string[] = [];
  for (let i = 0; i < names.length; i++) {
    // Header case is formatting: Redshift folds names to lower case, some pages print them upper.
    if ((names[i] ?? '').toLowerCase() !== (c.columns[i] ?? '').toLowerCase()) {
      problems.push(`column ${i + 1} is named ${names[i]}, the page's is ${c.columns[i]}`);
    }
  }
  if (answer.rows.length !== c.rows.length) problems.push(`${answer.rows.length} rows, the page prints ${c.rows.length}`);
  else if (!c.volatile) problems.push(...firstValueDifference(c, answer));
  return problems.length > 0 ? problems.join('; ') : undefined;
}

function firstValueDifference(c: GuideCase, answer: ArrayQueryResult): string[] {
  for (let r = 0; r < c.rows.length; r++) {
    for (let i = 0; i < answer.fields.length; i++) {
      const printed = c.rows[r]?.[i] ?? '';
      const value = renderValue(answer.rows[r]?.[i], answer.fields[i]?.dataTypeID ?? 0);
      if (!sameCell(printed, value, UNDETERMINED_MEMBER_ORDER.has(c.id))) {
        const where = c.rows.length > 1 || answer.fields.length > 1 ? ` (row ${r + 1}, column ${i + 1})` : '';
        return [`${value === undefined ? 'NULL' : JSON.stringify(value)}, the page prints ${JSON.stringify(printed)}${where}`];
      }
    }
  }
  return [];
}

/** An engine is still usable after a case: PGlite can be left aborted by a crash in its WebAssembly. */
async function alive(engine: SqlEngine): Promise<boolean> {
  try {
    await engine.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

export interface SuiteRun {
  readonly outcomes: CaseOutcome[];
  readonly ms: number;
}

/**
 * Runs every case on one engine. `reopen` gives a fresh prepared engine should one crash (the
 * case is then an `error`, and the next cases run on the new engine).
 */
export async function runSuite(
  engine: SqlEngine,
  cases: readonly GuideCase[],
  reopen?: () => Promise<SqlEngine>,
): Promise<SuiteRun & { engine: SqlEngine }> {
  const began = performance.now();
  const outcomes: CaseOutcome[] = [];
  let current = engine;
  for (const c of cases) {
    try {
      outcomes.push(await runCase(current, c));
    } catch (error) {
      outcomes.push({ id: c.id, page: c.page, family: c.family, class: 'error', reason: `the runner failed: ${firstLine(error)}` });
      if (!(await alive(current))) {
        if (!reopen) throw error;
        current = await reopen();
      }
    }
  }
  return { outcomes, ms: performance.now() - began, engine: current };
}

export function counts(outcomes: readonly CaseOutcome[]): Record<CaseClass, number> {
  const tally = Object.fromEntries(CLASSES.map((cls) => [cls, 0])) as Record<CaseClass, number>;
  for (const o of outcomes) tally[o.class]++;
  return tally;
}

/** One line: the counts, the share of `same`, and how many of the others are page errors. */
export function summaryLine(outcomes: readonly CaseOutcome[], engineKind: string, ms?: number): string {
  const tally = counts(outcomes);
  const pageErrors = new Set(readPageErrors().map((e) => e.id));
  const wrongPages = outcomes.filter((o) => o.class !== 'same' && pageErrors.has(o.id)).length;
  // Truncated, never rounded up: 435 of 458 is 94.9%, not 95.0%.
  const percent = (part: number, whole: number) => (whole ? (Math.floor((1000 * part) / whole) / 10).toFixed(1) : '0.0');
  const runs = outcomes.length - tally['not-run-offline'];
  const time = ms === undefined ? '' : ` in ${(ms / 1000).toFixed(1)} s`;
  return (
    `conformance (${engineKind}): ${outcomes.length} guide examples${time}: ${tally.same} same (${percent(tally.same, outcomes.length)}%), ` +
    `${tally.differs} differs, ${tally['not-run-offline']} not-run-offline, ${tally.refused} refused, ${tally.error} error; ` +
    `${percent(tally.same, runs)}% same of the ${runs} not refused as not run offline; ` +
    `${wrongPages} of those not same are page errors, so ${percent(tally.same, outcomes.length - wrongPages)}% same of the ` +
    `${outcomes.length - wrongPages} whose page is right`
  );
}

/** Per engine, each case not `same` today and its class (test/conformance/known-differences.json). */
export type Baseline = Partial<Record<SqlEngine['kind'], Record<string, CaseClass>>>;

export function readBaseline(file = BASELINE_FILE): Baseline {
  return JSON.parse(readFileSync(file, 'utf8')) as Baseline;
}

/** The baseline of one engine as this run found it: every case not `same`, in the cases' order. */
export function baselineOf(outcomes: readonly CaseOutcome[]): Record<string, CaseClass> {
  return Object.fromEntries(outcomes.filter((o) => o.class !== 'same').map((o) => [o.id, o.class]));
}

/**
 * The ratchet: what changed against the baseline. A case not listed that is not `same`, a listed
 * case whose class changed, and a listed case now `same` (shrink the list: --update-baseline), or
 * a listed case the suite no longer has.
 */
export function ratchet(outcomes: readonly CaseOutcome[], known: Readonly<Record<string, CaseClass>>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of outcomes) {
    seen.add(o.id);
    const listed = known[o.id];
    if (listed === undefined && o.class !== 'same') problems.push(`${o.id}: now ${o.class} (${o.reason ?? ''}), not in the baseline`);
    else if (listed !== undefined && o.class === 'same') problems.push(`${o.id}: now same, listed as ${listed}: shrink the baseline`);
    else if (listed !== undefined && listed !== o.class) problems.push(`${o.id}: now ${o.class} (${o.reason ?? ''}), listed as ${listed}`);
  }
  for (const id of Object.keys(known)) if (!seen.has(id)) problems.push(`${id}: listed in the baseline, not a case of the suite`);
  return problems;
}

/** A printed value the page gets wrong, and why (test/conformance/page-errors.json). */
export interface PageError {
  readonly id: string;
  readonly reason: string;
}

export function readPageErrors(file = PAGE_ERRORS_FILE): PageError[] {
  return JSON.parse(readFileSync(file, 'utf8')) as PageError[];
}
