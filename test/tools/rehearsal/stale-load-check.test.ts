import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clonePgliteFolder } from '../../../local/engine';
import type { PlanSettings } from '../../../lib/plan/load-plan';
import { SCHEDULED_TIME_PLACEHOLDER, STALE_CHECK_TRIGGER } from '../../../lib/rules/scheduler';
import { stackContext, type SynthesizedStack } from '../../../tools/rehearsal/cloud-assembly';
import { bootstrapResource, loadResource, sendRequest, type LoadResource } from '../../../tools/rehearsal/deploy';
import { resolve } from '../../../tools/rehearsal/intrinsics';
import { startLocalAws, type LocalAws } from '../../../tools/rehearsal/local-aws';
import { openRehearsalDatabase } from '../../../tools/rehearsal/rehearsal-engine';
import type { CallRecord } from '../../../tools/rehearsal/server';
import { REHEARSAL_DATASET, generateSource } from '../../../tools/rehearsal/source-data';
import { synthesize } from '../../../tools/rehearsal/synth';
import { loadHistory } from '../../../tools/rehearsal/warehouse-state';
import { serverUrl } from '../../support/engine';

/**
 * The stale-load check, rehearsed: a stack synthesized with sparkify:loadMode=submit, deployed (the
 * deploy returns once the load is submitted), then a later deploy whose load the local Data API
 * keeps queued (a load that takes its time); the check function of the template is invoked with
 * its schedule's own Input at three scheduled times around that load's timeout. It reports the
 * load once, by failing with the message its on-failure destination publishes to the LoadFailures
 * topic. The rehearsal has no SNS and no Lambda destinations: what it shows is that failure, and
 * that every Data API call of the check was allowed by the role's policies in the template.
 */
const CONTEXT = { 'sparkify:loadMode': 'submit' };
const TIMEOUT = 120_000;
const MINUTE = 60_000;

