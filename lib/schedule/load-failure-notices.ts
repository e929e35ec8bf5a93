import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { InvalidPropsError } from '../stack/invalid-props-error';

export interface LoadFailureNoticesProps {
  /** Statement names of loads start with this (lambda/loader/history.ts LOAD_STATEMENT_PREFIX). */
  readonly statementNamePrefix: string;
  /** Subscribed to the topic (SNS mails a confirmation first). @default no subscription */
  readonly email?: string;
}

/**
 * One SNS topic for every load that fails out of sight of a deploy (loadMode 'submit', and the
 * schedule's): a background batch that ends FAILED or ABORTED (the Data API's EventBridge event,
 * sent because loads submit WithEvent), a scheduled run that fails before its batch, and a load
 * still running past its timeout (the on-failure destinations of the scheduled load and of the
 * stale-load check publish here).
 */
export class LoadFailureNotices extends Construct {
  readonly topic: sns.Topic;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: LoadFailureNoticesProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9._:-]{1,64}$/.test(props.statementNamePrefix)) {
      throw new InvalidPropsError(
        this,
        `statementNamePrefix = ${JSON.stringify(props.statementNamePrefix)}: use 1-64 letters, digits or . _ : -`,
      );
    }

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Sparkify warehouse: load failures',
      enforceSSL: true,
    });
    if (props.email !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    // No KMS key: the notices hold no warehouse data (load id, statement id, times, the database's
    // message), and EventBridge can publish to an encrypted topic only through a customer managed key
    // whose policy admits events.amazonaws.com (https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification),
    // a billed key the stack has no other use for: its other stores use the service's own keys
    // (SSE-S3, SQS-managed), which SNS does not offer. In transit, publishes without TLS are refused.

    // "Redshift Data Statement Status Change", sent when a statement submitted WithEvent ends
    // (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-monitoring-events.html).
    this.rule = new events.Rule(this, 'FailedLoadRule', {
      description: `Sparkify: a load batch (${props.statementNamePrefix}*) ended FAILED or ABORTED`,
      eventPattern: {
        source: ['aws.redshift-data'],
        detailType: ['Redshift Data Statement Status Change'],
        detail: {
          state: ['FAILED', 'ABORTED'],
          statementName: [{ prefix: props.statementNamePrefix }],
        },
      },
    });
    this.rule.addTarget({ bind: () => ({ arn: this.topic.topicArn }) });
    // EventBridge publishes with the topic's resource policy: this rule only.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'FailedLoadRulePublishes',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
  }
}
