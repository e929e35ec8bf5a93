import { describe, expect, it } from 'vitest';
import { readProjectConfig } from '../../lib/config/project-config';
import { ConfigError, DEFAULT_CONFIG, checkDeploymentConfig, parseWarehouseConfig, sourceUris } from '../../lib/config/warehouse-config';

describe('parseWarehouseConfig', () => {
  it('takes the defaults when the context says nothing', () => {
    expect(parseWarehouseConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('cdk.json states every default explicitly', () => {
    expect(readProjectConfig()).toEqual(DEFAULT_CONFIG);
  });

  it('accepts string values, as `cdk -c key=value` passes them', () => {
    const config = parseWarehouseConfig({ 'sparkify:numberOfNodes': '2', 'sparkify:pinLoad': 'true', 'sparkify:compute': 'serverless' });
    expect(config).toMatchObject({ numberOfNodes: 2, pinLoad: true, compute: 'serverless' });
  });

  it('takes the audit log retention from the values CloudWatch Logs accepts, as a number or as `-c` passes it', () => {
    expect(parseWarehouseConfig({ 'sparkify:auditLogRetentionDays': '731' }).auditLogRetentionDays).toBe(731);
    expect(parseWarehouseConfig({ 'sparkify:auditLogRetentionDays': 1 }).auditLogRetentionDays).toBe(1);
    expect(DEFAULT_CONFIG.auditLogRetentionDays).toBe(90);
  });

  it('ignores context keys that are not its own', () => {
    expect(parseWarehouseConfig({ '@aws-cdk/core:newStyleStackSynthesis': true })).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['sparkify:nodeType', 'dc2.large', "use one of 'ra3.large'"],
    ['sparkify:sourceBucket', 's3://udacity-dend', 'use an S3 bucket name only'],
    ['sparkify:eventsPrefix', '/log_data', 'without a leading slash'],
    // A quote would break out of the COPY statement's string literal.
    ['sparkify:eventsPrefix', "it's", 'use an S3 key prefix'],
    ['sparkify:port', 5439, 'well-known default'],
    ['sparkify:port', 80, 'from 5431 to 5455 or from 8191 to 8215'],
    ['sparkify:port', 5491, 'from 5431 to 5455 or from 8191 to 8215'],
    ['sparkify:enhancedVpcRouting', 'on', 'use true or false'],
    ['sparkify:adminUsername', 'admin', 'well-known default'],
    ['sparkify:serverlessBaseCapacity', 12, 'multiple of 8'],
    ['sparkify:loadTimeoutMinutes', 61, 'from 1 to 60'],
    ['sparkify:pinLoad', 'yes', 'use true or false'],
    ['sparkify:region', 'oregon', 'region code'],
    ['sparkify:jsonpathsKey', 'paths.txt', 'jsonpaths file'],
    ['sparkify:databaseName', 'Sparkify-DB', 'lower-case name'],
    ['sparkify:auditLogRetentionDays', 100, 'use a CloudWatch Logs retention in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120,'],
    ['sparkify:auditLogRetentionDays', 'forever', '1096, 1827, 2192, 2557, 2922, 3288, 3653'],
  ])('refuses %s = %j, naming the value and the fix', (key, value, fix) => {
    expect(() => parseWarehouseConfig({ [key]: value })).toThrowError(ConfigError);
    expect(() => parseWarehouseConfig({ [key]: value })).toThrowError(`${key} = ${JSON.stringify(value)}: `);
    expect(() => parseWarehouseConfig({ [key]: value })).toThrowError(fix);
  });

  // Issue 21: COPY reads * and ? as characters of the key, IAM as wildcards: '*' would have given the
  // read role the whole bucket. ${...} is an IAM policy variable.
  it.each([
    ['sparkify:eventsPrefix', '*'],
    ['sparkify:eventsPrefix', 'log_data/*'],
    ['sparkify:songsPrefix', 'song_data/?'],
    ['sparkify:songsPrefix', '${aws:username}/'],
    ['sparkify:jsonpathsKey', '*.json'],
    ['sparkify:jsonpathsKey', 'paths?.json'],
  ])('refuses the IAM wildcard or variable in %s = %j, naming the setting and the fix', (key, value) => {
    expect(() => parseWarehouseConfig({ [key]: value })).toThrowError(`${key} = ${JSON.stringify(value)}: use `);
    expect(() => parseWarehouseConfig({ [key]: value })).toThrowError('no * or ?, which IAM reads as wildcards');
  });

  it('accepts every other character S3 calls safe in a prefix and the jsonpaths key', () => {
    const context = { 'sparkify:eventsPrefix': 'logs/(2018)!_.-v1/', 'sparkify:jsonpathsKey': 'meta/(v1)!_.-paths.json' };
    expect(parseWarehouseConfig(context)).toMatchObject({ eventsPrefix: 'logs/(2018)!_.-v1/', jsonpathsKey: 'meta/(v1)!_.-paths.json' });
  });

  it('reports every problem at once, including unknown settings', () => {
    try {
      parseWarehouseConfig({ 'sparkify:nodeType': 'dc2.large', 'sparkify:nodeCount': 2 });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
      expect((error as ConfigError).message).toContain('sparkify:nodeCount is not a setting: use one of');
      expect((error as ConfigError).message).toContain('sparkify:numberOfNodes');
    }
  });

  it('refuses enhanced VPC routing to a bucket in another region, naming both regions and the fixes', () => {
    const check = (context: Record<string, unknown>) => checkDeploymentConfig(parseWarehouseConfig(context));
    const context = { 'sparkify:sourceRegion': 'us-east-1' };
    expect(() => check(context)).toThrowError(ConfigError);
    expect(() => check(context)).toThrowError('sparkify:sourceRegion = "us-east-1" and sparkify:region = "us-west-2"');
    expect(() => check(context)).toThrowError('set sparkify:enhancedVpcRouting=false');
    expect(check({ ...context, 'sparkify:enhancedVpcRouting': 'false' })).toMatchObject({
      sourceRegion: 'us-east-1',
      enhancedVpcRouting: false,
    });
    expect(check({ ...context, 'sparkify:region': 'us-east-1' })).toMatchObject({ region: 'us-east-1' });
    // Per setting, a bucket in another region is fine: the loader parses its settings this way.
    expect(parseWarehouseConfig(context)).toMatchObject({ sourceRegion: 'us-east-1' });
  });

  it('builds the source URIs from bucket and prefixes', () => {
    expect(sourceUris(DEFAULT_CONFIG)).toEqual({
      events: 's3://udacity-dend/log_data',
      songs: 's3://udacity-dend/song_data',
      jsonpaths: 's3://udacity-dend/log_json_path.json',
    });
  });
});
