import { PLACEHOLDER } from '../lib/plan/bind';
import { buildLoadPlan, type PlanSettings, type PlanStep } from '../lib/plan/load-plan';
import type { SqlFiles } from '../lib/plan/sql-files';
import { OFFLINE_ROLE_ARN, offlineLoadMode } from '../local/offline-executor';

/** The gates `sparkify test` runs, and those it cannot run on a warehouse between loads, with why. */
export interface StandingGates {
  readonly run: readonly PlanStep[];
  readonly skipped: readonly { readonly step: PlanStep; readonly why: string }[];
}

/**
 * The quality gates of the load plan (lib/plan/load-plan.ts builds them: sql/gates/manifest.json
 * with the templates of sql/gates/generic/, and the gates written by hand), for the warehouse as it
 * stands: a full load's, which read whole tables (an incremental load's generated gates read only
 * the staged window), and the gates only an incremental load runs (sql/gates/incremental/), which
 * hold of any warehouse. A gate whose SQL names the load (`{{ load_id }}`) checks the load while it
 * runs, against its own load_history row: between loads there is none, so it is skipped, said so.
 */
export function standingGates(files: SqlFiles, settings: PlanSettings, heldLoadId: string): StandingGates {
  const gatesOf = (kind: 'full' | 'incremental') =>
    buildLoadPlan(files, {
      settings,
      roleArn: OFFLINE_ROLE_ARN,
      loadId: heldLoadId,
      mode: offlineLoadMode(heldLoadId, kind === 'full' ? { kind: 'full', reason: '' } : { kind: 'incremental', newEvents: [] }),
    }).steps.filter((step) => step.kind === 'gate');
  const full = gatesOf('full');
  const gates = [...full, ...gatesOf('incremental').filter((gate) => !full.some((other) => other.name === gate.name))].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const run: PlanStep[] = [];
  const skipped: { step: PlanStep; why: string }[] = [];
  for (const step of gates) {
    if (namesTheLoad(files.get(step.file))) {
      skipped.push({ step, why: `it checks a load while it runs (its SQL names the load: sql/${step.file}); the next load runs it` });
    } else run.push(step);
  }
  return { run, skipped };
}

function namesTheLoad(template: string | undefined): boolean {
  return [...(template ?? '').matchAll(PLACEHOLDER)].some((match) => match[1] === 'load_id');
}
