import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BUCKET_NAME, JSONPATHS_KEY, KEY_PREFIX } from '../rules/s3-names';
import { follows, refusal, type TextRule } from '../rules/text-rule';
import { acknowledgeLoadFiles } from '../schedule/source-tracking';
import { InvalidPropsError } from '../stack/invalid-props-error';

export interface SourceReadRoleProps {
  readonly sourceBucket: string;
  /** Key prefixes COPY reads; like COPY, each matches every key that starts with it. */
  readonly eventsPrefix: string;
  readonly songsPrefix: string;
  /** The one object COPY reads the jsonpaths from. */
  readonly jsonpathsKey: string;
  /**
   * The stack's LoadManifests bucket, whose load files COPY reads (an incremental load's manifest;
   * the listing a load records, COPYed by key, which COPY lists as a prefix).
   * @default none: the role reads the source only
   */
  readonly loadFiles?: LoadFilesAccess;
}

export interface LoadFilesAccess {
  readonly bucketArn: string;
  /** The key prefix of the load files, e.g. 'loads/'. */
  readonly keyPrefix: string;
}

/**
 * The role Redshift assumes for COPY: trusted by Redshift only, allowed to list the source prefixes
 * and read the objects under them and the jsonpaths file, and nothing else.
 */
export class SourceReadRole extends Construct {
  readonly role: iam.Role;
  /** The object ARNs the role may read, in the order events, songs, jsonpaths. */
  readonly readableObjectArns: readonly string[];

  constructor(scope: Construct, id: string, props: SourceReadRoleProps) {
    super(scope, id);
    const rules = { sourceBucket: BUCKET_NAME, eventsPrefix: KEY_PREFIX, songsPrefix: KEY_PREFIX, jsonpathsKey: JSONPATHS_KEY } as const;
    for (const [name, rule] of Object.entries(rules) as [keyof typeof rules, TextRule][]) {
      if (!follows(rule, props[name])) throw new InvalidPropsError(this, refusal(name, props[name], rule));
    }

    // The stack's partition: a literal where the region is known (@aws-cdk/core:enablePartitionLiterals),
    // AWS::Partition otherwise. Built by hand: S3 ARNs have no region or account for formatArn to fill.
    const partition = Stack.of(this).partition;
    const bucketArn = `arn:${partition}:s3:::${props.sourceBucket}`;
    const prefixArns = [`${bucketArn}/${props.eventsPrefix}*`, `${bucketArn}/${props.songsPrefix}*`];
    this.readableObjectArns = [...prefixArns, `${bucketArn}/${props.jsonpathsKey}`];

    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'ListSourcePrefixes',
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${props.eventsPrefix}*`, `${props.songsPrefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadSourceObjects',
          actions: ['s3:GetObject'],
          resources: [...this.readableObjectArns],
        }),
        ...(props.loadFiles ? loadFilesStatements(props.loadFiles) : []),
      ],
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('redshift.amazonaws.com'),
      description: `Lets Redshift COPY read s3://${props.sourceBucket}/${props.eventsPrefix}*, /${props.songsPrefix}* and /${props.jsonpathsKey}`,
      // Inline, so the permissions are part of the role resource the warehouse attaches.
      inlinePolicies: { ReadSource: policy },
    });

    if (props.loadFiles) acknowledgeLoadFiles(this.role, `${props.loadFiles.bucketArn}/${props.loadFiles.keyPrefix}*`);

    // cdk-nag names the resource as the template has it: AWS::Partition reads <AWS::Partition>.
    const partitionInFinding = Token.isUnresolved(partition) ? '<AWS::Partition>' : partition;
    for (const prefix of [props.eventsPrefix, props.songsPrefix]) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${partitionInFinding}:s3:::${props.sourceBucket}/${prefix}*]`,
        reason:
          'COPY reads every object under a key prefix (that is how it addresses its sources): the wildcard is the prefix match, within one bucket, read-only.',
      });
    }
  }
}

function loadFilesStatements(files: LoadFilesAccess): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ListLoadFiles',
      actions: ['s3:ListBucket'],
      resources: [files.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${files.keyPrefix}*`] } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadLoadFiles',
      actions: ['s3:GetObject'],
      resources: [`${files.bucketArn}/${files.keyPrefix}*`],
    }),
  ];
}
