/**
 * The report's figure (issue #14): the report of the events-100x dataset (quick-events-100x with
 * --quick), drawn in headless Chromium. Loads the dataset into a copy of the PGlite template, runs
 * the report's named queries as the analyst, writes the page, and opens it `runs` times in fresh
 * tabs at 1280 px: the time from navigation start until every chart is drawn (the page's own
 * window.sparkifyRenderMs), the median shown. Goal: under 2 s.
 *
 * Alone: npx tsx tools/bench/report-render.ts [--quick]; npm run bench runs it after the locking figures.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { clonePgliteFolder, openEngine } from '../../local/engine';
import { runOfflineLoad } from '../../local/offline-executor';
import { reportHtml } from '../../local/report/page';
import { collectReportData, offlineRunner, planGates } from '../../local/report/report-data';
import { actAs } from '../../local/warehouse';
import { ensureDataset, type Dataset } from './datasets';
import { pgliteTemplate } from './pglite-template';
import { launchChromium, openReport } from './report-browser';
import { FULL_SCALES, QUICK_SCALES } from './scales';

export const REPORT_RENDER_GOAL_MS = 2000;

export interface ReportRenderFigures {
  readonly scale: string;
  readonly plays: number;
  /** The report's ten named queries, run once each. */
  readonly queriesMs: number;
  readonly htmlBytes: number;
  /** Each opening's time to every chart drawn, ms. */
  readonly renderMs: readonly number[];
  readonly medianRenderMs: number;
  readonly errors: readonly string[];
}

/** The scale the figure is measured on. */
export function reportRenderScale(quick: boolean) {
  const name = quick ? 'quick-events-100x' : 'events-100x';
  const scale = (quick ? QUICK_SCALES : FULL_SCALES).find((s) => s.name === name);
  if (!scale) throw new Error(`no scale ${name} in tools/bench/scales.ts`);
  return scale;
}

export async function measureReportRender(templateDir: string, dataset: Dataset, runs = 3): Promise<ReportRenderFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-bench-report-'));
  try {
    await clonePgliteFolder(templateDir, path.join(dir, 'db'));
    const engine = await openEngine(path.join(dir, 'db'));
    const files = readSqlFiles();
    let html: string;
    let queriesMs: number;
    let plays: number;
    try {
      const plan = buildLoadPlan(files, {
        settings: DEFAULT_CONFIG,
        roleArn: 'arn:aws:iam::000000000000:role/sparkify-bench',
        loadId: `bench-report-${dataset.scale.name}`,
      });
      await runOfflineLoad(engine, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: dataset.dir } });
      await actAs(engine, 'analyst');
      const began = performance.now();
      const data = await collectReportData(files, offlineRunner(engine));
      queriesMs = performance.now() - began;
      plays = Number(data.headline.rows[0]?.plays ?? 0);
      html = reportHtml(data, {
        source: `the bench's ${dataset.scale.name} warehouse`,
        generatedAt: new Date(),
        gates: planGates(files, DEFAULT_CONFIG),
      });
    } finally {
      await engine.close();
    }
    const file = path.join(dir, 'report.html');
    await writeFile(file, html);
    const browser = await launchChromium();
    const renderMs: number[] = [];
    const errors: string[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        const opened = await openReport(browser, file, 1280);
        renderMs.push(opened.renderMs);
        errors.push(...opened.errors);
        await opened.page.close();
      }
    } finally {
      await browser.close();
    }
    const sorted = [...renderMs].sort((a, b) => a - b);
    return {
      scale: dataset.scale.name,
      plays,
      queriesMs,
      htmlBytes: Buffer.byteLength(html),
      renderMs,
      medianRenderMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      errors,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printReportRender(figures: ReportRenderFigures, out: (line?: string) => void): void {
  const met = figures.medianRenderMs < REPORT_RENDER_GOAL_MS && figures.errors.length === 0;
  out(
    `\nThe report in Chromium (${figures.scale}: ${figures.plays.toLocaleString('en-US')} plays; 1280 px, navigation start to every chart drawn)`,
  );
  out(`  queries     ${(figures.queriesMs / 1000).toFixed(2)} s for the report's named queries, once each`);
  out(`  page        ${(figures.htmlBytes / 1e6).toFixed(2)} MB, self-contained`);
  out(
    `  rendered    ${Math.round(figures.medianRenderMs)} ms (median of ${figures.renderMs.length}: ${figures.renderMs.map((ms) => Math.round(ms)).join(', ')} ms)  goal < ${REPORT_RENDER_GOAL_MS} ms: ${met ? 'met' : 'MISSED'}`,
  );
  for (const error of figures.errors) out(`  error       ${error}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const template = await pgliteTemplate();
  const dataset = await ensureDataset(reportRenderScale(quick), (line) => out(`  ${line}`));
  printReportRender(await measureReportRender(template.dir, dataset), out);
}
