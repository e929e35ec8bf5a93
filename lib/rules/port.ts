/** The ports RA3 clusters and Redshift Serverless accept. */
export const REDSHIFT_PORT_RANGES: readonly (readonly [number, number])[] = [
  [5431, 5455],
  [8191, 8215],
];

/** Redshift's default port: the first one scanners try, so it is refused. */
export const DEFAULT_REDSHIFT_PORT = 5439;

export function isRedshiftPort(port: number): boolean {
  return Number.isInteger(port) && REDSHIFT_PORT_RANGES.some(([low, high]) => port >= low && port <= high);
}

/** The refusal of a port, or undefined for one Redshift accepts that is not the default. */
export function portProblem(port: number): string | undefined {
  if (port === DEFAULT_REDSHIFT_PORT) return `${DEFAULT_REDSHIFT_PORT} is the well-known default: choose another port, e.g. 5441`;
  if (isRedshiftPort(port)) return undefined;
  const ranges = REDSHIFT_PORT_RANGES.map(([low, high]) => `from ${low} to ${high}`).join(' or ');
  return `use a port ${ranges} (the ranges RA3 clusters and Redshift Serverless accept), e.g. 5441`;
}
