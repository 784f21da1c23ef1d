import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Settings } from './settings';
import { createKeyAndAlarmTopic } from '../core/encrypted-alarm-topic';

/** CloudWatch: "Alarms based on metric math expressions can reference a maximum of 10 metrics". */
export const MAX_METRICS_PER_ALARM = 10;

/** The region's KMS key (the cache at rest and the alarm topic) and its encrypted alarm topic. @internal */
export function createKeyAndTopic(stack: Stack, region: string, s: Settings): { key: kms.Key; topic: sns.Topic } {
  return createKeyAndAlarmTopic(stack, {
    keyDescription: `ElastiCache global datastore ${s.cacheName} in ${region}: cache at rest and alarm topic`,
    topicDisplayName: `ElastiCache global datastore ${s.cacheName} (${region})`,
    account: s.account,
    keyRemoval: s.keyRemoval,
  });
}

/**
 * The cache clusters (nodes) of a replication group, by ElastiCache's naming: `<id>-001`, `<id>-002` … with cluster mode
 * disabled (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html shows `redis12-001`,
 * `redis12-002`), `<id>-0001-001` … per shard with cluster mode enabled
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.CreatingReplGroup.NoExistingCluster.Cluster.html
 * shows `sample-repl-group-0001-001`).
 * @internal
 */
export function nodeIds(replicationGroupId: string, s: Pick<Settings, 'clusterMode' | 'shards' | 'replicasPerShard'>): string[] {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const nodes = Array.from({ length: 1 + s.replicasPerShard }, (_, i) => i + 1);
  if (!s.clusterMode) {
    return nodes.map((n) => `${replicationGroupId}-${pad(n, 3)}`);
  }
  return Array.from({ length: s.shards }, (_, i) => i + 1).flatMap((shard) => nodes.map((n) => `${replicationGroupId}-${pad(shard, 4)}-${pad(n, 3)}`));
}

/**
 * `GlobalDatastoreReplicationLag` of a set of nodes, Maximum over 1 minute, in seconds. AWS: "This is the lag between the
 * secondary Region's primary node and the primary Region's primary node. For cluster mode enabled Redis, the lag indicates
 * the maximum delay among the shards", unit Seconds (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html). ElastiCache publishes it per node
 * (dimension `CacheClusterId`) and which node is the region's primary changes with in-region failovers, so the alarm takes
 * the maximum over every node: `MAX([m0, m1, …])` (at most 10 metrics per alarm).
 * @internal
 */
export function lagExpression(nodes: string[], label: string): cloudwatch.MathExpression {
  const usingMetrics: { [id: string]: cloudwatch.IMetric } = {};
  nodes.forEach((node, i) => {
    usingMetrics[`m${i}`] = new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName: 'GlobalDatastoreReplicationLag',
      dimensionsMap: { CacheClusterId: node },
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
  });
  return new cloudwatch.MathExpression({
    expression: `MAX([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    label,
    period: Duration.minutes(1),
  });
}

/** The lag alarm of a secondary, and every alarm it is made of. @internal */
export interface LagAlarms {
  /** What notifies: the single alarm, or the composite alarm over the chunks. */
  readonly alarm: cloudwatch.IAlarm;
  /** Every alarm created. */
  readonly all: cloudwatch.IAlarm[];
}

/**
 * The `GlobalDatastoreReplicationLag` alarm of a secondary: above `replicationLagThreshold` in 2 of 3 minutes, missing
 * data not breaching (it warns; promotion is manual). More than 10 nodes: one alarm per 10 nodes and a composite alarm
 * over them ("Split your logic across multiple alarms and combine them using a composite alarm",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html). Each notifies the region's topic
 * on ALARM and OK.
 * @internal
 */
export function createLagAlarms(stack: Stack, region: string, s: Settings, topic: sns.ITopic): LagAlarms {
  const rg = s.replicationGroupIds[region];
  const nodes = nodeIds(rg, s);
  const chunks: string[][] = [];
  for (let i = 0; i < nodes.length; i += MAX_METRICS_PER_ALARM) {
    chunks.push(nodes.slice(i, i + MAX_METRICS_PER_ALARM));
  }
  const action = new cw_actions.SnsAction(topic);
  const description = `GlobalDatastoreReplicationLag of ${rg} above ${s.lagSeconds} s: the secondary ${region} lags the primary (asynchronous replication; writes not yet replicated are lost if it is promoted now)`;
  const alarms = chunks.map((chunk, i) => {
    const single = chunks.length === 1;
    const alarm = new cloudwatch.Alarm(stack, single ? 'ReplicationLagAlarm' : `ReplicationLagAlarm${i + 1}`, {
      alarmDescription: single ? description : `${description} (nodes ${chunk[0]} to ${chunk[chunk.length - 1]})`,
      metric: lagExpression(chunk, `GlobalDatastoreReplicationLag ${rg}`),
      threshold: s.lagSeconds,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (single) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  });
  if (alarms.length === 1) {
    return { alarm: alarms[0], all: alarms };
  }
  const composite = new cloudwatch.CompositeAlarm(stack, 'ReplicationLagAlarm', {
    alarmDescription: `${description} (any of ${alarms.length} alarms over ${nodes.length} nodes)`,
    alarmRule: cloudwatch.AlarmRule.anyOf(...alarms.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
  });
  composite.addAlarmAction(action);
  composite.addOkAction(action);
  return { alarm: composite, all: [...alarms, composite] };
}
