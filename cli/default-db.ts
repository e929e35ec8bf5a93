import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/config/project-config';
import { DEFAULT_DB_DIR } from '../local/engine';

/** The environment variable that names the warehouse when --db is not given. */
export const DB_ENV = 'SPARKIFY_DB';

/**
 * The warehouse a command uses when --db is not given: SPARKIFY_DB, else .sparkify/db at the root of
 * the project the working folder is in (the nearest folder upward holding cdk.json and sql/, as git,
 * dbt and the CDK find theirs), else at this CLI's own project. So `sparkify query` from sql/ or
 * lib/ reads the warehouse `sparkify load` made at the root, not a new one beside it.
 */
export function defaultDb(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const named = env[DB_ENV]?.trim();
  if (named) return named;
  return path.join(projectRoot(cwd) ?? PROJECT_ROOT, DEFAULT_DB_DIR);
}

function projectRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'cdk.json')) && existsSync(path.join(dir, 'sql'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
