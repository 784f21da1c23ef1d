import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { kvsArnParameterName, SITE_IDS } from './distribution';
import { readGlobalParameter } from './origin-stack';
import { ReconcilerFunction } from './reconciler-function';
import { SiteSettings } from './settings';
import { WriteFailoverFunction } from './write-failover-function';
import { NagSuppressions } from '../core/nag';

const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const KVS_ACTIONS = ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:GetKey', 'cloudfront-keyvaluestore:PutKey'];

/** How often the reconciler runs (EventBridge Scheduler, flexible time window off). @internal */
export const RECONCILER_RATE = Duration.minutes(1);
/** Probes of the primary per reconciler run when the alarm cannot be read: all fail → DR, all answer → primary. @internal */
export const RECONCILER_PROBES = { count: 3, timeout: Duration.seconds(5), interval: Duration.seconds(5) };
/** Total timeout of the reconciler's `DescribeAlarms` call to us-east-1 (one attempt, enforced by an abort signal). @internal */
export const ALARM_READ_TIMEOUT = Duration.seconds(3);
/** Timeout of the one probe of the DR origin before `dr` is chosen (flip and reconciler; the reconciler uses `PROBE_TIMEOUT_MS` for both). @internal */
export const DR_PROBE_TIMEOUT = RECONCILER_PROBES.timeout;

/** Name of the primary health alarm (us-east-1), deterministic so the DR-region reconciler can read it. @internal */
export function primaryHealthAlarmName(siteName: string): string {
  return `${siteName}-primary-health`;
}

/** Name of the DR health alarm (us-east-1): the DR origin fails its probe through CloudFront. @internal */
export function drHealthAlarmName(siteName: string): string {
  return `${siteName}-dr-health`;
}

/** The settings the alarm path reads. @internal */
export type AlarmPathSettings = Pick<SiteSettings, 'siteName' | 'domainName' | 'primaryRegion' | 'drRegion' | 'interval' | 'threshold'>;
/** The settings the reconciler reads. @internal */
export type ReconcilerSettings = Pick<SiteSettings, 'siteName' | 'account' | 'domainName' | 'refresh'>;

/** The us-east-1 half of write failover. @internal */
export interface AlarmPath {
  readonly healthCheck: route53.HealthCheck;
  readonly alarm: cloudwatch.Alarm;
  /** The health check of the DR origin, probed through CloudFront (the DR-only probe path). */
  readonly drHealthCheck: route53.HealthCheck;
  /** Its `HealthCheckStatus` alarm: notifies only (a failover to an unhealthy DR origin would not help). */
  readonly drAlarm: cloudwatch.Alarm;
  readonly flipper: lambda.Function;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
}

/**
 * Route 53 health check of the primary, probed through CloudFront (the primary-only probe path) → CloudWatch alarm
 * on `HealthCheckStatus` (published in us-east-1 only) → asynchronous Lambda alarm action that flips the flag (on
 * ALARM only if the DR origin answers its probe path). Lambda retries a failed asynchronous invocation twice, then sends the event to the on-failure queue, which an
 * alarm watches; the DR-region reconciler corrects the flag within a minute meanwhile.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * @internal
 */
