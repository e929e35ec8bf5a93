import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { accountFromTemplate } from './account-from-template';
import { stackContext, type SynthesizedStack } from './cloud-assembly';
import { CloudFormation } from './cloudformation';
import { ref, resolve, type StackContext } from './intrinsics';
import { functionsFromTemplate } from './lambda-functions';
import { LambdaService } from './lambda-service';
import { startRehearsalServer, type RehearsalServer } from './server';
import { StepFunctions, type StateMachineDefinition } from './step-functions';

interface LocalAwsOptions {
  readonly stack: SynthesizedStack;
  /** A PGlite folder or a postgres:// URL. */
  readonly database: string;
  /** Bucket name -> local folder. */
  readonly buckets: Readonly<Record<string, string>>;
  readonly workDir: string;
  /** How often the waiter polls here, instead of the template's interval (its number of polls stays). */
  readonly pollIntervalMs: number;
}

/** Everything a deploy of the stack touches, on 127.0.0.1 and in child processes. */
export interface LocalAws {
  readonly context: StackContext;
  readonly server: RehearsalServer;
  readonly lambda: LambdaService;
  readonly stepFunctions: StepFunctions;
  readonly cloudFormation: CloudFormation;
  /** The endpoint variables every function gets: the SDK's standard AWS_ENDPOINT_URL_<SERVICE>. */
  readonly endpointEnv: Readonly<Record<string, string>>;
  /** The Provider framework's waiter as the template sets it: poll interval and most retries. */
  readonly waiter: { readonly seconds: number; readonly attempts: number };
  /** Custom resource attributes CloudFormation holds (for Fn::GetAtt in outputs). */
  readonly attributes: Map<string, Readonly<Record<string, unknown>>>;
  /** Every bucket served, by name: the source buckets given, and the stack's own (each an empty folder at first). */
  readonly buckets: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

function stateMachines(context: StackContext): Map<string, StateMachineDefinition> {
  const machines = new Map<string, StateMachineDefinition>();
  for (const [id, resource] of Object.entries(context.template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const props = resource.Properties ?? {};
    const definition =
      props.Definition !== undefined ? resolve(context, props.Definition) : JSON.parse(String(resolve(context, props.DefinitionString)));
    machines.set(ref(context, id), definition as StateMachineDefinition);
  }
  return machines;
}

/** The first retrying task's interval and attempts: the framework's queryInterval and the polls totalTimeout allows. */
function waiterOf(machines: ReadonlyMap<string, StateMachineDefinition>): { seconds: number; attempts: number } {
  for (const machine of machines.values()) {
    for (const state of Object.values(machine.States)) {
      const retry = state.Retry?.[0];
      if (retry) return { seconds: retry.IntervalSeconds ?? 1, attempts: retry.MaxAttempts ?? 3 };
    }
  }
  throw new Error('the template has no waiter state machine with a Retry: is the load still polled through isComplete?');
}

export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const attributes = new Map<string, Readonly<Record<string, unknown>>>();
  const context: StackContext = { ...stackContext(options.stack), customAttributes: (id) => attributes.get(id) };
  // The stack's own buckets (LoadManifests): an empty folder each, served by S3 and read by COPY like the source.
  const buckets: Record<string, string> = { ...options.buckets };
  for (const [id, resource] of Object.entries(context.template.Resources)) {
    if (resource.Type !== 'AWS::S3::Bucket') continue;
    const folder = path.join(options.workDir, 'stack-buckets', id);
    await mkdir(folder, { recursive: true });
    buckets[ref(context, id)] = folder;
  }
  const server = await startRehearsalServer({
    database: options.database,
    account: accountFromTemplate(context),
    buckets,
  });
  const endpointEnv = {
    AWS_ENDPOINT_URL_S3: server.url,
    AWS_ENDPOINT_URL_REDSHIFT_DATA: server.url,
    AWS_ENDPOINT_URL_REDSHIFT: server.url,
    AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: server.url,
    AWS_ENDPOINT_URL_IAM: server.url,
  };
  const functions = functionsFromTemplate(options.stack, context);
  // Each function signs with its role's credentials: the server checks its calls against that role's policies.
  for (const fn of functions) server.addIdentity(fn.accessKeyId, { roleArn: fn.roleArn, roleId: fn.roleId, session: fn.name });
  const lambda = new LambdaService(functions, { workDir: options.workDir, region: context.region, extraEnv: endpointEnv });
  const machines = stateMachines(context);
  const waiter = waiterOf(machines);
  const stepFunctions = new StepFunctions(machines, lambda, options.pollIntervalMs / (waiter.seconds * 1000));
  const cloudFormation = new CloudFormation(context, lambda);
  lambda.aws = {
    startExecution: async (input) => stepFunctions.start(input.stateMachineArn, input.input),
    http: async (request) => cloudFormation.receive(request),
  };
  return {
    context,
    server,
    lambda,
    stepFunctions,
    cloudFormation,
    endpointEnv,
    waiter,
    attributes,
    buckets,
    async close() {
      await lambda.close();
      await server.close();
    },
  };
}
