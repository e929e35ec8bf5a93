import { DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { GeneratedSummary } from '../generator/generate-dataset';
import { LOADER_USER } from '../../lib/rules/database-identities';
import { STAR_TABLES } from '../../lib/rules/tables';
import { Checks, type Check } from './checks';
import type { CustomResourceRequest } from './cloudformation';
import { stackOutputs, type DeployRecord } from './deploy';
import { logLines } from './handler-logs';
import { getAtt, suffix } from './intrinsics';
import type { InvocationRecord } from './lambda-service';
import type { LocalAws } from './local-aws';
import type { PhaseResult } from './results';
import type { BrokenRecord } from './source-data';
import { changedTables, loadErrors, loadHistory, type WarehouseState } from './warehouse-state';

export interface PhaseContext {
  readonly aws: LocalAws;
  readonly record: DeployRecord;
  readonly request: CustomResourceRequest;
  /** The warehouse after this phase, and before it. */
  readonly state: WarehouseState | undefined;
  readonly previous: WarehouseState | undefined;
  readonly source: GeneratedSummary;
  readonly phases: readonly PhaseResult[];
}

/** The loader's two functions, found the way the framework finds them: its onEvent function's environment. */
function loaderFunctions(context: Pick<PhaseContext, 'aws' | 'request'>): { onEvent: string; isComplete: string } {
  const framework = context.aws.lambda.find(String(context.request.ResourceProperties.ServiceToken));
  const name = (variable: string) => context.aws.lambda.find(framework.environment[variable] ?? '').name;
  return { onEvent: name('USER_ON_EVENT_FUNCTION_ARN'), isComplete: name('USER_IS_COMPLETE_FUNCTION_ARN') };
}

export function invocationsOf(
  context: Pick<PhaseContext, 'aws' | 'request' | 'record'>,
  which: 'onEvent' | 'isComplete',
): InvocationRecord[] {
  const name = loaderFunctions(context)[which];
  return context.record.invocations.filter((invocation) => invocation.functionName === name);
}

const loadIdOf = (request: CustomResourceRequest) => String(request.ResourceProperties.LoadId ?? '');

function cloudFormationGot(checks: Checks, context: PhaseContext, expected: 'SUCCESS' | 'FAILED'): void {
  const { response } = context.record;
  checks.that(
    `CloudFormation got ${expected} (${response.bytes} bytes, within its 4096)`,
    response.Status === expected,
    `${response.Status}: ${response.Reason.split('\n')[0] ?? ''}`,
  );
  const timedOut = context.record.invocations.filter((invocation) => invocation.error?.errorType === 'Sandbox.Timedout');
  checks.that('no function timed out', timedOut.length === 0, timedOut.map((i) => i.functionName).join(', '));
  const { calls } = context.record;
  const denied = calls.filter((call) => call.error?.startsWith('AccessDenied'));
  const unsigned = calls.filter((call) => call.role === undefined);
  if (calls.length > 0) {
    checks.that(
      `the ${calls.length} AWS calls the functions made were all allowed by their role's policies in the template`,
      denied.length === 0 && unsigned.length === 0,
      [...denied.map((call) => `${call.operation} denied`), ...unsigned.map((call) => `${call.operation} by an unknown caller`)].join('; '),
    );
  }
  const loader = [...invocationsOf(context, 'onEvent'), ...invocationsOf(context, 'isComplete')];
  const dropped = loader.flatMap(logLines).filter((line) => /reserved key/i.test(line.message));
  checks.that(
    "the loader's log lines lost no attribute (Powertools drops reserved keys)",
    dropped.length === 0,
    dropped.map((line) => line.message).join('; '),
  );
}

function samePhysicalId(checks: Checks, context: PhaseContext): void {
  checks.equal(
    'the physical id is kept (no replacement, so no Delete of the old resource)',
    context.record.response.PhysicalResourceId,
    context.request.PhysicalResourceId,
  );
}

/** The batch the handler submitted in this phase, checked against what a load must be. */
function checkLoadBatch(checks: Checks, context: PhaseContext, outcome: 'FINISHED' | 'FAILED'): void {
  const batches = context.record.statements.filter((statement) => statement.batch);
  const batch = batches[0];
  checks.that(
    `one BatchExecuteStatement named 'sparkify-load:${loadIdOf(context.request)}' (the whole plan, one transaction)`,
    batches.length === 1 && batch?.name === `sparkify-load:${loadIdOf(context.request)}`,
    `${batches.length} batches: ${batches.map((b) => b.name).join(', ')}`,
  );
  if (!batch) return;
  const gates = batch.subs.filter((sub) => /^CALL assert_gate\(/.test(sub.sql)).length;
  if (outcome === 'FINISHED') {
    checks.that(
      `its ${batch.subs.length} statements all FINISHED, the ${gates} quality gates as CALL assert_gate(...)`,
      batch.status === 'FINISHED' && gates > 0 && batch.subs.every((sub) => sub.status === 'FINISHED'),
      batch.status,
    );
  } else {
    const failed = batch.subs.findIndex((sub) => sub.status === 'FAILED');
    const after = batch.subs.slice(failed + 1);
    checks.that(
      `it FAILED at statement ${failed + 1} (a COPY); the ${after.length} after it ABORTED, the ones before rolled back`,
      batch.status === 'FAILED' &&
        /^(\s*--[^\n]*\n)*\s*COPY\b/i.test(batch.subs[failed]?.sql ?? '') &&
        after.every((sub) => sub.status === 'ABORTED'),
      batch.status,
    );
  }
}

function checkPreflight(checks: Checks, context: PhaseContext): void {
  const calls = (operation: string) => context.record.calls.filter((call) => call.operation === operation && call.status === 200).length;
  const skipped = invocationsOf(context, 'onEvent')
    .flatMap(logLines)
    .filter((line) => line.level === 'WARN' && line.message === 'preflight');
  const target = 'ClusterIdentifier' in context.request.ResourceProperties ? 'DescribeClusters' : 'GetWorkgroup';
  checks.that(
    `preflight checked the warehouse (${target}) and the role's S3 reads (${calls('SimulatePrincipalPolicy')} × SimulatePrincipalPolicy), none skipped`,
    calls(target) >= 1 && calls('SimulatePrincipalPolicy') >= 1 && skipped.length === 0,
    skipped.map((line) => String(line.note)).join('; '),
  );
}

async function checkHistory(checks: Checks, context: PhaseContext, expected: readonly [string, string][]): Promise<void> {
  const rows = await loadHistory(context.aws.server.dataApi);
  checks.equal(
    `load_history: ${expected.map(([, outcome]) => outcome).join(', ')}`,
    rows.map((row) => [row.load_id, row.outcome]),
    expected.map(([id, outcome]) => [id, outcome]),
  );
}

function loadIds(phases: readonly PhaseResult[]): string[] {
  return phases.map((phase) => phase.loadId ?? '');
}

function checkUntouched(checks: Checks, context: PhaseContext, since: string): void {
  const changed = changedTables(context.previous, context.state);
  checks.that(
    `every table's rows and contents as ${since} (7 table digests equal)`,
    context.state !== undefined && changed.length === 0,
    `changed: ${changed.join(', ')}`,
  );
}

export async function checkCreate(context: PhaseContext): Promise<Check[]> {
  const checks = new Checks();
  cloudFormationGot(checks, context, 'SUCCESS');
  checkPreflight(checks, context);
  checkLoadBatch(checks, context, 'FINISHED');
  const data = context.record.response.Data;
  checks.equal(
    "the handler's plan has the synth's fingerprint (the bundle's sql/ is the project's)",
    data.Fingerprint,
    context.request.ResourceProperties.Fingerprint,
  );
  const rows = context.state?.rows;
  const { source } = context;
  checks.that(
    `staging rows = records generated (${source.events} events, ${source.songFiles} songs); songplays = ${source.nextSongEvents} NextSong events; every star table filled`,
    rows?.staging_events === source.events &&
      rows.staging_songs === source.songFiles &&
      rows.songplays === source.nextSongEvents &&
      STAR_TABLES.every((table) => (rows[table] ?? 0) > 0),
    JSON.stringify(rows),
  );
  const attributes = Object.fromEntries(
    Object.entries(data)
      .filter(([key]) => key.startsWith('Rows_'))
      .map(([key, value]) => [key.slice(5), Number(value)]),
  );
  checks.equal(
    "the Rows_* attributes are the warehouse's counts",
    attributes,
    Object.fromEntries(Object.keys(attributes).map((table) => [table, rows?.[table as keyof typeof rows]])),
  );
  const outputs = stackOutputs(context.aws.context);
  const broken = Object.entries(outputs).filter(([, value]) => value.startsWith('<'));
  checks.that(
    `all ${Object.keys(outputs).length} stack outputs resolve (the Fn::GetAtt the outputs read exist in Data)`,
    broken.length === 0,
    broken.map(([name, value]) => `${name} ${value}`).join('; '),
  );
  await checkHistory(checks, context, [[loadIdOf(context.request), 'succeeded']]);
  const [owner] = await context.aws.server.dataApi.query<{ owner: string }>(
    "SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'songplays'",
  );
  checks.that(
    'the load ran as the loader, not the admin: it owns the tables it created',
    outputs.ClusterIdentifier ? owner?.owner === LOADER_USER : (owner?.owner ?? '').startsWith('IAMR:'),
    `songplays is owned by ${owner?.owner ?? 'nobody'}`,
  );
  await checkAnalyst(checks, context, outputs);
  return checks.items;
}

/**
 * An analyst, signed with the AnalystRoleArn output's credentials as the stack's policy allows
 * (no secret): reads the star tables; a DROP and a read of staging fail on the database's privileges.
 */
async function checkAnalyst(checks: Checks, context: PhaseContext, outputs: Readonly<Record<string, string>>): Promise<void> {
  const stack = context.aws.context;
  const [roleId] =
    Object.entries(stack.template.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('AnalystAccessRole')) ?? [];
  if (!roleId) {
    checks.that('the stack has an analyst role', false, 'no AnalystAccessRole in the template');
    return;
  }
  const accessKeyId = `ASIA${suffix(stack, `${roleId}/analyst`, 16)}`;
  context.aws.server.addIdentity(accessKeyId, {
    roleArn: String(getAtt(stack, roleId, 'Arn')),
    roleId: String(getAtt(stack, roleId, 'RoleId')),
    session: 'analyst',
  });
  const data = new RedshiftDataClient({
    region: stack.region,
    endpoint: context.aws.server.url,
    credentials: { accessKeyId, secretAccessKey: 'rehearsal', sessionToken: 'rehearsal' },
    maxAttempts: 1,
  });
  const where = {
    Database: outputs.DatabaseName ?? '',
    ...(outputs.ClusterIdentifier
      ? { ClusterIdentifier: outputs.ClusterIdentifier, DbUser: outputs.AnalystDbUser }
      : { WorkgroupName: outputs.WorkgroupName }),
  };
  const outcome = async (sql: string) => {
    try {
      const { Id } = await data.send(new ExecuteStatementCommand({ ...where, Sql: sql }));
      for (;;) {
        const statement = await data.send(new DescribeStatementCommand({ Id }));
        if (statement.Status === 'FINISHED') return 'FINISHED';
        if (statement.Status === 'FAILED' || statement.Status === 'ABORTED') return `${statement.Status}: ${statement.Error ?? ''}`;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } catch (error) {
      return `refused: ${(error as Error).name} ${(error as Error).message}`;
    }
  };
  try {
    const read = await outcome('SELECT COUNT(*) FROM songplays');
    const dropped = await outcome('DROP TABLE songplays');
    const staging = await outcome('SELECT COUNT(*) FROM staging_events');
    checks.that(
      `an analyst with the AnalystRoleArn role's credentials (no secret, ${outputs.AnalystDbUser ?? 'its IAM identity'}) reads songplays`,
      read === 'FINISHED',
      read,
    );
    checks.that(
      "the analyst's DROP TABLE songplays and SELECT on staging_events fail on the database's privileges",
      /^FAILED: .*(owner|permission denied)/.test(dropped) && /^FAILED: .*permission denied/.test(staging),
      `${dropped} | ${staging}`,
    );
  } finally {
    data.destroy();
  }
}

export async function checkReload(context: PhaseContext): Promise<Check[]> {
  const checks = new Checks();
  cloudFormationGot(checks, context, 'SUCCESS');
  samePhysicalId(checks, context);
  checkLoadBatch(checks, context, 'FINISHED');
  checks.equal(
    'Data names the new load, succeeded',
    [context.record.response.Data.LoadId, context.record.response.Data.Outcome],
    [loadIdOf(context.request), 'succeeded'],
  );
  checkUntouched(checks, context, 'the first load left them: a reload of the same source is deterministic, songplay ids included');
  await checkHistory(checks, context, [
    ...loadIds(context.phases).map((id): [string, string] => [id, 'succeeded']),
    [loadIdOf(context.request), 'succeeded'],
  ]);
  return checks.items;
}

export async function checkBrokenUpdate(context: PhaseContext, broken: BrokenRecord): Promise<Check[]> {
  const checks = new Checks();
  cloudFormationGot(checks, context, 'FAILED');
  const reason = context.record.response.Reason;
  checks.that(
    "the failure names the step (staging.staging_events) and the database's message",
    reason.includes('staging.staging_events') && /Load into table 'staging_events' failed/.test(reason),
    reason.split('\n')[0],
  );
  checks.that(
    `the failure names the rejected row: ${broken.uri} line ${broken.line}, column ${broken.column}`,
    reason.includes(`${broken.uri} line ${broken.line}, column ${broken.column}`),
    reason.split('\n')[0],
  );
  checkLoadBatch(checks, context, 'FAILED');
  checkUntouched(checks, context, 'the last good load left them');
  const errors = await loadErrors(context.aws.server.dataApi);
  checks.that(
    'sys_load_error_detail kept the rejected row through the rollback',
    errors.some((row) => row.file_name === broken.uri && row.line_number === broken.line && row.column_name === broken.column),
    JSON.stringify(errors),
  );
  await checkHistory(checks, context, [
    ...loadIds(context.phases).map((id): [string, string] => [id, 'succeeded']),
    [loadIdOf(context.request), 'failed'],
  ]);
  return checks.items;
}

export async function checkRollback(context: PhaseContext): Promise<Check[]> {
  const checks = new Checks();
  cloudFormationGot(checks, context, 'SUCCESS');
  samePhysicalId(checks, context);
  const data = context.record.response.Data;
  checks.equal('Data is the previous load, succeeded', [data.LoadId, data.Outcome], [loadIdOf(context.request), 'succeeded']);
  const batches = context.record.statements.filter((statement) => statement.batch);
  const preflight = context.record.calls.filter((call) => call.service !== 'redshift-data');
  checks.that(
    'nothing was loaded: no BatchExecuteStatement, no preflight (only the load_history read)',
    batches.length === 0 && preflight.length === 0,
    `${batches.length} batches, ${preflight.length} preflight calls`,
  );
  checkUntouched(checks, context, 'before the rollback');
  const ids = loadIds(context.phases);
  await checkHistory(
    checks,
    context,
    ids.map((id, i): [string, string] => [id, i === ids.length - 1 ? 'failed' : 'succeeded']),
  );
  return checks.items;
}

export async function checkDelete(context: PhaseContext): Promise<Check[]> {
  const checks = new Checks();
  cloudFormationGot(checks, context, 'SUCCESS');
  samePhysicalId(checks, context);
  checks.that(
    'the handler touched nothing: no call to any AWS API',
    context.record.calls.length === 0,
    context.record.calls.map((call) => call.operation).join(', '),
  );
  checkUntouched(checks, context, 'before (the data goes with the cluster)');
  checks.that(
    'the local AWS met no problem of its own',
    context.aws.server.dataApi.problems().length === 0,
    context.aws.server.dataApi.problems().join('; '),
  );
  return checks.items;
}

/**
 * A deploy whose sql/ adds songs.genre, widens users.level and adds a sort key column to time: the
 * load rebuilds those tables and songplays (which references them); no row is lost.
 */
export async function checkSchemaChange(context: PhaseContext): Promise<Check[]> {
  const checks = new Checks();
  cloudFormationGot(checks, context, 'SUCCESS');
  samePhysicalId(checks, context);
  checkLoadBatch(checks, context, 'FINISHED');
  const loadId = loadIdOf(context.request);
  const dataApi = context.aws.server.dataApi;
  checks.equal(
    'schema_changes records each rebuilt table and how it changed, in the load',
    await dataApi.query(`SELECT table_name, change FROM schema_changes WHERE load_id = '${loadId}' ORDER BY table_name`),
    [
      { table_name: 'songplays', change: 'rebuilt with time, users, songs, which its FOREIGN KEY references' },
      { table_name: 'songs', change: 'column genre character varying(64) added' },
      { table_name: 'time', change: 'SORTKEY (start_time) -> (start_time, hour)' },
      { table_name: 'users', change: 'column level type character varying(16) -> character varying(32)' },
    ],
  );
  checks.that(
    'the deploy reports the changes (the SchemaSync attribute)',
    /songs rebuilt: column genre character varying\(64\) added/.test(String(context.record.response.Data.SchemaSync ?? '')),
    String(context.record.response.Data.SchemaSync ?? 'no SchemaSync'),
  );
  checks.equal(
    'PG_TABLE_DEF shows the new design: the column, the type, the sort key',
    await dataApi.query(
      `SELECT tablename, "column", type, sortkey FROM pg_table_def WHERE (tablename, "column") IN (('songs', 'genre'), ('users', 'level'), ('time', 'hour')) ORDER BY tablename`,
    ),
    [
      { tablename: 'songs', column: 'genre', type: 'character varying(64)', sortkey: 0 },
      { tablename: 'time', column: 'hour', type: 'smallint', sortkey: 2 },
      { tablename: 'users', column: 'level', type: 'character varying(32)', sortkey: 0 },
    ],
  );
  checks.equal('every table has the rows it had', context.state?.rows, context.previous?.rows);
  checks.equal('songplays, rebuilt, holds exactly the rows it held', context.state?.digests.songplays, context.previous?.digests.songplays);
  const history = await loadHistory(dataApi);
  checks.equal(
    'load_history: the new load succeeded',
    history.at(-1)?.load_id === loadId ? history.at(-1)?.outcome : 'missing',
    'succeeded',
  );
  return checks.items;
}
