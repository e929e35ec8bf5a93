#!/usr/bin/env node
// The `sparkify` command: runs the TypeScript CLI through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { exitOnInterrupt } = await import('../cli/interrupt-handler.ts');
exitOnInterrupt();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
// An engine that failed to start can leave handles open: never hang after the answer is printed.
globalThis.setTimeout(() => process.exit(), 2000).unref();
