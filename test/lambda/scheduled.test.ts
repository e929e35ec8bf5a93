import { BatchExecuteStatementCommand, ExecuteStatementCommand, ListStatementsCommand } from '@aws-sdk/client-redshift-data';
import { ListObjectsV2Command, PutObjectCommand, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LoadFailedError } from '../../lambda/loader/failure-report';
import { PropertyError } from '../../lambda/loader/properties';
import { ScheduledEventError, handleScheduled, scheduledLoadId } from '../../lambda/loader/scheduled';
import { renderBatch } from '../../lambda/loader/submit';
import { buildLoadPlan, type LoadMode } from '../../lib/plan/load-plan';
import { planSchemaSync, withSchemaSync, type CatalogColumn, type CatalogGrant } from '../../lib/plan/schema-sync';
import { eventsManifest, trackingFile, type SourceObject } from '../../lib/plan/source-diff';
import { ANALYST_ROLE, ANALYST_TABLES } from '../../lib/rules/database-identities';
import { ROLE_ARN, SETTINGS, declaredCatalog, fakeAws, files, properties, type FakeAws } from '../../tools/fake-aws';

const TIME = '2026-12-01T01:15:00Z';
const LOAD_ID = `scheduled-${TIME}`;
const BUCKET = 'sparkify-load-files';
const FINGERPRINT = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID }).fingerprint;

/** The schedule's Input as the template builds it: the load's properties without LoadId, submit, Trigger, the time. */
function scheduleEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const props = properties({
    LoadMode: 'submit',
    TrackSources: 'true',
    ManifestBucket: BUCKET,
    ServiceToken: undefined,
    LoadId: undefined,
  });
  return { ...props, Trigger: 'schedule', ScheduledTime: TIME, ...overrides };
}

const base = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID });
/** The catalog of a warehouse holding every declared table as declared, and the analyst's grants. */
const CATALOG = declaredCatalog(base) as unknown as CatalogColumn[];
const GRANTS: CatalogGrant[] = ANALYST_TABLES.map((table) => ({
  table_name: table,
  privilege_type: 'SELECT',
  identity_name: ANALYST_ROLE,
  identity_type: 'role',
}));

const events = (day: number, etag = `"e${day}"`): SourceObject => ({
  kind: 'events',
  key: `log_data/2018/11/2018-11-${String(day).padStart(2, '0')}-events.json`,
  size: 1000 + day,
  etag,
});
const SONG: SourceObject = { kind: 'songs', key: 'song_data/A/A/A/TRAAAAW128F429D538.json', size: 300, etag: '"s1"' };
const PATHS: SourceObject = { kind: 'jsonpaths', key: 'log_json_path.json', size: 50, etag: '"j1"' };

/** A warehouse whose last load (full-1) read `tracked`, with the bucket now holding `listing`. */
function warehouse(
  listing: readonly SourceObject[],
  tracked: readonly SourceObject[],
  options: { fingerprint?: string; catalog?: CatalogColumn[] } = {},
): FakeAws {
  const aws = fakeAws();
  aws.onQuery(/FROM\s+pg_table_def/, { rows: (options.catalog ?? CATALOG) as never });
  aws.onQuery(/FROM\s+svv_relation_privileges/, { rows: GRANTS as never });
  aws.onQuery(/outcome = 'succeeded'/, { rows: [{ load_id: 'full-1', fingerprint: options.fingerprint ?? FINGERPRINT }] });
  aws.onQuery(/FROM\s+load_history/, { rows: [] });
  aws.onQuery(/FROM\s+source_files/, {
    rows: tracked.map((o) => ({ kind: o.kind, key: o.key, size: o.size, etag: o.etag, load_id: 'full-1' })),
  });
  aws.mocks.s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => ({
    Contents: listing.filter((o) => o.key.startsWith(input.Prefix ?? '')).map((o) => ({ Key: o.key, Size: o.size, ETag: o.etag })),
    IsTruncated: false,
  }));
  aws.mocks.s3.on(PutObjectCommand).resolves({});
  return aws;
}

function puts(aws: FakeAws): Record<string, string> {
  return Object.fromEntries(
    aws.mocks.s3
      .commandCalls(PutObjectCommand)
      .map((call) => [`s3://${call.args[0].input.Bucket}/${call.args[0].input.Key}`, String(call.args[0].input.Body)]),
  );
}

function expectedBatch(mode: LoadMode): string[] {
  const plan = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID, mode });
  return renderBatch(withSchemaSync(files, plan, planSchemaSync(plan, CATALOG, GRANTS)));
}

const MANIFEST_URI = `s3://${BUCKET}/loads/${LOAD_ID}/events.manifest`;
const FILES_URI = `s3://${BUCKET}/loads/${LOAD_ID}/files.jsonl`;

