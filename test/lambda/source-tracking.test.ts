import { BatchExecuteStatementCommand, type SubStatementData } from '@aws-sdk/client-redshift-data';
import { ListObjectsV2Command, PutObjectCommand, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { LoadFailedError } from '../../lambda/loader/failure-report';
import { handleIsComplete } from '../../lambda/loader/is-complete';
import { handleOnEvent } from '../../lambda/loader/on-event';
import { PLAN_MODE_KEY, planModeFrom } from '../../lambda/loader/source-tracking';
import { renderBatch } from '../../lambda/loader/submit';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { trackingFile, type SourceObject } from '../../lib/plan/source-diff';
import { BATCH_ID, ROLE_ARN, SETTINGS, event, firstDeployAws, files, properties, type FakeAws } from '../../tools/fake-aws';

// A deploy with the schedule on (TrackSources): its full load also records what it read.
const LOAD_ID = 'load-20250101T000000Z';
const BUCKET = 'sparkify-load-files';
const FILES_URI = `s3://${BUCKET}/loads/${LOAD_ID}/files.jsonl`;
const LISTING: SourceObject[] = [
  { kind: 'events', key: 'log_data/2018/11/2018-11-01-events.json', size: 1001, etag: '"e1"' },
  { kind: 'jsonpaths', key: 'log_json_path.json', size: 50, etag: '"j1"' },
  { kind: 'songs', key: 'song_data/A/A/A/TRAAAAW128F429D538.json', size: 300, etag: '"s1"' },
];
function firstDeploy(): FakeAws {
  const aws = firstDeployAws();
  aws.mocks.s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => ({
    Contents: LISTING.filter((o) => o.key.startsWith(input.Prefix ?? '')).map((o) => ({ Key: o.key, Size: o.size, ETag: o.etag })),
    IsTruncated: false,
  }));
  aws.mocks.s3.on(PutObjectCommand).resolves({});
  return aws;
}

const tracked = () => properties({ TrackSources: 'true', ManifestBucket: BUCKET });

describe('a deploy with TrackSources', () => {
  it('lists the source, writes the listing, loads in full recording it, and hands the mode to isComplete', async () => {
    const aws = firstDeploy();
    const response = await handleOnEvent(event('Create', tracked()), aws.deps);

    const put = aws.mocks.s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(put).toEqual([
      { Bucket: BUCKET, Key: `loads/${LOAD_ID}/files.jsonl`, Body: trackingFile(LISTING, LOAD_ID), ContentType: 'application/x-ndjson' },
    ]);
    const plan = buildLoadPlan(files, {
      settings: SETTINGS,
      roleArn: ROLE_ARN,
      loadId: LOAD_ID,
      mode: { kind: 'full', filesUri: FILES_URI },
    });
    const sqls = aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]!.args[0].input.Sqls!;
    expect(sqls).toEqual(renderBatch(plan));
    expect(sqls.some((sql) => sql.includes(`FROM '${FILES_URI}'`))).toBe(true);
    expect(response.Data?.[PLAN_MODE_KEY]).toBe(JSON.stringify({ kind: 'full', filesUri: FILES_URI }));
    expect(planModeFrom(response.Data)).toEqual({ kind: 'full', filesUri: FILES_URI });
    expect(aws.logs.find((line) => line.message === 'listing')?.attributes).toMatchObject({ objects: 3, events: 1, filesUri: FILES_URI });
  });

  it('isComplete rebuilds the same plan from the hand-over, so a failure names the tracking step', async () => {
    const aws = firstDeploy();
    const response = await handleOnEvent(event('Create', tracked()), aws.deps);
    const plan = buildLoadPlan(files, {
      settings: SETTINGS,
      roleArn: ROLE_ARN,
      loadId: LOAD_ID,
      mode: { kind: 'full', filesUri: FILES_URI },
    });
    const at = plan.steps.findIndex((step) => step.name === 'tracking.source_files');
    expect(at).toBeGreaterThan(0);
    const subs: SubStatementData[] = plan.steps.map((_, i) => ({
      Id: `${BATCH_ID}:${i + 1}`,
      Status: i < at ? 'FINISHED' : i === at ? 'FAILED' : 'ABORTED',
      ...(i === at ? { Error: 'ERROR: S3ServiceException:Access Denied' } : {}),
    }));
    aws.scriptBatch({ Status: 'FAILED', CreatedAt: new Date(), SubStatements: subs });
    const error = await handleIsComplete(
      { ...event('Create', tracked()), PhysicalResourceId: response.PhysicalResourceId, Data: response.Data },
      aws.deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadFailedError);
    expect((error as Error).message).toContain('failed at step tracking.source_files (sql/tracking/source_files.sql)');
  });

  it('without TrackSources, asks S3 nothing and hands over no mode', async () => {
    const aws = firstDeploy();
    const response = await handleOnEvent(event('Create', properties()), aws.deps);
    expect(aws.mocks.s3.calls()).toHaveLength(0);
    expect(response.Data).not.toHaveProperty(PLAN_MODE_KEY);
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]!.args[0].input.Sqls).toEqual(
      renderBatch(buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID })),
    );
  });
});
