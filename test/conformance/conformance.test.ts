import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCases } from '../../tools/conformance/cases';
import {
  needsSpatial,
  prepareEngine,
  ratchet,
  readBaseline,
  readPageErrors,
  runSuite,
  summaryLine,
  type SuiteRun,
} from '../../tools/conformance/suite';
import { openTestEngine, type TestEngine } from '../support/engine';

/**
 * The conformance suite (issue 20 item 1): every table-free example of the Redshift Database
 * Developer Guide, run as `npx sparkify query` runs it, against the value the page prints. A ratchet:
 * test/conformance/known-differences.json lists, per engine, each example not giving Redshift's
 * answer today; any other change fails, a fixed one included (`npm run conformance -- --update-baseline`).
 */
const { cases } = readCases();
let db: TestEngine;
let run: SuiteRun;

beforeAll(async () => {
  db = await openTestEngine({ spatial: needsSpatial(cases) });
  await prepareEngine(db.engine);
  run = await runSuite(db.engine, cases);
  console.log(summaryLine(run.outcomes, db.engine.kind, run.ms));
});
afterAll(async () => db.dispose());

describe("the Redshift guide's table-free examples", () => {
  it('all ran, each in its own transaction', () => {
    expect(run.outcomes).toHaveLength(cases.length);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('give the answers known-differences.json records for this engine, no fewer and no more', () => {
    const known = readBaseline()[db.engine.kind] ?? {};
    expect(ratchet(run.outcomes, known)).toEqual([]);
  });

  it('list page errors only for cases the suite has', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(readPageErrors().filter((e) => !ids.has(e.id) || e.reason.trim() === '')).toEqual([]);
  });
});