export function buildAlarmPath(g: Stack, s: AlarmPathSettings, distribution: cloudfront.IDistribution, kvs: cloudfront.IKeyValueStore): AlarmPath {
  const healthCheck = originHealthCheck(g, 'PrimaryHealthCheck', s, distribution, SITE_IDS.primaryProbePath);
  const dr = drHealth(g, s, distribution);
  const deadLetterQueue = new sqs.Queue(g, 'WriteFailoverFailures', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  NagSuppressions.addResourceSuppressions(deadLetterQueue, [
    { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the on-failure destination of the flag-flip function: it keeps the events that failed every retry, for an operator to read.' },
  ]);
  const flipper = new WriteFailoverFunction(g, 'WriteFailover', {
    description: `GlobalSsrSite ${s.siteName}: flips the active SSR origin flag on the primary health alarm`,
    timeout: Duration.seconds(30),
    environment: {
      ...flagEnvironment(kvs.keyValueStoreArn),
      DR_PROBE_URL: `https://${s.domainName}${SITE_IDS.drProbePath}`,
      PROBE_TIMEOUT_MS: String(DR_PROBE_TIMEOUT.toMilliseconds()),
    },
    retryAttempts: 2,
    maxEventAge: Duration.minutes(5),
    onFailure: new destinations.SqsDestination(deadLetterQueue),
  });
  flipper.addToRolePolicy(new iam.PolicyStatement({ actions: KVS_ACTIONS, resources: [kvs.keyValueStoreArn] }));
  suppressHandler(flipper, 'the flag-flip function');

  const alarm = new cloudwatch.Alarm(g, 'PrimaryHealthAlarm', {
    alarmName: primaryHealthAlarmName(s.siteName),
    alarmDescription: `GlobalSsrSite ${s.siteName}: the primary SSR origin (${s.primaryRegion}) fails its health check; every request goes to ${s.drRegion}`,
    ...healthAlarmSettings(healthCheck),
  });
  alarm.addAlarmAction(new cwActions.LambdaAction(flipper));
  alarm.addOkAction(new cwActions.LambdaAction(flipper));

  const deadLetterAlarm = new cloudwatch.Alarm(g, 'WriteFailoverFailuresAlarm', {
    alarmName: `${s.siteName}-write-failover-failures`,
    alarmDescription: `GlobalSsrSite ${s.siteName}: a flag flip failed every retry (messages in the on-failure queue); the reconciler in ${s.drRegion} should correct the flag within a minute, check it`,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return { healthCheck, alarm, drHealthCheck: dr.healthCheck, drAlarm: dr.alarm, flipper, deadLetterQueue, deadLetterAlarm };
}

/** A Route 53 HTTPS health check of one origin through CloudFront, by its probe path (which reaches that origin only). */
function originHealthCheck(
  g: Stack, id: string, s: AlarmPathSettings, distribution: cloudfront.IDistribution, probePath: string,
): route53.HealthCheck {
  return new route53.HealthCheck(g, id, {
    type: route53.HealthCheckType.HTTPS,
    fqdn: distribution.distributionDomainName,
    port: 443,
    resourcePath: probePath,
    requestInterval: s.interval,
    failureThreshold: s.threshold,
    enableSNI: true,
  });
}

/**
 * `HealthCheckStatus` < 1 over a minute. Route 53 publishes the metric in us-east-1 only, so the alarm lives in the
 * global (us-east-1) stack: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
 */
function healthAlarmSettings(healthCheck: route53.IHealthCheck) {
  return {
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensionsMap: { HealthCheckId: healthCheck.healthCheckId },
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.minutes(1),
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
  };
}

/**
 * The DR origin's health check and alarm: every region's origin gets a `HealthCheckStatus` alarm in us-east-1. It only
 * notifies (`alarmTopicArns`): the flip and the reconciler already probe the DR origin before they choose it.
 */
function drHealth(
  g: Stack, s: AlarmPathSettings, distribution: cloudfront.IDistribution,
): { healthCheck: route53.HealthCheck; alarm: cloudwatch.Alarm } {
  const healthCheck = originHealthCheck(g, 'DrHealthCheck', s, distribution, SITE_IDS.drProbePath);
  const alarm = new cloudwatch.Alarm(g, 'DrHealthAlarm', {
    alarmName: drHealthAlarmName(s.siteName),
    alarmDescription: `GlobalSsrSite ${s.siteName}: the DR SSR origin (${s.drRegion}) fails its health check through CloudFront; a failover of the primary would have no healthy region to go to`,
    ...healthAlarmSettings(healthCheck),
  });
  return { healthCheck, alarm };
}

/** The DR-region half of write failover. @internal */
export interface Reconciler {
  readonly fn: lambda.Function;
  readonly schedule: scheduler.Schedule;
  readonly errorAlarm: cloudwatch.Alarm;
}

/**
 * The reconciler in the DR region's origin stack (it deploys after the KeyValueStore exists): every minute it sets
 * the flag from the alarm (or, when the alarm cannot be read, from its probes), so a missed flip is corrected and
 * losing us-east-1 still moves writes (see `reconciler.lambda.ts` for the decision).
 * EventBridge Scheduler (not a legacy scheduled rule) with the flexible time window off:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
 * @internal
 */
export function buildReconciler(stack: Stack, s: ReconcilerSettings): Reconciler {
  const scope = new Construct(stack, 'WriteFailoverReconciler');
  const kvsArn = readGlobalParameter(scope, 'ReadKeyValueStoreArn', kvsArnParameterName(s.siteName), s);
  const alarmName = primaryHealthAlarmName(s.siteName);
  const fn = new ReconcilerFunction(scope, 'Function', {
    description: `GlobalSsrSite ${s.siteName}: sets the active SSR origin flag from the primary's health every minute`,
    timeout: Duration.seconds(55),
    environment: {
      ...flagEnvironment(kvsArn),
      ALARM_NAME: alarmName,
      ALARM_REGION: 'us-east-1',
      PROBE_URL: `https://${s.domainName}${SITE_IDS.primaryProbePath}`,
      DR_PROBE_URL: `https://${s.domainName}${SITE_IDS.drProbePath}`,
      ALARM_READ_TIMEOUT_MS: String(ALARM_READ_TIMEOUT.toMilliseconds()),
      PROBE_COUNT: String(RECONCILER_PROBES.count),
      PROBE_TIMEOUT_MS: String(RECONCILER_PROBES.timeout.toMilliseconds()),
      PROBE_INTERVAL_MS: String(RECONCILER_PROBES.interval.toMilliseconds()),
    },
    // A failed run is superseded by the next one a minute later: no retries, no stale events.
    retryAttempts: 0,
    maxEventAge: Duration.seconds(60),
  });
  // A copy of the KeyValueStore ARN in the DR region, for the manual runbook when us-east-1 does not answer. With the
  // DR region in us-east-1 the global stack's original is already there under the same name ("A parameter name must
  // be unique within an AWS Region": https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html),
  // so a copy would make the second stack's deployment fail.
  if (stack.region !== 'us-east-1') {
    new ssm.StringParameter(scope, 'KeyValueStoreArnCopy', {
      parameterName: kvsArnParameterName(s.siteName),
      stringValue: kvsArn,
      description: `GlobalSsrSite ${s.siteName}: the active-origin KeyValueStore ARN (copy in ${stack.region} for the runbook)`,
    });
  }
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: KVS_ACTIONS, resources: [kvsArn] }));
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:DescribeAlarms'],
    resources: [`arn:${stack.partition}:cloudwatch:us-east-1:${s.account}:alarm:${alarmName}`],
  }));
  suppressHandler(fn, 'the reconciler');

  const schedule = new scheduler.Schedule(scope, 'Schedule', {
    description: `GlobalSsrSite ${s.siteName}: write-failover reconciler`,
    schedule: scheduler.ScheduleExpression.rate(RECONCILER_RATE),
    timeWindow: scheduler.TimeWindow.off(),
    target: new schedulerTargets.LambdaInvoke(fn, { retryAttempts: 0, maxEventAge: Duration.seconds(60) }),
  });
  suppressSchedulerRole(stack);
  const errorAlarm = new cloudwatch.Alarm(scope, 'ErrorAlarm', {
    alarmName: `${s.siteName}-write-failover-reconciler-errors`,
    alarmDescription: `GlobalSsrSite ${s.siteName}: the write-failover reconciler in ${stack.region} failed 3 minutes in a row (KeyValueStore API?); the flag may be wrong, see the README runbook`,
    metric: fn.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return { fn, schedule, errorAlarm };
}

/** The scheduler role aws-cdk-lib creates per stack: `grantInvoke` covers the function and its versions (`:*`). */
function suppressSchedulerRole(stack: Stack): void {
  const role = stack.node.children.find((c) => c.node.id.startsWith('SchedulerRoleForTarget-'));
  const policy = role?.node.tryFindChild('DefaultPolicy');
  if (policy) {
    NagSuppressions.addResourceSuppressions(policy, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'EventBridge Scheduler may invoke the reconciler function and its versions (`:*`, added by `grantInvoke`): one function, nothing else.',
        appliesTo: [{ regex: '/^Resource::<WriteFailoverReconcilerFunction[0-9A-F]{8}\\.Arn>:\\*$/' }],
      },
    ]);
  }
}

function flagEnvironment(kvsArn: string): { [key: string]: string } {
  return {
    KVS_ARN: kvsArn,
    ACTIVE_ORIGIN_KEY: SITE_IDS.activeOriginKey,
    ACTIVE_ORIGIN_OVERRIDE_KEY: SITE_IDS.activeOriginOverrideKey,
  };
}

function suppressHandler(fn: lambda.Function, what: string): void {
  NagSuppressions.addResourceSuppressions(fn.role!, [
    { id: 'AwsSolutions-IAM4', reason: `AWSLambdaBasicExecutionRole only lets ${what} write its own CloudWatch logs.`, appliesTo: [BASIC_EXECUTION_ROLE] },
  ]);
  NagSuppressions.addResourceSuppressions(fn, [
    { id: 'AwsSolutions-L1', reason: `This library bundles its handlers, ${what} included, for Node.js 22.` },
  ]);
}
