import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { CheckedEngine } from './support';
import { CheckedAutoFailover } from './validation';
import { createKeyAndAlarmTopic } from '../core/encrypted-alarm-topic';

/** What the alarms of one region need. @internal */
export interface RegionAlarmsInput {
  readonly stack: Stack;
  readonly region: string;
  readonly clusterId: string;
  readonly isPrimary: boolean;
  readonly engine: CheckedEngine;
  readonly lagMs: number;
  readonly writerCpuThreshold?: number;
  readonly writerConnectionsThreshold?: number;
  readonly topic: sns.ITopic;
}

function rdsMetric(metricName: string, dimensions: { [name: string]: string }, statistic = 'Maximum'): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: dimensions, statistic, period: Duration.minutes(1) });
}

/**
 * Lag alarms of a secondary (`AuroraGlobalDBReplicationLag`; `AuroraGlobalDBRPOLag` for Aurora PostgreSQL) and
 * optional writer alarms in every region, each notifying the region's topic on ALARM and OK. Missing data is not
 * breaching: these alarms warn, they never start anything.
 * @internal
 */
export function createRegionAlarms(input: RegionAlarmsInput): cloudwatch.Alarm[] {
  const { stack, region, clusterId, lagMs } = input;
  const alarms: cloudwatch.Alarm[] = [];
  if (!input.isPrimary) {
    alarms.push(new cloudwatch.Alarm(stack, 'ReplicationLagAlarm', {
      alarmDescription: `AuroraGlobalDBReplicationLag of ${clusterId} above ${lagMs} ms: the secondary ${region} lags the primary`,
      metric: rdsMetric('AuroraGlobalDBReplicationLag', { DBClusterIdentifier: clusterId }),
      threshold: lagMs,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
  // AuroraGlobalDBRPOLag is alarmed for Aurora PostgreSQL secondaries only.
  if (!input.isPrimary && input.engine.isPostgres) {
    alarms.push(new cloudwatch.Alarm(stack, 'RpoLagAlarm', {
      alarmDescription: `AuroraGlobalDBRPOLag of ${clusterId} above ${lagMs} ms: an unplanned failover to ${region} would lose more than that`,
      metric: rdsMetric('AuroraGlobalDBRPOLag', { DBClusterIdentifier: clusterId }),
      threshold: lagMs,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
  if (input.writerCpuThreshold !== undefined) {
    alarms.push(new cloudwatch.Alarm(stack, 'WriterCpuAlarm', {
      alarmDescription: `Writer CPU of ${clusterId} above ${input.writerCpuThreshold} % (data only while ${region} is the primary)`,
      metric: rdsMetric('CPUUtilization', { DBClusterIdentifier: clusterId, Role: 'WRITER' }, 'Average'),
      threshold: input.writerCpuThreshold,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
  if (input.writerConnectionsThreshold !== undefined) {
    alarms.push(new cloudwatch.Alarm(stack, 'WriterConnectionsAlarm', {
      alarmDescription: `Writer connections of ${clusterId} above ${input.writerConnectionsThreshold} (data only while ${region} is the primary)`,
      metric: rdsMetric('DatabaseConnections', { DBClusterIdentifier: clusterId, Role: 'WRITER' }),
      threshold: input.writerConnectionsThreshold,
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
  const action = new cw_actions.SnsAction(input.topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return alarms;
}

/**
 * The automatic failover trigger of the target region. Everything lives in the target region, so it works when
 * the primary region is gone (a CloudWatch metric alarm only reads metrics of its own region):
 *
 * - `ReplicationStalledAlarm`: the target's `AuroraGlobalDBReplicationLag` above the threshold for every one of
 *   `evaluationPeriods` minutes. Missing data is NOT breaching: no data is no evidence.
 * - your primary-health alarm: an independent signal (e.g. a canary in the target region probing the primary's
 *   application). A replication stall alone (network trouble between regions, a storage hiccup) must not cause a
 *   failover with `AllowDataLoss`.
 * - `ReplicationDataMissingAlarm`: no lag data at all for `evaluationPeriods` minutes (treated as breaching). It
 *   notifies the topic. Alone it never starts a failover (the metric may just be late), but when the primary region
 *   is really gone the lag metric may stop rather than grow: only engine versions with secondary availability keep
 *   the secondary publishing during a cross-region disruption
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-secondary-availability.html).
 * - `PrimaryLostAlarm`: composite `ALARM(primary health) AND (ALARM(stalled) OR ALARM(data missing))`: the
 *   independent signal is always required. Its ALARM state change (sent to EventBridge:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html) starts
 *   `{ mode: 'failover', targetRegion }`.
 *
 * Missing-data handling: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 * @internal
 */
export function createAutoFailoverTrigger(stack: Stack, clusterId: string, auto: CheckedAutoFailover, stateMachine: sfn.IStateMachine | undefined,
  topic: sns.ITopic): cloudwatch.IAlarm[] {
  const region = auto.targetRegion;
  const minutes = auto.evaluationPeriods;
  const lag = rdsMetric('AuroraGlobalDBReplicationLag', { DBClusterIdentifier: clusterId });
  const action = new cw_actions.SnsAction(topic);
  const stalled = new cloudwatch.Alarm(stack, 'ReplicationStalledAlarm', {
    alarmDescription: `AuroraGlobalDBReplicationLag of ${clusterId} above ${auto.lagThresholdMs} ms for ${minutes} min (missing data does not count): `
      + `one of the two signals of the automatic failover to ${region}`,
    metric: lag,
    threshold: auto.lagThresholdMs,
    evaluationPeriods: minutes,
    datapointsToAlarm: minutes,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  stalled.addAlarmAction(action);
  const missing = new cloudwatch.Alarm(stack, 'ReplicationDataMissingAlarm', {
    alarmDescription: `No AuroraGlobalDBReplicationLag data from ${clusterId} for ${minutes} min: replication to ${region} may have stopped. `
      + 'Starts a failover only together with the independent primary-health alarm; otherwise check the primary region',
    metric: lag,
    // Lag is never negative: only missing data (treated as breaching) puts this alarm in ALARM.
    threshold: 0,
    evaluationPeriods: minutes,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  missing.addAlarmAction(action);
  missing.addOkAction(action);
  const primaryHealth = cloudwatch.Alarm.fromAlarmArn(stack, 'PrimaryHealthAlarm', auto.primaryHealthAlarmArn);
  const trigger = new cloudwatch.CompositeAlarm(stack, 'PrimaryLostAlarm', {
    alarmDescription: `The primary-health alarm is in ALARM AND replication to ${region} stalled or stopped reporting: starts an unplanned `
      + `failover (FailoverGlobalCluster, AllowDataLoss) to ${region}`,
    alarmRule: cloudwatch.AlarmRule.allOf(
      cloudwatch.AlarmRule.fromAlarm(primaryHealth, cloudwatch.AlarmState.ALARM),
      cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.fromAlarm(stalled, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(missing, cloudwatch.AlarmState.ALARM),
      ),
    ),
  });
  trigger.addAlarmAction(action);
  if (!stateMachine) {
    // orchestration REGION_SWITCH: the composite alarm is the Region switch plan's trigger (AuroraGlobalFailover adds it).
    return [stalled, missing, trigger];
  }
  new events.Rule(stack, 'AutoFailoverRule', {
    description: `Starts an unplanned failover of the Aurora global database to ${region} when PrimaryLostAlarm goes to ALARM`,
    eventPattern: {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      resources: [trigger.alarmArn],
      detail: { state: { value: ['ALARM'] } },
    },
    targets: [new targets.SfnStateMachine(stateMachine, {
      input: events.RuleTargetInput.fromObject({ mode: 'failover', targetRegion: region }),
    })],
  });
  return [stalled, missing, trigger];
}

/** The region's KMS key (cluster storage and the alarm topic) and its encrypted alarm topic, in `stack`'s region and account. @internal */
export function createKeyAndTopic(stack: Stack, gid: string, keyRemoval: RemovalPolicy): { key: kms.Key; topic: sns.Topic } {
  return createKeyAndAlarmTopic(stack, {
    keyDescription: `Aurora global database ${gid} in ${stack.region}: cluster storage and alarm topic`,
    topicDisplayName: `Aurora global database ${gid} (${stack.region})`,
    account: stack.account,
    keyRemoval,
  });
}
