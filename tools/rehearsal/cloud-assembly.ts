import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CfnTemplate, StackContext } from './intrinsics';

/** A synthesized stack, read from the cloud assembly the way the CDK CLI reads it. */
export interface SynthesizedStack {
  readonly outdir: string;
  readonly stackName: string;
  readonly region: string;
  readonly template: CfnTemplate;
  /** S3 object key of each file asset ('<hash>.zip') -> the folder it is zipped from. */
  readonly assetFolders: ReadonlyMap<string, string>;
}

interface Manifest {
  readonly artifacts: Readonly<Record<string, { type: string; environment?: string; properties?: Record<string, unknown> }>>;
}

interface AssetManifest {
  readonly files?: Readonly<
    Record<string, { source: { path: string; packaging?: string }; destinations: Readonly<Record<string, { objectKey: string }>> }>
  >;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function readSynthesizedStack(outdir: string, stackName: string): SynthesizedStack {
  const manifest = readJson<Manifest>(path.join(outdir, 'manifest.json'));
  const artifact = manifest.artifacts[stackName];
  if (artifact?.type !== 'aws:cloudformation:stack') {
    throw new Error(`${outdir} holds no stack '${stackName}' (artifacts: ${Object.keys(manifest.artifacts).join(', ')})`);
  }
  const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
  if (!region || region === 'unknown-region')
    throw new Error(`stack '${stackName}' has no region in its environment (${artifact.environment ?? 'none'})`);
  const template = readJson<CfnTemplate>(path.join(outdir, String(artifact.properties?.templateFile)));

  const assetFolders = new Map<string, string>();
  for (const other of Object.values(manifest.artifacts)) {
    if (other.type !== 'cdk:asset-manifest') continue;
    const assets = readJson<AssetManifest>(path.join(outdir, String(other.properties?.file)));
    for (const asset of Object.values(assets.files ?? {})) {
      if (asset.source.packaging !== 'zip') continue;
      for (const destination of Object.values(asset.destinations))
        assetFolders.set(destination.objectKey, path.join(outdir, asset.source.path));
    }
  }
  return { outdir, stackName, region, template, assetFolders };
}

/** The deployment the rehearsal pretends: this stack in a fake account. */
export function stackContext(stack: SynthesizedStack, accountId = '123456789012'): StackContext {
  const partition = stack.region.startsWith('cn-') ? 'aws-cn' : stack.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { template: stack.template, stackName: stack.stackName, accountId, region: stack.region, partition };
}
