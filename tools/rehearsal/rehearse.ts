// `npm run rehearse`: the deploy lifecycle of the load custom resource, rehearsed on 127.0.0.1.
import { parseArgs } from 'node:util';
import { runRehearsal } from './rehearsal';
import { describeResult } from './report';

const USAGE = `usage: npm run rehearse -- [--db DIR|postgres://URL] [--cdk-cli] [--serverless] [--events N] [--keep]
  --db          the engine: a PGlite folder or a PostgreSQL server (a fresh database is made there)
                (default: a fresh PGlite in a temporary folder; SPARKIFY_TEST_DATABASE_URL's server when set)
  --cdk-cli     synthesize with the real \`npx cdk synth\` (about 15 s a deploy) instead of in-process
  --serverless  rehearse the Redshift Serverless variant (-c sparkify:compute=serverless)
  --events N    log events to generate (default 2400)
  --keep        keep the work folder (synth output, bucket, task roots, database) and print where`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      'cdk-cli': { type: 'boolean', default: false },
      serverless: { type: 'boolean', default: false },
      events: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const events = values.events === undefined ? undefined : Number(values.events);
  if (events !== undefined && !(Number.isInteger(events) && events > 0)) {
    console.error(`--events ${values.events}: give a positive whole number\n\n${USAGE}`);
    return 2;
  }
  const result = await runRehearsal({
    db: values.db ?? process.env.SPARKIFY_TEST_DATABASE_URL,
    synth: values['cdk-cli'] ? 'cli' : 'in-process',
    context: values.serverless ? { 'sparkify:compute': 'serverless' } : undefined,
    dataset: events === undefined ? undefined : { seed: 5, songs: Math.max(20, Math.round(events / 10)), events, days: 14, matchRate: 0.2 },
    keepWorkDir: values.keep,
    print: (line) => console.log(line),
  });
  for (const line of describeResult(result)) console.log(line);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rehearsal could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
