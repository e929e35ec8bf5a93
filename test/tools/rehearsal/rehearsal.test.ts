import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { clonePgliteFolder } from '../../../local/engine';
import { runRehearsal } from '../../../tools/rehearsal/rehearsal';
import { describeResult } from '../../../tools/rehearsal/report';
import { serverUrl } from '../../support/engine';

/**
 * `npm run rehearse`, as a test: the synthesized stack's custom resource, the real bundled handler
 * under the real Provider framework, the real AWS SDK against the local AWS, through Create,
 * Update, a failing Update, its rollback, an Update whose sql/ adds a column, and Delete. Every expectation the rehearsal checks holds.
 * How long it takes is a benchmark figure (`npm run bench`, tools/bench/deploy-report.ts), not a test.
 */
describe('the deploy rehearsal', () => {
  it('deploys, reloads, fails on a broken file without touching data, rolls back, deploys a schema change and deletes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-rehearsal-test-'));
    const lines: string[] = [];
    try {
      let db = serverUrl;
      if (!db) {
        // A copy of the booted PGlite template: a fresh warehouse in a fraction of a boot.
        db = path.join(dir, 'db');
        await clonePgliteFolder(inject('pgliteTemplate'), db);
      }
      const result = await runRehearsal({ db, workDir: path.join(dir, 'work'), print: (line) => lines.push(line) });
      const report = [...lines, ...describeResult(result)].join('\n');

      expect(
        result.phases.map((phase) => `${phase.requestType} ${phase.status}`),
        report,
      ).toEqual(['Create SUCCESS', 'Update SUCCESS', 'Update FAILED', 'Update SUCCESS', 'Update SUCCESS', 'Delete SUCCESS']);
      expect(
        result.phases.flatMap((phase) => phase.checks.filter((check) => !check.ok)),
        report,
      ).toEqual([]);
      expect(result.ok).toBe(true);
      // A new load id per deploy; the rollback restores the second one.
      const ids = result.phases.map((phase) => phase.loadId);
      expect(new Set(ids.slice(0, 3)).size).toBe(3);
      expect(ids[3]).toBe(ids[1]);
      expect(result.phases[2]?.reason).toMatch(
        /failed at step staging\.staging_events .*Rejected rows: \[1\] s3:\/\/udacity-dend\/log_data\/\S+ line \d+, column item_in_session: Invalid digit/,
      );
      expect(result.phases[0]?.rows?.songplays).toBeGreaterThan(0);
      expect(result.phases[2]?.rows).toEqual(result.phases[1]?.rows);
      console.log(report);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
