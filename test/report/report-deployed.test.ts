import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { reportHtml } from '../../local/report/page';
import { collectReportData, offlineRunner, planGates, REPORT_QUERIES } from '../../local/report/report-data';
import { startRehearsalServer, type RehearsalServer } from '../../tools/rehearsal/server';
import { runCli } from '../support/cli';
import { openLoadedTestEngine, SAMPLE_LOAD_ID, type TestEngine } from '../support/engine';
import { contractAccount } from '../tools/rehearsal/local-server';

// `sparkify report --cluster` reads the deployed warehouse through the Data API (here the
// rehearsal's local one, reached through AWS_ENDPOINT_URL_REDSHIFT_DATA as the real one is), signed
// in as the read-only analyst: the page must carry the very figures the offline report does.
const files = readSqlFiles();
let db: TestEngine;
let server: RehearsalServer;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  db = await openLoadedTestEngine();
  server = await startRehearsalServer({ engine: db.engine, account: contractAccount(), buckets: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'sparkify-report-deployed-'));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_REDSHIFT_DATA: server.url,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});

afterAll(async () => {
  process.env = saved;
  await server?.close();
  await db?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The page without its header line (where the figures were read, and when). */
const figuresOf = (html: string) => html.replace(/<p class="meta">[\s\S]*?<\/p>/, '');

it('writes, from a cluster through the Data API, the page the offline warehouse gives', async () => {
  const file = path.join(dir, 'deployed.html');
  const run = await runCli('report', '--cluster', 'contract-wh', '--database', 'warehouse', '--out', file);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  expect(run.out).toContain('source  cluster contract-wh (database warehouse');
  for (const name of REPORT_QUERIES) expect(run.out).toMatch(new RegExp(`\\d+ ms  ${name}\\s+\\d+ rows?`));

  const offline = await collectReportData(files, offlineRunner(db.engine));
  const expected = reportHtml(offline, { source: 'offline', generatedAt: new Date(), gates: planGates(files, DEFAULT_CONFIG) });
  const deployed = await readFile(file, 'utf8');
  expect(figuresOf(deployed)).toBe(figuresOf(expected));
  expect(deployed).toContain(`passed in load <code>${SAMPLE_LOAD_ID}</code>`);
});
