// The sparkify CLI as JavaScript: cli/index.ts and everything of this project it imports, bundled by
// esbuild into dist/cli/ (gitignored). npm runs it as the root package's `prepare` script on `npm ci`
// and `npm install` (`npm run build` by hand); bin/sparkify.mjs and the tests' global setup rebuild
// when a source changed since. Plain JavaScript, so that node runs it with nothing compiled first.
//
// Packages stay external, loaded from node_modules as they are: PGlite and PostGIS find their .wasm
// and .data files beside their own modules, libpg-query its .wasm, the report its vega bundles
// (createRequire), fs-native-extensions its native addon. The project's files that locate others
// from import.meta.url (PROJECT_ROOT, SQL_DIR: '../../') sit two folders below the root, and so does
// every output file here (dist/cli/*.mjs), so those paths name the same folders built or not.
// Modules loaded on demand (the Data API client, with the AWS SDK) are chunks of their own, so
// `sparkify --help` does not load them.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const OUT_DIR = path.join(ROOT, 'dist', 'cli');
/** What bin/sparkify.mjs imports: `main` and `exitOnInterrupt` (cli/index.ts). */
export const ENTRY = path.join(OUT_DIR, 'index.mjs');
/** When the build began and the files it read, for the freshness check. */
const MANIFEST = path.join(OUT_DIR, 'build.json');
const THIS_FILE = fileURLToPath(import.meta.url);
/** Chunks an earlier build wrote and this one no longer uses are removed once this old (a running CLI may still load one). */
const OLD_CHUNK_MS = 60 * 60 * 1000;

/** Builds dist/cli from cli/index.ts; resolves to the build's manifest. Each file is written aside and renamed into place. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { index: 'cli/index.ts' },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'silent',
    banner: { js: '// Built from cli/ by bin/build-cli.mjs: edit the TypeScript, not this file.' },
  });
  mkdirSync(OUT_DIR, { recursive: true });
  // Chunks first, the entry after them, the manifest last: whoever finds a new file finds what it names.
  const entryLast = [...result.outputFiles].sort((a, b) => Number(a.path === ENTRY) - Number(b.path === ENTRY));
  for (const file of entryLast) writeAtomically(file.path, file.contents);
  const inputs = [...Object.keys(result.metafile.inputs), path.relative(ROOT, THIS_FILE)].sort();
  const outputs = result.outputFiles.map((file) => path.basename(file.path));
  const manifest = { builtAt, inputs, outputs };
  writeAtomically(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  removeOldChunks(new Set([...outputs, path.basename(MANIFEST)]));
  return manifest;
}

function writeAtomically(file, contents) {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, file);
}

function removeOldChunks(keep) {
  for (const name of readdirSync(OUT_DIR)) {
    if (keep.has(name)) continue;
    const where = path.join(OUT_DIR, name);
    try {
      if (Date.now() - statSync(where).mtimeMs > OLD_CHUNK_MS) rmSync(where, { force: true });
    } catch {
      // gone meanwhile: another build removed it
    }
  }
}

/**
 * Why dist/cli cannot be run as it is (missing, or a source it was built from changed since: a
 * file's modification time after the build began), or undefined when it is current. About 250
 * stat calls: a few milliseconds.
 */
export function staleness() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'the CLI is not built (dist/cli)';
  }
  for (const input of manifest.inputs) {
    let modified;
    try {
      modified = statSync(path.join(ROOT, input)).mtimeMs;
    } catch {
      return `${input}, which the built CLI was built from, is gone`;
    }
    if (modified > manifest.builtAt) return `${input} changed since the CLI was built`;
  }
  for (const output of manifest.outputs) {
    try {
      statSync(path.join(OUT_DIR, output));
    } catch {
      return `dist/cli/${output} is missing`;
    }
  }
  return undefined;
}

/**
 * The CLI's module (`main`, `exitOnInterrupt`): the build when it is current; else rebuilt first
 * (about half a second); else, where it cannot be rebuilt (no esbuild, a checkout this user may not
 * write), the TypeScript itself through tsx, after one line on `note` saying so. Never a stale build.
 */
export async function loadCli(note) {
  const stale = staleness();
  if (stale) {
    try {
      await buildCli();
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      note(`sparkify: ${stale} and rebuilding it failed (${why}): running the TypeScript through tsx instead; 'npm run build' rebuilds it`);
      return fromSources();
    }
  }
  return import(pathToFileURL(ENTRY).href);
}

async function fromSources() {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    throw new Error(
      "the CLI is not built and tsx is not installed to run its TypeScript: run 'npm ci' (or 'npm run build') in the project folder",
    );
  }
  register();
  return import(pathToFileURL(path.join(ROOT, 'cli', 'index.ts')).href);
}

// `node bin/build-cli.mjs` (npm run build, npm's prepare): build, and say where.
if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  const began = performance.now();
  const manifest = await buildCli();
  process.stdout.write(
    `built ${path.relative(ROOT, ENTRY)} from ${manifest.inputs.length} files in ${Math.round(performance.now() - began)} ms\n`,
  );
}
