import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SqlEngine } from '../engine';
import { writeRow } from './binary-file-sink';
import { CopyBinaryWriter } from './copy-binary-writer';
import type { ConvertedValue } from './converter-types';
import type { RowSink, SinkTarget } from './row-sink';
import { quoteIdent } from '../../lib/plan/bind';

/** Blocks handed to the connection: small enough that the server starts on rows early. */
const BLOCK_BYTES = 1024 * 1024;
const SAVEPOINT = 'sparkify_copy';

/**
 * Streams rows into a server's `COPY ... FROM STDIN` (binary) while the files are still being read,
 * so the server stores rows on one core while this process parses on the other (at 805k events the
 * step takes 4.6-5.6 s, 6.5-7.0 s through a file loaded after the read, 16-18 s through JSON
 * parameters). Past MAXERROR, or on any
 * failure, the COPY is cancelled and rolled back to a savepoint taken before it: the table is left
 * as it was and the caller's transaction goes on, as with the sinks that load after the read.
 */
export class StreamingCopySink implements RowSink {
  rows = 0;
  private readonly stream = new PassThrough({ highWaterMark: 4 * BLOCK_BYTES });
  private readonly writer = new CopyBinaryWriter((block) => {
    this.handedOn += block.length;
    this.stream.write(block);
  }, BLOCK_BYTES);
  /** Bytes handed to the stream since the last pause let the connection run. */
  private handedOn = 0;
  private copying: Promise<void> | undefined;
  private failure: unknown;
  private savepoint = false;
  private state: 'streaming' | 'loaded' | 'disposed' = 'streaming';

  private constructor(
    private readonly engine: SqlEngine & Required<Pick<SqlEngine, 'copyFromStream'>>,
    private readonly target: SinkTarget,
  ) {}

  /** Takes the savepoint (inside a transaction block; outside one a COPY is atomic anyway) and starts the COPY. */
  static async open(engine: SqlEngine & Required<Pick<SqlEngine, 'copyFromStream'>>, target: SinkTarget): Promise<StreamingCopySink> {
    const sink = new StreamingCopySink(engine, target);
    // A cancelled stream errors; the COPY's own promise reports the failure that matters.
    sink.stream.on('error', () => undefined);
    sink.savepoint = await engine.exec(`SAVEPOINT ${SAVEPOINT}`).then(
      () => true,
      () => false,
    );
    const { table, names } = target;
    const copying = engine.copyFromStream(
      `COPY ${table} (${names.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT binary)`,
      sink.stream,
    );
    copying.catch((error: unknown) => {
      sink.failure ??= error;
    });
    sink.copying = copying;
    return sink;
  }

  add(values: readonly ConvertedValue[]): void {
    if (this.failure !== undefined) return; // the COPY failed: load() reports it
    writeRow(this.writer, this.target.encodings, values);
    this.rows += 1;
  }

  /** Between files: lets the connection send what is queued, waiting while the server is behind. */
  async pause(): Promise<void> {
    if (this.failure !== undefined || this.handedOn === 0) return; // thousands of small song files: yield per block, not per file
    this.handedOn = 0;
    if (this.stream.writableNeedDrain) await Promise.race([once(this.stream, 'drain'), this.copying]);
    else await nextTurn();
  }

  async load(): Promise<void> {
    this.writer.finish();
    this.stream.end();
    await this.copying?.catch(() => undefined);
    if (this.failure !== undefined) throw this.failure;
    this.state = 'loaded';
    if (this.savepoint) await this.engine.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  }

  async dispose(): Promise<void> {
    if (this.state !== 'streaming') return;
    this.state = 'disposed';
    // Cancels the COPY (pg-copy-streams sends CopyFail), then undoes what it stored.
    this.stream.destroy(new Error('the COPY was cancelled: its records were rejected or could not be read'));
    await this.copying?.catch(() => undefined);
    if (this.savepoint) await this.engine.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`);
  }
}
