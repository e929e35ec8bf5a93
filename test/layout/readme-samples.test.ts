import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { clonePgliteFolder } from '../../local/engine';
import { runCli, type CliRun } from '../support/cli';
import { cloneLoadedSample, SAMPLE_LOAD_ID } from '../support/engine';

// Issue 22 item 6: every sample output in README and docs/ is what the command prints today. A fenced
// text block after `<!-- sample: NAME -->` is run here (NAME below) on the bundled sample and compared
// line by line; `<!-- illustration: why -->` marks one that cannot run in a test (a deploy, two
// processes at once). Only what varies is put aside: times, load ids, the fingerprint (it changes with
// every edit of sql/), absolute paths and the platform's opener. A line `…` stands for any lines.

const ROOT = path.resolve(PROJECT_ROOT);
const ELISION = '…';
/** How the docs show the checkout: the folder a user cloned. */
const SHOWN_ROOT = '/…/sparkify-warehouse';
const SHOWN_DB = `${SHOWN_ROOT}/.sparkify/db`;

interface Block {
  readonly doc: string;
  readonly line: number;
  readonly lang: string;
  readonly marker?: { readonly kind: 'sample' | 'illustration'; readonly text: string };
  readonly lines: readonly string[];
}

const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name))
    .sort(),
];

/** The fenced blocks of a Markdown file, each with the marker comment just before it, if any. */
function fencedBlocks(doc: string): Block[] {
  const lines = readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]?.trim() === '') before--;
    const comment = /^\s*<!-- (sample|illustration): (.+?) -->\s*$/.exec(lines[before] ?? '');
    blocks.push({
      doc,
      line: i + 1,
      lang: open[2] ?? '',
      ...(comment ? { marker: { kind: comment[1] as 'sample' | 'illustration', text: comment[2] ?? '' } } : {}),
      lines: lines.slice(i + 1, end).map((line) => line.slice(indent)),
    });
    i = end;
  }
  return blocks;
}

const BLOCKS = DOCS.flatMap(fencedBlocks);

