import { readFileSync } from 'node:fs';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createWarehouseApp, type WarehouseApp } from '../../lib/app/warehouse-app';
import { PROJECT_ROOT } from '../../lib/config/project-config';

/** A fixed synth time, so the per-synth load id is known to the tests. */
export const SYNTH_TIME = new Date('2025-01-02T03:04:05.678Z');
export const SYNTH_LOAD_ID = SYNTH_TIME.toISOString();

export interface SynthResult extends WarehouseApp {
  readonly template: Template;
}

const cache = new Map<string, SynthResult>();

/**
 * cdk.json's feature flags, as the CDK CLI hands them to the app: the tests synthesize the template
 * `cdk deploy` would (partition literals, minimized policies, ...).
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(`${PROJECT_ROOT}cdk.json`, 'utf8')) as { context: Record<string, unknown> }).context).filter(
    ([key]) => key.startsWith('@aws-cdk'),
  ),
);

/**
 * The app as `cdk synth` builds it (configuration, stack, cdk-nag) with the given context, the
 * Lambda bundling skipped (only the bundling test bundles). Template.fromStack synthesizes the
 * app, which runs cdk-nag: an unacknowledged finding throws here.
 */
export function synthWarehouse(
  context: Record<string, unknown> = {},
  options: { account?: string; outdir?: string; cloudFormationValidation?: boolean } = {},
): SynthResult {
  const key = JSON.stringify([context, options]);
  const cached = cache.get(key);
  if (cached) return cached;
  const built = createWarehouseApp({
    context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...context },
    synthTime: SYNTH_TIME,
    account: options.account,
    outdir: options.outdir,
    // Seconds per synth; its own test (cloudformation-validation.test.ts) runs it.
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const result = { ...built, template: Template.fromStack(built.stack) };
  cache.set(key, result);
  return result;
}

/** Every resource of a type, as [logicalId, resource] pairs. */
export function resourcesOf(
  template: Template,
  type: string,
): [string, { Properties?: Record<string, unknown>; DependsOn?: string[]; DeletionPolicy?: string }][] {
  return Object.entries(template.findResources(type));
}

/** The one resource of a type (fails when there is not exactly one). */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; Properties: Record<string, unknown>; DependsOn?: string[]; DeletionPolicy?: string } {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, Properties: resource.Properties ?? {}, DependsOn: resource.DependsOn, DeletionPolicy: resource.DeletionPolicy };
}

/** Every AwsSolutions rule acknowledged in the construct tree, as 'construct path: rule id', with its reason. */
export function acknowledgedNagRules(root: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (construct: IConstruct): void => {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(/^annotation::/i, '');
        if (rule.startsWith('AwsSolutions-')) found.set(`${construct.node.path}: ${rule}`, reason);
      }
    }
    construct.node.children.forEach(visit);
  };
  visit(root);
  return found;
}
