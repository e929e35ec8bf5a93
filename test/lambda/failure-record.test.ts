import type { DescribeStatementResponse, SubStatementData } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_PRELUDE, toPostgres } from '../../local/dialect-bridge';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { MAX_ERROR_BYTES } from '../../lib/rules/limits';
import { MAX_FAILURE_MESSAGE_BYTES, describeFailure } from '../../lambda/loader/failure-report';
import { parseProperties } from '../../lambda/loader/properties';
import { openTestEngine, type TestEngine } from '../support/engine';
import { BATCH_ID, ROLE_ARN, SETTINGS, fakeAws, files, properties } from '../../tools/fake-aws';

// The Lambda records a failed load with the plan's own statement; here that statement, as the fake
// Data API received it, runs on a real engine: a message past the limit must still make a row.
const LOAD_ID = 'load-20250101T000000Z';
const plan = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID });
let db: TestEngine;

beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.exec(POSTGRES_PRELUDE);
  await db.engine.exec(toPostgres(files.get('schema/load_history.sql') as string, { file: 'sql/schema/load_history.sql' }));
});
afterAll(async () => {
  await db.dispose();
});

function failedAt(stepName: string, error: string): DescribeStatementResponse {
  const at = plan.steps.findIndex((step) => step.name === stepName);
  const subs: SubStatementData[] = plan.steps.map((step, i) => ({
    Id: `${BATCH_ID}:${i + 1}`,
    Status: i < at ? 'FINISHED' : i === at ? 'FAILED' : 'ABORTED',
    QueryString: step.sql,
    ...(i === at ? { Error: error } : {}),
  }));
  return { Id: BATCH_ID, Status: 'FAILED', CreatedAt: new Date('2025-01-01T00:00:00.000Z'), Error: error, SubStatements: subs };
}

describe('the Lambda records a long failure message', () => {
  it('cuts, then escapes: multi-byte characters and quotes at the limit still make a load_history row', async () => {
    // Every alignment of the cut against the 8 bytes of "é'😀\\".
    for (let pad = 0; pad < 8; pad++) {
      const dbMessage = `ERROR: invalid input syntax for type integer: "${'x'.repeat(pad)}${"é'😀\\".repeat(700)}"`;
      const aws = fakeAws();
      const { error, recorded } = await describeFailure(aws.deps, parseProperties(properties()), plan, failedAt('mart.users', dbMessage));
      expect(recorded).toBe(true);
      // What CloudFormation shows stays within its bound and is whole characters (no lone surrogate).
      expect(Buffer.byteLength(error.message)).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_BYTES);
      expect(Buffer.from(error.message).toString()).toBe(error.message);

      const insert = aws.queries().find((sql) => /INSERT INTO load_history/.test(sql));
      expect(insert).toBeDefined();
      await db.engine.exec('DELETE FROM load_history');
      await db.engine.query(toPostgres(insert as string, { file: 'sql/history/load_failed.sql' }));
      const [row] = (
        await db.engine.query<{ load_id: string; outcome: string; error: string }>('SELECT load_id, outcome, error FROM load_history')
      ).rows;
      expect(row).toMatchObject({ load_id: LOAD_ID, outcome: 'failed' });
      const full = `mart.users: ${dbMessage}`.replace(/\\/g, '/');
      expect(full.startsWith(row?.error ?? '?')).toBe(true);
      expect(Buffer.byteLength(row?.error ?? '')).toBeLessThanOrEqual(MAX_ERROR_BYTES);
      expect(Buffer.byteLength(row?.error ?? '')).toBeGreaterThan(MAX_ERROR_BYTES - 4);
    }
  });
});
