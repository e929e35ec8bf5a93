/**
 * Runs the Redshift guide's table-free examples offline (test/conformance/redshift-guide-examples.json),
 * each as `npx sparkify query "<sql>"` would, and prints how many give Redshift's answer.
 *
 *   npm run conformance -- [--db postgres://...] [--verbose] [--report FILE] [--update-baseline] [--only TEXT]
 *
 * --db: a PostgreSQL server to run on (a fresh database is made and dropped); default a fresh PGlite.
 * --verbose: the counts per page. --report FILE: every case not `same`, one line each.
 * --update-baseline: rewrite this engine's part of test/conformance/known-differences.json.
 * --only TEXT: the cases whose id contains TEXT (the baseline is then neither checked nor written).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isPostgresUrl, openEngine, type SqlEngine } from '../../local/engine';
import { BASELINE_FILE, readCases, writeJsonFile } from './cases';
import {
  baselineOf,
  CLASSES,
  counts,
  needsSpatial,
  prepareEngine,
  ratchet,
  readBaseline,
  readPageErrors,
  runSuite,
  summaryLine,
  type CaseOutcome,
} from './suite';

interface Options {
  readonly db?: string;
  readonly verbose: boolean;
  readonly report?: string;
  readonly updateBaseline: boolean;
  readonly only?: string;
}

function parseArgs(args: readonly string[]): Options {
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  return {
    db: value('--db'),
    verbose: args.includes('--verbose'),
    report: value('--report'),
    updateBaseline: args.includes('--update-baseline'),
    only: value('--only'),
  };
}

/** A fresh engine: a PGlite folder of its own, or a database of its own on the server. */
async function freshEngine(db: string | undefined, spatial: boolean): Promise<{ engine: SqlEngine; dispose: () => Promise<void> }> {
  if (db && isPostgresUrl(db)) {
    const name = `sparkify_conformance_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = await openEngine(db);
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(db);
    url.pathname = `/${name}`;
    const engine = await openEngine(url.toString());
    return {
      engine,
      async dispose() {
        await engine.close().catch(() => undefined);
        const cleanup = await openEngine(db);
        await cleanup.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.close();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-conformance-'));
  const engine = await openEngine(path.join(dir, 'db'), { spatial });
  return {
    engine,
    async dispose() {
      await engine.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function perPage(outcomes: readonly CaseOutcome[]): string[] {
  const pages = new Map<string, CaseOutcome[]>();
  for (const o of outcomes) pages.set(o.page, [...(pages.get(o.page) ?? []), o]);
  return [...pages].map(([page, list]) => {
    const tally = counts(list);
    const parts = CLASSES.filter((cls) => tally[cls] > 0).map((cls) => `${tally[cls]} ${cls}`);
    return `  ${page}: ${parts.join(', ')}`;
  });
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const all = readCases().cases;
  const cases = options.only ? all.filter((c) => c.id.includes(options.only ?? '')) : all;
  const opened: { dispose: () => Promise<void> }[] = [];
  const spatial = needsSpatial(cases);
  const open = async () => {
    const fresh = await freshEngine(options.db, spatial);
    opened.push(fresh);
    await prepareEngine(fresh.engine, { spatial });
    return fresh.engine;
  };
  let run;
  let kind: SqlEngine['kind'];
  try {
    const engine = await open();
    kind = engine.kind;
    run = await runSuite(engine, cases, open);
  } finally {
    for (const each of opened) await each.dispose();
  }
  const { outcomes, ms } = run;
  const pageErrors = new Map(readPageErrors().map((e) => [e.id, e.reason]));
  if (options.verbose) console.log(['per page:', ...perPage(outcomes)].join('\n'));
  console.log(summaryLine(outcomes, kind, ms));
  if (options.report) {
    const lines = outcomes
      .filter((o) => o.class !== 'same')
      .map((o) => `${o.id}\t${o.class}\t${pageErrors.has(o.id) ? '[page error] ' : ''}${(o.reason ?? '').replace(/\s+/g, ' ')}`);
    await writeFile(options.report, `${lines.join('\n')}\n`);
    console.log(`wrote ${lines.length} cases not same to ${options.report}`);
  }
  if (options.only) return 0;
  const baseline = readBaseline();
  if (options.updateBaseline) {
    const next = Object.fromEntries(Object.entries({ ...baseline, [kind]: baselineOf(outcomes) }).sort(([a], [b]) => (a < b ? -1 : 1)));
    await writeJsonFile(BASELINE_FILE, next);
    console.log(`wrote ${Object.keys(next[kind] ?? {}).length} known differences for ${kind} to ${BASELINE_FILE}`);
    return 0;
  }
  const problems = ratchet(outcomes, baseline[kind] ?? {});
  if (problems.length > 0) {
    console.log(`${problems.length} changes against ${BASELINE_FILE} (${kind}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    console.log("a case that now gives Redshift's answer: run `npm run conformance -- --update-baseline` to shrink the list");
    return 1;
  }
  return 0;
}

process.exitCode = await main();
