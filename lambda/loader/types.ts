import type { IAMClient } from '@aws-sdk/client-iam';
import type { RedshiftClient } from '@aws-sdk/client-redshift';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SqlFiles } from '../../lib/plan/sql-files';

/** Bounded exponential backoff with full jitter: at most `attempts` tries, each wait at most `maxDelayMs`. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 0..1; tests pass () => 1 for the longest, predictable waits. */
  readonly random: () => number;
}

/**
 * What the CDK Provider framework sends to onEvent (the CloudFormation request, ResponseURL
 * included) and to isComplete (the same, plus onEvent's PhysicalResourceId and Data). Fields are
 * loosely typed on purpose: a Delete must succeed even when they are garbage.
 */
export interface ProviderEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete' | string;
  readonly RequestId?: string;
  readonly StackId?: string;
  readonly LogicalResourceId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType?: string;
  readonly ResourceProperties?: Readonly<Record<string, unknown>>;
  readonly OldResourceProperties?: Readonly<Record<string, unknown>>;
  readonly Data?: Readonly<Record<string, unknown>>;
}

export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

/** isComplete's answer: Data is only allowed once IsComplete is true (the framework refuses it otherwise). */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Readonly<Record<string, string>>;
}

/** A structured log line per phase; Powertools' Logger fits this shape, tests record it. */
export interface PhaseLog {
  info(message: string, attributes: Readonly<Record<string, unknown>>): void;
  warn(message: string, attributes: Readonly<Record<string, unknown>>): void;
  error(message: string, attributes: Readonly<Record<string, unknown>>): void;
}

/** Everything the handlers touch outside themselves, so tests can swap each part. */
export interface LoaderDeps {
  readonly data: RedshiftDataClient;
  readonly redshift: RedshiftClient;
  readonly serverless: RedshiftServerlessClient;
  readonly iam: IAMClient;
  /** Lists the source and writes a load's files (only with TrackSources, and for the schedule). */
  readonly s3: S3Client;
  /** The SQL files of the plan (the bundle's copy of sql/ at run time). */
  readonly files: () => SqlFiles;
  readonly log: PhaseLog;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Short queries (history, report, load errors): poll interval and the most they may take. */
  readonly queryPollMs: number;
  readonly queryTimeoutMs: number;
  /**
   * The Provider framework's isComplete interval. When set, isComplete backs off: it asks the Data
   * API on a schedule that stretches with the load's age (poll-backoff.ts), not on every call.
   */
  readonly pollIntervalMs?: number;
}
