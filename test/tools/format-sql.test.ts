import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindTemplate } from '../../lib/plan/bind';
import { parseCopy } from '../../local/copy/copy-command';
import { tokenize } from '../../lib/plan/sql-tokens';
import { formatSql, main, sqlFiles } from '../../tools/format-sql';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOOL = path.join(PROJECT_ROOT, 'tools/format-sql.ts');

const BADLY_FORMATTED = `-- Plays per hour of the day (UTC).
select t.hour,   COUNT(*) AS plays FROM songplays AS p JOIN time AS t ON t.start_time = p.start_time
  WHERE p.user_id = {{ user_id }} AND p.level = '{{ level }}' GROUP BY t.hour ORDER BY t.hour;
`;

/** The statement as tokens, whitespace and the formatter's own markers left out: what it means. */
function meaning(sql: string): string[] {
  return tokenize(sql, (at, what) => {
    throw new Error(`unterminated ${what} at ${at}`);
  })
    .filter((t) => t.kind !== 'space' && !/^\/\* *sql-formatter-(?:disable|enable) *\*\/$/.test(t.text))
    .map((t) => (t.kind === 'comment' ? t.text.trim() : t.text));
}

function run(argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    argv,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out, err };
}

describe('formatSql', () => {
  it('keeps {{ name }} placeholders, bare or quoted, and the comments at the top', () => {
    const formatted = formatSql(BADLY_FORMATTED);
    expect(formatted).toBe(`-- Plays per hour of the day (UTC).
select
  t.hour,
  COUNT(*) AS plays
FROM
  songplays AS p
  JOIN time AS t ON t.start_time = p.start_time
WHERE
  p.user_id = {{ user_id }}
  AND p.level = '{{ level }}'
GROUP BY
  t.hour
ORDER BY
  t.hour;
`);
    expect(meaning(formatted)).toEqual(meaning(BADLY_FORMATTED));
    expect(bindTemplate('x.sql', formatted, { user_id: '7', level: 'paid' })).toContain("p.user_id = 7\n  AND p.level = 'paid'");
  });

  it('keeps a placeholder where a table name goes, in any spacing', () => {
    expect(formatSql('-- Why.\nDELETE  FROM {{table}} ;')).toBe('-- Why.\nDELETE FROM {{table}};\n');
    expect(formatSql('DELETE FROM {{ table }}')).toBe('DELETE FROM {{ table }}\n');
  });

  it('keeps block and line comments inside a statement', () => {
    const sql = '-- Header one.\n-- Header two.\nSELECT a, -- the key\n  /* why b */ b FROM t;\n';
    const formatted = formatSql(sql);
    expect(formatted.startsWith('-- Header one.\n-- Header two.\nSELECT\n')).toBe(true);
    expect(formatted).toContain('-- the key');
    expect(formatted).toContain('/* why b */');
    expect(meaning(formatted)).toEqual(meaning(sql));
  });

  it('keeps a dollar-quoted procedure body as written', () => {
    const body = `$$
DECLARE
    failing BIGINT;
BEGIN
    IF failing > 0 THEN RAISE EXCEPTION 'x %', failing; END IF;
END;
$$`;
    const formatted = formatSql(`CREATE OR REPLACE PROCEDURE p(a VARCHAR(10))\nAS ${body} LANGUAGE plpgsql;`);
    expect(formatted).toBe(`CREATE OR REPLACE PROCEDURE p (a VARCHAR(10)) AS ${body} LANGUAGE plpgsql;\n`);
  });

  it('leaves a COPY after its disable marker as written, and the COPY still parses', () => {
    const copy = `-- Why.
COPY staging_songs /* sql-formatter-disable */
FROM '{{ songs_uri }}'
FORMAT AS JSON 'auto'
MAXERROR {{ max_errors }};
`;
    expect(formatSql(copy)).toBe(copy);
    const bound = bindTemplate('copy.sql', copy, { songs_uri: 's3://b/song_data', max_errors: '3' });
    expect(parseCopy(bound)).toMatchObject({ table: 'staging_songs', from: 's3://b/song_data', maxError: 3 });
  });

  it('gives the same text on a second pass', () => {
    const once = formatSql(BADLY_FORMATTED);
    expect(formatSql(once)).toBe(once);
  });
});

describe("the project's sql/", () => {
  const files = sqlFiles(PROJECT_ROOT);

  it('formats every file, in every folder', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files).toContain('sql/gates/generic/unique_key.sql');
    expect(files).toContain('sql/staging/staging_events.sql');
  });

  it.each(files)('%s is formatted, one statement, its meaning and placeholders unchanged by formatting', (file) => {
    const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
    const formatted = formatSql(text);
    expect(formatted).toBe(text);
    expect(meaning(formatted)).toEqual(meaning(text));
    expect(meaning(text).filter((t) => t === ';').length).toBeLessThanOrEqual(1);
  });
});

describe('format-sql --check', () => {
  let root: string;
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'format-sql-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('fails on a badly formatted file, naming it and the fix', () => {
    write('sql/queries/good.sql', formatSql(BADLY_FORMATTED));
    write('sql/queries/bad.sql', BADLY_FORMATTED);
    const result = run(['--check', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['SQL not formatted (1 of 2 files):', '  sql/queries/bad.sql', 'Fix: npm run format:sql']);
    expect(readFileSync(path.join(root, 'sql/queries/bad.sql'), 'utf8')).toBe(BADLY_FORMATTED);
  });

  it('passes on formatted files', () => {
    write('sql/queries/good.sql', formatSql(BADLY_FORMATTED));
    const result = run(['--check', '--root', root]);
    expect(result).toEqual({ code: 0, out: ['SQL formatted: 1 files.'], err: [] });
  });

  it('formats in place without --check, after which the check passes', () => {
    write('sql/queries/bad.sql', BADLY_FORMATTED);
    expect(run(['--root', root]).code).toBe(0);
    expect(readFileSync(path.join(root, 'sql/queries/bad.sql'), 'utf8')).toBe(formatSql(BADLY_FORMATTED));
    expect(run(['--check', '--root', root]).code).toBe(0);
  });

  it('checks every folder of sql/, nested ones included', () => {
    write('sql/gates/generic/bad.sql', BADLY_FORMATTED);
    const result = run(['--check', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('  sql/gates/generic/bad.sql');
  });

  it('fails on a file it cannot parse', () => {
    write('sql/queries/broken.sql', "SELECT 'unterminated FROM t;\n");
    const result = run(['--check', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/^sql\/queries\/broken\.sql: sql-formatter cannot parse it: /);
  });

  it('exits non-zero as a command', async () => {
    write('sql/queries/bad.sql', BADLY_FORMATTED);
    const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
    const failure = await promisify(execFile)(tsx, [TOOL, '--check', '--root', root]).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('sql/queries/bad.sql');
  });
});
