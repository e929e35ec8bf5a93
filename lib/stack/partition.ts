/**
 * The ARN partition of a region, as a literal: ARNs built from it stay plain strings in the
 * template, which the S3 policy tests and the cdk-nag acknowledgements can name exactly.
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
