import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Temporary folders laid out like S3 buckets, written by the tests themselves. */
export class BucketFixture {
  private readonly roots: string[] = [];

  /** A new bucket folder holding `files` (key -> content; a Buffer for raw bytes; 'dir/' for an empty folder). */
  async bucket(files: Readonly<Record<string, string | Buffer>>): Promise<string> {
    const root = await mkdtemp(path.join(tmpdir(), 'sparkify-bucket-'));
    this.roots.push(root);
    for (const [key, content] of Object.entries(files)) {
      const file = path.join(root, ...key.split('/'));
      if (key.endsWith('/')) {
        await mkdir(file, { recursive: true });
        continue;
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    return root;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.roots.map((root) => rm(root, { recursive: true, force: true })));
  }
}

/** Newline-delimited JSON without a trailing newline, as the source files are written. */
export function ndjson(records: readonly unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n');
}
