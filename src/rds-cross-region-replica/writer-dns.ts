import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { PromotionMetric } from './promote-core';
import type { CheckedWriterDns } from './settings';

/*
 * The writer DNS name, designed so that a failover needs no Route 53 API call.
 *
 * Route 53's control plane (records, health checks) "is hosted in us-east-1"; its data plane answers DNS queries "based
 * on your hosted zones and health check data", and "During a control plane impairment, CRUDL-type operations for
 * Route 53 may not work, but DNS resolution and health checks, and updates to routing resulting from changes in health
 * checks, will continue to work" (AWS Fault Isolation Boundaries, Appendix B,
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/appendix-b---edge-network-global-service-guidance.html).
 * So the records never change after deployment; health checks decide:
 *
 *   <name>            failover PRIMARY   → the primary's endpoint, health: "no replica was promoted"
 *                     failover SECONDARY → CNAME promoted.<name> (no health check: always a candidate)
 *   promoted.<name>   weighted, one per replica → that replica's endpoint, health: "this replica was promoted"
 *                     (with one replica, no health check: there is only one candidate)
 *
 * "No replica was promoted" / "this replica was promoted" are CLOUDWATCH_METRIC health checks on an alarm in each replica
 * region (`<instance>-promoted`) over the metric the region's handler publishes: 1 once its instance is a writable
 * standalone instance (published by the promotion itself, and every minute by the watcher, which also follows a
 * promotion done from the console, the CLI or an ARC Region switch plan), 0 while it is a replica. "Route 53 monitors
 * the data stream for the corresponding alarm instead of monitoring the alarm state"
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html); with
 * `InsufficientDataHealthStatus: LastKnownStatus` the check keeps its status when the data stops (the region is down, the
 * instance is renamed during a rebuild), and "For new health checks that have no last known status, the default status
 * for the health check is healthy" (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
 * The alarm lives in the replica's region: it keeps working when the primary's region is down.
 */

/** The metric every handler publishes for the writer DNS name. @internal */
export const PROMOTION_METRIC: PromotionMetric = { namespace: 'CdkMultiRegionFailover/RdsCrossRegionReplica', metricName: 'Promoted' };

/** The name of the promotion alarm of an instance. @internal */
export function promotedAlarmName(instanceIdentifier: string): string {
  return `${instanceIdentifier}-promoted`;
}

function metricHealthCheck(scope: Construct, id: string, alarmName: string, region: string, inverted: boolean, name: string): route53.CfnHealthCheck {
  return new route53.CfnHealthCheck(scope, id, {
    healthCheckConfig: {
      type: 'CLOUDWATCH_METRIC',
      alarmIdentifier: { name: alarmName, region },
      insufficientDataHealthStatus: 'LastKnownStatus',
      inverted: inverted || undefined,
    },
    healthCheckTags: [{ key: 'Name', value: name }],
  });
}

/** What a replica region adds for the writer DNS name. @internal */
export interface ReplicaWriterRecordInput {
  readonly stack: Stack;
  readonly region: string;
  readonly instanceIdentifier: string;
  readonly endpointAddress: string;
  readonly dns: CheckedWriterDns;
  /** How many replica regions there are: with one, its record needs no health check. */
  readonly replicaCount: number;
  readonly topic: sns.ITopic;
}

/**
 * In a replica region: the promotion alarm (1 = promoted), and the region's weighted record of `promoted.<name>`, with an
 * inverted health check on the alarm (healthy once promoted) when there are several replicas.
 * @internal
 */
