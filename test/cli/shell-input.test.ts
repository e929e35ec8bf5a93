import { chmod, lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationName } from '../../cli/shell';
import { historyFile, readHistory, saveHistory } from '../../cli/shell-history';
import { StatementBuffer } from '../../cli/statement-buffer';

// Issue 22 item 2: how `sparkify shell` reads what is typed (psql's rules), and keeps its history.
describe('the shell reads statements as psql does', () => {
  const typed = (...lines: string[]) => {
    const buffer = new StatementBuffer();
    const statements = lines.flatMap((line, i) => buffer.add(line, i + 1));
    return { statements, pending: buffer.pending, buffer };
  };

  it('ends a statement at ; and runs each of a line', () => {
    expect(typed('select 1; select 2;').statements).toEqual([
      { text: 'select 1;', line: 1, column: 1 },
      { text: 'select 2;', line: 1, column: 11 },
    ]);
  });

  it('gathers lines until the ;', () => {
    const { statements, pending } = typed('select count(*)', '  from songplays', '  where level = 1;');
    expect(pending).toBe(false);
    expect(statements).toEqual([{ text: 'select count(*)\n  from songplays\n  where level = 1;', line: 1, column: 1 }]);
  });

  it('waits past a ; inside a string, a quoted name, a comment or a dollar-quoted body', () => {
    for (const text of ["select 'a;", 'select "a;', 'select 1 /* ;', 'create procedure p() as $$ begin; ']) {
      const { statements, pending, buffer } = typed(text);
      expect(statements, text).toEqual([]);
      expect(pending, text).toBe(true);
      expect(buffer.open, text).toBe(true);
    }
    expect(typed("select 'a;", "b';").statements).toEqual([{ text: "select 'a;\nb';", line: 1, column: 1 }]);
    // Redshift reads a backslash in a literal as an escape (lib/plan/sql-tokens.ts): \' does not end it.
    expect(typed("select 'it\\'s;", "';").statements).toHaveLength(1);
  });

  it('keeps what follows the last ; for the next line, with its place in the input', () => {
    const { statements, pending } = typed('select 1; select', '2;');
    expect(pending).toBe(false);
    expect(statements).toEqual([
      { text: 'select 1;', line: 1, column: 1 },
      { text: 'select\n2;', line: 1, column: 11 },
    ]);
  });

  it('runs nothing for a lone ; or comments, and is not left waiting by them', () => {
    // A comment before a statement goes with it, as a pasted query file's header does.
    expect(typed(';', '  ;  ', '-- a note', 'select 1; -- done')).toEqual({
      statements: [{ text: '-- a note\nselect 1;', line: 3, column: 1 }],
      pending: false,
      buffer: expect.any(StatementBuffer),
    });
  });

  it('gives what is left at the end of the input as a last statement', () => {
    const { buffer } = typed('select 1;', '', 'select', '  2');
    expect(buffer.rest()).toEqual({ text: 'select\n  2', line: 3, column: 1 });
    expect(buffer.rest()).toBeUndefined();
  });
});

describe("\\d's table names", () => {
  it('folds an unquoted name to lower case, as Redshift does, and keeps a quoted one', () => {
    expect(relationName('SongPlays')).toEqual({ table: 'songplays' });
    expect(relationName('public.songplays')).toEqual({ schema: 'public', table: 'songplays' });
    expect(relationName('"My ""Table"""')).toEqual({ table: 'My "Table"' });
    expect(relationName('a b')).toBeUndefined();
  });
});

describe('the history file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sparkify-history-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is ~/.sparkify_history unless SPARKIFY_HISTORY names another, or none when it is empty', () => {
    expect(historyFile({})).toMatch(/[/\\]\.sparkify_history$/);
    expect(historyFile({ SPARKIFY_HISTORY: path.join(dir, 'h') })).toBe(path.join(dir, 'h'));
    expect(historyFile({ SPARKIFY_HISTORY: '' })).toBeUndefined();
  });

  it("is its owner's alone, even when it was readable by others, and keeps the oldest line first", async () => {
    const file = path.join(dir, 'history');
    await writeFile(file, 'select 1;\n');
    await chmod(file, 0o644);
    saveHistory(file, ['select 3;', 'select 2;', 'select 1;']);
    expect((await lstat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe('select 1;\nselect 2;\nselect 3;\n');
    expect(readHistory(file)).toEqual(['select 3;', 'select 2;', 'select 1;']);
  });

  it('never writes through a link', async () => {
    const target = path.join(dir, 'elsewhere');
    await writeFile(target, 'untouched\n');
    const link = path.join(dir, 'linked');
    await symlink(target, link);
    expect(() => saveHistory(link, ['select 1;'])).toThrow(/ELOOP/);
    expect(await readFile(target, 'utf8')).toBe('untouched\n');
  });
});
