import type { CopyJsonFormat } from './copy-command';
import { valueAt, type JsonPathsFile } from './jsonpaths';
import type { TargetColumn } from './table-columns';

/** Reads a record's value for each target column, the way the JSON format argument says. */
export interface RecordFields {
  /** What the getters read from, or a reason the record cannot be loaded at all. */
  prepare(record: unknown): unknown;
  readonly getters: readonly ((source: unknown) => unknown)[];
}

/** Returned by prepare() for a record of the wrong shape. */
export class RecordShapeProblem {
  constructor(readonly reason: string) {}
}

export function recordFields(
  format: CopyJsonFormat,
  columns: readonly TargetColumn[],
  jsonPaths: JsonPathsFile | undefined,
): RecordFields {
  if (format.kind === 'jsonpaths') {
    const paths = (jsonPaths as JsonPathsFile).paths;
    return {
      prepare: (record) => record,
      getters: paths.map((path) => {
        const [only] = path;
        // The common case, $['key']: one member read instead of a walk.
        if (path.length === 1 && typeof only === 'string') {
          const read = memberGetter(only);
          return (record: unknown) => (isPlainObject(record) ? read(record) : undefined);
        }
        return (record: unknown) => valueAt(record, path);
      }),
    };
  }
  if (format.kind === 'auto') {
    return {
      prepare: (record) => (isPlainObject(record) ? record : notAnObject(record)),
      // Case-sensitive: key 'firstName' does not fill column 'firstname'.
      getters: columns.map(({ name }) => memberGetter(name)),
    };
  }
  return {
    prepare: (record) => (isPlainObject(record) ? lowerCaseKeys(record) : notAnObject(record)),
    getters: columns.map(({ name }) => {
      const key = name.toLowerCase();
      return (record: unknown) => (record as Record<string, unknown>)[key];
    }),
  };
}

/** Reads an own member only: a column named 'constructor' must not find Object.prototype's. */
function memberGetter(key: string): (record: unknown) => unknown {
  if (key in Object.prototype) {
    return (record) => (Object.hasOwn(record as object, key) ? (record as Record<string, unknown>)[key] : undefined);
  }
  return (record) => (record as Record<string, unknown>)[key];
}

/** For 'auto ignorecase': the first key of each spelling wins. */
function lowerCaseKeys(record: Record<string, unknown>): Record<string, unknown> {
  const lowered: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const lower = key.toLowerCase();
    if (!(lower in lowered)) lowered[lower] = record[key];
  }
  return lowered;
}

function notAnObject(record: unknown): RecordShapeProblem {
  const found = Array.isArray(record) ? 'an array' : typeof record;
  return new RecordShapeProblem(
    `Invalid JSONPath format: Member is not an object. 'auto' loads JSON objects, this record is ${found}`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
