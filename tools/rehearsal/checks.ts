/** One expectation of a phase: what was expected, whether it held, and what was seen when not. */
export interface Check {
  readonly text: string;
  readonly ok: boolean;
  readonly seen?: string;
}

export class Checks {
  readonly items: Check[] = [];

  that(text: string, ok: boolean, seen?: string): boolean {
    this.items.push({ text, ok, ...(ok || seen === undefined ? {} : { seen }) });
    return ok;
  }

  equal<T>(text: string, actual: T, expected: T): boolean {
    const ok = JSON.stringify(actual) === JSON.stringify(expected);
    return this.that(text, ok, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }

  get ok(): boolean {
    return this.items.every((item) => item.ok);
  }
}
