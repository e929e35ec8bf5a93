import type { InvocationRecord } from './lambda-service';

/** A Powertools JSON log line of the loader. */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [attribute: string]: unknown;
}

export function logLines(invocation: InvocationRecord): LogLine[] {
  return invocation.logs.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const parsed = JSON.parse(line) as Partial<LogLine>;
      return typeof parsed.level === 'string' && typeof parsed.message === 'string' ? [parsed as LogLine] : [];
    } catch {
      return [];
    }
  });
}

/** "history · preflight · submit" for one invocation, warnings and errors spelled out. */
export function describeInvocation(invocation: InvocationRecord): string {
  const lines = logLines(invocation);
  const phases = lines.filter((line) => line.level === 'INFO').map((line) => line.message);
  const counted = phases.reduce<string[]>((out, phase) => {
    const last = out[out.length - 1];
    const match = last ? /^(.*?)(?: ×(\d+))?$/.exec(last) : null;
    if (match && match[1] === phase) out[out.length - 1] = `${phase} ×${Number(match[2] ?? 1) + 1}`;
    else out.push(phase);
    return out;
  }, []);
  const problems = lines
    .filter((line) => line.level !== 'INFO')
    .map((line) => `${line.level} ${line.message}${typeof line.note === 'string' ? `: ${line.note}` : ''}`);
  const error = invocation.error ? [`threw ${invocation.error.errorType}`] : [];
  return [...counted, ...problems, ...error].join(' · ') || 'done, nothing logged';
}
