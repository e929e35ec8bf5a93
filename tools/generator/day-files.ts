import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/** Streams log lines into one file per UTC day (`log_data/YYYY/MM/YYYY-MM-DD-events.json`):
 * newline-separated, no trailing newline, written in large chunks so memory stays bounded. */

const DAY_MS = 86400000;
const FLUSH_CHARS = 1 << 20;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The bucket key of a day's log file. */
export function logFileKey(dayStartMs: number): string {
  const date = new Date(dayStartMs);
  const year = date.getUTCFullYear();
  const month = pad(date.getUTCMonth() + 1);
  return `log_data/${year}/${month}/${year}-${month}-${pad(date.getUTCDate())}-events.json`;
}

export class DayFiles {
  private day = -1;
  private handle: FileHandle | null = null;
  private text = '';
  private linesInFile = 0;
  /** Bytes written so far (lines are ASCII: every non-ASCII character is \u-escaped). */
  bytes = 0;
  files = 0;

  constructor(
    private readonly outDir: string,
    private readonly periodStartMs: number,
    private readonly days: number,
  ) {}

  /** Appends a line; returns a promise only when the caller must wait for I/O. */
  write(ts: number, line: string): Promise<void> | undefined {
    const day = Math.floor((ts - this.periodStartMs) / DAY_MS);
    if (day !== this.day) return this.switchTo(day).then(() => this.append(line));
    return this.append(line);
  }

  /** Finishes the current file and writes (empty) files for any remaining days. */
  async close(): Promise<void> {
    await this.switchTo(this.days);
  }

  private append(line: string): Promise<void> | undefined {
    this.text += this.linesInFile === 0 ? line : `\n${line}`;
    this.linesInFile++;
    return this.text.length >= FLUSH_CHARS ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (!this.handle || this.text.length === 0) return;
    const text = this.text;
    this.text = '';
    this.bytes += text.length;
    // Latin-1 encoding of pure ASCII is a straight copy, much cheaper than UTF-8.
    await this.handle.write(Buffer.from(text, 'latin1'));
  }

  private async switchTo(day: number): Promise<void> {
    if (day < this.day || day > this.days || (day === this.days && this.day === this.days)) {
      throw new RangeError(`event on day ${day} is outside the ${this.days}-day period or out of order`);
    }
    await this.flush();
    await this.handle?.close();
    this.handle = null;
    // Days without events still get their (empty) file: one file per day, always.
    for (let d = this.day + 1; d <= day && d < this.days; d++) {
      const file = path.join(this.outDir, logFileKey(this.periodStartMs + d * DAY_MS));
      await mkdir(path.dirname(file), { recursive: true });
      // 'wx': a day file is never replaced (a later period must not overwrite an earlier day).
      this.handle = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw new Error(`${file} exists already and is never overwritten (written by another run meanwhile?)`);
        throw error;
      });
      this.files++;
      this.linesInFile = 0;
      if (d < day) {
        await this.handle.close();
        this.handle = null;
      }
    }
    this.day = day;
  }
}
