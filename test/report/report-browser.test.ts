import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { resolveQuery } from '../../local/analyst-queries';
import { jsonRows, offlineRunner } from '../../local/report/report-data';
import { reportCharts } from '../../local/report/chart-specs';
import { actAs, openWarehouse } from '../../local/warehouse';
import { chartStates, chromiumPath, launchChromium, openReport, type OpenedReport } from '../../tools/bench/report-browser';
import { openTestEngine, type TestEngine } from '../support/engine';
import { runCli } from '../support/cli';

// The report of the bundled sample, opened in headless Chromium (Debian's package, driven by
// puppeteer-core): it must draw every chart with one mark per row of its named query, show the
// headline query's answers, fit a phone's width, and log no error. Saves the screenshots README and docs/cli.md show.
// No Chromium is a failure naming the install, never a skip: CI installs it (.ci/run).

const DESKTOP = 1280;
const PHONE = 390;
const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs');

let warehouse: TestEngine;
let dir: string;
let file: string;
let browser: Browser;
let loadOut: string;
/** Each named query's rows, run directly (not through the report). */
const answers = new Map<string, Record<string, unknown>[]>();

beforeAll(async () => {
  chromiumPath(); // no Chromium: fail here, with how to install it
  warehouse = await openTestEngine();
  await warehouse.engine.close(); // the CLI opens it itself
  dir = await mkdtemp(path.join(tmpdir(), 'sparkify-report-'));
  file = path.join(dir, 'report.html');
  const load = await runCli('load', '--db', warehouse.target, '--no-queries', '--load-id', 'report-test');
  expect(load.code, load.err).toBe(0);
  loadOut = load.out;
  const report = await runCli('report', '--db', warehouse.target, '--out', file);
  expect(report.code, report.err).toBe(0);

  const files = readSqlFiles();
  const opened = await openWarehouse(warehouse.target, { access: 'read', activity: 'report test', waitMs: 0 });
  try {
    await actAs(opened.engine, 'analyst');
    const run = offlineRunner(opened.engine);
    for (const chart of reportCharts(EMPTY_DATA)) answers.set(chart.query, jsonRows(await run(resolveQuery(files, chart.query))));
  } finally {
    await opened.close();
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await warehouse?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** reportCharts only reads rows to build specs: empty answers give the list of charts and their queries. */
const EMPTY_DATA = new Proxy({} as Parameters<typeof reportCharts>[0], {
  get: (_target, name) => ({ name, description: '', columns: [], rows: [], ms: 0 }),
});

describe('sparkify report in Chromium', () => {
  let desktop: OpenedReport;
  beforeAll(async () => {
    desktop = await openReport(browser, file, DESKTOP);
  });

  it('ends the load summary with the command that writes and opens the report', () => {
    expect(loadOut.split('\n').at(-1)).toMatch(/^Loaded report-test in .+\. Report: npx sparkify report && \S+ sparkify-report\.html$/);
  });

  it('prints each named query with its time and rows, and says how to open the file', async () => {
    const again = await runCli('report', '--db', warehouse.target, '--out', path.join(dir, 'again.html'));
    expect(again.code, again.err).toBe(0);
    for (const name of ['headline', 'plays_by_hour', 'daily_plays', 'plays_by_weekday', 'level_by_day', 'recent_loads', 'data_quality']) {
      expect(again.out).toMatch(new RegExp(`\\d+ ms  ${name}\\s+\\d+ rows?`));
    }
    expect(again.out.split('\n').at(-1)).toMatch(/^Wrote .*again\.html \(.+\) in .+\. Open it: \S+ .*again\.html$/);
  });

  it('opens with no console error, page error or network request', () => {
    expect(desktop.errors).toEqual([]);
  });

  it('draws every chart, one mark per row of its named query', async () => {
    const states = await chartStates(desktop.page);
    const charts = reportCharts(EMPTY_DATA);
    expect(Object.keys(states).sort()).toEqual(charts.map((chart) => chart.id).sort());
    for (const chart of charts) {
      const rows = answers.get(chart.query) ?? [];
      expect(rows.length, `${chart.query} returns rows`).toBeGreaterThan(0);
      expect(states[chart.id], chart.id).toMatchObject({ drawn: true, marks: rows.length });
    }
  });

  it('shows the headline query’s answers, as `sparkify query headline --json` gives them', async () => {
    const direct = await runCli('query', 'headline', '--db', warehouse.target, '--json');
    expect(direct.code, direct.err).toBe(0);
    const [headline] = JSON.parse(direct.out) as Record<string, unknown>[];
    expect(headline).toBeDefined();
    const shown = (await desktop.page.evaluate(`Object.fromEntries([...document.querySelectorAll('[data-query="headline"] [data-figure]')]
      .map((e) => [e.getAttribute('data-figure'), { value: JSON.parse(e.getAttribute('data-value')), text: e.textContent }]))`)) as Record<
      string,
      { value: unknown; text: string }
    >;
    expect(Object.keys(shown).sort()).toEqual(Object.keys(headline ?? {}).sort());
    for (const [key, value] of Object.entries(headline ?? {})) expect(shown[key]?.value, key).toEqual(value);
    expect(shown.plays?.text).toBe((headline?.plays as number).toLocaleString('en-US'));
    expect(shown.listeners?.text).toBe((headline?.listeners as number).toLocaleString('en-US'));
    expect(shown.paid_share_pct?.text).toBe(`${String(headline?.paid_share_pct)} %`);
    expect(shown.matched_share_pct?.text).toBe(`${String(headline?.matched_share_pct)} %`);
  });

  it('gives every chart a title, axis titles and its data as a table with a caption', async () => {
    const panels = (await desktop.page.evaluate(`[...document.querySelectorAll('.chart')].map((chart) => {
      const table = chart.parentElement.querySelector('table');
      return {
        id: chart.id,
        query: chart.getAttribute('data-query'),
        tableQuery: table && table.getAttribute('data-query'),
        caption: table && table.caption ? table.caption.textContent : '',
        rows: table ? table.tBodies[0].rows.length : 0,
        svgText: chart.querySelector('svg') ? chart.querySelector('svg').textContent : '',
      };
    })`)) as { id: string; query: string; tableQuery: string; caption: string; rows: number; svgText: string }[];
    for (const chart of reportCharts(EMPTY_DATA)) {
      const panel = panels.find((p) => p.id === `chart-${chart.id}`);
      expect(panel, chart.id).toMatchObject({ query: chart.query, tableQuery: chart.query, rows: answers.get(chart.query)?.length });
      expect(panel?.caption).toContain(chart.title);
      expect(panel?.svgText).toContain(chart.title.split(':')[0]);
    }
    const svg = (id: string) => panels.find((p) => p.id === `chart-${id}`)?.svgText ?? '';
    expect(svg('plays-by-hour')).toContain('Hour of day (UTC');
    expect(svg('plays-by-day')).toContain('Day (UTC)');
    expect(svg('plays-by-weekday')).toContain('Plays per day of that weekday');
    expect(svg('recent-loads')).toContain('Seconds in the transaction');
  });

  it('lists the plan’s gates as passed in the load that succeeded', async () => {
    const gates = (await desktop.page.evaluate(`[...document.querySelectorAll('.gates li')].map((li) => li.textContent)`)) as string[];
    expect(gates.length).toBeGreaterThan(0);
    for (const gate of gates) expect(gate).toMatch(/^pass gate\.\S+ passed in load report-test$/);
  });

  it('fits a phone: no horizontal scroll, every chart within the screen; saves both screenshots', async () => {
    const phone = await openReport(browser, file, PHONE, 844);
    expect(phone.errors).toEqual([]);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE);
    for (const [id, state] of Object.entries(await chartStates(phone.page))) {
      expect(state.drawn, id).toBe(true);
      expect(state.drawingWidth, id).toBeLessThanOrEqual(state.containerWidth + 0.5);
      expect(state.containerWidth, id).toBeLessThanOrEqual(PHONE);
    }
    await mkdir(SCREENSHOTS, { recursive: true });
    // The header names this run's temporary folder and time: the committed pictures show the default folder.
    const stable = `(() => {
      const meta = document.querySelector('p.meta');
      meta.innerHTML = meta.innerHTML
        .split(${JSON.stringify(warehouse.target)}).join('/…/sparkify-warehouse/.sparkify/db')
        .replace(/ at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\./, '.');
    })()`;
    await desktop.page.evaluate(stable);
    await phone.page.evaluate(stable);
    // Chromium draws only the tab in front: a screenshot of the other waits for a frame that may
    // never come (Page.captureScreenshot hung until puppeteer's 180 s timeout beside a busy test file).
    await desktop.page.bringToFront();
    // The top of the page at a desktop's width: the headline and the first four charts.
    await desktop.page.screenshot({
      path: path.join(SCREENSHOTS, 'report-desktop.png'),
      clip: { x: 0, y: 0, width: DESKTOP, height: 1700 },
    });
    await phone.page.bringToFront();
    await phone.page.screenshot({ path: path.join(SCREENSHOTS, 'report-phone.png') });
    for (const name of ['report-desktop.png', 'report-phone.png']) {
      expect((await stat(path.join(SCREENSHOTS, name))).size, name).toBeLessThan(300 * 1024);
    }
  });
});
