import type { TextRule } from './text-rule';

/** A table or column name pasted into generated SQL unquoted: lower case, so it needs no quoting. */
export const SQL_IDENTIFIER: TextRule = {
  pattern: /^[a-z_][a-z0-9_]{0,126}$/,
  expected: 'a lower-case table or column name (letters, digits and underscores)',
};
