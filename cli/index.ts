/** What bin/sparkify.mjs runs, built into dist/cli/index.mjs by tools/build-cli.mjs. */
export { main } from './main';
export { exitOnInterrupt } from './interrupt-handler';
