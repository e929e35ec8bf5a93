import { describe, expect, it } from 'vitest';
import { ANALYST_ROLE, ANALYST_USER, DB_ROLES_TAG, LOADER_ROLE } from '../../lib/rules/database-identities';
import { onlyResource, resourcesOf, synthWarehouse } from '../stack/synth';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (resource: { Properties?: Record<string, unknown> }) =>
  (resource.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;

// Issue 13: the admin secret is read by the bootstrap alone; analysts sign in without a password.
describe.each(['provisioned', 'serverless'] as const)('database identities (%s)', (compute) => {
  const { template } = synthWarehouse(compute === 'serverless' ? { 'sparkify:compute': 'serverless' } : {});
  const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

  it('lets only the bootstrap read the admin secret', () => {
    const readers = Object.entries(json.Resources).filter(
      ([, r]) =>
        ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type) && JSON.stringify(r).includes('secretsmanager:GetSecretValue'),
    );
    expect(readers.map(([id]) => id)).toEqual([expect.stringMatching(/^BootstrapPolicy/)]);
    const [, policy] = readers[0]!;
    expect((policy.Properties?.Roles as { Ref: string }[]).map((r) => r.Ref)).toEqual([expect.stringMatching(/^BootstrapRole/)]);
  });

  it('bootstraps before the load, with the mode, the source role and the admin secret', () => {
    const bootstrap = onlyResource(template, 'Custom::SparkifyBootstrap');
    expect(bootstrap.Properties).toMatchObject({
      Mode: compute,
      Database: 'sparkify',
      SourceRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^SourceReadRole/), 'Arn'] },
      Fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const [loadId] = resourcesOf(template, 'Custom::SparkifyLoad')[0]!;
    const [bootstrapId] = resourcesOf(template, 'Custom::SparkifyBootstrap')[0]!;
    expect(json.Resources[loadId]!).toHaveProperty('DependsOn', expect.arrayContaining([bootstrapId]));
  });

  it('gives analysts a role and a managed policy with only the Data API calls a query needs, signed in as the analyst', () => {
    const [, policy] = resourcesOf(template, 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith('AnalystAccessPolicy'))!;
    const statements = statementsOf(policy);
    const actions = statements.flatMap((st) => [st.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'redshift-data:CancelStatement',
        'redshift-data:DescribeStatement',
        'redshift-data:ExecuteStatement',
        'redshift-data:GetStatementResult',
        'redshift-data:ListStatements',
        compute === 'serverless' ? 'redshift-serverless:GetCredentials' : 'redshift:GetClusterCredentials',
      ].sort(),
    );
    const signIn = statements.find((st) => [st.Action].flat().some((a) => /Get(Cluster)?Credentials/.test(a)))!;
    if (compute === 'provisioned') expect(JSON.stringify(signIn.Resource)).toContain(`/${ANALYST_USER}`);
    const unscoped = statements.find((st) => st.Resource === '*')!;
    expect(unscoped.Condition).toEqual({ StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } });
    const [, role] = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => id.startsWith('AnalystAccessRole'))!;
    const tags = role.Properties?.Tags as { Key: string; Value: string }[];
    if (compute === 'serverless') expect(tags).toContainEqual({ Key: DB_ROLES_TAG, Value: ANALYST_ROLE });
    else expect(tags.map((t) => t.Key)).not.toContain(DB_ROLES_TAG);
    const outputs = json as unknown as { Outputs: Record<string, unknown> };
    expect(Object.keys(outputs.Outputs)).toEqual(
      expect.arrayContaining(['AnalystRoleArn', 'AnalystPolicyArn', ...(compute === 'provisioned' ? ['AnalystDbUser'] : [])]),
    );
  });
});

describe('Serverless sign-in', () => {
  // Issue 21: on Serverless the database roles come from the caller's RedshiftDbRoles tag, so the
  // sign-in is allowed only while that tag names the policy's own role, exactly.
  it("conditions every GetCredentials on the caller's RedshiftDbRoles tag naming that policy's role exactly", () => {
    const serverless = synthWarehouse({ 'sparkify:compute': 'serverless', 'sparkify:incrementalSchedule': 'rate(1 day)' });
    const policies = [
      ...resourcesOf(serverless.template, 'AWS::IAM::ManagedPolicy'),
      ...resourcesOf(serverless.template, 'AWS::IAM::Policy'),
    ];
    const signIns = policies.flatMap(([id, policy]) =>
      statementsOf(policy)
        .filter((st) => [st.Action].flat().includes('redshift-serverless:GetCredentials'))
        .map((st) => [id.replace(/[0-9A-F]{8}$/, ''), st.Condition] as const),
    );
    expect(signIns).toEqual([
      ['AnalystAccessPolicy', { StringEquals: { [`aws:PrincipalTag/${DB_ROLES_TAG}`]: ANALYST_ROLE } }],
      ['LoaderHandlerPolicy', { StringEquals: { [`aws:PrincipalTag/${DB_ROLES_TAG}`]: LOADER_ROLE } }],
    ]);
    // The scheduled load signs in as the loader's own role (its policy is the loader's), tagged to match.
    const tagsOf = (prefix: string) =>
      (resourcesOf(serverless.template, 'AWS::IAM::Role').find(([id]) => id.startsWith(prefix))![1].Properties?.Tags ?? []) as {
        Key: string;
        Value: string;
      }[];
    expect(tagsOf('AnalystAccessRole')).toContainEqual({ Key: DB_ROLES_TAG, Value: ANALYST_ROLE });
    expect(tagsOf('LoaderHandlerRole')).toContainEqual({ Key: DB_ROLES_TAG, Value: LOADER_ROLE });
  });
});
