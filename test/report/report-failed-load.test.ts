import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../cli/main';
import { runCli } from '../support/cli';
import { cloneLoadedSample, SAMPLE_LOAD_ID } from '../support/engine';

// After a failed load the report says so first, and whose figures it shows: the warehouse rolled
// back to the last load that succeeded. The page is read as HTML (report-browser.test.ts draws one).
let workDir: string;
let html: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-report-failed-'));
  const db = path.join(workDir, 'db');
  await cloneLoadedSample(db);
  // A log file with a record COPY rejects: MAXERROR is 0, so the load fails and rolls back.
  const source = path.join(workDir, 'source');
  await cp(SAMPLE_DIR, source, { recursive: true });
  await appendFile(path.join(source, 'log_data/2018/11/2018-11-30-events.json'), '{"ts": "not a number"\n');
  const load = await runCli('load', '--source', source, '--db', db, '--no-queries', '--load-id', 'broken-day');
  expect(load.code).toBe(1);
  const out = path.join(workDir, 'report.html');
  const report = await runCli('report', '--db', db, '--out', out);
  expect(report.code, report.err).toBe(0);
  html = await readFile(out, 'utf8');
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('the report after a failed load', () => {
  it('leads with it: the title, then an alert right under the page heading, before the headline figures', () => {
    expect(html).toMatch(/<title>The latest load failed: Sparkify listening report<\/title>/);
    const heading = html.indexOf('<h1>');
    const alert = html.indexOf('<section class="alert" role="alert"');
    expect(alert).toBeGreaterThan(heading);
    expect(alert).toBeLessThan(html.indexOf('<p class="meta">'));
    expect(alert).toBeLessThan(html.indexOf('id="h-headline"'));
  });

  it('names the failed load and its error, and the load whose figures the page shows', () => {
    const alert = /<section class="alert"[^>]*data-latest-load="broken-day">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(alert).toContain('<h2 id="h-latest-load">The latest load failed</h2>');
    expect(alert).toMatch(
      new RegExp(
        `Load <code>broken-day</code>, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, failed: <q>staging\\.staging_events: Load into table [\\s\\S]+</q>\\. ` +
          `It was rolled back: the figures below are those of load <code>${SAMPLE_LOAD_ID}</code>, which succeeded at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\.`,
      ),
    );
  });
});