describe('the stale-load check, rehearsed (loadMode=submit, provisioned)', () => {
  let dir: string;
  let stack: SynthesizedStack;
  let aws: LocalAws;
  let disposeDb: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sparkify-stale-check-rehearsal-'));
    const bucketDir = path.join(dir, 'bucket');
    await generateSource(bucketDir, REHEARSAL_DATASET);
    stack = await synthesize({ outdir: path.join(dir, 'synth-1'), synthTime: new Date(), mode: 'in-process', context: CONTEXT });
    const settings = JSON.parse(String(loadResource(stackContext(stack)).properties.Settings)) as PlanSettings;
    let db = serverUrl;
    if (!db) {
      db = path.join(dir, 'db');
      await clonePgliteFolder(inject('pgliteTemplate'), db);
    }
    const database = await openRehearsalDatabase(path.join(dir, 'work'), db);
    disposeDb = () => database.dispose();
    aws = await startLocalAws({
      stack,
      database: database.target,
      buckets: { [settings.sourceBucket]: bucketDir },
      workDir: path.join(dir, 'work'),
      pollIntervalMs: 100,
    });
  }, TIMEOUT);

  afterAll(async () => {
    await aws?.close();
    await disposeDb?.();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (type: 'Create' | 'Update', load: LoadResource, physicalId?: string) => ({
    RequestType: type,
    LogicalResourceId: load.logicalId,
    ResourceType: load.type,
    ResourceProperties: load.properties,
    ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
  });

  /** The check's schedule in the template: the function it invokes, and its Input with the time filled in. */
  function checkSchedule(time: Date): { functionArn: string; input: Record<string, unknown> } {
    const context = stackContext(stack);
    const schedules = Object.values(context.template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    const targets = schedules.map((r) => r.Properties?.Target as { Input: unknown; Arn: unknown });
    const target = targets.find((t) => String(resolve(context, t.Input)).includes(STALE_CHECK_TRIGGER))!;
    const input = String(resolve(context, target.Input)).replaceAll(SCHEDULED_TIME_PLACEHOLDER, time.toISOString());
    return { functionArn: String(resolve(context, target.Arn)), input: JSON.parse(input) as Record<string, unknown> };
  }

  /** Invokes the check as its schedule would at `time`: its result, or its error (what the on-failure destination publishes). */
  async function check(time: Date): Promise<{ result?: Record<string, unknown>; error?: string; calls: CallRecord[] }> {
    const mark = aws.server.calls.length;
    const { functionArn, input } = checkSchedule(time);
    const answer = await aws.lambda.invoke(functionArn, input, 'RequestResponse');
    const payload = JSON.parse(answer.Payload || 'null') as Record<string, unknown>;
    const calls = aws.server.calls.slice(mark);
    return answer.FunctionError ? { error: String(payload.errorMessage ?? answer.Payload), calls } : { result: payload, calls };
  }

  let physicalId = '';
  let firstLoadId = '';

  it(
    'a deploy in submit mode returns once the load is submitted; the load then finishes on its own',
    async () => {
      const booted = await sendRequest(aws, request('Create', bootstrapResource(stackContext(stack))), TIMEOUT);
      expect(booted.response.Status, booted.response.Reason).toBe('SUCCESS');
      const load = loadResource(stackContext(stack));
      const created = await sendRequest(aws, request('Create', load), TIMEOUT);
      expect(created.response.Status, created.response.Reason).toBe('SUCCESS');
      physicalId = created.response.PhysicalResourceId;
      firstLoadId = String(load.properties.LoadId);
      await aws.server.dataApi.idle();
      expect((await loadHistory(aws.server.dataApi)).at(-1)).toMatchObject({ load_id: firstLoadId, outcome: 'succeeded' });
    },
    TIMEOUT,
  );

  it(
    "reports a load still running past its timeout once, naming it and the load the warehouse still holds, as the loader's role",
    async () => {
      // The next deploy's load stays queued until released: a load that takes its time.
      const release = aws.server.dataApi.hold((name) => name.startsWith('sparkify-load:'));
      try {
        const later = await synthesize({ outdir: path.join(dir, 'synth-2'), synthTime: new Date(), mode: 'in-process', context: CONTEXT });
        const load = loadResource(stackContext(later));
        const loadId = String(load.properties.LoadId);
        const updated = await sendRequest(aws, request('Update', load, physicalId), TIMEOUT);
        expect(updated.response.Status, updated.response.Reason).toBe('SUCCESS');
        const batch = aws.server.dataApi.submitted().find((statement) => statement.name === `sparkify-load:${loadId}`)!;
        expect(batch.status).toBe('SUBMITTED');

        // Its 6 hours end in the window (run - 15 min, run] of this run, and in no other.
        const timeout = Number(checkSchedule(new Date()).input.TimeoutMinutes) * MINUTE;
        const run = new Date(batch.createdAt.getTime() + timeout + MINUTE);
        const before = await check(new Date(run.getTime() - 15 * MINUTE));
        const reported = await check(run);
        const after = await check(new Date(run.getTime() + 15 * MINUTE));

        expect(before).toMatchObject({ result: { running: 1, stale: 0 } });
        expect(after).toMatchObject({ result: { running: 1, stale: 0 } });
        expect(reported.error).toContain(`load ${loadId} (Data API statement ${batch.id})`);
        expect(reported.error).toContain('is still running after the background-load timeout of 6 h');
        expect(reported.error).toContain(`The warehouse still holds load ${firstLoadId}, the last that succeeded.`);
        // Every call of the check, signed by the loader's role, was allowed by its template policies.
        const calls = [...before.calls, ...reported.calls, ...after.calls];
        expect(new Set(calls.map((call) => `${call.operation} ${call.status}`))).toEqual(
          new Set(['ListStatements 200', 'ExecuteStatement 200', 'DescribeStatement 200', 'GetStatementResult 200']),
        );
        expect(new Set(calls.map((call) => call.role?.split('/').pop()))).toEqual(new Set([expect.stringMatching(/LoaderHandlerRole/)]));
        // A quiet run runs no SQL: only the run that reported read load_history.
        expect(before.calls.map((call) => call.operation)).toEqual(['ListStatements']);
      } finally {
        release();
      }
      await aws.server.dataApi.idle();
      expect((await loadHistory(aws.server.dataApi)).at(-1)).toMatchObject({ outcome: 'succeeded' });
    },
    TIMEOUT,
  );

  it(
    'reports nothing once the load has ended',
    async () => {
      const finished = await check(new Date(Date.now() + 6 * 60 * MINUTE));
      expect(finished).toMatchObject({ result: { running: 0, stale: 0 } });
    },
    TIMEOUT,
  );
});
