/**
 * Checks a JSON body, as it travels, against a shape of the SDK's own service model (the static
 * schemas every @aws-sdk client ships): member names, member types, required members, unions with
 * exactly one member. Returns every problem as 'path: what is wrong'.
 */
type Ref = unknown;

const LIST = 0b0100_0000;
const MAP = 0b1000_0000;

function deref(ref: Ref): unknown {
  let schema = typeof ref === 'function' ? (ref as () => unknown)() : ref;
  // A member given as [schema, traits].
  while (Array.isArray(schema) && schema.length === 2)
    schema = typeof schema[0] === 'function' ? (schema[0] as () => unknown)() : schema[0];
  return schema;
}

function simple(id: number, value: unknown, at: string, problems: string[]): void {
  if (id & LIST) {
    if (!Array.isArray(value)) problems.push(`${at}: expected a list`);
    else value.forEach((item, i) => simple(id & ~LIST, item, `${at}[${i}]`, problems));
    return;
  }
  if (id & MAP) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push(`${at}: expected a map`);
    else for (const [key, item] of Object.entries(value)) simple(id & ~MAP, item, `${at}.${key}`, problems);
    return;
  }
  const expected: Record<number, string> = {
    0: 'string',
    1: 'number',
    2: 'boolean',
    4: 'number',
    5: 'string',
    6: 'string',
    7: 'number',
    21: 'string',
  };
  const type = expected[id];
  if (type === undefined) return; // documents and big numbers: anything goes
  if (typeof value !== type) problems.push(`${at}: expected a ${type} (schema ${id}), got ${JSON.stringify(value)}`);
}

export function validateShape(ref: Ref, value: unknown, at = '$', problems: string[] = []): string[] {
  const schema = deref(ref);
  if (typeof schema === 'number') {
    simple(schema, value, at, problems);
    return problems;
  }
  if (!Array.isArray(schema)) return problems;
  const kind = schema[0] as number;
  if (kind === 1) {
    if (!Array.isArray(value)) problems.push(`${at}: expected a list`);
    else value.forEach((item, i) => validateShape(schema[4], item, `${at}[${i}]`, problems));
    return problems;
  }
  if (kind === 2) {
    if (typeof value !== 'object' || value === null) problems.push(`${at}: expected a map`);
    else for (const [key, item] of Object.entries(value)) validateShape(schema[5], item, `${at}.${key}`, problems);
    return problems;
  }
  if (kind === 3 || kind === -3 || kind === 4) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${at}: expected a structure ${String(schema[2])}`);
      return problems;
    }
    const names = schema[4] as string[];
    const members = schema[5] as Ref[];
    const given = Object.keys(value);
    for (const key of given) {
      const index = names.indexOf(key);
      if (index < 0) problems.push(`${at}.${key}: not a member of ${String(schema[2])} (members: ${names.join(', ')})`);
      else validateShape(members[index], (value as Record<string, unknown>)[key], `${at}.${key}`, problems);
    }
    if (kind === 4 && given.length !== 1)
      problems.push(`${at}: the union ${String(schema[2])} must carry exactly one member, has ${given.join(', ') || 'none'}`);
    const required = kind === 4 ? 0 : ((schema[6] as number | undefined) ?? 0);
    for (const name of names.slice(0, required))
      if (!(name in value)) problems.push(`${at}.${name}: required by ${String(schema[2])}, missing`);
  }
  return problems;
}

/** A static schema as the SDK ships it: [kind, namespace, name, traits, ...]. */
type Shape = readonly unknown[];

/** The output shape of an operation schema (`ExecuteStatement$`). */
export function outputOf(operation: Shape): Shape {
  return deref(operation[5]) as Shape;
}

/** The member names of a structure or error shape. */
export function memberNames(shape: Shape): readonly string[] {
  return shape[4] as string[];
}

/** The HTTP status an error shape declares (its httpError trait). */
export function httpStatusOf(shape: Shape): number | undefined {
  const traits = shape[3] as unknown;
  return typeof traits === 'object' && traits !== null ? ((traits as Record<string, unknown>).httpError as number | undefined) : undefined;
}
