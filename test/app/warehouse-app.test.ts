import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { STACK_NAME, createWarehouseApp } from '../../lib/app/warehouse-app';
import { ConfigError } from '../../lib/config/warehouse-config';
import type { ProvisionedWarehouse } from '../../lib/warehouse/provisioned-warehouse';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const build = (context: Record<string, unknown>) =>
  createWarehouseApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: false });

describe('the CDK app', () => {
  it('puts the stack in the configured region, the account left to the environment', () => {
    expect(build({}).stack.region).toBe('us-west-2');
    const { stack } = build({ 'sparkify:region': 'eu-west-1', 'sparkify:sourceRegion': 'eu-west-1' });
    expect(stack.region).toBe('eu-west-1');
    expect(stack.stackName).toBe(STACK_NAME);
    expect(createWarehouseApp({ context: { 'aws:cdk:bundling-stacks': [] }, account: '123456789012' }).stack.account).toBe('123456789012');
  });

  // Every setting's check, seen from synth: the app stops before building anything.
  it.each([
    ['sparkify:region', 'oregon', "region code such as 'us-west-2'"],
    ['sparkify:sourceBucket', 's3://udacity-dend/log_data', 'use an S3 bucket name only'],
    ['sparkify:sourceRegion', 'US-WEST-2', "region code such as 'us-west-2'"],
    ['sparkify:eventsPrefix', '/log_data', 'without a leading slash'],
    ['sparkify:songsPrefix', 's3://udacity-dend/song_data', 'without a leading slash'],
    // Issue 21: a wildcard to IAM, a character to COPY.
    ['sparkify:eventsPrefix', '*', 'no * or ?, which IAM reads as wildcards'],
    ['sparkify:jsonpathsKey', '*.json', 'no * or ?, which IAM reads as wildcards'],
    ['sparkify:jsonpathsKey', 'log_json_path.txt', 'the S3 key of the jsonpaths file'],
    ['sparkify:maxLoadErrors', -1, 'whole number from 0 to 100000'],
    ['sparkify:databaseName', 'Sparkify', 'lower-case name'],
    ['sparkify:compute', 'redshift', "'provisioned', 'serverless'"],
    ['sparkify:nodeType', 'dc2.large', "use one of 'ra3.large'"],
    ['sparkify:numberOfNodes', 0, 'whole number from 1 to 128'],
    ['sparkify:serverlessBaseCapacity', 4, 'whole number from 8 to 1024'],
    ['sparkify:adminUsername', 'awsuser', 'well-known default'],
    ['sparkify:port', 5439, 'well-known default'],
    ['sparkify:port', 5491, 'from 5431 to 5455 or from 8191 to 8215'],
    ['sparkify:enhancedVpcRouting', 'yes', 'true or false'],
    ['sparkify:removalPolicy', 'retain', "'destroy', 'snapshot'"],
    ['sparkify:auditLogRetentionDays', 0, 'use a CloudWatch Logs retention in days: one of 1, 3'],
    ['sparkify:loadMode', 'async', "'wait', 'submit'"],
    ['sparkify:pinLoad', 1, 'true or false'],
    ['sparkify:pollIntervalSeconds', 1, 'whole number from 5 to 300'],
    ['sparkify:loadTimeoutMinutes', 90, 'whole number from 1 to 60'],
    ['sparkify:nodeCount', 2, 'is not a setting: use one of'],
  ])('stops synth on %s = %j, naming the value and the fix', (key, value, fix) => {
    let error: unknown;
    try {
      build({ [key]: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(key);
    expect((error as Error).message).toContain(fix);
    if (!fix.startsWith('is not')) expect((error as Error).message).toContain(`${key} = ${JSON.stringify(value)}: `);
  });

  it('stops synth on enhanced VPC routing to a bucket in another region, and reports every problem at once', () => {
    expect(() => build({ 'sparkify:sourceRegion': 'us-east-1' })).toThrowError('set sparkify:enhancedVpcRouting=false');
    try {
      build({ 'sparkify:port': 80, 'sparkify:nodeType': 'dc2.large' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        expect.stringContaining('sparkify:port = 80'),
        expect.stringContaining('sparkify:nodeType = "dc2.large"'),
      ]);
    }
  });

  it('prints a configuration error plainly from `cdk synth` (bin/app.ts) and exits non-zero', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'sparkify-synth-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        // How the CDK CLI hands the app its context (cdk.json plus -c) and output folder.
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ 'sparkify:port': 5439, 'sparkify:compute': 'cluster', 'sparkify:eventsPrefix': '*' }),
          CDK_OUTDIR: outdir,
        },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Invalid sparkify configuration:');
      expect(run.stderr).toContain('sparkify:port = 5439: 5439 is the well-known default');
      expect(run.stderr).toContain(`sparkify:compute = "cluster": use one of 'provisioned', 'serverless'`);
      // `cdk synth -c sparkify:eventsPrefix=*` (issue 21): refused, where it once read the whole bucket.
      expect(run.stderr).toContain('sparkify:eventsPrefix = "*": use an S3 key prefix');
      expect(run.stderr).toContain('no * or ?, which IAM reads as wildcards');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  describe('cdk-nag', () => {
    it('fails synth on a new, unacknowledged finding', () => {
      const { stack } = build({});
      new sqs.Queue(stack, 'Unreviewed');
      expect(() => Template.fromStack(stack)).toThrowError(/AwsSolutions-SQS3[\s\S]*SparkifyWarehouse\/Unreviewed/);
    });

    it('fails synth when the posture regresses (a publicly accessible, unencrypted cluster)', () => {
      const { stack } = build({});
      const cluster = (stack.warehouse as ProvisionedWarehouse).cluster;
      cluster.publiclyAccessible = true;
      cluster.encrypted = false;
      let message = '';
      try {
        Template.fromStack(stack);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('AwsSolutions-RS8');
      expect(message).toContain('AwsSolutions-RS6');
    });
  });
});
