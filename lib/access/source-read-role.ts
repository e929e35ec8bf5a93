import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { InvalidPropsError } from '../stack/invalid-props-error';

export interface SourceReadRoleProps {
  readonly sourceBucket: string;
  /** Key prefixes COPY reads; like COPY, each matches every key that starts with it. */
  readonly eventsPrefix: string;
  readonly songsPrefix: string;
  /** The one object COPY reads the jsonpaths from. */
  readonly jsonpathsKey: string;
  /** 'aws', 'aws-cn' or 'aws-us-gov'. */
  readonly partition: string;
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
    const key = /^[A-Za-z0-9!_.*'()\-/]{1,1024}$/;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.sourceBucket)) {
      throw new InvalidPropsError(this, `sourceBucket = ${JSON.stringify(props.sourceBucket)}: use an S3 bucket name`);
    }
    for (const name of ['eventsPrefix', 'songsPrefix', 'jsonpathsKey'] as const) {
      if (!key.test(props[name]) || props[name].startsWith('/')) {
        throw new InvalidPropsError(this, `${name} = ${JSON.stringify(props[name])}: use an S3 key without a leading slash`);
      }
    }

    const bucketArn = `arn:${props.partition}:s3:::${props.sourceBucket}`;
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
      ],
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('redshift.amazonaws.com'),
      description: `Lets Redshift COPY read s3://${props.sourceBucket}/${props.eventsPrefix}*, /${props.songsPrefix}* and /${props.jsonpathsKey}`,
      // Inline, so the permissions are part of the role resource the warehouse attaches.
      inlinePolicies: { ReadSource: policy },
    });

    for (const arn of prefixArns) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}]`,
        reason:
          'COPY reads every object under a key prefix (that is how it addresses its sources): the wildcard is the prefix match, within one bucket, read-only.',
      });
    }
  }
}
