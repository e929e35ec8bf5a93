import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkDeploymentConfig, parseWarehouseConfig, type WarehouseConfig } from '../config/warehouse-config';
import { SparkifyWarehouseStack } from '../stack/sparkify-warehouse-stack';

export const STACK_NAME = 'SparkifyWarehouse';

export interface WarehouseAppOptions {
  /** Context on top of what the CDK CLI passes (cdk.json and -c); tests give theirs here. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  /** @default process.env.CDK_DEFAULT_ACCOUNT (undefined without credentials: the stack stays account-agnostic) */
  readonly account?: string;
  readonly synthTime?: Date;
  readonly loaderEntry?: string;
  /** CDK's built-in CloudFormation template validation (seconds per synth). @default true */
  readonly builtinCloudFormationValidation?: boolean;
}

export interface WarehouseApp {
  readonly app: App;
  readonly config: WarehouseConfig;
  readonly stack: SparkifyWarehouseStack;
}

/**
 * The CDK app as `cdk synth` builds it: the configuration from every `sparkify:*` context key
 * (a ConfigError stops here), the stack in config.region, and cdk-nag's AwsSolutions checks, which
 * fail synth on any finding not acknowledged in code.
 */
export function createWarehouseApp(options: WarehouseAppOptions = {}): WarehouseApp {
  const app = new App({
    context: options.context,
    outdir: options.outdir,
    builtinCloudFormationValidation: options.builtinCloudFormationValidation,
  });
  const config = checkDeploymentConfig(parseWarehouseConfig(app.node.getAllContext() as Record<string, unknown>));
  const stack = new SparkifyWarehouseStack(app, STACK_NAME, {
    config,
    env: { account: options.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
    synthTime: options.synthTime,
    loaderEntry: options.loaderEntry,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, stack };
}
