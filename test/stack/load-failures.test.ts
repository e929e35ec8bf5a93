import { AwsSolutionsChecks } from 'cdk-nag';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseStaleCheckInput } from '../../lambda/loader/stale-loads';
import { createWarehouseApp } from '../../lib/app/warehouse-app';
import { FEATURE_FLAGS, acknowledgedNagRules, onlyResource, resourcesOf, synthWarehouse } from './synth';

/**
 * A load that ends after the deploy returned (loadMode submit, the schedule) reaches a person when
 * it fails or runs past its timeout: the LoadFailures topic, the rule for FAILED/ABORTED load
 * batches, the optional email, and a stale-load check per role that submits them. The schedule's
 * own resources are tested in schedule.test.ts.
 */

const SUBMIT = { 'sparkify:loadMode': 'submit' };
const EMAIL = 'data-team@example.com';
const DAILY = 'cron(15 1 * * ? *)';

type Json = Record<string, unknown>;
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown };

const statementsOf = (document: unknown): Statement[] => (document as { Statement: Statement[] }).Statement;

function idOf(template: Template, type: string, prefix: string): string {
  const found = resourcesOf(template, type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${found.length}`);
  return found[0]![0];
}

/** A CloudFormation string with each Ref / GetAtt written <id> / <id.Attr>. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (typeof v.Ref === 'string') return `<${v.Ref}>`;
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) return (v['Fn::Join'] as [string, unknown[]])[1].map(text).join((v['Fn::Join'] as [string])[0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The stale-load checks: each function of handler index.staleLoads with the role it runs as and its schedule. */
function staleChecks(template: Template) {
  return resourcesOf(template, 'AWS::Lambda::Function')
    .filter(([, fn]) => fn.Properties?.Handler === 'index.staleLoads')
    .map(([id, fn]) => {
      const role = (fn.Properties?.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
      const [scheduleId, schedule] = resourcesOf(template, 'AWS::Scheduler::Schedule').find(
        ([, s]) => JSON.stringify((s.Properties?.Target as Json).Arn) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
      )!;
      return {
        id,
        fn,
        role,
        scheduleId,
        schedule: schedule.Properties!,
        input: JSON.parse(text((schedule.Properties?.Target as Json).Input)) as Json,
      };
    });
}

/** Every statement of the AWS::IAM::Policy resources attached to a role, by policy id. */
function rolePolicies(template: Template, roleId: string): Map<string, Statement[]> {
  return new Map(
    resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
      .map(([id, p]) => [id, statementsOf(p.Properties?.PolicyDocument)]),
  );
}

describe.each([
  ['provisioned', SUBMIT],
  ['Serverless', { ...SUBMIT, 'sparkify:compute': 'serverless' }],
])('loadMode=submit without the schedule (%s)', (compute, context) => {
  const { template, stack } = synthWarehouse(context);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json; DependsOn?: string[] }>;
  const topicId = idOf(template, 'AWS::SNS::Topic', 'LoadFailuresTopic');
  const ruleId = idOf(template, 'AWS::Events::Rule', 'LoadFailuresFailedLoadRule');

  it('has the LoadFailures topic, TLS only, published to by the rule alone among services, and outputs it', () => {
    // No KMS key (lib/schedule/load-failure-notices.ts says why): TLS-only publishes instead.
    expect(resources[topicId]!.Properties).toEqual({
      DisplayName: 'Sparkify warehouse: load failures',
      Tags: [{ Key: 'project', Value: 'sparkify-warehouse' }],
    });
    expect(statementsOf(onlyResource(template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument)).toEqual([
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'FailedLoadRulePublishes',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
      },
    ]);
    expect(template.toJSON().Outputs.LoadFailuresTopicArn).toMatchObject({ Value: { Ref: topicId } });
    expect(stack.loadFailures?.topic).toBeDefined();
  });

  it("routes every load batch that ends FAILED or ABORTED to it: the Data API's status-change event, by the loads' statement name", () => {
    expect(resources[ruleId]!.Properties).toMatchObject({
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.redshift-data'],
        'detail-type': ['Redshift Data Statement Status Change'],
        detail: { state: ['FAILED', 'ABORTED'], statementName: [{ prefix: 'sparkify-load:' }] },
      },
      Targets: [{ Arn: { Ref: topicId }, Id: 'Target0' }],
    });
    // The events are sent because the loads are submitted WithEvent (lambda/loader/submit.ts).
  });

  it('subscribes no email when none is configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('checks every 15 minutes, as the deploy loader (the role that submits these loads), for a load still running after 6 hours', () => {
    const checks = staleChecks(template);
    expect(checks).toHaveLength(1);
    const [check] = checks;
    expect(check!.role).toMatch(/^LoaderHandlerRole/);
    expect(check!.fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 120 });
    // Same bundle as the deploy's handlers.
    expect(check!.fn.Properties?.Code).toEqual(resources[idOf(template, 'AWS::Lambda::Function', 'LoaderOnEvent')]!.Properties.Code);
    expect(check!.schedule).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      // Each run at its scheduled time: the windows the handler reports tile the clock.
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 3 } },
    });
    const where =
      compute === 'provisioned'
        ? { Database: 'sparkify', DbUser: 'sparkify_loader_user', ClusterIdentifier: expect.stringMatching(/^<WarehouseCluster/) }
        : { Database: 'sparkify', WorkgroupName: expect.stringMatching(/^<WarehouseWorkgroup.*\.Workgroup\.WorkgroupName>$/) };
    expect(check!.input).toEqual({
      ...where,
      Trigger: 'stale-load-check',
      TimeoutMinutes: '360',
      IntervalMinutes: '15',
      ScheduledTime: '<aws.scheduler.scheduled-time>',
    });
    // With the references resolved, the handler's parser accepts what the schedule sends.
    const resolved = {
      ...check!.input,
      ...(compute === 'provisioned' ? { ClusterIdentifier: 'sparkify-warehouse' } : { WorkgroupName: 'sparkify-warehouse' }),
      ScheduledTime: '2026-12-01T01:15:00Z',
    };
    expect(parseStaleCheckInput(resolved)).toMatchObject({ timeoutMinutes: 360, intervalMinutes: 15, where: { database: 'sparkify' } });
  });

  it('does not retry a run, and publishes a failed one (a stale load is reported by failing) to the topic', () => {
    const [check] = staleChecks(template);
    const config = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig').find(
      ([, c]) => JSON.stringify(c.Properties?.FunctionName) === JSON.stringify({ Ref: check!.id }),
    )![1];
    expect(config.Properties).toEqual({
      FunctionName: { Ref: check!.id },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { Ref: topicId } } },
    });
  });

  it("adds to the loader's role only sns:Publish on this topic and writing the check's own log group", () => {
    const [check] = staleChecks(template);
    const { template: waiting } = synthWarehouse({ ...context, 'sparkify:loadMode': 'wait' });
    const before = rolePolicies(waiting, check!.role);
    const added = [...rolePolicies(template, check!.role)].filter(([id]) => !before.has(id));
    const logsId = (check!.fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(added.flatMap(([, statements]) => statements)).toEqual([
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId } },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logsId, 'Arn'] },
      },
    ]);
    // The policies it already had are unchanged: listing and following its own statements, signing in.
    for (const [id, statements] of before) expect(rolePolicies(template, check!.role).get(id), id).toEqual(statements);
    // It runs only once they all exist.
    expect(check!.fn.DependsOn).toEqual(expect.arrayContaining([...rolePolicies(template, check!.role).keys()]));
  });

  it("lets the check's scheduler role invoke that one function, for this account's schedules only", () => {
    const [check] = staleChecks(template);
    const roleArn = (check!.schedule.Target as Json).RoleArn as { 'Fn::GetAtt': string[] };
    const role = resources[roleArn['Fn::GetAtt'][0]!]!;
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(role.Properties.Policies).toEqual([
      {
        PolicyName: 'InvokeStaleLoadCheck',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'InvokeStaleLoadCheck',
              Effect: 'Allow',
              Action: 'lambda:InvokeFunction',
              Resource: { 'Fn::GetAtt': [check!.id, 'Arn'] },
            },
          ],
        },
      },
    ]);
  });

  it("has none of the schedule's resources or permissions", () => {
    for (const type of ['AWS::SQS::Queue', 'AWS::S3::Bucket', 'Custom::S3AutoDeleteObjects']) template.resourceCountIs(type, 0);
    expect(resourcesOf(template, 'AWS::Lambda::Function').filter(([, fn]) => fn.Properties?.Handler === 'index.scheduled')).toEqual([]);
    const json = JSON.stringify(template.toJSON());
    for (const needle of ['ListSourceForTracking', 'WriteLoadFiles', 'loads/', 'sqs:SendMessage'])
      expect(json.includes(needle), needle).toBe(false);
    expect(stack.scheduledLoad).toBeUndefined();
  });

  it('passes cdk-nag AwsSolutions with no acknowledgement of its own', () => {
    const { app } = createWarehouseApp({
      context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [], ...context },
      builtinCloudFormationValidation: false,
    });
    expect(new AwsSolutionsChecks().validateScope(app)).toEqual({ success: true, violations: [] });
    expect([...acknowledgedNagRules(app).keys()].filter((rule) => /LoadFailures|StaleLoadCheck/.test(rule))).toEqual([]);
  });
});

describe('loadMode=submit with an email and a timeout of its own', () => {
  const { template } = synthWarehouse({ ...SUBMIT, 'sparkify:alarmEmail': EMAIL, 'sparkify:backgroundLoadTimeoutHours': '2' });

  it('subscribes the email (SNS mails it a confirmation first)', () => {
    expect(onlyResource(template, 'AWS::SNS::Subscription').Properties).toEqual({
      Protocol: 'email',
      Endpoint: EMAIL,
      TopicArn: { Ref: idOf(template, 'AWS::SNS::Topic', 'LoadFailuresTopic') },
    });
  });

  it('reports a load still running after the configured hours', () => {
    const [check] = staleChecks(template);
    expect(check!.input).toMatchObject({ TimeoutMinutes: '120' });
    expect(check!.schedule.Description).toBe('Sparkify: report a background load still running 2 h after it was submitted');
  });
});

describe.each([
  ['provisioned: the schedule has a role of its own, so a check of its own', { ...SUBMIT, 'sparkify:incrementalSchedule': DAILY }, 2],
  [
    "Serverless: the schedule runs as the deploy loader's role, so one check sees both",
    { ...SUBMIT, 'sparkify:incrementalSchedule': 'rate(1 day)', 'sparkify:compute': 'serverless' },
    1,
  ],
])('loadMode=submit with the schedule (%s)', (_name, context, count) => {
  const { template } = synthWarehouse(context);

  it('has one topic and one rule, and a stale-load check per role that submits background loads', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
    const checks = staleChecks(template);
    expect(checks).toHaveLength(count);
    const scheduled = (
      resourcesOf(template, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties?.Handler === 'index.scheduled')![1].Properties
        ?.Role as { 'Fn::GetAtt': string[] }
    )['Fn::GetAtt'][0]!;
    const loader = idOf(template, 'AWS::IAM::Role', 'LoaderHandlerRole');
    expect(checks.map((check) => check.role).sort()).toEqual([...new Set([loader, scheduled])].sort());
    const topicId = idOf(template, 'AWS::SNS::Topic', 'LoadFailuresTopic');
    for (const check of checks) {
      const config = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => JSON.stringify(c.Properties?.FunctionName) === JSON.stringify({ Ref: check.id }),
      )![1];
      expect(config.Properties?.DestinationConfig).toEqual({ OnFailure: { Destination: { Ref: topicId } } });
    }
  });
});

describe('the schedule without submit mode (provisioned)', () => {
  const { template } = synthWarehouse({ 'sparkify:incrementalSchedule': DAILY });

  it("checks the scheduled loads only, as the scheduled load's role: the deploy's loads end within the deploy", () => {
    const checks = staleChecks(template);
    expect(checks.map((check) => check.role)).toEqual([expect.stringMatching(/^ScheduledLoaderRole/)]);
  });
});
