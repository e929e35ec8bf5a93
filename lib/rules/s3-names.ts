import type { TextRule } from './text-rule';

// The source's names end up in COPY's string literals, the role's policy ARNs and conditions and
// the VPC endpoint's policy: S3's own safe characters, and never a quote. Never * or ? either:
// COPY reads them as characters of the key, IAM as wildcards (a prefix of '*' would let the role
// read the whole bucket), and never $ { }: IAM reads ${...} as a policy variable
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).

/** S3's bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export const BUCKET_NAME: TextRule = {
  pattern: /^(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  expected: 'an S3 bucket name only (lower case, no s3:// and no key), e.g. udacity-dend',
};

/** A key prefix; like COPY, a prefix matches every key that starts with it. */
export const KEY_PREFIX: TextRule = {
  pattern: /^(?!\/)[A-Za-z0-9!_.()\-/]{1,512}$/,
  expected:
    'an S3 key prefix of letters, digits and ! _ . ( ) - /, without a leading slash or s3:// (e.g. log_data); ' +
    'no * or ?, which IAM reads as wildcards and COPY as characters of the key',
};

export const JSONPATHS_KEY: TextRule = {
  pattern: /^(?!\/)[A-Za-z0-9!_.()\-/]{1,1019}\.json$/,
  expected:
    'the S3 key of the jsonpaths file, of letters, digits and ! _ . ( ) - /, without a leading slash (e.g. log_json_path.json); ' +
    'no * or ?, which IAM reads as wildcards',
};

/**
 * Where a load's files go in the stack's LoadManifests bucket: `loads/<load_id>/events.manifest`
 * and `loads/<load_id>/files.jsonl` (the loader writes them, COPY reads them).
 */
export const LOAD_FILES_PREFIX = 'loads/';

/**
 * Objects in the order S3 lists them: ascending UTF-8 bytes of the key
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), each key encoded once,
 * not once per comparison.
 */
export function inKeyOrder<T extends { readonly key: string }>(objects: readonly T[]): T[] {
  return objects
    .map((object) => ({ object, bytes: Buffer.from(object.key) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ object }) => object);
}
