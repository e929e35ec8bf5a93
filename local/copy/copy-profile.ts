import type { ConvertedValue } from './converter-types';
import { RecordLoader } from './record-loader';
import type { RowSink } from './row-sink';

/**
 * Where a COPY's time goes, in milliseconds, for the benchmark (tools/bench). Off unless
 * profileCopies() turned it on: then runCopy times each file's read, decode and record scan, and
 * its sink's waits; conversion and encoding are timed on one record in SAMPLE_EVERY and scaled,
 * so profiling costs a few performance.now() calls per file and per sampled record.
 */
export interface CopyProfile {
  readonly table: string;
  files: number;
  records: number;
  bytes: number;
  /** Before the first file: the table's columns, a jsonpaths file, the listing (or manifest), the sink. */
  setup: number;
  /** readFileSync. */
  read: number;
  /** Bytes to a JavaScript string (UTF-8 check included). */
  decode: number;
  /** Splitting records and JSON.parse: the scan's time less the sampled record callbacks. */
  parse: number;
  /** Field lookups and the column converters (sampled). */
  convert: number;
  /** Encoding the row into PostgreSQL's binary COPY format, block writes included (sampled). */
  encode: number;
  /** The engine's side: a server catching up between files and finishing, or PGlite's COPY FROM the file. */
  engine: number;
  /** The COPY, end to end (table lookup, setup and the row count included). */
  total: number;
}

/** Time one record in this many; the records of a COPY are alike, so the scaled sample holds. */
const SAMPLE_EVERY = 8;

let active: CopyProfile[] | undefined;

/** Starts profiling every COPY of this process; the returned list fills as COPYs finish. */
export function profileCopies(): CopyProfile[] {
  active = [];
  return active;
}

export function stopProfilingCopies(): void {
  active = undefined;
}

/** A fresh profile for one COPY when profiling is on, else undefined. */
export function startCopyProfile(table: string): CopyProfile | undefined {
  if (!active) return undefined;
  const profile: CopyProfile = {
    table,
    files: 0,
    records: 0,
    bytes: 0,
    setup: 0,
    read: 0,
    decode: 0,
    parse: 0,
    convert: 0,
    encode: 0,
    engine: 0,
    total: 0,
  };
  active.push(profile);
  return profile;
}

/** Wraps a sink so that sampled adds are timed apart from the conversion that precedes them. */
export class ProfiledSink implements RowSink {
  /** Set by the loader for the record being sampled. */
  sampling = false;
  encodeMs = 0;

  constructor(private readonly inner: RowSink) {}

  get rows(): number {
    return this.inner.rows;
  }

  add(values: readonly ConvertedValue[]): void {
    if (!this.sampling) {
      this.inner.add(values);
      return;
    }
    const began = performance.now();
    this.inner.add(values);
    this.encodeMs += performance.now() - began;
  }

  pause(): Promise<void> {
    return this.inner.pause?.() ?? Promise.resolve();
  }

  load(): Promise<void> {
    return this.inner.load();
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** A RecordLoader that times one record callback in SAMPLE_EVERY (conversion and encoding together). */
export class ProfiledRecordLoader extends RecordLoader {
  recordMs = 0;
  private countdown = 0;

  constructor(
    setup: ConstructorParameters<typeof RecordLoader>[0],
    private readonly profiled: ProfiledSink,
  ) {
    super(setup);
  }

  override record(value: unknown, line: number, endLine: number, start: number, end: number): void {
    if (this.countdown-- > 0) {
      super.record(value, line, endLine, start, end);
      return;
    }
    this.countdown = SAMPLE_EVERY - 1;
    this.profiled.sampling = true;
    const began = performance.now();
    try {
      super.record(value, line, endLine, start, end);
    } finally {
      this.recordMs += (performance.now() - began) * SAMPLE_EVERY;
      this.profiled.sampling = false;
    }
  }

  /** The sampled encoding time, scaled to every record. */
  get encodeMs(): number {
    return this.profiled.encodeMs * SAMPLE_EVERY;
  }
}