describe('the scheduled handler refuses what is not the schedule’s Input', () => {
  it('refuses a CloudFormation event, an event without Trigger "schedule", and a time that is not one', async () => {
    const aws = fakeAws();
    await expect(handleScheduled({ ...scheduleEvent(), RequestType: 'Create' }, aws.deps)).rejects.toThrow(ScheduledEventError);
    await expect(handleScheduled({ ...scheduleEvent(), RequestType: 'Create' }, aws.deps)).rejects.toThrow(
      'the event has RequestType "Create", so it is CloudFormation\'s; the scheduled handler takes only the schedule\'s Input',
    );
    await expect(handleScheduled(scheduleEvent({ Trigger: undefined }), aws.deps)).rejects.toThrow('Trigger = undefined, not "schedule"');
    await expect(handleScheduled(scheduleEvent({ Trigger: 'manual' }), aws.deps)).rejects.toThrow('Trigger = "manual"');
    await expect(handleScheduled(scheduleEvent({ ScheduledTime: '<aws.scheduler.scheduled-time>' }), aws.deps)).rejects.toThrow(
      "ScheduledTime is Scheduler's placeholder <aws.scheduler.scheduled-time>, not a time: when invoking by hand",
    );
    await expect(handleScheduled(scheduleEvent({ ScheduledTime: undefined }), aws.deps)).rejects.toThrow('ScheduledTime = undefined');
    // Nothing was asked of AWS.
    expect(aws.mocks.data.calls()).toHaveLength(0);
    expect(aws.mocks.s3.calls()).toHaveLength(0);
  });

  it('parses the rest as a deploy’s properties, and needs TrackSources with a ManifestBucket', async () => {
    const aws = fakeAws();
    await expect(handleScheduled(scheduleEvent({ RoleArn: 'not-an-arn' }), aws.deps)).rejects.toThrow(PropertyError);
    await expect(handleScheduled(scheduleEvent({ TrackSources: 'false' }), aws.deps)).rejects.toThrow(
      "TrackSources is not 'true': a scheduled load lists the source",
    );
    await expect(handleScheduled(scheduleEvent({ ManifestBucket: undefined }), aws.deps)).rejects.toThrow('ManifestBucket is missing');
  });

  it('names the load after the scheduled time, within the LOAD_ID rule', () => {
    expect(scheduledLoadId(TIME)).toBe('scheduled-2026-12-01T01:15:00Z');
    expect(scheduledLoadId('2026-12-01 01:15:00+00:00')).toBe('scheduled-2026-12-01-01:15:00-00:00');
    expect(scheduledLoadId('x'.repeat(300))).toHaveLength(128);
  });
});

