import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STACK_NAME, createWarehouseApp } from '../../lib/app/warehouse-app';
import { readSynthesizedStack, type SynthesizedStack } from './cloud-assembly';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface SynthOptions {
  readonly outdir: string;
  /** Names the load when it is not pinned: each deploy's synth has its own. */
  readonly synthTime: Date;
  /** CDK context on top of cdk.json's (e.g. 'sparkify:compute': 'serverless'). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** 'in-process' builds the app here (bundling included); 'cli' runs `npx cdk synth`. */
  readonly mode: 'in-process' | 'cli';
}

/** cdk.json's context: what the CDK CLI passes the app. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(`${PROJECT_ROOT}cdk.json`, 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes the stack as a deploy would: cdk.json's context, bundling (the loader's asset with
 * sql/ beside it), cdk-nag. The 'cli' mode is the real `cdk synth` (about 15 s); in-process is
 * the same app, built by the same function bin/app.ts calls, in about 2 s.
 */
export async function synthesize(options: SynthOptions): Promise<SynthesizedStack> {
  if (options.mode === 'in-process') {
    const { app } = createWarehouseApp({
      outdir: options.outdir,
      context: { ...cdkJsonContext(), ...options.context },
      synthTime: options.synthTime,
      // CloudFormation's schema check of the template is its own test's business (seconds per synth).
      builtinCloudFormationValidation: false,
    });
    app.synth();
  } else {
    const context = Object.entries(options.context ?? {}).flatMap(([key, value]) => ['-c', `${key}=${String(value)}`]);
    // bin/app.ts names the load by its own clock: each CLI synth gets a new load id too.
    await promisify(execFile)('npx', ['cdk', 'synth', '--no-notices', '--quiet', '-o', options.outdir, ...context], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
  }
  return readSynthesizedStack(options.outdir, STACK_NAME);
}
