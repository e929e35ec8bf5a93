import type { TextRule } from './text-rule';

/** How many hex digits of the plan's SHA-256 name it: enough to tell plans apart, short in outputs. */
export const FINGERPRINT_HEX_DIGITS = 16;

/** The plan fingerprint, as the stack computes it and the Lambda receives it. */
export const FINGERPRINT: TextRule = {
  pattern: new RegExp(`^[0-9a-f]{${FINGERPRINT_HEX_DIGITS}}$`),
  expected: `planFingerprint's ${FINGERPRINT_HEX_DIGITS} hex digits`,
};