describe('a scheduled run', () => {
  it('loads only the new log files: a manifest of them, their listing, one batch (WithEvent), and returns', async () => {
    const aws = warehouse([events(1), events(2), events(3), PATHS, SONG], [events(1), events(2), PATHS, SONG]);
    const result = await handleScheduled(scheduleEvent(), aws.deps);
    expect(result).toEqual({ loadId: LOAD_ID, outcome: 'submitted', mode: 'incremental', newFiles: 1, statementId: expect.any(String) });

    expect(puts(aws)).toEqual({
      [MANIFEST_URI]: eventsManifest('udacity-dend', [events(3)]),
      // An incremental load appends only its new files to source_files.
      [FILES_URI]: trackingFile([events(3)], LOAD_ID),
    });
    expect(JSON.parse(puts(aws)[MANIFEST_URI]!)).toEqual({
      entries: [{ url: 's3://udacity-dend/log_data/2018/11/2018-11-03-events.json', mandatory: true }],
    });
    const batch = aws.mocks.data.commandCalls(BatchExecuteStatementCommand);
    expect(batch).toHaveLength(1);
    expect(batch[0]!.args[0].input).toMatchObject({
      Sqls: expectedBatch({ kind: 'incremental', manifestUri: MANIFEST_URI, filesUri: FILES_URI }),
      StatementName: `sparkify-load:${LOAD_ID}`,
      WithEvent: true,
      ClusterIdentifier: 'sparkify-warehouse',
      DbUser: 'sparkify_loader_user',
    });
    expect(batch[0]!.args[0].input.Sqls!.some((sql) => sql.includes(`FROM '${MANIFEST_URI}'`) && /MANIFEST/.test(sql))).toBe(true);
    expect(aws.logs.find((line) => line.message === 'scheduled')?.attributes).toMatchObject({
      outcome: 'submitted',
      mode: 'incremental',
      files: ['log_data/2018/11/2018-11-03-events.json'],
    });
  });

  it('does nothing when no log file is new: no file written, no batch, a log line', async () => {
    const aws = warehouse([events(1), PATHS, SONG], [events(1), PATHS, SONG]);
    expect(await handleScheduled(scheduleEvent(), aws.deps)).toEqual({ loadId: LOAD_ID, outcome: 'nothing-new' });
    expect(aws.mocks.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
    expect(aws.logs.find((line) => line.message === 'scheduled')?.attributes).toMatchObject({ outcome: 'nothing-new', events: 1 });
  });

  it('reloads in full, recording the whole listing, when the SQL changed since the last load (or a song file did)', async () => {
    const aws = warehouse([events(1), events(2), PATHS, SONG], [events(1), PATHS, SONG], { fingerprint: '0000000000000000' });
    const result = await handleScheduled(scheduleEvent(), aws.deps);
    expect(result).toMatchObject({ outcome: 'submitted', mode: 'full', reason: expect.stringContaining('the SQL or settings changed') });
    expect(puts(aws)).toEqual({ [FILES_URI]: trackingFile([events(1), events(2), PATHS, SONG], LOAD_ID) });
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]!.args[0].input.Sqls).toEqual(
      expectedBatch({ kind: 'full', filesUri: FILES_URI }),
    );

    const song = warehouse([events(1), PATHS, { ...SONG, etag: '"s2"' }], [events(1), PATHS, SONG]);
    expect(await handleScheduled(scheduleEvent(), song.deps)).toMatchObject({
      mode: 'full',
      reason: expect.stringContaining('1 song file'),
    });
  });

  it('reloads in full without reading what was tracked when a table must be created or rebuilt', async () => {
    const aws = warehouse([events(1), PATHS, SONG], [], { catalog: CATALOG.filter((row) => row.table_name !== 'source_files') });
    expect(await handleScheduled(scheduleEvent(), aws.deps)).toMatchObject({
      mode: 'full',
      reason: 'a table in sql/schema is new or changed',
    });
    expect(aws.queries().some((sql) => /FROM\s+source_files/.test(sql))).toBe(false);
  });

  it('stops on a changed or vanished log file: a failed load_history row naming each key, nothing loaded, and throws (to notify)', async () => {
    const aws = warehouse([events(1, '"changed"'), events(3), PATHS, SONG], [events(1), events(2), PATHS, SONG]);
    const error = await handleScheduled(scheduleEvent(), aws.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadFailedError);
    const message = (error as Error).message;
    expect(message).toContain(`Scheduled load ${LOAD_ID} stopped before loading: 2 log files changed`);
    expect(message).toContain('log_data/2018/11/2018-11-01-events.json: now size 1001, etag "changed"');
    expect(message).toContain('log_data/2018/11/2018-11-02-events.json: gone');
    expect(message).toContain('loads the files as they are now');
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
    expect(aws.mocks.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    const failed = aws.queries().find((sql) => /INSERT INTO load_history/.test(sql) && /'failed'/.test(sql));
    expect(failed).toContain(`'${LOAD_ID}'`);
    expect(failed).toContain('source.compare: 2 log files changed');
    expect(failed).toContain('log_data/2018/11/2018-11-02-events.json');
    // Idempotent: a token per load id, so a second record of the same stop is not a second row.
    const insert = aws.mocks.data
      .commandCalls(ExecuteStatementCommand)
      .find((call) => /INSERT INTO load_history/.test(call.args[0].input.Sql ?? ''));
    expect(insert!.args[0].input.ClientToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips while another load of its role is running, and when this scheduled time already loaded', async () => {
    const busy = warehouse([events(1), events(2), PATHS, SONG], [events(1), PATHS, SONG]);
    busy.mocks.data.on(ListStatementsCommand).resolves({
      Statements: [
        {
          Id: 'batch-1',
          StatementName: 'sparkify-load:scheduled-2026-11-30T01:15:00Z',
          Status: 'STARTED',
          CreatedAt: new Date(),
          UpdatedAt: new Date(),
          QueryString: '',
        },
      ],
    });
    expect(await handleScheduled(scheduleEvent(), busy.deps)).toMatchObject({
      outcome: 'skipped-running',
      reason: expect.stringContaining('batch-1'),
    });
    expect(busy.mocks.s3.calls()).toHaveLength(0);
    expect(busy.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
    expect(busy.mocks.data.commandCalls(ListStatementsCommand)[0]!.args[0].input).toMatchObject({
      StatementName: 'sparkify-load:',
      Status: 'ALL',
    });

    const redelivered = fakeAws();
    redelivered.onQuery(/FROM\s+load_history/, { rows: [{ load_id: LOAD_ID, fingerprint: FINGERPRINT, outcome: 'succeeded' }] });
    expect(await handleScheduled(scheduleEvent(), redelivered.deps)).toEqual({ loadId: LOAD_ID, outcome: 'already-loaded' });
    expect(redelivered.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });

  it('submits the same batch with the same client token when the same scheduled time is delivered twice', async () => {
    const first = warehouse([events(1), events(2), PATHS, SONG], [events(1), PATHS, SONG]);
    const second = warehouse([events(1), events(2), PATHS, SONG], [events(1), PATHS, SONG]);
    await handleScheduled(scheduleEvent(), first.deps);
    await handleScheduled(scheduleEvent(), second.deps);
    const token = (aws: FakeAws) => aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]!.args[0].input.ClientToken;
    expect(token(first)).toBe(token(second));
  });
});
