// The CDK app (cdk.json: "npx tsx bin/app.ts"): reads the sparkify:* context, builds the stack, synthesizes.
import { ConfigError } from '../lib/config/warehouse-config';
import { createWarehouseApp } from '../lib/app/warehouse-app';

try {
  createWarehouseApp().app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A configuration mistake is the user's to fix: say what and how, without a stack trace.
  console.error(`\n${error.message}\n\nSet these in cdk.json's "context" or with -c sparkify:<name>=<value>.\n`);
  process.exit(1);
}
