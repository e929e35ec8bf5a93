/**
 * The warehouse load as a CloudFormation custom resource (CDK Provider framework with isComplete).
 * Bundled as ESM with sql/ copied next to it. Endpoints come from the SDK's standard
 * AWS_ENDPOINT_URL_* variables; region and credentials from the Lambda environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { S3Client } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleBootstrap } from './bootstrap';
import { DEFAULT_RETRY } from './data-api';
import { handleIsComplete } from './is-complete';
import { handleOnEvent } from './on-event';
import { handleScheduled, type ScheduledResult } from './scheduled';
import { loaderSqlFiles } from './sql';
import { handleStaleLoads, type StaleCheckResult } from './stale-loads';
import type { IsCompleteResponse, LoaderDeps, OnEventResponse, ProviderEvent } from './types';

let deps: LoaderDeps | undefined;

/** Built on first use and kept for warm invocations; the SDK's own retries are off, ours (bounded, tested) apply. */
function defaultDeps(): LoaderDeps {
  if (!deps) {
    const client = { maxAttempts: 1 };
    deps = {
      data: new RedshiftDataClient(client),
      redshift: new RedshiftClient(client),
      serverless: new RedshiftServerlessClient(client),
      iam: new IAMClient(client),
      // A local endpoint (the rehearsal's AWS_ENDPOINT_URL_S3) has no per-bucket host names: path style there.
      s3: new S3Client({ ...client, ...(process.env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {}) }),
      files: () => loaderSqlFiles(),
      log: new Logger({ serviceName: 'sparkify-loader' }),
      retry: DEFAULT_RETRY,
      sleep: async (ms) => {
        await sleep(ms);
      },
      now: () => Date.now(),
      queryPollMs: 500,
      queryTimeoutMs: 60_000,
      pollIntervalMs: pollIntervalMs(process.env.SPARKIFY_POLL_INTERVAL_SECONDS),
    };
  }
  return deps;
}

/** The framework's poll interval, as the stack sets it; without a valid one, isComplete checks on every call. */
function pollIntervalMs(seconds: string | undefined): number | undefined {
  const value = Number(seconds);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

export async function onEvent(event: ProviderEvent): Promise<OnEventResponse> {
  return handleOnEvent(event, defaultDeps());
}

export async function isComplete(event: ProviderEvent): Promise<IsCompleteResponse> {
  return handleIsComplete(event, defaultDeps());
}

/** The bootstrap custom resource's handler: the only one whose role reads the admin secret. */
export async function bootstrap(event: ProviderEvent): Promise<OnEventResponse> {
  return handleBootstrap(event, defaultDeps());
}

/**
 * The schedule's handler (lib/schedule/scheduled-load.ts), invoked asynchronously by EventBridge
 * Scheduler with the load's properties, Trigger and ScheduledTime: the incremental load.
 */
export async function scheduled(event: Readonly<Record<string, unknown>>): Promise<ScheduledResult> {
  return handleScheduled(event, defaultDeps());
}

/**
 * The stale-load check's handler (lib/schedule/stale-load-check.ts), invoked asynchronously by its
 * schedule: reports a background load still running past its timeout by failing, once.
 */
export async function staleLoads(event: Readonly<Record<string, unknown>>): Promise<StaleCheckResult> {
  return handleStaleLoads(event, defaultDeps());
}
