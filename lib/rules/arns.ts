import type { TextRule } from './text-rule';

/** The role COPY assumes; pasted into the COPY statement's IAM_ROLE literal, so no quote may pass. */
export const ROLE_ARN: TextRule = {
  pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
  expected: 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
};

/** The admin secret; '!' too: the secret Redshift manages for a cluster is named 'redshift!<cluster>-<admin user>'. */
export const SECRET_ARN: TextRule = {
  pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@!-]+$/,
  expected: 'a Secrets Manager secret ARN',
};
