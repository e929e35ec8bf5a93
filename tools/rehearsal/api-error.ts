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

/** A required string member; the message names it camel-cased, as AWS does. */
export function requiredString(input: Input, name: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  const value = input[name];
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (value === undefined || value === null) throw constraint(member, value, 'Member must not be null');
  if (typeof value !== 'string') throw new ApiError('SerializationException', `${name} must be a string`, 400);
  if (value.length < 1 || value.length > maxLength) {
    throw constraint(member, value, `Member must have length between 1 and ${maxLength}`);
  }
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('SerializationException', `${name} must be a string`, 400);
  return value;
}

export function optionalInteger(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new ApiError('SerializationException', `${name} must be an integer`, 400);
  if (value < min) throw constraint(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}
