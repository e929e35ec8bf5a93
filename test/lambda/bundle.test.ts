import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL_DIR } from '../../lib/plan/sql-files';
import { event, historyRow, properties } from './fake-aws';

/**
 * The handler as Lambda runs it: bundled as ESM with sql/ beside it, in its own Node process, its
 * AWS clients pointed at a stub on 127.0.0.1 by the SDK's standard AWS_ENDPOINT_URL_* variables.
 */
let dir: string;
let server: Server;
let endpoint: string;
const seen: string[] = [];

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Just enough of the Data API (JSON) to load; Redshift and IAM (query protocol) deny, so preflight skips its checks. */
function stub(): Server {
  const statements = new Map<string, string>();
  return createServer((request, response) => {
    void body(request).then((text) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      seen.push(target || `query:${new URLSearchParams(text).get('Action') ?? '?'}`);
      if (!target) {
        response.writeHead(403, { 'content-type': 'text/xml' });
        response.end('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>stub denies</Message></Error><RequestId>1</RequestId></ErrorResponse>');
        return;
      }
      const input = JSON.parse(text || '{}') as { Id?: string; Sql?: string };
      const json = (value: unknown) => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(value));
      };
      const operation = target.split('.')[1];
      if (operation === 'BatchExecuteStatement') return json({ Id: '11111111-2222-4333-8444-555555555555', CreatedAt: 1_700_000_000 });
      if (operation === 'ExecuteStatement') {
        const id = `22222222-2222-4333-8444-${String(statements.size + 1).padStart(12, '0')}`;
        statements.set(id, input.Sql ?? '');
        return json({ Id: id, CreatedAt: 1_700_000_000 });
      }
      if (operation === 'DescribeStatement') {
        if (input.Id?.startsWith('1111')) return json({ Id: input.Id, Status: 'FINISHED', Duration: 5e9 });
        // The first history read finds no table (a first deploy); later ones find the load.
        const first = input.Id?.endsWith('000000000001');
        return json(first ? { Id: input.Id, Status: 'FAILED', Error: 'ERROR: relation "load_history" does not exist' } : { Id: input.Id, Status: 'FINISHED', HasResultSet: true });
      }
      if (operation === 'GetStatementResult') {
        const row = historyRow('load-20250101T000000Z', 'succeeded');
        const columns = Object.keys(row);
        return json({
          ColumnMetadata: columns.map((name) => ({ name, label: name })),
          Records: [columns.map((name) => (typeof row[name] === 'number' ? { longValue: row[name] } : row[name] === null ? { isNull: true } : { stringValue: row[name] }))],
        });
      }
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'ValidationException', message: `stub has no ${operation}` }));
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sparkify-loader-'));
  await build({
    entryPoints: ['lambda/loader/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    // As lib/loader bundles it. Without both, the SDK's CommonJS builds call require('node:https'),
    // which an ESM module cannot: the import fails on Lambda.
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as sparkifyCreateRequire } from 'node:module'; const require = sparkifyCreateRequire(import.meta.url);" },
    outfile: path.join(dir, 'index.mjs'),
    logLevel: 'silent',
  });
  await cp(SQL_DIR, path.join(dir, 'sql'), { recursive: true });
  server = stub();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Runs onEvent then isComplete of the bundle in a fresh Node process; returns both answers. */
async function runBundle(events: unknown[]): Promise<{ answers: unknown[]; logs: Record<string, unknown>[] }> {
  const script = `
    const { onEvent, isComplete } = await import(${JSON.stringify(path.join(dir, 'index.mjs'))});
    const events = JSON.parse(process.env.EVENTS);
    const answers = [await onEvent(events[0])];
    for (const e of events.slice(1)) answers.push(await isComplete({ ...e, ...answers[0] }));
    process.stderr.write('ANSWERS ' + JSON.stringify(answers) + '\\n');`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoint,
      AWS_ENDPOINT_URL_REDSHIFT: endpoint,
      AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: endpoint,
      AWS_ENDPOINT_URL_IAM: endpoint,
      EVENTS: JSON.stringify(events),
    },
    timeout: 30_000,
  });
  const answers = JSON.parse(/ANSWERS (.*)/.exec(stderr)?.[1] ?? 'null') as unknown[];
  // Powertools writes INFO to stdout, WARN and ERROR to stderr.
  const logs = `${stdout}\n${stderr}`.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { answers, logs };
}

describe('the bundled handler', () => {
  it('loads end to end against a loopback endpoint, reading the SQL shipped beside it', async () => {
    const create = event('Create');
    const { answers, logs } = await runBundle([create, create]);
    expect(answers[0]).toMatchObject({ PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify', Data: { StatementId: '11111111-2222-4333-8444-555555555555', Outcome: 'running' } });
    expect(answers[1]).toMatchObject({ IsComplete: true, Data: { LoadId: 'load-20250101T000000Z', Outcome: 'succeeded', Rows_songplays: '6820' } });
    expect(seen).toContain('RedshiftData.BatchExecuteStatement');
    expect(seen).toContain('query:DescribeClusters');
    expect(seen).toContain('query:SimulatePrincipalPolicy');
    // Powertools JSON lines, one per phase, with the load id; the skipped checks as warnings.
    const phases = logs.filter((line) => line.level === 'INFO').map((line) => line.message);
    expect(phases).toEqual(['history', 'preflight', 'submit', 'report']);
    expect(logs.every((line) => line.service === 'sparkify-loader')).toBe(true);
    expect(logs.filter((line) => line.level === 'WARN' && line.message === 'preflight')).toHaveLength(6);
    expect(JSON.stringify(logs)).not.toContain('not-a-secret');
  });

  it('deletes at once, even with garbage properties', async () => {
    const before = seen.length;
    const { answers } = await runBundle([{ ...event('Delete'), ResourceProperties: { LoadId: 42 } }, event('Delete')]);
    expect(answers).toEqual([{ PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify' }, { IsComplete: true }]);
    expect(seen.length).toBe(before);
  });

  it('rejects properties plainly', async () => {
    await expect(runBundle([event('Create', properties({ RoleArn: 'nope' }))])).rejects.toThrow('RoleArn = "nope": expected an IAM role ARN');
  });
});
