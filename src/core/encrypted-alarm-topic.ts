import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';

/** The region's KMS key and alarm topic of a multi-region construct's regional stack. @internal */
export interface EncryptedAlarmTopicOptions {
  /** The key's description (what it encrypts). */
  readonly keyDescription: string;
  /** The topic's display name. */
  readonly topicDisplayName: string;
  /** The account whose CloudWatch alarms may use the key (`aws:SourceAccount`). */
  readonly account: string;
  /** The key's removal policy; with DESTROY the key's deletion waits the shortest pending window, 7 days. */
  readonly keyRemoval: RemovalPolicy;
}

/**
 * A region's KMS key (`Key`, rotation on), which encrypts the region's data and its alarm topic, and the alarm topic
 * (`AlarmTopic`, TLS only) it encrypts. CloudWatch alarms publish to the KMS-encrypted topic, so the key policy lets the
 * CloudWatch service principal of this account use the key
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * Internal: not exported from the package index.
 * @internal
 */
export function createKeyAndAlarmTopic(stack: Stack, options: EncryptedAlarmTopicOptions): { key: kms.Key; topic: sns.Topic } {
  const key = new kms.Key(stack, 'Key', {
    description: options.keyDescription,
    enableKeyRotation: true,
    removalPolicy: options.keyRemoval,
    pendingWindow: options.keyRemoval === RemovalPolicy.DESTROY ? Duration.days(7) : undefined,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': options.account } },
  }));
  const topic = new sns.Topic(stack, 'AlarmTopic', {
    displayName: options.topicDisplayName,
    masterKey: key,
    enforceSSL: true,
  });
  return { key, topic };
}
