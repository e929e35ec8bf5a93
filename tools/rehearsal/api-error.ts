/**
 * An error the way an AWS service answers it: the error's shape name, its message and the HTTP
 * status the service model gives that shape (the SDK picks the error class by name, and retries
 * by status).
 */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
    /** Extra members of the error shape (ResourceNotFoundException has ResourceId). */
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = type;
  }
}

/** The Data API's client errors, with the statuses its model declares. */
export const validation = (message: string) => new ApiError('ValidationException', message, 400);

export const notFound = (id: string) => new ApiError('ResourceNotFoundException', 'Query does not exist.', 404, { ResourceId: id });

/**
 * AWS's standard wording for an input that breaks the model's constraints:
 * "1 validation error detected: Value 'x' at 'id' failed to satisfy constraint: ...".
 */
export function constraint(member: string, value: unknown, rule: string): ApiError {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return validation(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${rule}`);
}

type Input = Readonly<Record<string, unknown>>;

/** A member of the input if given, of the JSON type its shape declares (else the protocol's SerializationException). */
function member<T>(input: Input, name: string, is: (value: unknown) => value is T, what: string): T | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) throw new ApiError('SerializationException', `${name} must be ${what}`, 400);
  return value;
}

/** AWS's messages name a member camel-cased. */
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const isString = (value: unknown): value is string => typeof value === 'string';
const isInteger = (value: unknown): value is number => Number.isInteger(value);

export function optionalString(input: Input, name: string): string | undefined {
  return member(input, name, isString, 'a string');
}

export function requiredString(input: Input, name: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  const value = optionalString(input, name);
  if (value === undefined) throw constraint(camel(name), value, 'Member must not be null');
  if (value.length < 1 || value.length > maxLength)
    throw constraint(camel(name), value, `Member must have length between 1 and ${maxLength}`);
  return value;
}

export function optionalInteger(input: Input, name: string, min: number, max: number): number | undefined {
  const value = member(input, name, isInteger, 'an integer');
  if (value !== undefined && value < min) throw constraint(camel(name), value, `Member must have value greater than or equal to ${min}`);
  if (value !== undefined && value > max) throw constraint(camel(name), value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** A string member that must be one of the model's enum values. */
export function optionalEnum<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(input, name);
  if (value !== undefined && !values.includes(value as T))
    throw constraint(camel(name), value, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return value as T | undefined;
}
