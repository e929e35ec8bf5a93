import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { reportData } from '../../lambda/loader/history';
import { parseProperties } from '../../lambda/loader/properties';
import { DEFAULT_CONFIG, parseWarehouseConfig } from '../../lib/config/warehouse-config';
import { WarehouseLoader } from '../../lib/loader/warehouse-loader';
import { buildLoadPlan, planFingerprint } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { WELL_KNOWN_ADMIN_USERNAMES } from '../../lib/rules/admin-user';
import { MAX_LOAD_ERRORS } from '../../lib/rules/limits';
import { LOAD_ID } from '../../lib/rules/load-id';
import { CLUSTER_IDENTIFIER } from '../../lib/rules/redshift-names';
import { LOADED_TABLES, STAGING_TABLES, STAR_TABLES } from '../../lib/rules/tables';
import { ProvisionedWarehouse } from '../../lib/warehouse/provisioned-warehouse';
import { ServerlessWarehouse } from '../../lib/warehouse/serverless-warehouse';
import { properties } from '../../tools/fake-aws';
import { runCli } from '../support/cli';
import { synthWarehouse } from '../stack/synth';

// Issue 11 item 2: each rule is defined once in lib/rules. These tests feed the same value to every
// surface that takes it and expect the same refusal, so a surface with its own copy of a rule fails here.
const files = readSqlFiles();
const thrown = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return '(accepted)';
};

describe('the load id rule', () => {
  const { stack } = synthWarehouse();
  const construct = (loadId: string) =>
    thrown(
      () =>
        new WarehouseLoader(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S'), 'Loader', {
          warehouse: stack.warehouse,
          sourceReadRole: stack.sourceReadRole.role,
          sourceReadPermissions: stack.sourceReadRole,
          settings: DEFAULT_CONFIG,
          loadId,
          fingerprint: planFingerprint(files, DEFAULT_CONFIG),
          loadMode: 'submit',
          pollInterval: Duration.seconds(15),
          totalTimeout: Duration.minutes(55),
        }),
    );
  const lambda = (loadId: string) => thrown(() => parseProperties(properties({ LoadId: loadId })));
  const plan = (loadId: string) =>
    thrown(() => buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::123456789012:role/r', loadId }));

  it.each(["it's", 'has space', 'semi;colon', 'x'.repeat(129)])(
    'refuses %j in the construct, the Lambda, the plan and the CLI, in the same words',
    async (bad) => {
      const words = `${JSON.stringify(bad)}: use ${LOAD_ID.expected}`;
      const cli = await runCli('load', '--db', '/nonexistent/never-opened', '--load-id', bad);
      expect(cli.code).not.toBe(0);
      expect({ construct: construct(bad), lambda: lambda(bad), plan: plan(bad), cli: cli.err }).toEqual({
        construct: expect.stringContaining(`loadId = ${words}`),
        // The Lambda says 'expected' for every property it refuses: the rule's words follow.
        lambda: expect.stringContaining(`LoadId = ${JSON.stringify(bad)}: expected ${LOAD_ID.expected}`),
        plan: expect.stringContaining(`load id = ${words}`),
        cli: expect.stringContaining(`--load-id = ${words}`),
      });
    },
  );

  it('accepts the longest id everywhere', () => {
    const longest = 'L'.repeat(128);
    expect({ construct: construct(longest), lambda: lambda(longest), plan: plan(longest) }).toEqual({
      construct: '(accepted)',
      lambda: '(accepted)',
      plan: '(accepted)',
    });
  });
});

describe('the cluster identifier rule', () => {
  it('refuses the same identifier in the Lambda and the CLI', async () => {
    const bad = 'two--hyphens';
    const cli = await runCli('query', 'daily_plays', '--cluster', bad, '--secret-arn', 'arn:aws:secretsmanager:us-west-2:1:secret:s');
    expect(cli.err).toContain(`--cluster = ${JSON.stringify(bad)}: use ${CLUSTER_IDENTIFIER.expected}`);
    expect(thrown(() => parseProperties(properties({ ClusterIdentifier: bad })))).toContain(
      `ClusterIdentifier = ${JSON.stringify(bad)}: expected ${CLUSTER_IDENTIFIER.expected}`,
    );
  });
});

