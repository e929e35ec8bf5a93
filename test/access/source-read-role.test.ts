import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { SourceReadRole } from '../../lib/access/source-read-role';
import { InvalidPropsError } from '../../lib/stack/invalid-props-error';
import { acknowledgedNagRules, resourcesOf, synthWarehouse } from '../stack/synth';

function sourceReadRole(context: Record<string, unknown>) {
  const { template } = synthWarehouse(context);
  const [id, role] = resourcesOf(template, 'AWS::IAM::Role').find(([logicalId]) => logicalId.startsWith('SourceReadRole'))!;
  return { id, properties: role.Properties ?? {} };
}

describe('SourceReadRole', () => {
  it('grants exactly: list the two prefixes, read the objects under them and the jsonpaths object (default configuration)', () => {
    const role = sourceReadRole({});
    expect(role.properties.Policies).toEqual([
      {
        PolicyName: 'ReadSource',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ListSourcePrefixes',
              Effect: 'Allow',
              Action: 's3:ListBucket',
              Resource: 'arn:aws:s3:::udacity-dend',
              Condition: { StringLike: { 's3:prefix': ['log_data*', 'song_data*'] } },
            },
            {
              Sid: 'ReadSourceObjects',
              Effect: 'Allow',
              Action: 's3:GetObject',
              // Sorted by @aws-cdk/aws-iam:minimizePolicies.
              Resource: [
                'arn:aws:s3:::udacity-dend/log_data*',
                'arn:aws:s3:::udacity-dend/log_json_path.json',
                'arn:aws:s3:::udacity-dend/song_data*',
              ],
            },
          ],
        },
      },
    ]);
    expect(role.properties.ManagedPolicyArns).toBeUndefined();
  });

  it('follows the configured bucket, prefixes and jsonpaths key', () => {
    const role = sourceReadRole({
      'sparkify:sourceBucket': 'sparkify-raw',
      'sparkify:eventsPrefix': 'events/2018',
      'sparkify:songsPrefix': 'songs/',
      'sparkify:jsonpathsKey': 'meta/paths.json',
    });
    const statements = (role.properties.Policies as { PolicyDocument: { Statement: unknown[] } }[])[0]!.PolicyDocument.Statement;
    // Exactly these two statements: the bucket ARN (for ListBucket, only under the prefixes) and the object ARNs.
    expect(statements).toEqual([
      {
        Sid: 'ListSourcePrefixes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::sparkify-raw',
        Condition: { StringLike: { 's3:prefix': ['events/2018*', 'songs/*'] } },
      },
      {
        Sid: 'ReadSourceObjects',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          'arn:aws:s3:::sparkify-raw/events/2018*',
          'arn:aws:s3:::sparkify-raw/meta/paths.json',
          'arn:aws:s3:::sparkify-raw/songs/*',
        ],
      },
    ]);
    expect(role.properties.ManagedPolicyArns).toBeUndefined();
  });

  // Issue 21: a prefix can hold no IAM wildcard, so the role's only wildcard is the prefix match
  // appended to each prefix, and the cdk-nag acknowledgements name exactly those resources.
  it('reads exactly the configured prefixes, whatever safe characters they hold: the only * is the one after each prefix', () => {
    const { template, stack } = synthWarehouse({
      'sparkify:eventsPrefix': 'logs/(2018)!_.-v1/',
      'sparkify:songsPrefix': 'songs.v2',
      'sparkify:jsonpathsKey': 'meta/(v1)!_.-paths.json',
    });
    const [, role] = resourcesOf(template, 'AWS::IAM::Role').find(([logicalId]) => logicalId.startsWith('SourceReadRole'))!;
    const statements = (role.Properties?.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])[0]!.PolicyDocument
      .Statement;
    expect(statements).toEqual([
      {
        Sid: 'ListSourcePrefixes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::udacity-dend',
        Condition: { StringLike: { 's3:prefix': ['logs/(2018)!_.-v1/*', 'songs.v2*'] } },
      },
      {
        Sid: 'ReadSourceObjects',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          'arn:aws:s3:::udacity-dend/logs/(2018)!_.-v1/*',
          'arn:aws:s3:::udacity-dend/meta/(v1)!_.-paths.json',
          'arn:aws:s3:::udacity-dend/songs.v2*',
        ],
      },
    ]);
    const acknowledged = [...acknowledgedNagRules(stack).keys()].filter((rule) => rule.startsWith('SparkifyWarehouse/SourceReadRole/'));
    expect(acknowledged).toEqual([
      'SparkifyWarehouse/SourceReadRole/Role: AwsSolutions-IAM5[Resource::arn:aws:s3:::udacity-dend/logs/(2018)!_.-v1/*]',
      'SparkifyWarehouse/SourceReadRole/Role: AwsSolutions-IAM5[Resource::arn:aws:s3:::udacity-dend/songs.v2*]',
    ]);
  });

  it('is trusted by Redshift and nothing else', () => {
    expect(sourceReadRole({}).properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' } }],
    });
  });

  it('takes the partition from the stack: a literal where the region is known, AWS::Partition where it is not', () => {
    const props = { sourceBucket: 'b-cn', eventsPrefix: 'e', songsPrefix: 's', jsonpathsKey: 'p.json' };
    const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
    const china = new SourceReadRole(new Stack(app, 'Cn', { env: { region: 'cn-north-1' } }), 'Role', props);
    expect(china.readableObjectArns).toEqual(['arn:aws-cn:s3:::b-cn/e*', 'arn:aws-cn:s3:::b-cn/s*', 'arn:aws-cn:s3:::b-cn/p.json']);
    const anywhere = new Stack(app, 'Anywhere');
    const agnostic = new SourceReadRole(anywhere, 'Role', props);
    expect(anywhere.resolve(agnostic.readableObjectArns[0])).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b-cn/e*']],
    });
  });

  it.each([
    [{ sourceBucket: 's3://udacity-dend' }, 'sourceBucket = "s3://udacity-dend"'],
    [{ eventsPrefix: '/log_data' }, 'eventsPrefix = "/log_data"'],
    [{ jsonpathsKey: 'has space.json' }, 'jsonpathsKey = "has space.json"'],
    // IAM wildcards (issue 21): the construct refuses them too, whoever builds it.
    [{ eventsPrefix: '*' }, 'eventsPrefix = "*": use an S3 key prefix'],
    [{ songsPrefix: 'song_data/?' }, 'songsPrefix = "song_data/?"'],
    [{ jsonpathsKey: 'meta/*.json' }, 'jsonpathsKey = "meta/*.json"'],
  ])('refuses %j, naming the prop', (override, message) => {
    const props = {
      sourceBucket: 'udacity-dend',
      eventsPrefix: 'log_data',
      songsPrefix: 'song_data',
      jsonpathsKey: 'p.json',
      ...override,
    };
    expect(() => new SourceReadRole(new Stack(new App(), 'S'), 'Role', props)).toThrowError(InvalidPropsError);
    expect(() => new SourceReadRole(new Stack(new App(), 'S'), 'Role', props)).toThrowError(message);
  });
});
