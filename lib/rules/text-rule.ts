/**
 * A rule a name or value must follow, with the words that say what it must be. Every surface that
 * takes the value (CDK context, construct props, the Lambda's properties, the CLI) checks the same
 * pattern and says the same thing, so a value refused in one place is refused everywhere alike.
 */
export interface TextRule {
  readonly pattern: RegExp;
  /** What a valid value is, as words that follow "use" or "expected": '1-128 letters, digits or . _ : -'. */
  readonly expected: string;
}

export function follows(rule: TextRule, value: unknown): value is string {
  return typeof value === 'string' && rule.pattern.test(value);
}

/** The message for a refused value: `loadId = "a b": use 1-128 letters, digits or . _ : -`. */
export function refusal(name: string, value: unknown, rule: TextRule): string {
  return `${name} = ${JSON.stringify(value)}: use ${rule.expected}`;
}
