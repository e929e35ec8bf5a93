#!/usr/bin/env node
// The `sparkify` command: the CLI built as JavaScript from cli/ (bin/build-cli.mjs; npm runs it on
// `npm ci` and `npm install`), rebuilt first when a source changed since, and never compiled on each run.
import { loadCli } from './build-cli.mjs';

let cli;
try {
  cli = await loadCli((line) => process.stderr.write(`${line}\n`));
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
cli.exitOnInterrupt();
process.exitCode = await cli.main(process.argv);
// An engine that failed to start can leave handles open: never hang after the answer is printed.
globalThis.setTimeout(() => process.exit(), 2000).unref();
