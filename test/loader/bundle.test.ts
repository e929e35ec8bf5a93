import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { createWarehouseApp } from '../../lib/app/warehouse-app';
import { readSqlFiles } from '../../lib/plan/sql-files';

const outdir = mkdtempSync(path.join(tmpdir(), 'sparkify-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

// The one test that really bundles (esbuild, locally): every other test skips bundling.
describe('the loader bundle', () => {
  it('is one minified ESM file with the plan’s sql/ beside it, exporting onEvent, isComplete and scheduled', async () => {
    const { stack } = createWarehouseApp({ outdir, builtinCloudFormationValidation: false });
    const template = Template.fromStack(stack);
    const [, onEvent] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('LoaderOnEvent'))!;
    const key = (onEvent.Properties.Code as { S3Key: string }).S3Key;
    const assetDir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);

    const files = readdirSync(assetDir);
    expect(files.sort()).toEqual(['index.mjs', 'sql']);
    const bundled = readSqlFiles(path.join(assetDir, 'sql'));
    expect([...bundled.entries()]).toEqual([...readSqlFiles().entries()]);
    const code = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
    expect(code).not.toContain('sourceMappingURL');
    expect(code.length / code.split('\n').length).toBeGreaterThan(2000); // minified: long lines

    const handlerBytes = statSync(path.join(assetDir, 'index.mjs')).size;
    const started = performance.now();
    const module = (await import(pathToFileURL(path.join(assetDir, 'index.mjs')).href)) as Record<string, unknown>;
    const importMs = performance.now() - started;
    expect(typeof module.onEvent).toBe('function');
    expect(typeof module.isComplete).toBe('function');
    // The schedule's handler (lib/schedule), from the same bundle.
    expect(typeof module.scheduled).toBe('function');
    console.log(
      `loader bundle: index.mjs ${(handlerBytes / 1024).toFixed(1)} KiB, with sql/ ${(sizeOf(assetDir) / 1024).toFixed(1)} KiB; ` +
        `cold import ${importMs.toFixed(0)} ms`,
    );
    expect(handlerBytes).toBeLessThan(1024 * 1024);
    expect(existsSync(path.join(assetDir, 'sql', 'staging', 'staging_events.sql'))).toBe(true);
  });
});
