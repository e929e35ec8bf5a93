/** Raised for a plan that cannot be built: names the SQL file, the line and the fix. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** A `{{ name }}` in a SQL template. */
export const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/**
 * Replaces every `{{ name }}` in a SQL template. Values are pasted as they are: the Data API's
 * BatchExecuteStatement takes no parameters, so every value is validated before it gets here
 * (see PlanInput) or escaped with sqlString.
 */
export function bindTemplate(file: string, template: string, values: Readonly<Record<string, string>>): string {
  const bound = template.replace(PLACEHOLDER, (match, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) {
      const line = template.slice(0, offset).split('\n').length;
      throw new PlanError(
        `sql/${file}:${line}: unknown parameter ${match}; the plan binds ${Object.keys(values)
          .map((k) => `{{ ${k} }}`)
          .join(', ')}`,
      );
    }
    return value;
  });
  return trimStatement(bound);
}

/** Drops the trailing semicolon and blank space, so a statement can be batched or wrapped. */
export function trimStatement(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').trimEnd();
}

/** A double-quoted SQL identifier: 'a"b' -> '"a""b"'. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The body of a single-quoted SQL string literal: quotes doubled, backslashes neutralised. */
export function sqlString(value: string): string {
  return value.replace(/\\/g, '/').replace(/'/g, "''");
}
