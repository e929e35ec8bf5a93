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
  /**
   * 'offline': Redshift runs it, the twin has no equivalent; 'transaction': Redshift runs it, but not
   * inside the load's one transaction; 'not run offline': a documented function the twin does not
   * run, refused with what to do instead.
   */
  readonly kind?: RefusalKind;
  /** The documentation's own sentence, quoted in the refusal (a transaction-block restriction). */
  readonly doc?: string;
}

export type RefusalKind = 'offline' | 'transaction' | 'not run offline';

/** A refusal before it has a place: a UTF-8 byte offset into the checked text. */
export interface Finding {
  readonly construct: string;
  readonly at: number;
  readonly instead?: string;
  readonly syntax?: boolean;
  readonly kind?: RefusalKind;
  readonly doc?: string;
}

export function formatRefusal(refusal: Refusal): string {
  const where = `${refusal.file}:${refusal.line}:${refusal.column}`;
  if (refusal.syntax) return `${where}: ${refusal.construct} (neither Redshift SQL nor Redshift syntax the gate knows)`;
  const instead = refusal.instead ? `; Redshift offers ${refusal.instead}` : '';
  const doc = refusal.doc ? `Redshift's documentation: "${refusal.doc}"` : '';
  if (refusal.kind === 'offline')
    return `${where}: not supported offline: ${refusal.construct} (Redshift runs it; keep it out of the load plan${doc ? `. ${doc}` : ''})`;
  if (refusal.kind === 'not run offline')
    return `${where}: ${refusal.construct} is Redshift SQL that the offline twin does not run; ${refusal.instead ?? 'keep it out of offline SQL'}`;
  if (refusal.kind === 'transaction') return `${where}: ${refusal.construct} cannot run inside the load's transaction (${doc})${instead}`;
  return `${where}: ${refusal.construct} is not Redshift SQL${instead}`;
}

/** Thrown where SQL must pass the gate before it runs: every refusal, one per line. */
export class RedshiftGateError extends Error {
  constructor(readonly refusals: readonly Refusal[]) {
    // SQL Redshift runs but the twin does not is not "refused by Redshift": say whose limit it is.
    const twinOnly = refusals.length > 0 && refusals.every((refusal) => refusal.kind === 'offline' || refusal.kind === 'not run offline');
    const heading = twinOnly ? 'The offline twin does not run this SQL' : 'Redshift would refuse this SQL';
    super(`${heading}:\n${refusals.map((refusal) => `  ${formatRefusal(refusal)}`).join('\n')}`);
    this.name = 'RedshiftGateError';
  }
}
