import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planFingerprint, type PlanSettings } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import type { LambdaFunction } from './lambda-functions';

type Edit = Readonly<Record<string, (text: string) => string>>;

/**
 * Schema changes a user makes: songs gets a genre column its mart fills, users.level gets wider,
 * time gets a second sort key column. The SQL tests make them one by one offline
 * (test/sql/schema-changes.test.ts); the rehearsal deploys all three at once.
 */
export const SCHEMA_EDITS = {
  addColumn: {
    'schema/songs.sql': (text) => text.replace('duration DOUBLE PRECISION,', 'duration DOUBLE PRECISION,\n  genre VARCHAR(64),'),
    'marts/songs.sql': (text) =>
      text
        .replace(
          'INSERT INTO songs (song_id, title, artist_id, year, duration)',
          'INSERT INTO songs (song_id, title, artist_id, year, duration, genre)',
        )
        .replace('  duration\nFROM', "  duration,\n  CASE WHEN year > 0 THEN 'dated' ELSE 'undated' END\nFROM"),
  },
  changeType: { 'schema/users.sql': (text) => text.replace('level VARCHAR(16)', 'level VARCHAR(32)') },
  changeSortKey: { 'schema/time.sql': (text) => text.replace('SORTKEY (start_time)', 'SORTKEY (start_time, hour)') },
} as const satisfies Record<string, Edit>;

/** All of them. */
export const ALL_SCHEMA_EDITS: Edit = { ...SCHEMA_EDITS.addColumn, ...SCHEMA_EDITS.changeType, ...SCHEMA_EDITS.changeSortKey };

/** The files with the edit applied; an edit that changes nothing is an error (the SQL it expects moved). */
export function applyEdit(
  files: ReadonlyMap<string, string>,
  edit: Readonly<Record<string, (text: string) => string>>,
): Map<string, string> {
  const copy = new Map(files);
  for (const [file, change] of Object.entries(edit)) {
    const before = files.get(file) ?? '';
    const after = change(before);
    if (after === before) throw new Error(`the schema edit of sql/${file} changed nothing: the SQL it expects is no longer there`);
    copy.set(file, after);
  }
  return copy;
}

/**
 * What a deploy after editing sql/ does to the loader: new code (the bundle carries sql/), so
 * CloudFormation updates the functions before the custom resource. The edited bundle is the
 * synthesized one with the edit applied to its sql/; returns the functions as updated and the
 * plan's new fingerprint (what the stack would pass).
 */
export async function editedLoader(
  functions: readonly LambdaFunction[],
  workDir: string,
  settings: PlanSettings,
): Promise<{ readonly functions: LambdaFunction[]; readonly fingerprint: string }> {
  const edited = new Map<string, string>();
  let fingerprint: string | undefined;
  const updated: LambdaFunction[] = [];
  for (const fn of functions) {
    const sqlDir = path.join(fn.codeDir, 'sql');
    const has = await readFile(path.join(sqlDir, 'schema', 'songs.sql'), 'utf8').then(
      () => true,
      () => false,
    );
    if (!has) {
      updated.push(fn);
      continue;
    }
    let codeDir = edited.get(fn.codeDir);
    if (!codeDir) {
      codeDir = path.join(workDir, `edited-${path.basename(fn.codeDir)}`);
      await cp(fn.codeDir, codeDir, { recursive: true });
      const files = applyEdit(readSqlFiles(path.join(codeDir, 'sql')), ALL_SCHEMA_EDITS);
      for (const file of Object.keys(ALL_SCHEMA_EDITS)) await writeFile(path.join(codeDir, 'sql', file), files.get(file) ?? '');
      fingerprint = planFingerprint(files, settings);
      edited.set(fn.codeDir, codeDir);
    }
    updated.push({ ...fn, codeDir, codeKey: `edited-${fn.codeKey}` });
  }
  if (!fingerprint) throw new Error('no function of the stack bundles sql/schema/songs.sql');
  return { functions: updated, fingerprint };
}
