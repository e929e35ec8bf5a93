import { writeSync } from 'node:fs';
import { numericBinaryWords } from './numeric-binary';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** The start of every binary COPY input: the signature, flags 0 and no header extension. */
export const COPY_BINARY_HEADER: Buffer = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
/** The end of a binary COPY input: a field count of -1. */
export const COPY_BINARY_TRAILER: Buffer = Buffer.from([0xff, 0xff]);
const BUFFER_BYTES = 4 * 1024 * 1024;
const TWO_32 = 4294967296;
/** 2000-01-01, PostgreSQL's epoch for timestamps and dates. */
const PG_EPOCH_MS = 946684800000;
const PG_EPOCH_DAYS = 10957;
/** Below this many milliseconds from 2000 (about 285 years), microseconds are exact doubles. */
const SAFE_MS = 9e12;

/**
 * Longer strings go to the native encoder: measured on the log's strings, a 120-character user
 * agent 3.5x faster than the loop, nine typical fields together 40% faster (about 0.1 s at 100x).
 */
const NATIVE_TEXT_FROM = 32;

/** Takes a filled block; it is the receiver's to keep (the writer moves on to a new one). */
export type BlockReceiver = (block: Buffer) => void;

/**
 * Writes PostgreSQL's binary COPY format to a file, or hands it on in blocks: typed fields need no
 * parsing on the server, which makes PGlite's COPY about twice as fast as with text. Buffers and
 * writes in large blocks.
 */
export class CopyBinaryWriter {
  private buffer: Buffer;
  private view: DataView;
  private pos = 0;

  /** `output`: a file descriptor, or a receiver of blocks of about `blockBytes`. */
  constructor(
    private readonly output: number | BlockReceiver,
    private readonly blockBytes = BUFFER_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(blockBytes);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    SIGNATURE.copy(this.buffer, 0);
    this.view.setInt32(11, 0); // flags
    this.view.setInt32(15, 0); // header extension length
    this.pos = 19;
  }

  row(fields: number): void {
    this.reserve(2);
    this.view.setInt16(this.pos, fields);
    this.pos += 2;
  }

  null(): void {
    this.reserve(4);
    this.view.setInt32(this.pos, -1);
    this.pos += 4;
  }

  int16(value: number): void {
    this.reserve(6);
    this.view.setInt32(this.pos, 2);
    this.view.setInt16(this.pos + 4, value);
    this.pos += 6;
  }

  int32(value: number): void {
    this.reserve(8);
    this.view.setInt32(this.pos, 4);
    this.view.setInt32(this.pos + 4, value);
    this.pos += 8;
  }

  /** A number (a safe integer) or the digits of a larger one. */
  int64(value: number | string): void {
    this.reserve(12);
    this.view.setInt32(this.pos, 8);
    if (typeof value === 'number') this.setInt64(this.pos + 4, value);
    else this.view.setBigInt64(this.pos + 4, BigInt(value));
    this.pos += 12;
  }

  float32(value: number): void {
    this.reserve(8);
    this.view.setInt32(this.pos, 4);
    this.view.setFloat32(this.pos + 4, value);
    this.pos += 8;
  }

  float64(value: number): void {
    this.reserve(12);
    this.view.setInt32(this.pos, 8);
    this.view.setFloat64(this.pos + 4, value);
    this.pos += 12;
  }

  bool(value: boolean): void {
    this.reserve(5);
    this.view.setInt32(this.pos, 1);
    this.buffer[this.pos + 4] = value ? 1 : 0;
    this.pos += 5;
  }

  /** UTF-8 text; `prefix` is a leading version byte (1 for jsonb). */
  text(value: string, prefix?: number): void {
    this.reserve(5 + value.length * 3);
    const start = this.pos;
    let pos = start + 4;
    const buffer = this.buffer;
    if (prefix !== undefined) buffer[pos++] = prefix;
    const length = value.length;
    if (length > NATIVE_TEXT_FROM) {
      pos += buffer.write(value, pos, 'utf8');
    } else {
      // ASCII byte by byte: for short strings a JS loop beats a native encoder call.
      let i = 0;
      for (; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buffer[pos++] = c;
      }
      if (i < length) pos += buffer.write(i === 0 ? value : value.slice(i), pos, 'utf8');
    }
    this.view.setInt32(start, pos - start - 4);
    this.pos = pos;
  }

  /** Epoch milliseconds (a fraction holds microseconds) as microseconds since 2000. */
  timestamp(epochMs: number): void {
    this.reserve(12);
    this.view.setInt32(this.pos, 8);
    const ms = epochMs - PG_EPOCH_MS;
    if (ms > -SAFE_MS && ms < SAFE_MS) {
      this.setInt64(this.pos + 4, Number.isInteger(ms) ? ms * 1000 : Math.round(ms * 1000));
    } else {
      const whole = Math.floor(ms);
      this.view.setBigInt64(this.pos + 4, BigInt(whole) * 1000n + BigInt(Math.round((ms - whole) * 1000)));
    }
    this.pos += 12;
  }

  /** Days since 1970-01-01 as days since 2000. */
  date(epochDays: number): void {
    this.int32(epochDays - PG_EPOCH_DAYS);
  }

  numeric(decimalText: string): void {
    const words = numericBinaryWords(decimalText);
    this.reserve(4 + words.length * 2);
    this.view.setInt32(this.pos, words.length * 2);
    this.pos += 4;
    for (const word of words) {
      this.view.setInt16(this.pos, word);
      this.pos += 2;
    }
  }

  /** Writes the trailer and everything still buffered. */
  finish(): void {
    this.reserve(2);
    this.view.setInt16(this.pos, -1);
    this.pos += 2;
    this.flush();
  }

  private setInt64(at: number, value: number): void {
    const high = Math.floor(value / TWO_32);
    this.view.setInt32(at, high);
    this.view.setUint32(at + 4, value - high * TWO_32);
  }

  /** Bytes written but not yet handed on. */
  get pending(): number {
    return this.pos;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.renew(bytes);
  }

  /** Writes (or hands on) everything buffered. */
  flush(): void {
    if (this.pos === 0) return;
    if (typeof this.output === 'number') {
      let written = 0;
      while (written < this.pos) written += writeSync(this.output, this.buffer, written, this.pos - written);
    } else {
      this.output(this.buffer.subarray(0, this.pos));
      this.renew(this.blockBytes);
    }
    this.pos = 0;
  }

  private renew(bytes: number): void {
    this.buffer = Buffer.allocUnsafe(bytes);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }
}
