import { describe, expect, it } from 'vitest';
import { parseProperties } from '../../lambda/loader/properties';
import { LOADER_USER } from '../../lib/rules/database-identities';
import { properties } from '../../tools/fake-aws';

// Issue 13: the load signs in as the loader, never with the admin secret.
describe('the load properties', () => {
  it('name the database user a cluster load signs in as, and no secret', () => {
    const props = parseProperties(properties());
    expect(props.dbUser).toBe(LOADER_USER);
    expect(props).not.toHaveProperty('secretArn');
  });

  it('refuse a cluster load without DbUser, and a workgroup load with one', () => {
    expect(() => parseProperties(properties({ DbUser: undefined }))).toThrow(
      'DbUser is missing: a cluster load signs in as a database user',
    );
    expect(() => parseProperties(properties({ ClusterIdentifier: undefined, WorkgroupName: 'sparkify', DbUser: LOADER_USER }))).toThrow(
      'DbUser is set for a workgroup: Serverless signs in with the IAM identity, not a database user',
    );
    expect(
      parseProperties(properties({ ClusterIdentifier: undefined, WorkgroupName: 'sparkify', DbUser: undefined })).dbUser,
    ).toBeUndefined();
  });

  it('refuse a DbUser that is no database user name', () => {
    expect(() => parseProperties(properties({ DbUser: 'Loader User' }))).toThrow('DbUser = "Loader User"');
  });

  it('track sources only with TrackSources "true" and a ManifestBucket (the schedule on), naming a bad one', () => {
    expect(parseProperties(properties())).not.toHaveProperty('sourceTracking');
    expect(parseProperties(properties({ TrackSources: 'true', ManifestBucket: 'sparkify-load-files' })).sourceTracking).toEqual({
      manifestBucket: 'sparkify-load-files',
    });
    expect(parseProperties(properties({ TrackSources: 'false', ManifestBucket: 'sparkify-load-files' }))).not.toHaveProperty(
      'sourceTracking',
    );
    expect(() => parseProperties(properties({ TrackSources: 'true' }))).toThrow("ManifestBucket is missing: TrackSources 'true' writes");
    expect(() => parseProperties(properties({ TrackSources: 'yes' }))).toThrow(`TrackSources = "yes": expected 'true' or 'false'`);
    expect(() => parseProperties(properties({ TrackSources: 'true', ManifestBucket: 's3://b' }))).toThrow('ManifestBucket = "s3://b"');
  });
});
