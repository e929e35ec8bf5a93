import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clonePgliteFolder } from '../../../local/engine';
import type { PlanSettings } from '../../../lib/plan/load-plan';
import { STAR_TABLES } from '../../../lib/rules/tables';
import { extendDataset, planExtension } from '../../../tools/generator/extend-dataset';
import { stackContext, type SynthesizedStack } from '../../../tools/rehearsal/cloud-assembly';
import { bootstrapResource, loadResource, sendRequest, type LoadResource } from '../../../tools/rehearsal/deploy';
import { resolve } from '../../../tools/rehearsal/intrinsics';
import { startLocalAws, type LocalAws } from '../../../tools/rehearsal/local-aws';
import type { CallRecord } from '../../../tools/rehearsal/server';
import { openRehearsalDatabase } from '../../../tools/rehearsal/rehearsal-engine';
import { REHEARSAL_DATASET, generateSource } from '../../../tools/rehearsal/source-data';
import { synthesize } from '../../../tools/rehearsal/synth';
import { loadHistory, warehouseState } from '../../../tools/rehearsal/warehouse-state';
import { serverUrl } from '../../support/engine';

/**
 * The schedule, rehearsed (docs/incremental-loads.md §5.3): a stack synthesized with
 * sparkify:incrementalSchedule, deployed (a full load that records its listing through the local
 * S3), then its ScheduledLoader function invoked with the schedule's own Input after a day file is
 * added; the warehouse must equal a fresh full load of the same files, table for table. Every S3
 * and Data API call is checked against the calling function's role in the template.
 */
const SCHEDULE = { 'sparkify:incrementalSchedule': 'cron(15 1 * * ? *)' };
const TIMEOUT = 120_000;

