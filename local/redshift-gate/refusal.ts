/** One construct Redshift does not run, where it is, and what Redshift offers instead. */
export interface Refusal {
  readonly file: string;
  /** 1-based, in the file as written (placeholders unbound). */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
  readonly construct: string;
  readonly instead?: string;
  /** Set when the text does not parse at all (Redshift syntax the gate does not know yet included). */
  readonly syntax?: boolean;
}

/** A refusal before it has a place: a UTF-8 byte offset into the checked text. */
export interface Finding {
  readonly construct: string;
  readonly at: number;
  readonly instead?: string;
  readonly syntax?: boolean;
}

export function formatRefusal(refusal: Refusal): string {
  const where = `${refusal.file}:${refusal.line}:${refusal.column}`;
  if (refusal.syntax) return `${where}: ${refusal.construct} (neither Redshift SQL nor Redshift syntax the gate knows)`;
  const instead = refusal.instead ? `; Redshift offers ${refusal.instead}` : '';
  return `${where}: ${refusal.construct} is not Redshift SQL${instead}`;
}

/** Thrown where SQL must pass the gate before it runs: every refusal, one per line. */
export class RedshiftGateError extends Error {
  constructor(readonly refusals: readonly Refusal[]) {
    super(`Redshift would refuse this SQL:\n${refusals.map((refusal) => `  ${formatRefusal(refusal)}`).join('\n')}`);
    this.name = 'RedshiftGateError';
  }
}
