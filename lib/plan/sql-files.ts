import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files of a plan, by POSIX path relative to the sql folder ('marts/songs.sql'): its SQL and
 * the gate manifest ('gates/manifest.json').
 */
export type SqlFiles = ReadonlyMap<string, string>;

/** The project's sql/ folder, from this module's place in the source tree. */
export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** Reads every .sql and .json file below `dir`. Synchronous: CDK constructs read it during synth. */
export function readSqlFiles(dir: string = SQL_DIR): SqlFiles {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(sql|json)$/.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