/** What varies between runs, as one token, and trailing blanks dropped. */
function normalized(text: string): string[] {
  return text
    .replace(/offline-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z/g, '<load>')
    .replace(new RegExp(`\\b${SAMPLE_LOAD_ID}\\b`, 'g'), '<load>')
    .replace(/fingerprint [0-9a-f]{16}/g, 'fingerprint <fingerprint>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, '<time> UTC')
    .replace(/ *\b\d+(?:\.\d+)? (?:ms|s)\b/g, ' <duration>')
    .replace(/waited <duration> for the warehouse, /g, '')
    .replace(/&& (?:xdg-open|open|start) /g, '&& <open> ')
    .split('\n')
    .map((line) => line.trimEnd());
}

/**
 * The actual lines as the sample shows them: each `…` of the sample takes the lines up to the one
 * the sample shows next, so a difference is shown where it is, not as a shifted block.
 */
function asShown(actual: readonly string[], sample: readonly string[]): string[] {
  const shown: string[] = [];
  let at = 0;
  sample.forEach((line, index) => {
    if (line.trim() !== ELISION) {
      shown.push(actual[at] ?? '<no more output>');
      at++;
      return;
    }
    shown.push(line);
    const next = sample.slice(index + 1).find((later) => later.trim() !== ELISION);
    if (next === undefined) at = actual.length;
    else if (actual.indexOf(next, at) !== -1) at = actual.indexOf(next, at);
  });
  return [...shown, ...actual.slice(at)];
}

/** A command as the sample shows it, and what it printed (stdout then stderr, or stderr first). */
function transcript(shown: string | undefined, run: CliRun, order: 'out-err' | 'err-out' = 'out-err'): string {
  const streams = order === 'out-err' ? [run.out, run.err] : [run.err, run.out];
  return [...(shown === undefined ? [] : [`$ ${shown}`]), ...streams.filter((text) => text !== '')].join('\n');
}

async function ok(...args: string[]): Promise<CliRun> {
  const run = await runCli(...args);
  if (run.code !== 0) throw new Error(`sparkify ${args.join(' ')} exited ${run.code}: ${run.err}`);
  return run;
}

let work: string;
/** A copy of the loaded sample that no sample writes to. */
let shared: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sparkify-doc-samples-'));
  shared = path.join(work, 'shared', 'db');
  await cloneLoadedSample(shared);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Absolute paths of this run, as the docs show them: the checkout's warehouse, or /tmp for the docs' own folders. */
function shownPaths(text: string, db?: string): string {
  let shown = text;
  if (db) shown = shown.split(db).join(SHOWN_DB);
  return shown.split(`${work}/incremental/`).join('/tmp/').split(ROOT).join(SHOWN_ROOT);
}

/** The folders of the incremental samples: a copy of sample/ with two days added, and a loaded warehouse. */
let grown: Promise<{ readonly data: string; readonly db: string }> | undefined;
function grownSample(): Promise<{ readonly data: string; readonly db: string }> {
  grown ??= (async () => {
    const data = path.join(work, 'incremental', 'sparkify-data');
    const db = path.join(work, 'incremental', 'sparkify-db');
    await cp(path.join(ROOT, 'sample'), data, { recursive: true });
    await cloneLoadedSample(db);
    await ok('generate', '--out', data, '--days-after', '2');
    return { data, db };
  })();
  return grown;
}

interface Sample {
  /** What the sample shows, produced now. */
  readonly produce?: () => Promise<string>;
  /** Or the test that checks it, which reads the doc that holds it. */
  readonly checkedBy?: string;
}

const SAMPLES: Record<string, Sample> = {
  'sparkify load, on a new warehouse': {
    async produce() {
      // A booted, empty PGlite folder: what the first `npx sparkify load` of a clone makes and loads.
      const db = path.join(work, 'new', 'db');
      await clonePgliteFolder(inject('pgliteTemplate'), db);
      return shownPaths(transcript(undefined, await ok('load', '--db', db)), db);
    },
  },
  'sparkify load --no-queries, again': {
    async produce() {
      const db = path.join(work, 'again', 'db');
      await cloneLoadedSample(db);
      return shownPaths(transcript('npx sparkify load --no-queries', await ok('load', '--no-queries', '--db', db)), db);
    },
  },
  'sparkify query most_played_songs': {
    async produce() {
      return transcript('npx sparkify query most_played_songs', await ok('query', 'most_played_songs', '--db', shared));
    },
  },
  'sparkify query, two errors': {
    async produce() {
      const runs: string[] = [];
      for (const sql of ['select titel from songs', 'SELECT NOW() FROM users']) {
        const run = await runCli('query', sql, '--db', shared);
        expect(run.code).toBe(1);
        runs.push(transcript(`npx sparkify query "${sql}"`, run));
      }
      return runs.join('\n');
    },
  },
  'sparkify plan': {
    async produce() {
      // The header goes to stderr and is printed first; the SQL to stdout.
      return shownPaths(transcript('npx sparkify plan', await ok('plan', '--db', shared), 'err-out'), shared);
    },
  },
  'sparkify test, after a duplicate user': {
    async produce() {
      const db = path.join(work, 'test', 'db');
      await cloneLoadedSample(db);
      const insert = 'INSERT INTO users SELECT * FROM users WHERE user_id = (SELECT MIN(user_id) FROM users)';
      const written = await ok('query', '--write', insert, '--db', db);
      const tested = await runCli('test', '--db', db);
      expect(tested.code).toBe(1);
      return shownPaths(
        [transcript(`npx sparkify query --write "${insert}"`, written), transcript('npx sparkify test', tested)].join('\n'),
        db,
      );
    },
  },
  'sparkify load --incremental, two new days': {
    async produce() {
      const { data, db } = await grownSample();
      const run = await ok('load', '--incremental', '--source', data, '--db', db, '--no-queries');
      return shownPaths(transcript('npx sparkify load --incremental --source /tmp/sparkify-data --db /tmp/sparkify-db --no-queries', run));
    },
  },
  'sparkify load --incremental, a changed log file': {
    async produce() {
      const { data, db } = await grownSample();
      // As `sed -i '$d' FILE`: the last record of a day an earlier load read is gone.
      const day = path.join(data, 'log_data/2018/11/2018-11-02-events.json');
      const text = await readFile(day, 'utf8');
      await writeFile(day, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
      const run = await runCli('load', '--incremental', '--source', data, '--db', db);
      expect(run.code).toBe(1);
      return shownPaths(transcript('npx sparkify load --incremental --source /tmp/sparkify-data --db /tmp/sparkify-db', run));
    },
  },
  'sparkify shell, checked by test/cli/shell.test.ts': { checkedBy: 'test/cli/shell.test.ts' },
};

const sampleBlocks = BLOCKS.filter((block) => block.marker?.kind === 'sample');

describe('the sample outputs of README and docs/', () => {
  it('marks every output block as a sample run by a test or as an illustration saying why it is not', () => {
    const outputs = BLOCKS.filter((block) => ['text', 'json'].includes(block.lang));
    expect(outputs.length).toBeGreaterThan(5);
    expect(outputs.filter((block) => !block.marker).map((block) => `${block.doc}:${block.line}`)).toEqual([]);
    expect(BLOCKS.filter((block) => block.marker && block.lang !== 'text').map((block) => `${block.doc}:${block.line}`)).toEqual([]);
  });

  it('runs each sample named, and names each sample once', () => {
    const named = sampleBlocks.map((block) => block.marker?.text ?? '');
    expect([...named].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(sampleBlocks.filter((block) => SAMPLES[block.marker?.text ?? '']?.produce))(
    '$doc:$line shows what `$marker.text` prints',
    async (block) => {
      const sample = SAMPLES[block.marker?.text ?? ''];
      const actual = normalized(await (sample?.produce?.() ?? Promise.resolve('')));
      const shown = normalized(block.lines.join('\n'));
      expect(asShown(actual, shown).join('\n')).toBe(shown.join('\n'));
    },
  );

  it.each(sampleBlocks.filter((block) => SAMPLES[block.marker?.text ?? '']?.checkedBy))(
    '$doc:$line is checked by the test it names, which reads this doc',
    (block) => {
      const test = SAMPLES[block.marker?.text ?? '']?.checkedBy ?? '';
      expect(readFileSync(path.join(ROOT, test), 'utf8')).toContain(`'${block.doc}'`);
    },
  );
});

/** GitHub's anchor for a heading: lower case, punctuation but hyphens dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function anchors(doc: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(doc, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const base = anchor(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

describe('the links of README and docs/', () => {
  it.each(DOCS)('%s links only to files and headings that exist', (doc) => {
    const text = readFileSync(path.join(ROOT, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^[a-z]+:/.test(target)) continue;
      const [file = '', hash] = target.split('#');
      const resolved = file === '' ? path.join(ROOT, doc) : path.resolve(path.dirname(path.join(ROOT, doc)), file);
      if (!existsSync(resolved)) broken.push(`${target}: no file ${path.relative(ROOT, resolved)}`);
      else if (hash !== undefined && !anchors(resolved).has(hash)) broken.push(`${target}: no heading #${hash}`);
    }
    expect(broken).toEqual([]);
  });

  it("keeps README's two commands, and CI runs the test command as README gives it", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npx sparkify load ');
    expect(readme).toContain('npm ci && npm test ');
    expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
