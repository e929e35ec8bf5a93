import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseWarehouseConfig, type WarehouseConfig } from './warehouse-config';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The configuration in cdk.json's context: what `cdk deploy` would use, for the offline run. */
export function readProjectConfig(cdkJsonPath = `${PROJECT_ROOT}cdk.json`): WarehouseConfig {
  let context: Record<string, unknown>;
  try {
    context = (JSON.parse(readFileSync(cdkJsonPath, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  } catch (error) {
    throw new Error(`cannot read the configuration from ${cdkJsonPath}: ${(error as Error).message}`, { cause: error });
  }
  return parseWarehouseConfig(context);
}
