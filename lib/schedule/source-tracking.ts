import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** What a loader needs to list the source and write a load's files (docs/incremental-loads.md §2.2). */
export interface SourceTrackingProps {
  readonly sourceBucket: string;
  readonly eventsPrefix: string;
  readonly songsPrefix: string;
  readonly jsonpathsKey: string;
  /** The LoadManifests bucket's name (a token) and `<its ARN>/loads/*`. */
  readonly loadFilesBucketName: string;
  readonly loadFilesArn: string;
}

/**
 * The permissions of a function that lists the source (ListObjectsV2 with exactly the two prefixes
 * and the jsonpaths key as Prefix: s3:prefix is the request's Prefix,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html) and writes the
 * load's manifest and listing. Nothing else of S3: no GetObject on the source, no read of the files.
 */
export function sourceTrackingStatements(scope: IConstruct, props: SourceTrackingProps): iam.PolicyStatement[] {
  const partition = Stack.of(scope).partition;
  return [
    new iam.PolicyStatement({
      sid: 'ListSourceForTracking',
      actions: ['s3:ListBucket'],
      resources: [`arn:${partition}:s3:::${props.sourceBucket}`],
      conditions: { StringEquals: { 's3:prefix': [props.eventsPrefix, props.songsPrefix, props.jsonpathsKey] } },
    }),
    new iam.PolicyStatement({
      sid: 'WriteLoadFiles',
      actions: ['s3:PutObject'],
      resources: [props.loadFilesArn],
    }),
  ];
}

/** cdk-nag names `<LoadManifests bucket ARN>/loads/*` as the template has it. */
export function acknowledgeLoadFiles(scope: IConstruct, loadFilesArn: string): void {
  const resolved = Stack.of(scope).resolve(loadFilesArn) as unknown;
  const text = findingText(resolved);
  if (text === undefined) return;
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${text}]`,
    reason:
      'A load writes (or COPY reads) the files named by its load id under loads/ of the stack’s own LoadManifests bucket; the wildcard is that one prefix, whose objects expire after 7 days.',
  });
}

/** cdk-nag's rendering of a resolved ARN: `{"Fn::GetAtt":[id,"Arn"]}` parts become `<id.Arn>`. */
function findingText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
  if (typeof record.Ref === 'string') return `<${record.Ref}>`;
  if (Array.isArray(record['Fn::Join'])) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    const texts = parts.map(findingText);
    return texts.every((t): t is string => t !== undefined) ? texts.join(separator) : undefined;
  }
  return undefined;
}
