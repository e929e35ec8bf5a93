import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GeneratedSummary, GeneratorOptions } from '../generator/generate-dataset';
import { stackContext, type SynthesizedStack } from './cloud-assembly';
import { bootstrapResource, loadResource, sendRequest, type DeployRecord, type LoadResource } from './deploy';
import { functionsFromTemplate } from './lambda-functions';
import { startLocalAws, type LocalAws } from './local-aws';
import {
  checkBrokenUpdate,
  checkCreate,
  checkDelete,
  checkReload,
  checkRollback,
  checkSchemaChange,
  type PhaseContext,
} from './phase-checks';
import { editedLoader } from './schema-edit';
import type { PlanSettings } from '../../lib/plan/load-plan';
import { openRehearsalDatabase } from './rehearsal-engine';
import { describeSetup, describePhase } from './report';
import { REHEARSAL_DATASET, breakSourceFile, generateSource } from './source-data';
import type { Check } from './checks';
import { synthesize } from './synth';
import type { PhaseResult, RehearsalResult } from './results';
import { warehouseState, type WarehouseState } from './warehouse-state';

interface RehearsalOptions {
  /** A PGlite folder or a postgres:// URL (a fresh database is made there). @default a fresh PGlite in the work folder */
  readonly db?: string;
  /** @default a new temporary folder, removed afterwards */
  readonly workDir?: string;
  readonly keepWorkDir?: boolean;
  /** @default 'in-process' */
  readonly synth?: 'in-process' | 'cli';
  /** CDK context on top of cdk.json's. */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly dataset?: GeneratorOptions;
  /** How often the waiter polls, instead of the template's interval. @default 100 */
  readonly pollIntervalMs?: number;
  /** The longest a phase may take before CloudFormation gives up on the response. @default 120000 */
  readonly phaseTimeoutMs?: number;
  /** Where progress goes, line by line. @default nowhere */
  readonly print?: (line: string) => void;
}

async function synthDeploy(options: RehearsalOptions, workDir: string, n: number): Promise<SynthesizedStack> {
  // A fresh synth time per deploy: the load id an unpinned deploy gets.
  return synthesize({
    outdir: path.join(workDir, `synth-${n}`),
    synthTime: new Date(),
    mode: options.synth ?? 'in-process',
    context: options.context,
  });
}

/** Later deploys must run the same function code, since the rehearsal keeps the first deploy's functions warm. */
function sameFunctions(first: SynthesizedStack, later: SynthesizedStack): string | undefined {
  const keys = (stack: SynthesizedStack) =>
    functionsFromTemplate(stack, stackContext(stack))
      .map((fn) => `${fn.logicalId}=${fn.codeKey}`)
      .sort()
      .join(',');
  return keys(first) === keys(later) ? undefined : 'the functions changed between synths (their code assets differ)';
}

/**
 * Deploys the synthesized stack's load custom resource through its lifecycle as CloudFormation
 * and the CDK Provider framework do, with the real bundled handler and the real AWS SDK against
 * a local AWS: Create; Update (reload); Update with a broken source file (fails); the rollback
 * Update; Update with an edited schema (a column added); Delete. Every phase's expectations are checked; `ok` is true when all hold.
 */
