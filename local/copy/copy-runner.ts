import type { SqlEngine } from '../engine';
import { conversionFor } from './column-converter';
import type { CopyCommand, CopyJsonFormat } from './copy-command';
import { CopySetupError } from './copy-setup-error';
import { isAutoInstead, loadJsonPaths } from './jsonpaths';
import type { LoadErrorRow } from './load-error';
import { openRowSink, type InsertMode } from './open-row-sink';
import type { RowSink } from './row-sink';
import { readFiles } from './read-files';
import { recordFields } from './record-fields';
import { noshredConversions } from './super-noshred';
import { RecordLoader } from './record-loader';
import { ProfiledRecordLoader, ProfiledSink, startCopyProfile } from './copy-profile';
import { manifestFiles } from './manifest';
import { LocalBuckets, type S3Object } from './s3-source';
import { decodeSource } from './source-text';
import { quoteQualified, readTargetColumns } from './table-columns';

export interface CopyFileProgress {
  readonly uri: string;
  /** Records read from this file, rejected ones included. */
  readonly records: number;
  readonly rejected: number;
}

export interface CopyRunOptions {
  /** Bucket name -> local folder laid out like the bucket. */
  readonly buckets: Readonly<Record<string, string>>;
  /** Called after each file is read. */
  readonly onFile?: (progress: CopyFileProgress) => void;
  /** 'json' forces parameterised inserts (tests compare them with the binary COPY); default 'auto'. */
  readonly insertMode?: InsertMode;
}

export interface CopyResult {
  readonly table: string;
  readonly files: number;
  /** Every record found, rejected ones included. */
  readonly recordsRead: number;
  readonly rowsLoaded: number;
  /** Rejected records (at most MAXERROR of them), in file and line order. */
  readonly rejected: readonly LoadErrorRow[];
  /** With MANIFEST only: the non-mandatory entries skipped because their file does not exist. */
  readonly skipped?: readonly string[];
}

/**
 * Runs a Redshift JSON COPY against a local folder laid out like the bucket. Rows reach the table
 * while the files are read (a binary COPY streamed to a server, or sent between files to PGlite),
 * under a savepoint: past MAXERROR (CopyError), or on any failure, the table is left as it was.
 * Runs inside the caller's transaction and never ends it. Afterwards the
 * transaction-local setting sparkify.last_copy_count holds the rows loaded, for
 * pg_last_copy_count().
 */
export async function runCopy(engine: SqlEngine, command: CopyCommand, options: CopyRunOptions): Promise<CopyResult> {
  const { table } = command;
  const profile = startCopyProfile(table);
  const began = profile ? performance.now() : 0;
  const buckets = new LocalBuckets(options.buckets);
  const columns = await readTargetColumns(engine, table, command.columns);
  if (columns.length === 0) throw new CopySetupError(`COPY ${table}: the table has no column COPY can load`);
  const loaded = command.format.kind === 'jsonpaths' ? await loadJsonPaths(command.format.uri, buckets, table) : undefined;
  // A jsonpaths file whose one name is not "jsonpaths" makes Redshift use 'auto' (see AutoInstead).
  const format: CopyJsonFormat = loaded && isAutoInstead(loaded) ? { kind: 'auto' } : command.format;
  const jsonPaths = loaded && !isAutoInstead(loaded) ? loaded : undefined;
  if (jsonPaths && jsonPaths.paths.length !== columns.length) {
    throw new CopySetupError(
      `COPY ${table}: Number of jsonpaths and the number of columns should match. ` +
        `JSONPath size: ${jsonPaths.paths.length}, Number of columns in table or column list: ${columns.length}. ` +
        `Fix ${jsonPaths.uri} (one path per column, in column order: ${columns.map((c) => c.name).join(', ')}) ` +
        'or give COPY a column list.',
    );
  }
  // A manifest COPY reads exactly the listed objects, in manifest order; otherwise every key under the prefix.
  const listed = command.manifest ? await manifestFiles(command.from, buckets, table) : undefined;
  const files: readonly S3Object[] = listed ? listed.files : await buckets.list(command.from);
  const conversions =
    format.kind === 'noshred' ? noshredConversions(columns, table) : columns.map((column) => conversionFor(column, command, table));
  const fields = recordFields(format, columns, jsonPaths);
  const opened = await openRowSink(
    engine,
    {
      table: quoteQualified(table),
      names: columns.map((column) => column.name),
      encodings: conversions.map((conversion) => conversion.encoding),
    },
    options.insertMode,
  );
  // Profiling (tools/bench) wraps the sink and the loader; otherwise both are the plain ones.
  const profiled = profile ? new ProfiledSink(opened) : undefined;
  const sink: RowSink = profiled ?? opened;
  try {
    const setup = {
      table,
      columns,
      fields,
      converters: conversions.map((conversion) => conversion.convert),
      maxError: command.maxError,
      sink,
    };
    const loader = profiled ? new ProfiledRecordLoader(setup, profiled) : new RecordLoader(setup);
    let index = 0;
    let mark = profile ? performance.now() : 0;
    if (profile) profile.setup = mark - began;
    for await (const buffer of readFiles(files.map((file) => file.path))) {
      const file = files[index++] as S3Object;
      const records = loader.records;
      const rejected = loader.rejected.length;
      if (profile) {
        const read = performance.now();
        profile.read += read - mark;
        const text = decodeSource(buffer, command.acceptInvChars);
        const decoded = performance.now();
        profile.decode += decoded - read;
        loader.readFile(file.uri, text);
        profile.parse += performance.now() - decoded;
        profile.bytes += buffer.length;
      } else {
        loader.readFile(file.uri, decodeSource(buffer, command.acceptInvChars));
      }
      options.onFile?.({ uri: file.uri, records: loader.records - records, rejected: loader.rejected.length - rejected });
      if (profile) {
        const paused = performance.now();
        await sink.pause?.();
        mark = performance.now();
        profile.engine += mark - paused;
      } else {
        await sink.pause?.();
      }
    }
    const loading = profile ? performance.now() : 0;
    await sink.load();
    if (profile && loader instanceof ProfiledRecordLoader) {
      profile.engine += performance.now() - loading;
      // The scan's time held the sampled record callbacks: what is left of it is splitting and JSON.parse.
      profile.parse -= loader.recordMs;
      profile.convert = loader.recordMs - loader.encodeMs;
      profile.encode = loader.encodeMs;
      profile.files = files.length;
      profile.records = loader.records;
    }
    // A COPY is a query with an id, as twinStatement marks one (sparkify.query_ran, for PG_LAST_QUERY_ID).
    await engine.query(`SELECT set_config('sparkify.last_copy_count', $1, true), set_config('sparkify.query_ran', 'on', false)`, [
      String(sink.rows),
    ]);
    if (profile) profile.total = performance.now() - began;
    return {
      table,
      files: files.length,
      recordsRead: loader.records,
      rowsLoaded: sink.rows,
      rejected: loader.rejected,
      ...(listed ? { skipped: listed.skipped } : {}),
    };
  } finally {
    await sink.dispose();
  }
}
