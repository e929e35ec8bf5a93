import type { SqlEngine } from '../engine';
import { writeRow } from './binary-file-sink';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, CopyBinaryWriter } from './copy-binary-writer';
import type { ConvertedValue } from './converter-types';
import type { RowSink, SinkTarget } from './row-sink';
import { quoteIdent } from '../../lib/plan/bind';

/**
 * Rows per COPY: about this many bytes. Measured on PGlite with 800k rows of 400 bytes: 1 to 16 MB
 * per COPY took 1.5 to 2.3 s, one 320 MB COPY 5.7 s (and 1.7 GB more memory); 4 MB keeps the
 * rows waiting in this process to one block.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;
const SAVEPOINT = 'sparkify_copy';

type ChunkEngine = SqlEngine & Required<Pick<SqlEngine, 'copyFromBuffers'>>;

/**
 * Binary `COPY ... FROM STDIN` in chunks of whole rows, each sent between two files (PGlite, which
 * takes a COPY's whole input in one call and lets any role COPY from STDIN). At 805k events: the
 * rows reach the table in about 4 MB COPYs while the next file is read, instead of one
 * 200 MB file that only a superuser may COPY from. Past MAXERROR, or on any failure, the rows
 * already copied are rolled back to a savepoint taken before the first: the table is left as it
 * was and the caller's transaction goes on. Outside a transaction block the sink opens one of its
 * own, so the COPY stays all or nothing.
 */
export class ChunkedCopySink implements RowSink {
  rows = 0;
  private readonly writer: CopyBinaryWriter;
  /** Blocks of whole rows waiting for the next COPY. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** A block was handed on while the current row was written. */
  private handed = false;
  /** The next COPY is the first: its input starts with the writer's own header. */
  private first = true;
  private scope: 'savepoint' | 'transaction' | undefined;
  private state: 'copying' | 'loaded' | 'disposed' = 'copying';

  private constructor(
    private readonly engine: ChunkEngine,
    private readonly target: SinkTarget,
  ) {
    this.writer = new CopyBinaryWriter((block) => {
      this.waiting.push(block);
      this.waitingBytes += block.length;
      this.handed = true;
    }, CHUNK_BYTES);
  }

  /** Takes the savepoint (or, outside a transaction block, begins one). */
  static async open(engine: ChunkEngine, target: SinkTarget): Promise<ChunkedCopySink> {
    const sink = new ChunkedCopySink(engine, target);
    sink.scope = await engine.exec(`SAVEPOINT ${SAVEPOINT}`).then(
      () => 'savepoint' as const,
      async () => {
        await engine.exec('BEGIN');
        return 'transaction' as const;
      },
    );
    return sink;
  }

  add(values: readonly ConvertedValue[]): void {
    this.handed = false;
    writeRow(this.writer, this.target.encodings, values);
    this.rows += 1;
    // The writer handed on a full block, maybe in the middle of this row: hand on the row's end too,
    // so what waits is whole rows.
    if (this.handed) this.writer.flush();
  }

  /** Between files: COPYs what waits. */
  async pause(): Promise<void> {
    if (this.waitingBytes > 0) await this.copyWaiting(false);
  }

  async load(): Promise<void> {
    this.writer.finish();
    if (this.rows > 0) await this.copyWaiting(true);
    this.state = 'loaded';
    if (this.scope === 'savepoint') await this.engine.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    else if (this.scope === 'transaction') await this.engine.exec('COMMIT');
  }

  async dispose(): Promise<void> {
    if (this.state !== 'copying') return;
    this.state = 'disposed';
    this.waiting = [];
    if (this.scope === 'savepoint') await this.engine.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`);
    else if (this.scope === 'transaction') await this.engine.exec('ROLLBACK');
  }

  /** One COPY of the waiting rows; `last`: the writer's trailer is among them. */
  private async copyWaiting(last: boolean): Promise<void> {
    const data = [...(this.first ? [] : [COPY_BINARY_HEADER]), ...this.waiting, ...(last ? [] : [COPY_BINARY_TRAILER])];
    this.first = false;
    this.waiting = [];
    this.waitingBytes = 0;
    const { table, names } = this.target;
    await this.engine.copyFromBuffers(`COPY ${table} (${names.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT binary)`, data);
  }
}