export async function runRehearsal(options: RehearsalOptions = {}): Promise<RehearsalResult> {
  const print = options.print ?? (() => undefined);
  const began = performance.now();
  const workDir = options.workDir ?? (await mkdtemp(path.join(tmpdir(), 'sparkify-rehearsal-')));
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[name] = performance.now() - start;
    return result;
  };

  const bucketDir = path.join(workDir, 'bucket');
  const source: GeneratedSummary = await time('source', () => generateSource(bucketDir, options.dataset ?? REHEARSAL_DATASET));
  const first = await time('synth', () => synthDeploy(options, workDir, 1));
  const firstLoad = loadResource(stackContext(first));
  const settings = JSON.parse(String(firstLoad.properties.Settings)) as PlanSettings;
  const db = await time('engine', () => openRehearsalDatabase(workDir, options.db));
  const phases: PhaseResult[] = [];
  let aws: LocalAws | undefined;
  try {
    const pollIntervalMs = options.pollIntervalMs ?? 100;
    aws = await time('aws', () =>
      startLocalAws({ stack: first, database: db.target, buckets: { [settings.sourceBucket]: bucketDir }, workDir, pollIntervalMs }),
    );
    const setupMs = performance.now() - began;
    for (const line of describeSetup({
      stack: first,
      aws,
      load: firstLoad,
      source,
      bucketDir,
      bucket: settings.sourceBucket,
      engine: db.location,
      pollIntervalMs,
      timings,
      synthMode: options.synth ?? 'in-process',
    }))
      print(line);

    const live = aws;
    const timeout = options.phaseTimeoutMs ?? 120_000;
    const states: (WarehouseState | undefined)[] = [];
    const run = async (
      title: string,
      expected: 'SUCCESS' | 'FAILED',
      request: Parameters<typeof sendRequest>[1],
      check: (context: PhaseContext) => Promise<Check[]>,
    ): Promise<DeployRecord> => {
      const record = await sendRequest(live, request, timeout);
      const state = await warehouseState(live.server.dataApi);
      const checks = await check({ aws: live, record, request, state, previous: states[states.length - 1], source, phases });
      states.push(state);
      const loadId = typeof request.ResourceProperties.LoadId === 'string' ? request.ResourceProperties.LoadId : undefined;
      const phase: PhaseResult = {
        title,
        requestType: request.RequestType,
        loadId,
        expected,
        status: record.response.Status,
        reason: record.response.Reason,
        ms: record.ms,
        checks,
        rows: state?.rows,
        ok: record.response.Status === expected && checks.every((c) => c.ok),
      };
      phases.push(phase);
      for (const line of describePhase(phases.length, phase, record, live, request)) print(line);
      return record;
    };

    const request = (
      type: 'Create' | 'Update' | 'Delete',
      load: LoadResource,
      extra: { old?: LoadResource; physicalId?: string } = {},
    ) => ({
      RequestType: type,
      LogicalResourceId: load.logicalId,
      ResourceType: load.type,
      ResourceProperties: load.properties,
      ...(extra.old ? { OldResourceProperties: extra.old.properties } : {}),
      ...(extra.physicalId ? { PhysicalResourceId: extra.physicalId } : {}),
    });

    // CloudFormation creates the bootstrap before the load, which depends on it: the roles and users the load signs in as.
    const bootstrap = bootstrapResource(stackContext(first));
    const booted = await sendRequest(live, request('Create', bootstrap), timeout);
    if (booted.response.Status !== 'SUCCESS') throw new Error(`the bootstrap failed: ${booted.response.Reason}`);
    print(`  bootstrap  the database roles and users, as the admin: ${booted.statements.length} batch, ${Math.round(booted.ms)} ms`);
    const created = await run('Create: the first deploy loads the warehouse', 'SUCCESS', request('Create', firstLoad), checkCreate);
    const physicalId = created.response.PhysicalResourceId;

    const second = await synthDeploy(options, workDir, 2);
    const reloadLoad = loadResource(stackContext(second));
    const changed = sameFunctions(first, second);
    if (changed) throw new Error(changed);
    await run(
      'Update: the next deploy reloads (a new load id)',
      'SUCCESS',
      request('Update', reloadLoad, { old: firstLoad, physicalId }),
      checkReload,
    );

    const broken = await breakSourceFile(bucketDir, settings.sourceBucket, settings.eventsPrefix);
    const third = await synthDeploy(options, workDir, 3);
    const brokenLoad = loadResource(stackContext(third));
    await run(
      `Update: a deploy with a broken source file (${broken.uri.split('/').pop() ?? ''} line ${broken.line})`,
      'FAILED',
      request('Update', brokenLoad, { old: reloadLoad, physicalId }),
      (context) => checkBrokenUpdate(context, broken),
    );
    // CloudFormation's rollback: the previous template's properties again.
    await run(
      'Update: the rollback CloudFormation sends after the failure',
      'SUCCESS',
      request('Update', reloadLoad, { old: brokenLoad, physicalId }),
      checkRollback,
    );
    // The user fixes the file and edits sql/: new loader code, then the load rebuilds what changed.
    await broken.restore();
    const fourth = await synthDeploy(options, workDir, 4);
    const loader = await editedLoader(functionsFromTemplate(fourth, stackContext(fourth)), workDir, settings);
    live.lambda.updateCode(loader.functions);
    const base = loadResource(stackContext(fourth));
    const editedLoad: LoadResource = { ...base, properties: { ...base.properties, Fingerprint: loader.fingerprint } };
    await run(
      'Update: a deploy whose sql/ changes three tables (a column added, a type widened, a sort key extended)',
      'SUCCESS',
      request('Update', editedLoad, { old: reloadLoad, physicalId }),
      checkSchemaChange,
    );
    await run('Delete: the stack is destroyed', 'SUCCESS', request('Delete', editedLoad, { physicalId }), checkDelete);

    const ok = phases.length === 6 && phases.every((phase) => phase.ok);
    return { ok, phases, setupMs, totalMs: performance.now() - began };
  } finally {
    await aws?.close();
    await db.dispose();
    if (!options.keepWorkDir && !options.workDir) await rm(workDir, { recursive: true, force: true });
  }
}
