import type { LoadPlan, PlanStep } from '../../lib/plan/load-plan';
import type { SqlFiles } from '../../lib/plan/sql-files';
import { checkRedshiftSql } from './gate';
import type { Refusal } from './refusal';

/**
 * The gate over every statement of a load plan. A step from a file of sql/ is checked as the file
 * is written (placeholders masked), so a refusal's line and column are the file's; a gate
 * generated from the manifest is checked as generated. Returns the first refused step and every
 * refusal of the plan, or undefined when Redshift runs all of it.
 */
export function checkPlan(files: SqlFiles, plan: LoadPlan): { readonly step: PlanStep; readonly refusals: Refusal[] } | undefined {
  const seen = new Set<string>();
  const refusals: Refusal[] = [];
  let first: PlanStep | undefined;
  for (const step of plan.steps) {
    const template = step.file.endsWith('.sql') ? files.get(step.file) : undefined;
    const key = template === undefined ? `${step.file}#${step.name}` : step.file;
    if (seen.has(key)) continue;
    seen.add(key);
    const found =
      template === undefined
        ? checkRedshiftSql(step.sql, `sql/${step.file} (${step.name}, as generated)`)
        : checkRedshiftSql(template, `sql/${step.file}`);
    if (found.length > 0) first ??= step;
    refusals.push(...found);
  }
  return first ? { step: first, refusals } : undefined;
}
