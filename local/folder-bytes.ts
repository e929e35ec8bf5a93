import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Bytes in the files under `dir` (what `du --apparent-size` counts), or under its `sub` folder only. */
export async function folderBytes(dir: string, sub?: string): Promise<number> {
  let total = 0;
  const root = sub ? path.join(dir, sub) : dir;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
