/**
 * Opens a report (local/report) in headless Chromium through puppeteer-core: the browser test
 * (test/report) and the bench's render figure (report-render.ts) both drive it from here.
 * Chromium is Debian's package (no browser download): /usr/bin/chromium, or SPARKIFY_CHROMIUM.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM_INSTALL =
  'install Chromium with `apt-get install -y chromium` (Debian; /usr/bin/chromium) or set SPARKIFY_CHROMIUM to a Chromium binary';

/** The Chromium binary, or an error naming how to install it. */
export function chromiumPath(): string {
  const binary = process.env.SPARKIFY_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(binary)) throw new Error(`no Chromium at ${binary}: ${CHROMIUM_INSTALL}`);
  return binary;
}

export async function launchChromium(): Promise<Browser> {
  const args = ['--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--font-render-hinting=none'];
  // Chromium's sandbox refuses to run as root (CI containers); the page is our own file.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return puppeteer.launch({ executablePath: chromiumPath(), headless: true, args });
}

export interface OpenedReport {
  readonly page: Page;
  /** Console errors, uncaught page errors, failed requests and any request beyond the file itself, in order. */
  readonly errors: string[];
  /** Milliseconds from navigation start until every chart was drawn (window.sparkifyRenderMs). */
  readonly renderMs: number;
}

/** Opens the report file at the given viewport width and waits until every chart is drawn (or one failed). */
export async function openReport(browser: Browser, file: string, width: number, height = 900): Promise<OpenedReport> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  // Self-contained: the page may read itself and inline data, nothing from a network.
  page.on('request', (request) => {
    if (!/^(file|data|blob|about):/.test(request.url())) errors.push(`network request: ${request.url()}`);
  });
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction("document.documentElement.hasAttribute('data-rendered')", { timeout: 30_000 });
  const state = await page.evaluate("document.documentElement.getAttribute('data-rendered')");
  if (state !== 'ok')
    errors.push(`the page says its charts failed: ${String(await page.evaluate("document.getElementById('render-error').textContent"))}`);
  const renderMs = Number(await page.evaluate('window.sparkifyRenderMs'));
  return { page, errors, renderMs };
}

export interface ChartState {
  /** Items of the chart's data mark (Vega-Lite names it 'marks'): one per row drawn. */
  readonly marks: number;
  /** The view drew an <svg> or a <canvas>. */
  readonly drawn: boolean;
  /** Width of the chart's element and of its drawing, in CSS pixels. */
  readonly containerWidth: number;
  readonly drawingWidth: number;
}

/**
 * Counts each chart's marks in the browser, from its Vega view (window.sparkifyViews[id]). Plain
 * JavaScript in a string: tsx and vitest compile TypeScript with helpers (__name) the page lacks.
 */
const CHART_STATES = `(() => {
  const count = (node) => {
    const own = node.marktype && node.name === 'marks' && node.role === 'mark' ? (node.items || []).length : 0;
    return own + (node.items || []).reduce((sum, child) => sum + count(child), 0);
  };
  const states = {};
  for (const [id, view] of Object.entries(window.sparkifyViews || {})) {
    const element = document.getElementById('chart-' + id);
    const drawing = element && element.querySelector('svg, canvas');
    states[id] = {
      marks: count(view.scenegraph().root),
      drawn: Boolean(drawing),
      containerWidth: element ? element.getBoundingClientRect().width : 0,
      drawingWidth: drawing ? drawing.getBoundingClientRect().width : 0,
    };
  }
  return states;
})()`;

/** Each chart's marks from its Vega view's scenegraph, and its size. */
export async function chartStates(page: Page): Promise<Record<string, ChartState>> {
  return (await page.evaluate(CHART_STATES)) as Record<string, ChartState>;
}
