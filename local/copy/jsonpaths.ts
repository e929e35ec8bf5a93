import { readFileSync } from 'node:fs';
import { CopySetupError } from './copy-setup-error';
import { fsReason, type LocalBuckets, type S3Object } from './s3-source';

/** One step of a JSONPath: an object member name or an array index. */
export type PathStep = string | number;

export interface JsonPathsFile {
  readonly uri: string;
  readonly expressions: readonly string[];
  readonly paths: readonly (readonly PathStep[])[];
}

/**
 * What a jsonpaths file that is not one asks for: Redshift's COPY from JSON format page says a
 * JSONPaths file is "a single JSON object with the name "jsonpaths" paired with an array of JSONPath
 * expressions. If the name is any string other than "jsonpaths", COPY uses the 'auto' argument
 * instead of using the JSONPaths file."
 * https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html
 */
export interface AutoInstead {
  readonly uri: string;
  /** The object's one name, which is not "jsonpaths". */
  readonly name: string;
}

/**
 * Loads a jsonpaths file: one JSON object {"jsonpaths": ["$['a']", "$.b[0]", ...]}. Redshift's
 * JSONPath is explicit paths only: bracket or dot member names and array indexes, no wildcards.
 * An object whose one name is not "jsonpaths" gives AutoInstead (see there); any other shape is
 * an error, since Redshift documents nothing for it.
 */
export async function loadJsonPaths(uri: string, buckets: LocalBuckets, table: string): Promise<JsonPathsFile | AutoInstead> {
  const object = await buckets.object(uri);
  if (!object) {
    const { folder, location } = buckets.folder(uri);
    throw new CopySetupError(
      `COPY ${table}: the jsonpaths file ${uri} does not exist (looked for '${location.key}' in ${folder}). ` +
        'Put the file there or fix the URI after FORMAT AS JSON.',
    );
  }
  const text = readObject(object, table).replace(/^\uFEFF/, '');
  const fix = `Fix ${uri}: it must hold one object {"jsonpaths": ["$['key']", ...]}, one path per column.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CopySetupError(`COPY ${table}: the jsonpaths file ${uri} is not valid JSON (${(error as Error).message}). ${fix}`);
  }
  const names = isObject(parsed) ? Object.keys(parsed) : [];
  if (names.length === 1 && names[0] !== 'jsonpaths') return { uri: object.uri, name: names[0] as string };
  const list = isObject(parsed) && Object.hasOwn(parsed, 'jsonpaths') ? parsed['jsonpaths'] : undefined;
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string')) {
    throw new CopySetupError(`COPY ${table}: the jsonpaths file ${uri} has no "jsonpaths" array of strings. ${fix}`);
  }
  const paths = list.map((expression, index) => {
    try {
      return compileJsonPath(expression);
    } catch (error) {
      throw new CopySetupError(
        `COPY ${table}: Invalid JSONPath format in ${uri}, entry ${index + 1} "${expression}": ${(error as Error).message}. ` +
          "Use $['name'], $.name or $['a'][0].",
      );
    }
  });
  return { uri: object.uri, expressions: list, paths };
}

export function isAutoInstead(file: JsonPathsFile | AutoInstead): file is AutoInstead {
  return 'name' in file;
}

function readObject(object: S3Object, table: string): string {
  try {
    return readFileSync(object.path, 'utf8');
  } catch (error) {
    throw new CopySetupError(`COPY ${table}: cannot read the jsonpaths file ${object.uri} (${object.path}): ${fsReason(error)}`);
  }
}

/** Parses `$['a']["b"].c[0]` into ['a', 'b', 'c', 0]; throws with the reason when it cannot. */
export function compileJsonPath(expression: string): PathStep[] {
  const text = expression.trim();
  if (!text.startsWith('$')) throw new Error('a path starts with $');
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const match = /^[^.[\]'"*\s]+/.exec(text.slice(i + 1));
      if (!match) throw new Error(`expected a member name after '.' at position ${i + 1}`);
      steps.push(match[0]);
      i += 1 + match[0].length;
    } else if (c === '[') {
      const quote = text[i + 1];
      if (quote === "'" || quote === '"') {
        const end = closingQuote(text, i + 2, quote);
        steps.push(text.slice(i + 2, end).replace(/\\(.)/g, '$1'));
        i = end + 1;
      } else {
        const match = /^\d+/.exec(text.slice(i + 1));
        if (!match) throw new Error(`expected a quoted name or an array index after '[' at position ${i + 1}`);
        steps.push(Number(match[0]));
        i += 1 + match[0].length;
      }
      if (text[i] !== ']') throw new Error(`expected ']' at position ${i + 1}`);
      i += 1;
    } else {
      throw new Error(`unexpected '${c}' at position ${i + 1}`);
    }
  }
  if (steps.length === 0) throw new Error('the path names no element');
  return steps;
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  throw new Error(`unterminated ${quote} in a bracket`);
}

/** The value at `path`, or undefined when any step is missing (COPY then loads NULL). */
export function valueAt(record: unknown, path: readonly PathStep[]): unknown {
  let value = record;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (!isObject(value) || !Object.hasOwn(value, step)) return undefined;
      value = value[step];
    }
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
