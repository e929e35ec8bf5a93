import type { EvaluationResult } from '@aws-sdk/client-iam';
import type { FakeRole, PolicyStatement } from './fake-account';

/** A context key given to the simulation, e.g. s3:prefix = ['log_data']. */
export type ContextEntries = ReadonlyMap<string, readonly string[]>;

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** IAM's wildcard match: '*' any run, '?' one character; actions case-insensitively. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

const CONDITIONS: Record<string, (patterns: readonly string[], values: readonly string[]) => boolean> = {
  StringEquals: (patterns, values) => values.some((v) => patterns.includes(v)),
  StringLike: (patterns, values) => values.some((v) => patterns.some((p) => wildcard(p, v))),
  StringNotEquals: (patterns, values) => values.every((v) => !patterns.includes(v)),
  StringNotLike: (patterns, values) => values.every((v) => !patterns.some((p) => wildcard(p, v))),
};

/** Whether every condition holds; an operator this simulator does not know never holds (fails closed). */
function conditionsHold(statement: PolicyStatement, context: ContextEntries, missing: Set<string>): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    const test = CONDITIONS[operator];
    if (!test) return false;
    for (const [key, expected] of Object.entries(keys)) {
      const values = context.get(key);
      if (!values) {
        missing.add(key);
        return false;
      }
      // Policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
      // ${aws:userid} and the like take the request's value; an unknown one matches nothing.
      const patterns = list(expected).map((p) => p.replace(/\$\{([^}]+)\}/g, (_m, name: string) => context.get(name)?.[0] ?? '\u0000'));
      if (!test(patterns, values)) return false;
    }
  }
  return true;
}

function matches(statement: PolicyStatement, action: string, resource: string, context: ContextEntries, missing: Set<string>): boolean {
  const actionMatch =
    statement.Action !== undefined
      ? list(statement.Action).some((a) => wildcard(a, action, true))
      : !list(statement.NotAction).some((a) => wildcard(a, action, true));
  // The simulated resource is matched as written: a '*' in it is a literal character.
  const resourceMatch = list(statement.Resource).some((r) => wildcard(r, resource));
  return actionMatch && resourceMatch && conditionsHold(statement, context, missing);
}

/**
 * SimulatePrincipalPolicy for the role's identity policies, as IAM decides: an explicit Deny wins,
 * then any Allow, else implicitDeny. A simplification of IAM (no permissions boundaries, SCPs,
 * resource policies, or managed policies' contents): see docs/rehearsal.md.
 */
export function simulate(role: FakeRole, action: string, resource: string, context: ContextEntries): EvaluationResult {
  const missing = new Set<string>();
  const matched: { policy: string; statement: PolicyStatement }[] = [];
  for (const policy of role.policies) {
    for (const statement of policy.statements) {
      if (matches(statement, action, resource, context, missing)) matched.push({ policy: policy.name, statement });
    }
  }
  const denies = matched.filter((m) => m.statement.Effect === 'Deny');
  const allows = matched.filter((m) => m.statement.Effect === 'Allow');
  const decision = denies.length > 0 ? 'explicitDeny' : allows.length > 0 ? 'allowed' : 'implicitDeny';
  const shown = denies.length > 0 ? denies : allows;
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision,
    MatchedStatements: shown.map((m) => ({ SourcePolicyId: m.policy, SourcePolicyType: 'role' })),
    MissingContextValues: decision === 'allowed' ? [] : [...missing],
  };
}
