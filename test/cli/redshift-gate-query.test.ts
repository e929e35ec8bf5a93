import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { REFUSED } from '../support/redshift-cases';

// Issue 12: an analyst learns offline that a query will not run on Redshift: exit 1, the
// construct and its line, before any warehouse is opened.
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-gate-cli-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('sparkify query offline', () => {
  it.each(REFUSED)('refuses $name with the construct and its line', async ({ sql, line, construct }) => {
    const db = path.join(workDir, 'db');
    const { code, out, err } = await runCli('query', '--db', db, '--write', '--', sql);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^error: Redshift would refuse this SQL:\\n(.*\\n)*  query:${line}:\\d+: [^\\n]*${construct.source}`));
    await expect(stat(db)).rejects.toThrow(); // no warehouse was opened
  });

  it('says what Redshift offers instead', async () => {
    const { code, err } = await runCli('query', "SELECT NOW(), STRING_AGG(level, ',') FROM users", '--db', path.join(workDir, 'db'));
    expect(code).toBe(1);
    expect(err).toContain('query:1:8: the function NOW() is not Redshift SQL; Redshift offers GETDATE() or SYSDATE');
    expect(err).toContain(
      'query:1:15: the function STRING_AGG() is not Redshift SQL; Redshift offers LISTAGG(expression, delimiter) WITHIN GROUP (ORDER BY ...)',
    );
  });
});
