import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Bytes in the files under `dir` (what `du --apparent-size` counts). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
