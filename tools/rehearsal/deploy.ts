import type { CustomResourceRequest, CustomResourceResponse } from './cloudformation';
import { resolve, type StackContext } from './intrinsics';
import type { InvocationRecord } from './lambda-service';
import type { LocalAws } from './local-aws';
import type { CallRecord } from './server';
import type { Statement } from './statements';

/** The load custom resource of a synthesized template, resolved as CloudFormation would send it. */
export interface LoadResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The bootstrap custom resource (Custom::SparkifyBootstrap): it creates the database roles and users the load signs in as. */
export function bootstrapResource(context: StackContext): LoadResource {
  const found = Object.entries(context.template.Resources).filter(([, resource]) => resource.Type === 'Custom::SparkifyBootstrap');
  if (found.length !== 1) throw new Error(`expected one Custom::SparkifyBootstrap resource in the template, found ${found.length}`);
  const [logicalId, resource] = found[0] as [string, { Type: string; Properties?: Record<string, unknown> }];
  return { logicalId, type: resource.Type, properties: resolve(context, resource.Properties ?? {}) as Record<string, unknown> };
}

export function loadResource(context: StackContext): LoadResource {
  const found = Object.entries(context.template.Resources).filter(
    ([, resource]) =>
      (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') &&
      resource.Properties?.LoadId !== undefined,
  );
  if (found.length !== 1)
    throw new Error(`expected one load custom resource (a Custom:: resource with LoadId) in the template, found ${found.length}`);
  const [logicalId, resource] = found[0] as [string, { Type: string; Properties?: Record<string, unknown> }];
  return { logicalId, type: resource.Type, properties: resolve(context, resource.Properties ?? {}) as Record<string, unknown> };
}

/** What one deploy of the custom resource did, everywhere. */
export interface DeployRecord {
  readonly response: CustomResourceResponse;
  readonly ms: number;
  readonly invocations: readonly InvocationRecord[];
  readonly calls: readonly CallRecord[];
  readonly statements: readonly Statement[];
}

/**
 * Sends one request as CloudFormation would and waits until everything it set off has ended
 * (the framework's isComplete outlives the response it PUTs, an Event invocation its caller).
 */
export async function sendRequest(aws: LocalAws, request: CustomResourceRequest, timeoutMs: number): Promise<DeployRecord> {
  const marks = {
    invocations: aws.lambda.invocations.length,
    calls: aws.server.calls.length,
    statements: aws.server.dataApi.submitted().length,
    executions: aws.stepFunctions.executions.length,
  };
  const began = performance.now();
  const response = await aws.cloudFormation.send(request, timeoutMs);
  const ms = performance.now() - began;
  await Promise.all(aws.stepFunctions.executions.slice(marks.executions));
  await aws.lambda.idle();
  await aws.server.dataApi.idle();
  if (response.Status === 'SUCCESS') aws.attributes.set(request.LogicalResourceId, response.Data);
  return {
    response,
    ms,
    invocations: aws.lambda.invocations.slice(marks.invocations),
    calls: aws.server.calls.slice(marks.calls),
    statements: aws.server.dataApi.submitted().slice(marks.statements),
  };
}

/** The stack's outputs as CloudFormation would show them now; an output that cannot resolve shows its error. */
export function stackOutputs(context: StackContext): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(context.template.Outputs ?? {})) {
    try {
      outputs[name] = String(resolve(context, output.Value));
    } catch (error) {
      outputs[name] = `<${(error as Error).message}>`;
    }
  }
  return outputs;
}
