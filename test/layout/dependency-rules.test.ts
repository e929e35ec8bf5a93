import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-config';

// The layout's rules (.dependency-cruiser.cjs) run on the real tree in `npm test`; here they run on
// small trees that break them, to prove each rule can fail.
const CRUISER = path.join(PROJECT_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = path.join(PROJECT_ROOT, '.dependency-cruiser.cjs');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Rules the tree of `files` breaks, by name (empty when it keeps them all). */
async function violations(files: Record<string, string>): Promise<string[]> {
  dir = await mkdtemp(path.join(tmpdir(), 'sparkify-layout-'));
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const roots = [...new Set(Object.keys(files).map((name) => name.split('/')[0] ?? name))];
  const run = await promisify(execFile)(process.execPath, [CRUISER, ...roots, '--config', CONFIG, '--output-type', 'json'], {
    cwd: dir,
  }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  const result = JSON.parse(run.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return [...new Set(result.summary.violations.map((v) => v.rule.name))].sort();
}

describe('the layout rules', () => {
  it('accept imports that flow one way: cli -> tools -> local -> lambda -> lib', async () => {
    expect(
      await violations({
        'lib/plan/plan.ts': 'export const plan = 1;\n',
        'lambda/loader/index.ts': "import { plan } from '../../lib/plan/plan';\nexport const handler = plan;\n",
        'local/engine.ts': "import { handler } from '../lambda/loader/index';\nexport const engine = handler;\n",
        'tools/bench/run.ts': "import { engine } from '../../local/engine';\nexport const run = engine;\n",
        'cli/main.ts': "import { run } from '../tools/bench/run';\nexport const main = run;\n",
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'lib/ imports a tool',
      'lib-imports-only-lib',
      {
        'lib/stack/stack.ts': "import { t } from '../../tools/bench/t';\nexport const s = t;\n",
        'tools/bench/t.ts': 'export const t = 1;\n',
      },
    ],
    [
      'lib/ imports the twin',
      'lib-imports-only-lib',
      {
        'lib/stack/stack.ts': "import { e } from '../../local/engine';\nexport const s = e;\n",
        'local/engine.ts': 'export const e = 1;\n',
      },
    ],
    [
      'the handler imports the stack',
      'lambda-imports-only-the-shared-core',
      {
        'lambda/loader/index.ts': "import { s } from '../../lib/stack/stack';\nexport const h = s;\n",
        'lib/stack/stack.ts': 'export const s = 1;\n',
      },
    ],
    [
      'the twin imports a tool',
      'local-imports-no-tools',
      {
        'local/engine.ts': "import { g } from '../tools/generator/g';\nexport const e = g;\n",
        'tools/generator/g.ts': 'export const g = 1;\n',
      },
    ],
    [
      'a tool imports the CLI',
      'tools-import-no-cli',
      { 'tools/bench/run.ts': "import { m } from '../../cli/main';\nexport const r = m;\n", 'cli/main.ts': 'export const m = 1;\n' },
    ],
    [
      'a cycle of type imports',
      'no-cycles',
      {
        'lambda/loader/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
        'lambda/loader/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
      },
    ],
  ])('refuse a tree where %s', async (_what, rule, files) => {
    expect(await violations(files)).toEqual([rule]);
  });
});
