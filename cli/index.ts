/** What bin/sparkify.mjs runs, built into dist/cli/index.mjs by bin/build-cli.mjs. */
export { main } from './main';
export { exitOnInterrupt } from './interrupt-handler';