describe('the well-known admin user names', () => {
  const network = () => {
    const stack = new Stack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const common = {
      databaseName: 'sparkify',
      port: 5441,
      removalPolicy: 'destroy',
      enhancedVpcRouting: false,
      securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
      sourceReadRole: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('redshift.amazonaws.com') }),
    } as const;
    return { stack, common };
  };
  const provisioned = (adminUsername: string) => {
    const { stack, common } = network();
    const props = { ...common, clusterIdentifier: 'sparkify', nodeType: 'ra3.large', numberOfNodes: 1, subnetIds: ['subnet-1'] };
    return thrown(() => new ProvisionedWarehouse(stack, 'Warehouse', { ...props, adminUsername }));
  };
  const serverless = (adminUsername: string) => {
    const { stack, common } = network();
    const props = { ...common, name: 'sparkify', baseCapacity: 8, subnetIds: ['subnet-1', 'subnet-2', 'subnet-3'] };
    return thrown(() => new ServerlessWarehouse(stack, 'Warehouse', { ...props, adminUsername }));
  };
  const config = (adminUsername: string) => thrown(() => parseWarehouseConfig({ 'sparkify:adminUsername': adminUsername }));

  it.each(WELL_KNOWN_ADMIN_USERNAMES)('refuses %j in the configuration and both warehouse constructs alike', (name) => {
    const words = `${JSON.stringify(name)}: '${name}' is a well-known default`;
    expect({ config: config(name), provisioned: provisioned(name), serverless: serverless(name) }).toEqual({
      config: expect.stringContaining(`sparkify:adminUsername = ${words}`),
      provisioned: expect.stringContaining(`adminUsername = ${words}`),
      serverless: expect.stringContaining(`adminUsername = ${words}`),
    });
  });
});

describe('the table list', () => {
  it('is staging and star tables, each once', () => {
    expect([...LOADED_TABLES].sort()).toEqual([...STAGING_TABLES, ...STAR_TABLES].sort());
    expect(new Set(LOADED_TABLES).size).toBe(LOADED_TABLES.length);
  });

  it('is what the Lambda returns', () => {
    const data = reportData({ load_id: 'l', fingerprint: 'f', outcome: 'succeeded' });
    expect(Object.keys(data).filter((key) => key.startsWith('Rows_'))).toEqual(LOADED_TABLES.map((table) => `Rows_${table}`));
  });

  it('matches the SQL: a schema file per table, and a rows_<table> column that the history statements fill and read', () => {
    for (const table of LOADED_TABLES) expect(files.has(`schema/${table}.sql`), table).toBe(true);
    for (const table of STAR_TABLES) expect(files.has(`marts/${table}.sql`), table).toBe(true);
    for (const table of STAGING_TABLES) expect(files.has(`staging/${table}.sql`), table).toBe(true);
    const columns = (file: string) => [...(files.get(file) ?? '').matchAll(/\brows_([a-z_]+)/g)].map((m) => m[1]).sort();
    const expected = [...LOADED_TABLES].sort();
    expect(columns('schema/load_history.sql')).toEqual(expected);
    expect(columns('history/load_report.sql')).toEqual(expected);
    expect(columns('history/load_succeeded.sql')).toEqual(expected);
  });
});

describe('the MAXERROR limit', () => {
  it('is what the configuration accepts, and the Lambda (through it)', () => {
    expect(parseWarehouseConfig({ 'sparkify:maxLoadErrors': MAX_LOAD_ERRORS }).maxLoadErrors).toBe(MAX_LOAD_ERRORS);
    expect(thrown(() => parseWarehouseConfig({ 'sparkify:maxLoadErrors': MAX_LOAD_ERRORS + 1 }))).toContain(`to ${MAX_LOAD_ERRORS}`);
    const settings = JSON.stringify({ ...JSON.parse(properties().Settings ?? '{}'), maxLoadErrors: MAX_LOAD_ERRORS + 1 });
    expect(thrown(() => parseProperties(properties({ Settings: settings })))).toContain(`Settings.maxLoadErrors = ${MAX_LOAD_ERRORS + 1}`);
  });
});
