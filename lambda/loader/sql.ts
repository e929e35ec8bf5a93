import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';

/**
 * The plan's SQL: the bundle ships sql/ next to the bundled module; run from source (tests), the
 * project's sql/ is read instead. Read once per container.
 */
let cached: SqlFiles | undefined;

export function loaderSqlFiles(moduleUrl: string = import.meta.url): SqlFiles {
  if (!cached) {
    const bundled = fileURLToPath(new URL('./sql/', moduleUrl));
    cached = existsSync(bundled) ? readSqlFiles(bundled) : readSqlFiles();
  }
  return cached;
}