export function createReplicaWriterRecord(input: ReplicaWriterRecordInput): cloudwatch.Alarm {
  const { stack, region, instanceIdentifier, dns } = input;
  // Route 53 "supports CloudWatch alarms with the following features: Standard-resolution metrics ... Statistics: Average,
  // Minimum, Maximum, Sum, and SampleCount" (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html):
  // a standard-resolution metric (PutMetricData without StorageResolution), Maximum over 60 s.
  const alarm = new cloudwatch.Alarm(stack, 'PromotedAlarm', {
    alarmName: promotedAlarmName(instanceIdentifier),
    alarmDescription: `${instanceIdentifier} is a promoted, writable standalone instance: the writer DNS name ${dns.recordName} now answers ${region}`,
    metric: new cloudwatch.Metric({
      namespace: PROMOTION_METRIC.namespace,
      metricName: PROMOTION_METRIC.metricName,
      dimensionsMap: { DBInstanceIdentifier: instanceIdentifier },
      statistic: 'Maximum',
      period: Duration.minutes(1),
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.IGNORE,
  });
  const action = new cw_actions.SnsAction(input.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  const healthCheck = input.replicaCount > 1
    ? metricHealthCheck(stack, 'PromotedHealthCheck', alarm.alarmName, region, true, `${instanceIdentifier} promoted`)
    : undefined;
  new route53.CfnRecordSet(stack, 'WriterRecord', {
    hostedZoneId: dns.hostedZoneId,
    name: `${dns.promotedName}.`,
    type: 'CNAME',
    ttl: String(dns.ttl.toSeconds()),
    setIdentifier: region,
    weight: 1,
    healthCheckId: healthCheck?.attrHealthCheckId,
    resourceRecords: [input.endpointAddress],
  });
  return alarm;
}

/** What the writer stack needs. @internal */
export interface WriterStackInput {
  readonly account: string;
  readonly primaryRegion: string;
  readonly stackName: string;
  readonly primaryInstanceIdentifier: string;
  /** The SSM parameter the primary stack writes with its endpoint address (read at deploy time, same region). */
  readonly endpointParameterName: string;
  readonly replicas: Array<{ readonly region: string; readonly instanceIdentifier: string }>;
  readonly dns: CheckedWriterDns;
}

/**
 * The writer name's primary-region part, in a stack of its own that deploys after every region's stack (its health
 * checks name the replica regions' alarms, which must exist): a `NotPromoted-<region>` health check per replica region
 * (a calculated "none promoted" over them with several replicas) and the failover PRIMARY / SECONDARY records.
 * @internal
 */
export function createWriterStack(scope: Construct, input: WriterStackInput): Stack {
  const { dns } = input;
  const stack = new Stack(scope, 'writer', {
    env: { account: input.account, region: input.primaryRegion },
    stackName: input.stackName,
    description: `Writer DNS name ${dns.recordName} of RDS ${input.primaryInstanceIdentifier}: follows the promoted replica (cdk-multi-region-failover)`,
  });
  const notPromoted = input.replicas.map((r) =>
    metricHealthCheck(stack, `NotPromoted-${r.region}`, promotedAlarmName(r.instanceIdentifier), r.region, false, `${r.instanceIdentifier} not promoted`));
  const primaryHealth = notPromoted.length === 1 ? notPromoted[0] : new route53.CfnHealthCheck(stack, 'NoReplicaPromoted', {
    healthCheckConfig: {
      type: 'CALCULATED',
      childHealthChecks: notPromoted.map((h) => h.attrHealthCheckId),
      healthThreshold: notPromoted.length,
    },
    healthCheckTags: [{ key: 'Name', value: `${input.primaryInstanceIdentifier}: no replica promoted` }],
  });
  const ttl = String(dns.ttl.toSeconds());
  new route53.CfnRecordSet(stack, 'PrimaryRecord', {
    hostedZoneId: dns.hostedZoneId,
    name: `${dns.recordName}.`,
    type: 'CNAME',
    ttl,
    setIdentifier: `${input.primaryRegion}-primary`,
    failover: 'PRIMARY',
    healthCheckId: primaryHealth.attrHealthCheckId,
    resourceRecords: [ssm.StringParameter.valueForStringParameter(stack, input.endpointParameterName)],
  });
  new route53.CfnRecordSet(stack, 'PromotedRecord', {
    hostedZoneId: dns.hostedZoneId,
    name: `${dns.recordName}.`,
    type: 'CNAME',
    ttl,
    setIdentifier: 'promoted-replica',
    failover: 'SECONDARY',
    resourceRecords: [dns.promotedName],
  });
  new CfnOutput(stack, 'WriterEndpoint', {
    value: dns.recordName,
    description: `The writer: ${input.primaryRegion}'s instance until a replica is promoted, then the promoted one (no Route 53 call at failover)`,
  });
  return stack;
}
