/**
 * Redshift's JSON COPY, emulated on PostgreSQL. parseCopy reads the statement; runCopy lists the
 * files under the S3 prefix, or those a MANIFEST lists (manifest), in a local folder (s3-source),
 * splits them into records (json-records), maps them to columns (record-fields) and converts
 * each field as Redshift would (column-converter), rejecting what Redshift rejects (record-loader,
 * load-error). Rows go to a sink (open-row-sink): a binary COPY FROM STDIN sent in chunks between
 * files (PGlite) or streamed (a server), rolled back to a savepoint if the COPY fails.
 */
export { parseCopy, type CopyCommand, type CopyJsonFormat, type CopyTimeFormat } from './copy-command';
export { CopySyntaxError } from './copy-syntax-error';
export { CopySetupError } from './copy-setup-error';
export { CopyError, formatLoadError, LoadErrorCode, type LoadErrorRow } from './load-error';
export { runCopy, type CopyFileProgress, type CopyResult, type CopyRunOptions } from './copy-runner';
export type { InsertMode } from './open-row-sink';
