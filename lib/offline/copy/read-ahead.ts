import { readFile } from 'node:fs/promises';

/**
 * Reads files in order while the next few load in the background, so the disk works while the
 * caller parses: it matters with thousands of one-record song files.
 */
export async function* readAhead(paths: readonly string[], window = 8): AsyncGenerator<Buffer> {
  const reads: (Promise<Buffer> | undefined)[] = [];
  const start = (index: number): void => {
    const path = paths[index];
    if (path === undefined) return;
    const read = readFile(path);
    read.catch(() => undefined); // a read the caller never reaches must not be an unhandled rejection
    reads[index] = read;
  };
  for (let i = 0; i < window; i++) start(i);
  for (let i = 0; i < paths.length; i++) {
    const buffer = await (reads[i] as Promise<Buffer>);
    reads[i] = undefined;
    start(i + window);
    yield buffer;
  }
}
