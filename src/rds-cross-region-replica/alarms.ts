import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Settings } from './settings';
import { createKeyAndAlarmTopic } from '../core/encrypted-alarm-topic';

/**
 * The region's KMS key (instance storage and the alarm topic: a cross-Region encrypted replica needs a key of its own
 * Region) and its encrypted alarm topic. @internal
 */
export function createKeyAndTopic(stack: Stack, region: string, s: Settings): { key: kms.Key; topic: sns.Topic } {
  return createKeyAndAlarmTopic(stack, {
    keyDescription: `RDS ${s.id}-${region}: instance storage and alarm topic (a cross-Region encrypted replica needs a key of its own Region)`,
    topicDisplayName: `RDS ${s.id} (${region})`,
    account: s.account,
    keyRemoval: s.keyRemoval,
  });
}

function replicaLag(instanceIdentifier: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS',
    metricName: 'ReplicaLag',
    dimensionsMap: { DBInstanceIdentifier: instanceIdentifier },
    statistic,
    period: Duration.minutes(1),
  });
}

/**
 * The alarms of a replica, notifying the region's topic on ALARM and OK. Missing data is not breaching: after a
 * promotion the instance stops reporting `ReplicaLag`, and these alarms return to OK.
 *
 * - `ReplicaLagAlarm`: `ReplicaLag` (seconds) above `replicaLagThreshold` in 2 of 3 minutes: an unplanned promotion now
 *   would lose more than that.
 * - `ReplicationNotActiveAlarm`: `ReplicaLag` below 0 for 5 minutes. AWS: "If the ReplicaLag metric returns -1, then
 *   replication is currently not active" (RDS for MySQL), and `ReplicaLag` "returns -1 if RDS can't determine the lag".
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html
 * @internal
 */
export function createReplicaAlarms(stack: Stack, region: string, instanceIdentifier: string, lagSeconds: number,
  topic: sns.ITopic): cloudwatch.Alarm[] {
  const lag = new cloudwatch.Alarm(stack, 'ReplicaLagAlarm', {
    alarmDescription: `ReplicaLag of ${instanceIdentifier} above ${lagSeconds} s: an unplanned promotion in ${region} would lose more than that`,
    metric: replicaLag(instanceIdentifier, 'Maximum'),
    threshold: lagSeconds,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const notActive = new cloudwatch.Alarm(stack, 'ReplicationNotActiveAlarm', {
    alarmDescription: `ReplicaLag of ${instanceIdentifier} is -1 for 5 minutes: replication to ${region} is not active (or RDS cannot determine the lag)`,
    metric: replicaLag(instanceIdentifier, 'Minimum'),
    threshold: 0,
    evaluationPeriods: 5,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new cw_actions.SnsAction(topic);
  for (const alarm of [lag, notActive]) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return [lag, notActive];
}