describe.each([
  // A cluster: the scheduled function has its own role, signed in as the loader's database user.
  ['provisioned', SCHEDULE, /ScheduledLoaderRole/],
  // Serverless: it runs as the deploy loader's role, whose IAMR:<role> user owns the tables.
  ['serverless', { ...SCHEDULE, 'sparkify:compute': 'serverless' }, /LoaderHandlerRole/],
] as const)('the scheduled incremental load, rehearsed (%s)', (_compute, CONTEXT, scheduledRole) => {
  let dir: string;
  let bucketDir: string;
  let stack: SynthesizedStack;
  let aws: LocalAws;
  let settings: PlanSettings;
  let disposeDb: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sparkify-incremental-rehearsal-'));
    bucketDir = path.join(dir, 'bucket');
    await generateSource(bucketDir, REHEARSAL_DATASET);
    stack = await synthesize({ outdir: path.join(dir, 'synth-1'), synthTime: new Date(), mode: 'in-process', context: CONTEXT });
    settings = JSON.parse(String(loadResource(stackContext(stack)).properties.Settings)) as PlanSettings;
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

  /** The schedule's Input as Scheduler delivers it: references resolved, the scheduled time filled in. */
  /** The incremental load's schedule (not the stale-load check's): the one whose Input has Trigger "schedule". */
  function loadSchedule(): { Input: unknown; Arn: unknown } {
    const context = stackContext(stack);
    const targets = Object.values(context.template.Resources)
      .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
      .map((r) => r.Properties?.Target as { Input: unknown; Arn: unknown });
    return targets.find((target) => String(resolve(context, target.Input)).includes('"Trigger":"schedule"'))!;
  }

  function scheduleInput(time: string): Record<string, unknown> {
    const text = String(resolve(stackContext(stack), loadSchedule().Input)).replaceAll('<aws.scheduler.scheduled-time>', time);
    return JSON.parse(text) as Record<string, unknown>;
  }

  function scheduledFunction(): string {
    return String(resolve(stackContext(stack), loadSchedule().Arn));
  }

  /** Invokes the scheduled function (and waits for the batch it submits): its result, or its error. */
  async function runSchedule(time: string): Promise<{ result?: Record<string, unknown>; error?: string; calls: CallRecord[] }> {
    const mark = aws.server.calls.length;
    const answer = await aws.lambda.invoke(scheduledFunction(), scheduleInput(time), 'RequestResponse');
    await aws.lambda.idle();
    await aws.server.dataApi.idle();
    const payload = JSON.parse(answer.Payload || 'null') as Record<string, unknown>;
    const calls = aws.server.calls.slice(mark);
    return answer.FunctionError ? { error: String(payload.errorMessage ?? answer.Payload), calls } : { result: payload, calls };
  }

  let physicalId = '';

  it(
    'deploys: the full load lists the source, writes its listing to the LoadManifests bucket and records it',
    async () => {
      const booted = await sendRequest(aws, request('Create', bootstrapResource(stackContext(stack))), TIMEOUT);
      expect(booted.response.Status, booted.response.Reason).toBe('SUCCESS');
      const created = await sendRequest(aws, request('Create', loadResource(stackContext(stack))), TIMEOUT);
      expect(created.response.Status, created.response.Reason).toBe('SUCCESS');
      physicalId = created.response.PhysicalResourceId;

      const s3 = created.calls.filter((call) => call.service === 's3');
      expect(s3.map((call) => `${call.operation} ${call.status}`)).toEqual([
        'ListObjectsV2 200',
        'ListObjectsV2 200',
        'ListObjectsV2 200',
        'PutObject 200',
      ]);
      // Signed by the loader's role, whose template policy allowed each call.
      expect(new Set(s3.map((call) => call.role?.split('/').pop()))).toEqual(new Set([expect.stringMatching(/LoaderHandlerRole/)]));
      const [tracked] = await aws.server.dataApi.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM source_files');
      const sourceFiles = (await readdir(bucketDir, { recursive: true })).filter((name) =>
        /^(log_data|song_data)\/.*\.json$|^log_json_path\.json$/.test(name),
      );
      expect(tracked?.n).toBe(sourceFiles.length);
    },
    TIMEOUT,
  );

  it(
    'a scheduled run with no new log file submits nothing',
    async () => {
      const before = (await loadHistory(aws.server.dataApi)).length;
      const run = await runSchedule('2026-12-01T01:15:00Z');
      expect(run.result).toEqual({ loadId: 'scheduled-2026-12-01T01:15:00Z', outcome: 'nothing-new' });
      expect((await loadHistory(aws.server.dataApi)).length).toBe(before);
    },
    TIMEOUT,
  );

  it(
    'after a day file is added, loads only it; the tables then equal a fresh full load of every file',
    async () => {
      await extendDataset(await planExtension(bucketDir, { daysAfter: 1 }));
      const run = await runSchedule('2026-12-02T01:15:00Z');
      expect(run.error).toBeUndefined();
      expect(run.result).toMatchObject({
        loadId: 'scheduled-2026-12-02T01:15:00Z',
        outcome: 'submitted',
        mode: 'incremental',
        newFiles: 1,
      });
      const history = await loadHistory(aws.server.dataApi);
      expect(history.at(-1)).toMatchObject({ load_id: 'scheduled-2026-12-02T01:15:00Z', outcome: 'succeeded' });
      // The manifest is where COPY read it.
      const manifests = Object.values(aws.buckets).find((folder) => folder.includes('LoadManifests'))!;
      const manifest = JSON.parse(
        await readFile(path.join(manifests, 'loads', 'scheduled-2026-12-02T01:15:00Z', 'events.manifest'), 'utf8'),
      ) as { entries: { url: string; mandatory: boolean }[] };
      expect(manifest.entries).toHaveLength(1);
      expect(manifest.entries[0]).toMatchObject({
        url: expect.stringMatching(/^s3:\/\/udacity-dend\/log_data\/.*-events\.json$/),
        mandatory: true,
      });
      // Every S3 call of the run, by the role the schedule's function runs as, allowed by its template policy.
      const scheduledS3 = run.calls.filter((call) => call.service === 's3');
      expect(scheduledS3.map((call) => call.operation)).toEqual([
        'ListObjectsV2',
        'ListObjectsV2',
        'ListObjectsV2',
        'PutObject',
        'PutObject',
      ]);
      for (const call of scheduledS3) expect(`${call.role ?? ''} ${call.status}`).toMatch(new RegExp(`${scheduledRole.source}.* 200$`));
      const incremental = await warehouseState(aws.server.dataApi);

      // A fresh full load of the same files: a deploy with a new load id.
      const later = await synthesize({ outdir: path.join(dir, 'synth-2'), synthTime: new Date(), mode: 'in-process', context: CONTEXT });
      const reload = await sendRequest(aws, request('Update', loadResource(stackContext(later)), physicalId), TIMEOUT);
      expect(reload.response.Status, reload.response.Reason).toBe('SUCCESS');
      const full = await warehouseState(aws.server.dataApi);
      expect(full?.rows.songplays).toBeGreaterThan(0);
      // The star tables, every value; staging holds only what each load read (the new file, or everything).
      for (const table of STAR_TABLES) expect(incremental?.digests[table], table).toBe(full?.digests[table]);
      expect(incremental?.rows.staging_events).toBeLessThan(full?.rows.staging_events ?? 0);
    },
    TIMEOUT,
  );

  it(
    'a log file changed after it was loaded stops the run: a failed row naming it, the warehouse untouched',
    async () => {
      const before = await warehouseState(aws.server.dataApi);
      const dayFiles = (await readdir(path.join(bucketDir, 'log_data'), { recursive: true }))
        .filter((name) => name.endsWith('.json'))
        .sort();
      await appendFile(path.join(bucketDir, 'log_data', dayFiles[0]!), ' ');
      const run = await runSchedule('2026-12-03T01:15:00Z');
      expect(run.error).toContain('Scheduled load scheduled-2026-12-03T01:15:00Z stopped before loading: 1 log file changed');
      expect(run.error).toContain(dayFiles[0]!.split(path.sep).join('/'));
      expect((await loadHistory(aws.server.dataApi)).at(-1)).toMatchObject({
        load_id: 'scheduled-2026-12-03T01:15:00Z',
        outcome: 'failed',
        error: expect.stringContaining('source.compare: 1 log file changed'),
      });
      expect(await warehouseState(aws.server.dataApi)).toEqual(before);
    },
    TIMEOUT,
  );
});
