import { PlanError, bindTemplate } from './bind';
import type { LoadPlan, PlanSettings } from './load-plan';
import { sqlFile } from './load-plan';
import type { SqlFiles } from './sql-files';

/**
 * What an incremental load decides from the source listing and what the warehouse tracked
 * (docs/incremental-loads.md §2.1). Pure: the Lambda and the offline executor list the source
 * their own way, then make the same decision with the same words.
 */

export const SOURCE_KINDS = ['events', 'songs', 'jsonpaths'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One source object as a listing shows it (S3 ListObjectsV2: Key, Size, ETag). */
export interface SourceObject {
  readonly kind: SourceKind;
  readonly key: string;
  readonly size: number;
  /** Compared as an opaque token: an ETag is an MD5 of the bytes only for some uploads. */
  readonly etag: string;
}

/** A row of source_files: an object as it was when a committed load read it. */
export interface TrackedObject extends SourceObject {
  readonly loadId: string;
}

/** The latest succeeded load: what the warehouse holds now. */
export interface LastLoad {
  readonly loadId: string;
  readonly fingerprint: string;
}

export type LoadDecision =
  | { readonly kind: 'full'; readonly reason: string }
  | { readonly kind: 'incremental'; readonly newEvents: readonly SourceObject[] }
  /** `held`: the load the warehouse holds, unchanged. */
  | { readonly kind: 'nothing-new'; readonly held: string };

/** The decision of a load not asked to be incremental. */
export const FULL_AS_ASKED: LoadDecision = { kind: 'full', reason: 'a full load, as asked' };

export interface SourceChange {
  readonly key: string;
  readonly was: TrackedObject;
  /** The object as listed now, or 'gone'. */
  readonly now: SourceObject | 'gone';
}

/** The fix every changed-file report ends with. */
export const FULL_RELOAD_FIX =
  'A full reload loads the files as they are now: offline `npx sparkify load` without --incremental; deployed, `cdk deploy` (with pinLoad on, a deploy reloads only when the SQL or source settings change: deploy with -c sparkify:pinLoad=false).';

/**
 * Log files that changed or vanished after a committed load read them. An incremental load never
 * skips them in silence (SPEC §4): it stops before touching the warehouse and names each one.
 */
export class ChangedSourceFilesError extends PlanError {
  constructor(readonly changes: readonly SourceChange[]) {
    super(
      `${changes.length} log file${changes.length === 1 ? '' : 's'} changed since ${changes.length === 1 ? 'it was' : 'they were'} loaded, so an incremental load would not equal a full one:\n` +
        changes.map((change) => `  ${describeChange(change)}`).join('\n') +
        `\n${FULL_RELOAD_FIX}`,
    );
    this.name = 'ChangedSourceFilesError';
  }
}

function describeChange({ key, was, now }: SourceChange): string {
  const then = `size ${was.size}, etag ${was.etag}, loaded by ${was.loadId}`;
  return now === 'gone' ? `${key}: gone (was ${then})` : `${key}: now size ${now.size}, etag ${now.etag} (was ${then})`;
}

export interface DecideInput {
  /** Every object under the events and songs prefixes, and the jsonpaths object. */
  readonly listing: readonly SourceObject[];
  readonly tracked: readonly TrackedObject[];
  readonly lastSucceeded?: LastLoad;
  /** The plan's fingerprint now. */
  readonly fingerprint: string;
  /** This load's id: user_latest_event tells this load's rows from older ones by it. */
  readonly loadId: string;
  /** MAXERROR: a full load counts rejected records over all files, which an incremental one cannot. */
  readonly maxLoadErrors: number;
  /** False when the schema sync would create or rebuild a table: only a full load does that (tracked may then be empty: source_files may not exist). */
  readonly schemaUnchanged: boolean;
}

/**
 * Full when the warehouse cannot be extended to equal a full load (no earlier load, other SQL or
 * settings, a table to create or rebuild, song files or the jsonpaths file changed); throws
 * ChangedSourceFilesError when a loaded log file changed or is gone; else the new log files, or
 * nothing new.
 */
export function decideLoad(input: DecideInput): LoadDecision {
  const { lastSucceeded, tracked } = input;
  // The first reason that holds, the most basic first: a new warehouse has no load and no table.
  if (!lastSucceeded) return full('no earlier load succeeded');
  if (!input.schemaUnchanged) return full('a table in sql/schema is new or changed');
  if (input.maxLoadErrors > 0) {
    return full(
      `maxLoadErrors is ${input.maxLoadErrors}: a full load's COPY rejects at most that many records over all files, which loading the new files alone cannot check`,
    );
  }
  if (tracked.length === 0) return full(`load ${lastSucceeded.loadId} tracked no source files`);
  if (lastSucceeded.fingerprint !== input.fingerprint) {
    return full(
      `the SQL or settings changed since load ${lastSucceeded.loadId} (fingerprint ${lastSucceeded.fingerprint} -> ${input.fingerprint})`,
    );
  }

  if (lastSucceeded.loadId === input.loadId || tracked.some((object) => object.loadId === input.loadId)) {
    throw new LoadIdTakenError(input.loadId);
  }
  const listed = byKey(input.listing);
  const known = byKey(tracked);
  for (const kind of ['songs', 'jsonpaths'] as const) {
    const differing = [
      ...input.listing.filter((object) => object.kind === kind && !sameObject(known.get(object.key), object)),
      ...tracked.filter((object) => object.kind === kind && !listed.has(object.key)),
    ];
    const first = differing[0];
    if (first) {
      const what = kind === 'songs' ? `${differing.length} song file${differing.length === 1 ? '' : 's'}` : 'the jsonpaths file';
      return full(`${what} new, changed or gone since it was loaded (first: ${first.key}); songs and artists are rebuilt`);
    }
  }

  const changes: SourceChange[] = [];
  for (const was of tracked) {
    if (was.kind !== 'events') continue;
    const now = listed.get(was.key);
    if (!now) changes.push({ key: was.key, was, now: 'gone' });
    else if (!sameObject(was, now)) changes.push({ key: was.key, was, now });
  }
  if (changes.length > 0) throw new ChangedSourceFilesError(changes);

  const newEvents = input.listing.filter((object) => object.kind === 'events' && !known.has(object.key));
  return newEvents.length === 0 ? { kind: 'nothing-new', held: lastSucceeded.loadId } : { kind: 'incremental', newEvents };
}

/**
 * A load id a committed load already has, refused in every mode: user_latest_event and source_files
 * tell loads apart by it, and load_history would hold two loads of one name. A failed attempt's id
 * may be used again: its retry is the same load (load_report.sql reads the latest attempt).
 */
export class LoadIdTakenError extends PlanError {
  constructor(readonly loadId: string) {
    super(
      `the load id ${loadId} is already in the warehouse (a load of that id succeeded, in load_history): each load needs an id of its own (leave out --load-id for a new one)`,
    );
    this.name = 'LoadIdTakenError';
  }
}

function full(reason: string): LoadDecision {
  return { kind: 'full', reason };
}

function byKey<T extends SourceObject>(objects: readonly T[]): Map<string, T> {
  return new Map(objects.map((object) => [object.key, object]));
}

function sameObject(a: SourceObject | undefined, b: SourceObject): boolean {
  return a !== undefined && a.kind === b.kind && a.size === b.size && a.etag === b.etag;
}

/**
 * Which source a listed key belongs to, by the same prefix rule COPY uses ('log_data' also
 * matches 'log_data_old/...'); undefined for a key no load reads.
 */
export function sourceKind(
  settings: Pick<PlanSettings, 'eventsPrefix' | 'songsPrefix' | 'jsonpathsKey'>,
  key: string,
): SourceKind | undefined {
  if (key === settings.jsonpathsKey) return 'jsonpaths';
  if (key.startsWith(settings.eventsPrefix)) return 'events';
  if (key.startsWith(settings.songsPrefix)) return 'songs';
  return undefined;
}

/** The rows tracking.source_files COPYs (FORMAT JSON 'auto': one object per line, keys = columns). */
export function trackingFile(objects: readonly SourceObject[], loadId: string): string {
  return objects.map(({ kind, key, size, etag }) => `${JSON.stringify({ kind, key, size, etag, load_id: loadId })}\n`).join('');
}

/**
 * The COPY manifest of the new log files: exact keys, every entry mandatory, so a file gone
 * between the listing and the COPY fails the load instead of being tracked unloaded
 * (https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html).
 */
export function eventsManifest(bucket: string, objects: readonly SourceObject[]): string {
  if (objects.length === 0) throw new PlanError('a manifest needs at least one file: COPY fails when a manifest lists none');
  return `${JSON.stringify({ entries: objects.map((object) => ({ url: `s3://${bucket}/${object.key}`, mandatory: true })) }, null, 2)}\n`;
}

/** Rows of sql/catalog/tracked_files.sql and last_succeeded_load.sql, as both executors read them. */
export interface TrackedRow {
  readonly kind: string;
  readonly key: string;
  readonly size: number | string | bigint;
  readonly etag: string;
  readonly load_id: string;
}
export interface LastLoadRow {
  readonly load_id: string;
  readonly fingerprint: string;
  /** When it ended (TIMESTAMP, UTC): a Date offline, text through the Data API. */
  readonly finished_at?: Date | string;
}

/** The queries an executor runs before deciding (the warehouse's tracked files and its latest succeeded load). */
export function trackingQueries(files: SqlFiles): { readonly tracked: string; readonly lastLoad: string } {
  const read = (file: string) => bindTemplate(file, sqlFile(files, file, 'an incremental load'), {});
  return { tracked: read('catalog/tracked_files.sql'), lastLoad: read('catalog/last_succeeded_load.sql') };
}

/** What the decision needs of the plan: its fingerprint, its load id and MAXERROR. */
export function decisionFacts(plan: LoadPlan): Pick<DecideInput, 'fingerprint' | 'loadId' | 'maxLoadErrors'> {
  return { fingerprint: plan.fingerprint, loadId: plan.loadId, maxLoadErrors: plan.input.settings.maxLoadErrors };
}

/** Runs one of the catalog queries in an executor's own way (the Data API, the offline engine). */
export type CatalogReader = <T>(sql: string, file: string) => Promise<readonly T[]>;

/**
 * Reads what the warehouse tracked and its latest load, then decides: the same reads and decision
 * in every executor. When a table must be created or rebuilt the load is full, and only its latest
 * load is read (source_files may not exist yet), when load_history exists (`historyExists`), so that
 * a new warehouse is told it has no earlier load.
 */
export async function decideFromWarehouse(
  files: SqlFiles,
  input: Omit<DecideInput, 'tracked' | 'lastSucceeded'> & { readonly historyExists: boolean },
  read: CatalogReader,
): Promise<LoadDecision> {
  const queries = trackingQueries(files);
  if (!input.schemaUnchanged) {
    const last = input.historyExists ? await read<LastLoadRow>(queries.lastLoad, 'sql/catalog/last_succeeded_load.sql') : [];
    return decideLoad({ ...input, tracked: [], lastSucceeded: lastLoad(last) });
  }
  const tracked = await read<TrackedRow>(queries.tracked, 'sql/catalog/tracked_files.sql');
  const last = await read<LastLoadRow>(queries.lastLoad, 'sql/catalog/last_succeeded_load.sql');
  return decideLoad({ ...input, tracked: trackedObjects(tracked), lastSucceeded: lastLoad(last) });
}

/** The query rows as the decision takes them; a kind the plan does not know is an error naming it. */
export function trackedObjects(rows: readonly TrackedRow[]): TrackedObject[] {
  return rows.map((row) => {
    if (!(SOURCE_KINDS as readonly string[]).includes(row.kind)) {
      throw new PlanError(
        `source_files holds kind '${row.kind}' for ${row.key}; expected ${SOURCE_KINDS.join(', ')} (a full reload rewrites the table)`,
      );
    }
    return { kind: row.kind as SourceKind, key: row.key, size: Number(row.size), etag: row.etag, loadId: row.load_id };
  });
}

export function lastLoad(rows: readonly LastLoadRow[]): LastLoad | undefined {
  const row = rows[0];
  return row ? { loadId: row.load_id, fingerprint: row.fingerprint } : undefined;
}
