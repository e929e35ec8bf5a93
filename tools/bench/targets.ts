import type { DeployFigures } from './deploy-report';
import type { LoadResult } from './load-result';
import type { ReloadSeries } from './reloads';
import type { Scaling } from './report';
import { REPORT_RENDER_GOAL_MS, type ReportRenderFigures } from './report-render';

/** The targets of issue #6, checked against the figures of a full run. */
export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function checkTargets(
  results: readonly LoadResult[],
  scalings: readonly Scaling[],
  deploy: DeployFigures | undefined,
  reloads: readonly ReloadSeries[] = [],
  report?: ReportRenderFigures,
): Target[] {
  const find = (scale: string, engine: string) => results.find((r) => r.scale === scale && r.engine === engine);
  const targets: Target[] = [];
  for (const engine of ['pglite', 'postgres']) {
    const real = find('1x', engine);
    if (real) {
      const ratio = real.loadMs / real.floor.ms;
      targets.push({
        target: `real size on ${engine}: load within 1.5x the read-and-parse floor`,
        measured: `${s(real.loadMs)} / ${s(real.floor.ms)} = ${ratio.toFixed(2)}x`,
        met: ratio <= 1.5,
      });
    }
  }
  const limits: Record<string, number> = { pglite: 15_000, postgres: 5_000 };
  for (const [engine, limit] of Object.entries(limits)) {
    const big = find('events-100x', engine);
    if (big) targets.push({ target: `100x events on ${engine} under ${limit / 1000} s`, measured: s(big.loadMs), met: big.loadMs < limit });
  }
  for (const entry of scalings) {
    if (entry.exponent !== undefined) {
      const worst = Math.max(entry.exponent, entry.upperExponent ?? 0);
      targets.push({
        target: `time linear in rows on ${entry.engine} (exponent <= 1.1)`,
        measured: `${entry.exponent.toFixed(2)} (10x to 100x: ${entry.upperExponent?.toFixed(2) ?? '?'})`,
        met: worst <= 1.1,
      });
    }
  }
  const steady = reloads.find((series) => series.vacuum);
  if (steady) {
    const first = steady.steps[0]?.folderBytes ?? 0;
    const last = steady.steps.at(-1)?.folderBytes ?? 0;
    targets.push({
      target: `PGlite folder after ${steady.steps.length} loads of ${steady.scale} at most 1.5x its size after the first (issue 10)`,
      measured: `${(first / 1e6).toFixed(1)} MB to ${(last / 1e6).toFixed(1)} MB = ${steady.growth.toFixed(2)}x`,
      met: steady.growth <= 1.5,
    });
  }
  if (report) {
    targets.push({
      target: `the report of ${report.scale} drawn in Chromium under ${REPORT_RENDER_GOAL_MS / 1000} s, with no error (issue 14)`,
      measured: `${s(report.medianRenderMs)}${report.errors.length > 0 ? `, ${report.errors.length} errors` : ''}`,
      met: report.medianRenderMs < REPORT_RENDER_GOAL_MS && report.errors.length === 0,
    });
  }
  if (deploy) {
    const hour = deploy.calls.filter((c) => c.loadSeconds === 3600);
    const plain = hour.find((c) => !c.backoff);
    const backedOff = hour.find((c) => c.backoff);
    const extra = Math.max(...deploy.calls.map((c) => c.otherDataApiTotal));
    targets.push({
      target: 'a default deploy: at most a handful of Data API calls beyond the polling',
      measured: `${extra} calls`,
      met: extra <= 8,
    });
    if (plain && backedOff) {
      targets.push({
        target: 'polling backs off',
        measured: `1 h load: ${backedOff.batchChecks} batch checks in ${backedOff.polls} polls (${plain.batchChecks} without backoff)`,
        met: backedOff.batchChecks < plain.batchChecks / 2,
      });
    }
    targets.push({
      target: 'bundled loader under 1 MB',
      measured: `${(deploy.bundle.handlerBytes / 1024).toFixed(1)} KiB`,
      met: deploy.bundle.handlerBytes < 1024 * 1024,
    });
  }
  return targets;
}

export function printTargets(targets: readonly Target[], out: (line?: string) => void): void {
  out('\nTargets (issues #6, #10 and #14)');
  for (const t of targets) out(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.measured}`);
}
