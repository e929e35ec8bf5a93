/**
 * Extracts the Redshift Database Developer Guide's table-free examples into the conformance suite's
 * data file (test/conformance/redshift-guide-examples.json): every ``` block of the SQL reference
 * pages that holds a SELECT (or WITH, VALUES) reading no table, followed by its printed result.
 *
 *   npx tsx tools/conformance/extract.ts <guide repo> [--commit c91fc63] [--out FILE] [--show REASON]
 *
 * --show REASON prints (to stderr) each pair skipped for that reason ("reads a table", ...), or each
 * block of SQL left without a result with --show 'no result': how to see what the extractor leaves.
 * <guide repo> is a clone of awsdocs/amazon-redshift-developer-guide (the archived markdown source).
 * Not run in CI, which has neither the guide nor the network: the data file is committed.
 */
import { execFileSync } from 'node:child_process';
import { loadSqlParser } from '../../local/redshift-gate/parser';
import { GUIDE_URL, writeJsonFile, type GuideCase } from './cases';
import { examplesOfPage } from './guide-markdown';

const DEFAULT_COMMIT = 'c91fc63';
const DEFAULT_OUT = 'test/conformance/redshift-guide-examples.json';

/**
 * The guide's SQL reference, by the pages that list it: each page these link to under **Topics**
 * (recursively) belongs to the family of the page linked first from a root.
 */
const ROOTS = ['c_SQL_functions', 'c_SQL_reference'];
/** Index pages that list families rather than being one. */
const CONTAINERS = new Set(ROOTS);
/** The semistructured-data chapter's SUPER pages, outside the SQL reference: families of their own. */
const SUPER_PAGES = ['query-super', 'ingest-super', 'serializing-complex-JSON', 'super-configurations', 'limitations-super'];

interface Page {
  readonly name: string;
  readonly family: string;
  readonly text: string;
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The pages a page lists: its **Topics** list ("+ [title](page.md)" lines), or, on an index page
 * without one (VARBYTE functions and operators), every such line.
 */
function topicLinks(text: string): string[] {
  const link = (line: string) => /^\s*\+\s*\[.*\]\(([^)#/]+)\.md(?:#[^)]*)?\)/.exec(line)?.[1];
  const at = text.indexOf('**Topics**');
  if (at < 0) return text.split('\n').flatMap((line) => link(line) ?? []);
  const links: string[] = [];
  for (const line of text.slice(at).split('\n').slice(1)) {
    if (line.trim() === '') {
      if (links.length > 0) break;
      continue;
    }
    const name = link(line);
    if (name) links.push(name);
    else if (!/^\s*\+/.test(line)) break;
  }
  return links;
}

function readPages(repo: string, commit: string): Page[] {
  const names = new Set(
    git(repo, 'ls-tree', '-r', '--name-only', commit, 'doc_source')
      .split('\n')
      .filter((file) => file.endsWith('.md'))
      .map((file) => file.slice('doc_source/'.length, -'.md'.length)),
  );
  const texts = new Map<string, string>();
  const read = (name: string): string | undefined => {
    if (!names.has(name)) return undefined;
    if (!texts.has(name)) texts.set(name, git(repo, 'show', `${commit}:doc_source/${name}.md`));
    return texts.get(name);
  };
  const title = (name: string) => /^#\s*(.+?)<a name/.exec(read(name) ?? '')?.[1]?.replace(/\\/g, '') ?? name;
  // The families: the sections the roots list (a container's own sections in its place).
  const families: string[] = [];
  const enter = (root: string) => {
    for (const child of topicLinks(read(root) ?? '')) {
      if (CONTAINERS.has(child)) enter(child);
      else if (read(child) && !families.includes(child)) families.push(child);
    }
  };
  for (const root of ROOTS) enter(root);
  families.push(...SUPER_PAGES.filter((name) => read(name)));
  // Breadth first, so a page belongs to the section that lists it directly; a section with a
  // **Topics** list claims its pages before one that lists other sections' pages as a reminder.
  const ordered = [...families].sort(
    (a, b) => Number(!(read(a) ?? '').includes('**Topics**')) - Number(!(read(b) ?? '').includes('**Topics**')),
  );
  const family = new Map<string, string>(ordered.map((name) => [name, title(name)]));
  let level = ordered.map((name) => ({ name, into: title(name) }));
  while (level.length > 0) {
    const next: { name: string; into: string }[] = [];
    for (const { name, into } of level) {
      for (const link of topicLinks(read(name) ?? '')) {
        if (family.has(link) || !read(link) || CONTAINERS.has(link)) continue;
        family.set(link, into);
        next.push({ name: link, into });
      }
    }
    level = next;
  }
  return [...family.entries()]
    .map(([name, into]) => ({ name, family: into, text: read(name) ?? '' }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    return value;
  };
  const commit = option('--commit') ?? DEFAULT_COMMIT;
  const out = option('--out') ?? DEFAULT_OUT;
  const show = option('--show');
  const repo = args[0];
  if (!repo) throw new Error('usage: npx tsx tools/conformance/extract.ts <guide repo> [--commit c91fc63] [--out FILE] [--show REASON]');
  await loadSqlParser();
  const pages = readPages(repo, commit);
  const cases: GuideCase[] = [];
  const skipped = new Map<string, number>();
  let blocks = 0;
  let unanswered = 0;
  let pairs = 0;
  for (const page of pages) {
    const found = examplesOfPage(page.text);
    blocks += found.blocks;
    pairs += found.pairs;
    unanswered += found.unanswered.length;
    if (show === 'no result') for (const sql of found.unanswered) console.error(`--- ${page.name}\n${sql}`);
    for (const { n, pair, reason } of found.skipped) {
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      if (show === reason) console.error(`--- ${page.name}#${n}\n${pair.sql}\n${pair.printed.join('\n')}`);
    }
    for (const { n, pair, table, volatile } of found.kept) {
      cases.push({
        id: `${page.name}#${n}`,
        page: page.name,
        url: `${GUIDE_URL}${page.name}.html`,
        family: page.family,
        sql: pair.sql,
        columns: table.columns,
        rows: table.rows,
        printed: pair.printed.join('\n'),
        ...(volatile.length > 0 ? { volatile } : {}),
      });
    }
  }
  await writeJsonFile(out, { source: { repo: 'awsdocs/amazon-redshift-developer-guide', commit }, cases });
  const families = new Map<string, number>();
  for (const c of cases) families.set(c.family, (families.get(c.family) ?? 0) + 1);
  console.log(`${pages.length} pages of the SQL reference, ${blocks} code blocks`);
  console.log(`${pairs} statement-and-result pairs seen, ${cases.length} kept (table-free), ${pairs - cases.length} skipped:`);
  for (const [reason, count] of [...skipped].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(5)}  ${reason}`);
  console.log(`${unanswered} more blocks hold SQL with no printed result after it (syntax, an error, or an example without its output)`);
  console.log('kept by family:');
  for (const [family, count] of [...families].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(5)}  ${family}`);
  console.log(`wrote ${out}`);
}

await main();
