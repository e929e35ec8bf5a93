import type { LoadReporter, StepOutcome } from '../local/offline-executor';
import type { PlanStep } from '../lib/plan/load-plan';
import { FULL_AS_ASKED, type LoadDecision } from '../lib/plan/source-diff';

/** Prints one line per step with its time and rows, and COPY progress every few files. */
export class ConsoleReporter implements LoadReporter {
  private filesSeen = 0;
  private recordsSeen = 0;
  private lastProgress = 0;

  constructor(private readonly print: (line: string) => void) {}

  decided(decision: LoadDecision, listing: { readonly objects: number; readonly ms: number }): void {
    this.print(`  source  ${listing.objects} objects listed in ${listing.ms.toFixed(0)} ms`);
    this.print(`  mode    ${describeDecision(decision)}`);
  }

  planned(steps: readonly PlanStep[], unchanged: readonly string[]): void {
    const skipped = unchanged.length > 0 ? ` (${unchanged.length} tables present and unchanged: not created again)` : '';
    this.print(`  steps   ${steps.length}, one transaction${skipped}`);
  }

  stepStarted(step: PlanStep): void {
    if (step.kind === 'staging') {
      this.filesSeen = 0;
      this.recordsSeen = 0;
      this.lastProgress = performance.now();
    }
  }

  copyFile(step: PlanStep, progress: { readonly uri: string; readonly records: number }): void {
    this.filesSeen += 1;
    this.recordsSeen += progress.records;
    // A line a second at most: the real bucket has ~15k song files.
    if (performance.now() - this.lastProgress >= 1000) {
      this.lastProgress = performance.now();
      this.print(`  …       ${step.name}: ${this.filesSeen} files, ${this.recordsSeen} records read, at ${progress.uri}`);
    }
  }

  stepFinished(outcome: StepOutcome): void {
    const time = `${outcome.ms.toFixed(0)} ms`.padStart(8);
    const what: string[] = [];
    if (outcome.files !== undefined) what.push(`${outcome.files} files`);
    if (outcome.step.kind === 'gate') what.push('pass');
    else if (outcome.rows !== undefined) what.push(`${outcome.rows} rows`);
    if (outcome.rejected?.length) what.push(`${outcome.rejected.length} rejected (within MAXERROR)`);
    this.print(`  ${time}  ${outcome.step.name.padEnd(40)} ${what.join(', ')}`.trimEnd());
  }
}

/** The load's mode in one line: why full, which new files, or nothing new. */
export function describeDecision(decision: LoadDecision): string {
  switch (decision.kind) {
    case 'full':
      return decision === FULL_AS_ASKED ? 'full' : `full: ${decision.reason}`;
    case 'nothing-new':
      return 'incremental: nothing new (no log file that a committed load has not read)';
    case 'incremental': {
      const keys = decision.newEvents.map((object) => object.key);
      const shown = keys.length > 3 ? `${keys.slice(0, 3).join(', ')}, … ${keys.length - 3} more` : keys.join(', ');
      return `incremental: ${keys.length} new log file${keys.length === 1 ? '' : 's'} (${shown})`;
    }
  }
}
