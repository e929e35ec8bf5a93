/** The jsonpaths file Redshift's COPY uses to map the camelCase log keys by position. */

/** The 18 log fields, in the real file's order (also the key order of every log object). */
export const LOG_FIELDS = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'itemInSession',
  'lastName',
  'length',
  'level',
  'location',
  'method',
  'page',
  'registration',
  'sessionId',
  'song',
  'status',
  'ts',
  'userAgent',
  'userId',
] as const;

/** Byte-for-byte the real file's layout: 4-space indent, no trailing newline. */
export function jsonPathsText(): string {
  const paths = LOG_FIELDS.map((field) => `        "$['${field}']"`).join(',\n');
  return `{\n    "jsonpaths": [\n${paths}\n    ]\n}`;
}
