import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { LOADER_BUNDLING, LOADER_ENTRY } from '../../lib/loader/warehouse-loader';
import { SQL_DIR } from '../../lib/plan/sql-files';
import { folderBytes } from '../../local/folder-bytes';

/** lib/loader's bundling options, as the esbuild options the CDK passes them on as. */
export function loaderBuildOptions(outfile: string): BuildOptions {
  const b = LOADER_BUNDLING;
  return {
    entryPoints: [LOADER_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: b.format === OutputFormat.ESM ? 'esm' : 'cjs',
    ...(b.target ? { target: b.target } : {}),
    minify: b.minify ?? false,
    sourcemap: b.sourceMap ?? false,
    ...(b.mainFields ? { mainFields: b.mainFields } : {}),
    ...(b.banner ? { banner: { js: b.banner } } : {}),
    // bundleAwsSDK: the SDK goes in; otherwise the runtime's copy would be used.
    external: b.bundleAwsSDK ? [] : ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
  };
}

export interface BundleFigures {
  readonly dir: string;
  readonly handlerBytes: number;
  readonly sqlBytes: number;
  /** What fills the bundle: bytes of output per package (or 'project' for this repo's code). */
  readonly largest: readonly { readonly source: string; readonly bytes: number }[];
}

function largestSources(metafile: Metafile): { source: string; bytes: number }[] {
  const bySource = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const source = match?.[1] ?? 'project';
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
    }
  }
  return [...bySource].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Bundles the loader exactly as a deploy does (sql/ copied beside it), into a temporary folder. */
export async function bundleLoader(): Promise<BundleFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-bundle-'));
  const outfile = path.join(dir, 'index.mjs');
  const result = await build(loaderBuildOptions(outfile));
  await cp(SQL_DIR, path.join(dir, 'sql'), { recursive: true });
  return {
    dir,
    handlerBytes: (await stat(outfile)).size,
    sqlBytes: await folderBytes(path.join(dir, 'sql')),
    largest: result.metafile ? largestSources(result.metafile).slice(0, 6) : [],
  };
}

/** Milliseconds to import the bundle in fresh Node processes (a cold start's module load), each run. */
export async function coldImportMs(bundleDir: string, runs: number): Promise<number[]> {
  const url = pathToFileURL(path.join(bundleDir, 'index.mjs')).href;
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(url)}); if (typeof m.isComplete !== 'function') process.exit(2); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: bundleDir,
      env: { PATH: process.env.PATH, AWS_REGION: 'us-west-2' },
    });
    times.push(Number(stdout));
  }
  return times;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface SynthFigures {
  readonly ms: number;
  /** The loader asset CDK bundled during that synth: the bytes a deploy uploads. */
  readonly assetHandlerBytes?: number;
}

/** `npx cdk synth` as a user runs it (bundling included), into a temporary folder; wall time. */
export async function cdkSynth(): Promise<SynthFigures> {
  const out = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-synth-'));
  try {
    const began = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', out], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cdk synth exited ${code}: ${stderr.slice(-2000)}`))));
    });
    const ms = performance.now() - began;
    const assets = (await readdir(out)).filter((name) => name.startsWith('asset.'));
    for (const asset of assets) {
      const handler = path.join(out, asset, 'index.mjs');
      const size = await stat(handler).then(
        (info) => info.size,
        () => undefined,
      );
      if (
        size !== undefined &&
        (await stat(path.join(out, asset, 'sql')).then(
          () => true,
          () => false,
        ))
      )
        return { ms, assetHandlerBytes: size };
    }
    return { ms };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
