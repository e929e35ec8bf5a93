import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CfnOutput } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { createWarehouseApp } from '../../lib/app/warehouse-app';
import type { ProvisionedWarehouse } from '../../lib/warehouse/provisioned-warehouse';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes with CDK's built-in CloudFormation validation on (as `cdk synth` runs it) and returns its findings. */
function cloudFormationFindings(context: Record<string, unknown>, tamper?: (app: ReturnType<typeof createWarehouseApp>) => void): string[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'sparkify-cfn-'));
  dirs.push(outdir);
  const built = createWarehouseApp({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    outdir,
    builtinCloudFormationValidation: true,
  });
  tamper?.(built);
  Template.fromStack(built.stack);
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations?: { ruleName: string; description: string }[] }[];
  };
  return report.pluginReports.flatMap((r) => (r.violations ?? []).map((v) => `${r.pluginName} ${v.ruleName}: ${v.description}`));
}

// Catches what cdk-nag does not look at: e.g. a GetAtt CloudFormation would refuse at deploy time.
describe("CDK's built-in CloudFormation validation", () => {
  it.each([
    ['provisioned', {}],
    ['serverless', { 'sparkify:compute': 'serverless' }],
  ])('finds nothing in the %s template', (_name, context) => {
    expect(cloudFormationFindings(context)).toEqual([]);
  });

  it('does find an attribute CloudFormation does not have (the check is live)', () => {
    const findings = cloudFormationFindings({}, ({ stack }) => {
      new CfnOutput(stack, 'Bogus', { value: (stack.warehouse as ProvisionedWarehouse).cluster.getAtt('NoSuchAttribute').toString() });
    });
    expect(findings.join('\n')).toContain('NoSuchAttribute');
  });
});
