import type { CopyJsonFormat } from './copy-command';
import { valueAt, type JsonPathsFile } from './jsonpaths';
import { NumberText, READS_NUMBER_TEXT, numbersToCheck, parseKeepingNumbers } from './number-literal';
import { noshredFields } from './super-noshred';
import type { TargetColumn } from './table-columns';

/** Reads a record's value for each target column, the way the JSON format argument says. */
export interface RecordFields {
  /** What the getters read from, or a reason the record cannot be loaded at all. */
  prepare(record: unknown): unknown;
  readonly getters: readonly ((source: unknown) => unknown)[];
  /**
   * The text column `column`'s number was written as in `record` (the record's JSON text), for a
   * column of READS_NUMBER_TEXT, when it is not a plain integer of up to 15 digits other than -0
   * (which the parsed number says exactly); else undefined. Asked for character columns' numbers,
   * and for BIGINT and DECIMAL columns' numbers of 2^53 or more (see NumberText).
   */
  literal(column: number, record: string): string | undefined;
  /** The text column `column`'s number was written as in `record`, whatever the column: for a load error's raw value. */
  writtenAs(column: number, record: string): string | undefined;
  /** The one getter's value is the record's own JSON text (FORMAT JSON 'noshred', super-noshred.ts). */
  readonly rawRecord?: boolean;
}

/** Returned by prepare() for a record of the wrong shape. */
export class RecordShapeProblem {
  constructor(readonly reason: string) {}
}

export function recordFields(format: CopyJsonFormat, columns: readonly TargetColumn[], jsonPaths: JsonPathsFile | undefined): RecordFields {
  const fields = fieldsOf(format, columns, jsonPaths);
  // The members and elements those columns read, to tell which records need their literals.
  const names = new Set<string>();
  let arrayElements = false;
  columns.forEach((column, i) => {
    if (!READS_NUMBER_TEXT.has(column.baseType)) return;
    if (format.kind === 'jsonpaths') {
      const last = (jsonPaths as JsonPathsFile).paths[i]?.at(-1);
      if (typeof last === 'number') arrayElements = true;
      else if (last !== undefined) names.add(last);
    } else {
      names.add(format.kind === 'auto ignorecase' ? column.name.toLowerCase() : column.name);
    }
  });
  const reads = { names, ignoreCase: format.kind === 'auto ignorecase', arrayElements };
  // The record last asked about (its columns are asked one after another), and its literals.
  let last: string | undefined;
  let check = false;
  let kept: unknown;
  return {
    ...fields,
    literal(column, record) {
      if (record !== last) {
        last = record;
        check = numbersToCheck(record, reads);
        kept = undefined;
      }
      if (!check) return undefined;
      try {
        kept ??= fields.prepare(parseKeepingNumbers(record));
      } catch {
        return undefined; // nested deeper than the parser's stack: keep the parsed number
      }
      const value = (fields.getters[column] as (source: unknown) => unknown)(kept);
      return value instanceof NumberText && (value.text.length > 15 || /[.eE]|^-0$/.test(value.text)) ? value.text : undefined;
    },
    writtenAs(column, record) {
      try {
        const value = (fields.getters[column] as (source: unknown) => unknown)(fields.prepare(parseKeepingNumbers(record)));
        return value instanceof NumberText ? value.text : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function fieldsOf(
  format: CopyJsonFormat,
  columns: readonly TargetColumn[],
  jsonPaths: JsonPathsFile | undefined,
): Omit<RecordFields, 'literal' | 'writtenAs'> {
  if (format.kind === 'noshred') return noshredFields((reason) => new RecordShapeProblem(reason));
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
  return new RecordShapeProblem(`Invalid JSONPath format: Member is not an object. 'auto' loads JSON objects, this record is ${found}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
