/**
 * A COPY that cannot start: unknown bucket, no file under the prefix, a missing or wrong jsonpaths
 * file, a missing table or column. Unlike rejected records, MAXERROR never covers these.
 */
export class CopySetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopySetupError';
  }
}
