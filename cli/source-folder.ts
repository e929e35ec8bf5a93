import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** The --source folder, refused early when it cannot be a copy of the bucket. */
export async function checkSource(given: string): Promise<string> {
  const source = path.resolve(given);
  const info = await stat(source).catch(() => undefined);
  if (!info)
    throw new Error(
      `--source ${given}: no such folder; give a folder laid out like the bucket (song_data/, log_data/, log_json_path.json)`,
    );
  if (!info.isDirectory())
    throw new Error(`--source ${given} is a file; give a folder laid out like the bucket (song_data/, log_data/, log_json_path.json)`);
  if ((await readdir(source)).length === 0) {
    throw new Error(
      `--source ${given} is empty; give a folder laid out like the bucket (song_data/, log_data/, log_json_path.json), e.g. one written by 'npx sparkify generate'`,
    );
  }
  return source;
}
