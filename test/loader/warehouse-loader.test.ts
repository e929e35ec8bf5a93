import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { createWarehouseApp } from '../../lib/app/warehouse-app';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { WarehouseLoader, type WarehouseLoaderProps } from '../../lib/loader/warehouse-loader';
import { LOADER_ROLE, LOADER_USER } from '../../lib/rules/database-identities';
import { LOADED_TABLES } from '../../lib/rules/tables';
import { planFingerprint } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { InvalidPropsError } from '../../lib/stack/invalid-props-error';
import { SYNTH_LOAD_ID, onlyResource, resourcesOf, synthWarehouse } from '../stack/synth';

const FINGERPRINT = planFingerprint(readSqlFiles(), DEFAULT_CONFIG);
const noBundling = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

function load(context: Record<string, unknown> = {}) {
  return onlyResource(synthWarehouse(context).template, 'Custom::SparkifyLoad');
}

describe('WarehouseLoader', () => {
  it('runs both handlers from lambda/loader/index.ts on Node.js 24, arm64, with their own log groups', () => {
    const { template } = synthWarehouse();
    const handlers = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => /^Loader(OnEvent|IsComplete)/.test(id));
    expect(handlers.map(([, fn]) => fn.Properties?.Handler).sort()).toEqual(['index.isComplete', 'index.onEvent']);
    for (const [, fn] of handlers) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 300 });
      const logGroup = (fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const group = template.toJSON().Resources[logGroup];
      expect(group).toMatchObject({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete', Properties: { RetentionInDays: 30 } });
    }
    // Every Lambda of the stack, the Provider framework's too, runs the latest Node.js.
    for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) expect(fn.Properties?.Runtime).toBe('nodejs24.x');
  });

  it('polls every pollIntervalSeconds for at most loadTimeoutMinutes, within CloudFormation’s hour', () => {
    const { template } = synthWarehouse({ 'sparkify:pollIntervalSeconds': 20, 'sparkify:loadTimeoutMinutes': 30 });
    const machine = onlyResource(template, 'AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"IntervalSeconds\\":20,\\"MaxAttempts\\":90,\\"BackoffRate\\":1');
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(onlyResource(template, 'Custom::SparkifyLoad').Properties.ServiceTimeout).toBe('2100');
    // The defaults: 15 s for 55 minutes; CloudFormation's own limit stays at the hour.
    expect(
      JSON.stringify(onlyResource(synthWarehouse().template, 'AWS::StepFunctions::StateMachine').Properties.DefinitionString),
    ).toContain('\\"IntervalSeconds\\":15,\\"MaxAttempts\\":220');
    expect(load().Properties.ServiceTimeout).toBe('3600');
  });

  it('passes the load its id, fingerprint, role, settings, database, database user, cluster and mode: no secret', () => {
    expect(load().Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^LoaderProviderframeworkonEvent/), 'Arn'] },
      ServiceTimeout: '3600',
      LoadId: SYNTH_LOAD_ID,
      Fingerprint: FINGERPRINT,
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^SourceReadRole/), 'Arn'] },
      Settings: JSON.stringify({
        sourceBucket: 'udacity-dend',
        sourceRegion: 'us-west-2',
        eventsPrefix: 'log_data',
        songsPrefix: 'song_data',
        jsonpathsKey: 'log_json_path.json',
        maxLoadErrors: 0,
      }),
      Database: 'sparkify',
      DbUser: LOADER_USER,
      ClusterIdentifier: { Ref: expect.stringMatching(/^WarehouseCluster/) },
      LoadMode: 'wait',
    });
  });

  it('names the workgroup instead of a cluster on Serverless, where the handlers sign in with their IAM identity', () => {
    const { template } = synthWarehouse({ 'sparkify:compute': 'serverless', 'sparkify:loadMode': 'submit' });
    const properties = onlyResource(template, 'Custom::SparkifyLoad').Properties;
    expect(properties).toMatchObject({
      WorkgroupName: { 'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupName'] },
      LoadMode: 'submit',
    });
    expect(properties).not.toHaveProperty('ClusterIdentifier');
    expect(properties).not.toHaveProperty('DbUser');
    expect(properties).not.toHaveProperty('SecretArn');
    // Redshift Serverless grants the IAM identity the database roles its RedshiftDbRoles tag names.
    const [roleId, role] = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('LoaderHandlerRole'))!;
    expect(role.Properties?.Tags).toContainEqual({ Key: 'RedshiftDbRoles', Value: LOADER_ROLE });
    const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('LoaderHandlerPolicy'))!;
    const statements = (policy.Properties?.PolicyDocument as { Statement: { Sid: string }[] }).Statement;
    expect(statements.find((st) => st.Sid === 'SignInWithIamIdentity')).toEqual({
      Sid: 'SignInWithIamIdentity',
      Effect: 'Allow',
      Action: 'redshift-serverless:GetCredentials',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupArn'] },
      // Serverless signs the handlers in with the database roles of their RedshiftDbRoles tag: only the loader's.
      Condition: { StringEquals: { 'aws:PrincipalTag/RedshiftDbRoles': 'sparkify_loader' } },
    });
    expect(JSON.stringify(policy)).not.toContain('secretsmanager');
    expect(roleId).toBeTruthy();
  });

  it('changes the load id on every synth, so every deploy reloads, unless the load is pinned to the fingerprint', () => {
    const loadIdAt = (iso: string, context: Record<string, unknown> = {}) => {
      const { stack } = createWarehouseApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, synthTime: new Date(iso) });
      return stack.loadId;
    };
    expect(loadIdAt('2025-03-01T10:00:00.000Z')).toBe('2025-03-01T10:00:00.000Z');
    expect(loadIdAt('2025-03-01T10:00:01.000Z')).not.toBe(loadIdAt('2025-03-01T10:00:00.000Z'));
    expect(loadIdAt('2025-03-01T10:00:00.000Z', { 'sparkify:pinLoad': true })).toBe(FINGERPRINT);
    expect(loadIdAt('2025-03-02T00:00:00.000Z', { 'sparkify:pinLoad': true })).toBe(FINGERPRINT);
    expect(load({ 'sparkify:pinLoad': true }).Properties.LoadId).toBe(FINGERPRINT);
    // A pinned load still reruns when the sources change: the fingerprint covers them.
    expect(load({ 'sparkify:pinLoad': true, 'sparkify:maxLoadErrors': 5 }).Properties.LoadId).not.toBe(FINGERPRINT);
  });

  it('waits for the role attachment, the role’s permissions and its own policy before any load', () => {
    const { template } = synthWarehouse();
    const dependsOn = load().DependsOn ?? [];
    const idOf = (type: string, prefix: string) => resourcesOf(template, type).find(([id]) => id.startsWith(prefix))![0];
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        idOf('AWS::Redshift::Cluster', 'WarehouseCluster'),
        idOf('AWS::IAM::Role', 'SourceReadRole'),
        idOf('AWS::IAM::Policy', 'LoaderHandlerPolicy'),
        idOf('AWS::EC2::VPCEndpoint', 'NetworkVpcS3Endpoint'),
      ]),
    );
    const serverless = synthWarehouse({ 'sparkify:compute': 'serverless' }).template;
    expect(onlyResource(serverless, 'Custom::SparkifyLoad').DependsOn).toEqual(
      expect.arrayContaining([onlyResource(serverless, 'AWS::RedshiftServerless::Workgroup').id]),
    );
  });

  it('grants the handlers exactly what the load and its preflight need, on this cluster, as the loader, with this role: no secret', () => {
    const { template } = synthWarehouse();
    const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('LoaderHandlerPolicy'))!;
    const role = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('LoaderHandlerRole'))![0];
    // The region is known at synth, so the partition is too (cdk.json's feature flags).
    const clusterArn = { 'Fn::Join': ['', ['arn:aws:redshift:us-west-2:', { Ref: 'AWS::AccountId' }, ':cluster:sparkify-warehouse']] };
    const cluster = { Ref: expect.stringMatching(/^WarehouseCluster/) };
    const roleId = { 'Fn::GetAtt': [role, 'RoleId'] };
    expect(policy.Properties?.Roles).toEqual([{ Ref: role }]);
    expect((policy.Properties?.PolicyDocument as { Statement: unknown }).Statement).toEqual([
      {
        Sid: 'RunStatementsOnThisWarehouse',
        Effect: 'Allow',
        Action: ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement'],
        Resource: clusterArn,
      },
      {
        Sid: 'FollowOwnStatements',
        Effect: 'Allow',
        Action: [
          'redshift-data:CancelStatement',
          'redshift-data:DescribeStatement',
          'redshift-data:GetStatementResult',
          'redshift-data:ListStatements',
        ],
        Resource: '*',
        Condition: { StringLike: { 'redshift-data:statement-owner-iam-userid': [roleId, { 'Fn::Join': ['', [roleId, ':*']] }] } },
      },
      { Sid: 'PreflightWarehouse0', Effect: 'Allow', Action: 'redshift:DescribeClusters', Resource: clusterArn },
      {
        Sid: 'PreflightSourceReadRole',
        Effect: 'Allow',
        Action: 'iam:SimulatePrincipalPolicy',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SourceReadRole/), 'Arn'] },
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^LoaderisCompleteLogs/), 'Arn'] },
          { 'Fn::GetAtt': [expect.stringMatching(/^LoaderonEventLogs/), 'Arn'] },
        ],
      },
      {
        // Temporary credentials as the loader's database user, in this database of this cluster only.
        Sid: 'SignInAsDatabaseUser',
        Effect: 'Allow',
        Action: 'redshift:GetClusterCredentials',
        Resource: [
          { 'Fn::Join': ['', ['arn:aws:redshift:us-west-2:', { Ref: 'AWS::AccountId' }, ':dbname:', cluster, '/sparkify']] },
          { 'Fn::Join': ['', ['arn:aws:redshift:us-west-2:', { Ref: 'AWS::AccountId' }, ':dbuser:', cluster, `/${LOADER_USER}`]] },
        ],
      },
    ]);
    // No managed policy (no AWSLambdaBasicExecutionRole) on the handlers' role.
    expect(template.toJSON().Resources[role].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets the Serverless preflight read this workgroup and namespace only', () => {
    const { template } = synthWarehouse({ 'sparkify:compute': 'serverless' });
    const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('LoaderHandlerPolicy'))!;
    const statements = (policy.Properties?.PolicyDocument as { Statement: { Sid: string }[] }).Statement;
    expect(statements.filter((st) => st.Sid.startsWith('Preflight'))).toEqual([
      {
        Sid: 'PreflightWarehouse0',
        Effect: 'Allow',
        Action: 'redshift-serverless:GetWorkgroup',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupArn'] },
      },
      {
        Sid: 'PreflightWarehouse1',
        Effect: 'Allow',
        Action: 'redshift-serverless:GetNamespace',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WarehouseNamespace/), 'Namespace.NamespaceArn'] },
      },
      { Sid: 'PreflightSourceReadRole', Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: expect.anything() },
    ]);
  });

  it("outputs the load id, and in 'wait' mode the rows of every table", () => {
    const outputs = synthWarehouse().template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.LoadId!.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LoaderLoad/), 'LoadId'] });
    const rows = Object.entries(outputs).filter(([name]) => name.startsWith('Rows'));
    expect(rows.map(([, o]) => (o.Value as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][1]).sort()).toEqual(
      LOADED_TABLES.map((t) => `Rows_${t}`).sort(),
    );
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AdminSecretArn',
        'AnalystDbUser',
        'AnalystPolicyArn',
        'AnalystRoleArn',
        'ClusterIdentifier',
        'DatabaseName',
        'EndpointAddress',
        'EndpointPort',
        'LoadFingerprint',
        'LoadId',
        'SourceReadRoleArn',
        ...rows.map(([name]) => name),
      ].sort(),
    );
    expect(rows.map(([name]) => name).sort()).toEqual([
      'RowsArtists',
      'RowsSongplays',
      'RowsSongs',
      'RowsStagingEvents',
      'RowsStagingSongs',
      'RowsTime',
      'RowsUsers',
    ]);
  });

  it("does not ask for rows in 'submit' mode: the load returns before they are known", () => {
    const outputs = synthWarehouse({ 'sparkify:loadMode': 'submit' }).template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).filter((name) => name.startsWith('Rows'))).toEqual([]);
    expect(outputs).toHaveProperty('LoadId');
  });

  describe('props validation', () => {
    const { stack: built } = synthWarehouse();
    const base: WarehouseLoaderProps = {
      warehouse: built.warehouse,
      sourceReadRole: built.sourceReadRole.role,
      sourceReadPermissions: built.sourceReadRole,
      settings: DEFAULT_CONFIG,
      loadId: 'a-load',
      fingerprint: FINGERPRINT,
      loadMode: 'submit',
      pollInterval: Duration.seconds(15),
      totalTimeout: Duration.minutes(55),
    };
    const build = (override: Partial<WarehouseLoaderProps>) =>
      new WarehouseLoader(new Stack(noBundling(), 'S'), 'Loader', { ...base, ...override });
    it.each([
      [{ loadId: 'has space' }, 'loadId = "has space"'],
      [{ fingerprint: 'xyz' }, 'fingerprint = "xyz"'],
      [{ totalTimeout: Duration.minutes(61) }, 'totalTimeout = 61 min'],
      [{ pollInterval: Duration.minutes(6) }, 'pollInterval = 360 s'],
      [{ pollInterval: Duration.minutes(2), totalTimeout: Duration.minutes(1) }, 'pollInterval must be shorter than totalTimeout'],
    ])('refuses %j', (override, message) => {
      expect(() => build(override)).toThrowError(InvalidPropsError);
      expect(() => build(override)).toThrowError(message);
    });
    it("refuses to give rows of a 'submit' load", () => {
      const loader = new WarehouseLoader(new Stack(noBundling(), 'S2'), 'Loader', base);
      expect(() => loader.rows('songs')).toThrowError("a 'submit' load returns before the rows are known");
    });
  });
});
