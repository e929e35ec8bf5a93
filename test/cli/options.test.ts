import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDb } from '../../cli/default-db';
import { queryDeployedResult } from '../../cli/deployed-query';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { openLoadedTestEngine, type TestEngine } from '../support/engine';
import { runCli } from '../support/cli';

// The options as a user meets them (issue 22 item 5): the default warehouse found from any folder
// of the project, --version, --csv, row counts, and combinations that mean nothing refused by name.
let db: TestEngine;

beforeAll(async () => {
  db = await openLoadedTestEngine();
  await db.engine.close(); // the CLI opens the database itself
});
afterAll(async () => db.dispose());

describe('the default warehouse', () => {
  it("is the project root's .sparkify/db from any folder of the project, or SPARKIFY_DB", () => {
    const atRoot = path.join(PROJECT_ROOT, '.sparkify', 'db');
    expect(defaultDb(PROJECT_ROOT, {})).toBe(atRoot);
    expect(defaultDb(path.join(PROJECT_ROOT, 'sql', 'queries'), {})).toBe(atRoot);
    expect(defaultDb(path.join(PROJECT_ROOT, 'sql'), { SPARKIFY_DB: '/srv/warehouse' })).toBe('/srv/warehouse');
  });
});

describe('sparkify query output', () => {
  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli('--version')).toMatchObject({ code: 0, out: version });
  });

  it('counts the rows under a table, as psql does', async () => {
    const { code, out } = await runCli('query', 'SELECT level FROM users GROUP BY level ORDER BY level', '--db', db.target);
    expect(code).toBe(0);
    expect(out).toBe(['level', '-----', 'free', 'paid', '(2 rows)'].join('\n'));
    expect((await runCli('query', 'SELECT 1 AS one', '--db', db.target)).out.split('\n').at(-1)).toBe('(1 row)');
  });

  it('prints CSV: a header, NULL as an empty field, a field with a comma, a quote or a line break quoted', async () => {
    const sql = `SELECT 'a,b' AS text, 'say "hi"' AS quoted, NULL AS nothing, 'two' || CHR(10) || 'lines' AS lines, 42 AS n`;
    const { code, out } = await runCli('query', sql, '--db', db.target, '--csv');
    expect(code).toBe(0);
    expect(out).toBe(['text,quoted,nothing,lines,n', '"a,b","say ""hi""",,"two\nlines",42'].join('\n'));
  });

  it('lists the named queries as JSON with --list --json', async () => {
    const { code, out } = await runCli('query', '--list', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toContainEqual(expect.objectContaining({ name: 'headline' }));
  });
});

describe('options that mean nothing together', () => {
  it.each([
    [
      ['query', 'headline', '--db-user', 'bob'],
      '--db-user is for a deployed warehouse: add --cluster ID or --workgroup NAME, or drop --db-user',
    ],
    [['query', 'headline', '--profile', 'dev'], '--profile is for a deployed warehouse'],
    [
      ['query', 'headline', '--cluster', 'c1', '--db', '/tmp/x'],
      '--db is for the offline warehouse, and --cluster names the deployed one: drop --db',
    ],
    [
      ['query', 'headline', '--workgroup', 'wg-1', '--write'],
      '--write is for the offline warehouse, and --workgroup names the deployed one',
    ],
    [['query', '--list', 'headline'], '--list lists the named queries: drop --list to run headline'],
    [['report', '--region', 'us-east-1'], '--region is for a deployed warehouse'],
  ])('%j is refused, naming the option', async (args, message) => {
    const { code, err } = await runCli(...args);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });

  it('refuses --json with --csv', async () => {
    expect((await runCli('query', 'headline', '--json', '--csv')).err).toContain("option '--json' cannot be used with option '--csv'");
  });
});

describe('a deployed warehouse out of reach', () => {
  it('says in one sentence that there are no credentials, and how to sign in', async () => {
    const saved = { ...process.env };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE'])
      delete process.env[name];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const where = { region: 'us-west-2', database: 'dev', target: { workgroupName: 'w1' } };
      await expect(queryDeployedResult(where, 'SELECT 1')).rejects.toThrow(
        /^no AWS credentials found: sign in first \('aws configure', or 'aws sso login --profile NAME'\), then pass --profile NAME or set AWS_PROFILE$/,
      );
      await expect(queryDeployedResult({ ...where, profile: 'nosuch' }, 'SELECT 1')).rejects.toThrow(
        /^no AWS credentials for profile nosuch: /,
      );
    } finally {
      process.env = saved;
    }
  });
});
