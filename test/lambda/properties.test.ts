import { describe, expect, it } from 'vitest';
import { parseProperties } from '../../lambda/loader/properties';
import { properties } from '../../tools/fake-aws';

describe('the load properties', () => {
  // Found by the deploy rehearsal: a cluster's ManageMasterPassword secret is 'redshift!<cluster>-<user>-XXXXXX'.
  it("accept the admin secret Redshift manages for a cluster, whose name has a '!'", () => {
    const arn = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:redshift!sparkify-warehouse-sparkify_admin-AbCdEf';
    expect(parseProperties(properties({ SecretArn: arn })).secretArn).toBe(arn);
  });

  it('still refuse what is no secret ARN', () => {
    expect(() => parseProperties(properties({ SecretArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:a b' }))).toThrow(
      'SecretArn',
    );
  });
});
