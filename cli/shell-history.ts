import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The shell keeps this many lines, as psql's HISTSIZE keeps 500. */
export const HISTORY_SIZE = 1000;

/**
 * Where the shell's history lives: SPARKIFY_HISTORY, or ~/.sparkify_history (psql's is
 * ~/.psql_history); SPARKIFY_HISTORY set to nothing keeps none. undefined: none.
 */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.SPARKIFY_HISTORY;
  if (given !== undefined) return given === '' ? undefined : path.resolve(given);
  return path.join(homedir(), '.sparkify_history');
}

/** The saved history, newest first (as node:readline holds it); none when the file is missing or unreadable. */
export function readHistory(file: string | undefined): string[] {
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .reverse()
    .slice(0, HISTORY_SIZE);
}

/**
 * Writes the history (newest first, as node:readline gives it) to `file`, oldest line first, as
 * psql and bash do. The file is its owner's alone (0600): queries name what people look for, and a
 * shared machine must not show them to other users. A link is not followed, and a file of another
 * user (root may open any) is left alone. Synchronous: the history is saved even if the process is
 * killed right after a statement.
 */
export function saveHistory(file: string, history: readonly string[]): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const uid = process.getuid?.();
    if (uid !== undefined && fstatSync(fd).uid !== uid) {
      throw Object.assign(new Error(`${file} belongs to another user`), { code: 'EPERM' });
    }
    // Before a byte is written: a file created by hand or by an older tool may be readable by others.
    fchmodSync(fd, 0o600);
    ftruncateSync(fd, 0);
    const text = [...history].reverse().join('\n');
    writeSync(fd, text === '' ? '' : `${text}\n`, 0);
  } finally {
    closeSync(fd);
  }
}
