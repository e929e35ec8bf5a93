import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatTable } from '../../local/format-table';
import { clonePgliteFolder } from '../../local/engine';
import { runRehearsal } from '../rehearsal/rehearsal';
import { countDeployCalls, type DeployCalls } from './data-api-calls';
import { bundleLoader, cdkSynth, coldImportMs, median, type BundleFigures, type SynthFigures } from './deploy-figures';

export interface DeployFigures {
  readonly bundle: Omit<BundleFigures, 'dir'>;
  readonly coldImportRunsMs: readonly number[];
  readonly coldImportMedianMs: number;
  readonly calls: readonly DeployCalls[];
  readonly synth?: SynthFigures;
  /** `npm run rehearse` on PGlite: the deploy lifecycle against the local AWS (a figure, never a test's limit). */
  readonly rehearsal?: RehearsalFigures;
}

export interface RehearsalFigures {
  readonly ok: boolean;
  readonly setupMs: number;
  readonly totalMs: number;
  readonly phases: readonly { readonly name: string; readonly ms: number }[];
}

/** The deploy rehearsal from a copy of the initialised PGlite template (so no initdb in its setup). */
async function rehearsalFigures(pgliteTemplate: string): Promise<RehearsalFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-rehearsal-'));
  try {
    const db = path.join(dir, 'db');
    await clonePgliteFolder(pgliteTemplate, db);
    const result = await runRehearsal({ db, workDir: path.join(dir, 'work') });
    return {
      ok: result.ok,
      setupMs: result.setupMs,
      totalMs: result.totalMs,
      phases: result.phases.map((phase) => ({ name: `${phase.requestType}${phase.status === 'FAILED' ? ' (fails)' : ''}`, ms: phase.ms })),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The loader's bundle and cold import, the Data API calls of a default deploy, and cdk synth (full mode). */
export async function runDeployFigures(options: { readonly quick: boolean; readonly pgliteTemplate?: string }): Promise<DeployFigures> {
  const { dir, ...bundle } = await bundleLoader();
  let coldImportRunsMs: number[];
  try {
    coldImportRunsMs = await coldImportMs(dir, options.quick ? 3 : 9);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const calls: DeployCalls[] = [];
  for (const seconds of options.quick ? [60, 3600] : [60, 300, 1200, 3600]) {
    for (const backoff of [false, true]) calls.push(await countDeployCalls(seconds, backoff));
  }
  const synth = options.quick ? undefined : await cdkSynth();
  const rehearsal = options.pgliteTemplate ? await rehearsalFigures(options.pgliteTemplate) : undefined;
  return {
    bundle,
    coldImportRunsMs,
    coldImportMedianMs: median(coldImportRunsMs),
    calls,
    ...(synth ? { synth } : {}),
    ...(rehearsal ? { rehearsal } : {}),
  };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function printDeployFigures(figures: DeployFigures, out: (line?: string) => void): void {
  const { bundle } = figures;
  out('\nDeploy side');
  out(
    `  loader bundle     index.mjs ${kib(bundle.handlerBytes)} (esbuild with lib/loader's LOADER_BUNDLING), sql/ ${kib(bundle.sqlBytes)} beside it`,
  );
  out(`  largest parts     ${bundle.largest.map((part) => `${part.source} ${kib(part.bytes)}`).join(', ')}`);
  out(
    `  cold import       median ${Math.round(figures.coldImportMedianMs)} ms over ${figures.coldImportRunsMs.length} fresh node processes (${figures.coldImportRunsMs.map(Math.round).join(', ')})`,
  );
  if (figures.synth) {
    const asset =
      figures.synth.assetHandlerBytes === undefined ? '' : `; its loader asset: index.mjs ${kib(figures.synth.assetHandlerBytes)}`;
    out(`  cdk synth         ${(figures.synth.ms / 1000).toFixed(1)} s wall (npx cdk synth, bundling included${asset})`);
  }
  if (figures.rehearsal) {
    const r = figures.rehearsal;
    const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    out(
      `  rehearsal         ${r.ok ? 'passed' : 'FAILED'} in ${sec(r.totalMs)} wall (setup ${sec(r.setupMs)}: synth, bundle, local AWS, source data; ${r.phases.map((p) => `${p.name} ${sec(p.ms)}`).join(', ')})`,
    );
  }
  out('\nData API calls of a default deploy (Create, wait mode, first deploy), polled every 15 s');
  out(
    formatTable(
      figures.calls.map((c) => ({
        'load s': c.loadSeconds,
        backoff: c.backoff ? 'yes' : 'no',
        'isComplete calls': c.polls,
        'batch checks': c.batchChecks,
        'other Data API': c.otherDataApiTotal,
        'of which': Object.entries(c.otherDataApi)
          .map(([op, n]) => `${op} ${n}`)
          .join(', '),
        preflight: Object.entries(c.preflight)
          .map(([op, n]) => `${op} ${n}`)
          .join(', '),
      })),
    ),
  );
}
