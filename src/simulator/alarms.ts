import { StackInput } from './assembly';
import { addFinding, isDown, SimulationContext } from './context';
import { ResourceNode } from './graph';
import { healthCheckUnhealthyAt, UnhealthyAt } from './health';
import { ALARM_DELIVERY } from '../global-ssr-site/recovery-estimates';

// CloudWatch alarms (AWS::CloudWatch::Alarm): when each one goes to ALARM after the outage.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html

const ALARM_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html';
const MISSING_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html';
const R53_METRICS_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html';
/** Resources that only carry a value across stacks or regions: they do not place a metric's source. */
const CARRIERS = new Set(['AWS::SSM::Parameter', 'Custom::AWS', 'AWS::CloudFormation::CustomResource']);

/** One metric an alarm watches. */
interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: { name: string; value: any }[];
}

/** The evaluation window of an alarm. @internal */
export interface AlarmWindow {
  /** Seconds per datapoint. */
  readonly period: number;
  /** Datapoints evaluated (`EvaluationPeriods`). */
  readonly evaluationPeriods: number;
  /** Breaching datapoints that set ALARM (`DatapointsToAlarm`, default `EvaluationPeriods`). */
  readonly datapoints: number;
}

/**
 * The alarm's window; for an alarm outside the assembly, one datapoint of 60 s (the assumption of the GlobalSsrSite
 * estimate's `HealthCheckStatus` alarm). @internal
 */
export function alarmWindow(ctx: SimulationContext, alarm: ResourceNode | undefined): AlarmWindow {
  if (!alarm) return { period: 60, evaluationPeriods: 1, datapoints: 1 };
  const p = alarm.properties;
  const n = (v: any) => num(ctx.graph.text(v, alarm.stack).text);
  const metricPeriods = (Array.isArray(p.Metrics) ? p.Metrics : [])
    .map((m: any) => n(m.MetricStat?.Period ?? m.Period))
    .filter((x: any): x is number => x !== undefined);
  const period = n(p.Period) ?? (metricPeriods.length ? Math.max(...metricPeriods) : 60);
  const evaluationPeriods = n(p.EvaluationPeriods) ?? 1;
  return { period, evaluationPeriods, datapoints: n(p.DatapointsToAlarm) ?? evaluationPeriods };
}

/**
 * When the CloudWatch alarm `alarm` goes to ALARM (and runs its alarm actions) after the outage.
 *
 * - An alarm in the failed region stops with it, and so do its actions: never.
 * - `HealthCheckStatus` (AWS/Route53) exists only in us-east-1: an alarm elsewhere never gets data. In us-east-1 it
 *   follows its health check (`healthCheckUnhealthyAt`), then the metric's delivery (the GlobalSsrSite estimate's
 *   allowance, `ALARM_DELIVERY`: 120 s, typically 60 s), then `DatapointsToAlarm` periods (typically half a period
 *   less), as the construct estimates count it.
 * - Another metric whose source (the resource its dimensions name, else the alarm's region) is down has missing data:
 *   `TreatMissingData` breaching → ALARM after `DatapointsToAlarm` periods; notBreaching, ignore (and every AWS/DynamoDB
 *   metric) and missing (INSUFFICIENT_DATA) → never.
 * - A metric whose source is up: the simulator cannot tell whether the application breaches it: never.
 */
export function alarmFiresAt(ctx: SimulationContext, alarm: ResourceNode): UnhealthyAt {
  const region = alarm.stack.region;
  const name = alarmName(ctx, alarm);
  const metrics = metricsOf(ctx, alarm);
  const hcs = metrics.filter((m) => m.namespace === 'AWS/Route53' && m.metricName === 'HealthCheckStatus');
  const noData = hcs.length && region !== 'us-east-1'
    ? `Route 53 publishes HealthCheckStatus in us-east-1 only; this alarm is in ${region ?? 'an unknown region'} and never gets data (${R53_METRICS_DOC})`
    : undefined;
  if (noData) addFinding(ctx, 'error', alarm.key, noData);
  if (isDown(ctx, region)) {
    return {
      events: [{ t: 0, event: `alarm ${name} stops with ${region}: it never fires and its actions never run`, phase: 'failing' }],
      blockedBy: [{ resource: alarm.key, reason: `the alarm is in the failed region ${region}: it and its actions stop with the region` }],
    };
  }
  if (noData) return { events: [], blockedBy: [{ resource: alarm.key, reason: noData }] };
  const window = alarmWindow(ctx, alarm);
  if (hcs.length === 1 && metrics.length === 1) return healthCheckStatusAlarm(ctx, alarm, name, hcs[0], window);
  return missingDataAlarm(ctx, alarm, name, metrics, window);
}

/** A `HealthCheckStatus` alarm: health check → metric delivery → alarm period(s). */
function healthCheckStatusAlarm(ctx: SimulationContext, alarm: ResourceNode, name: string, metric: AlarmMetric, w: AlarmWindow): UnhealthyAt {
  const op = String(ctx.graph.text(alarm.properties.ComparisonOperator, alarm.stack).text);
  if (!op.startsWith('LessThan')) {
    return { events: [], blockedBy: [{ resource: alarm.key, reason: `the alarm fires on HealthCheckStatus ${op}, not when the health check turns unhealthy` }] };
  }
  const hc = healthCheckOf(ctx, alarm, metric);
  if (!hc) {
    addFinding(ctx, 'warning', alarm.key, 'cannot find the Route 53 health check this HealthCheckStatus alarm watches: the simulator assumes it stays healthy');
    return { events: [], blockedBy: [{ resource: alarm.key, reason: 'the health check it watches is not in the assembly (assumed healthy)' }] };
  }
  const check = healthCheckUnhealthyAt(ctx, hc);
  if (check.worst === undefined) {
    return { events: check.events, blockedBy: check.blockedBy, afterManualStepSeconds: check.afterManualStepSeconds };
  }
  const delivery = ALARM_DELIVERY.toSeconds();
  const worst = check.worst + delivery + w.period * w.datapoints;
  const typical = (check.typical ?? check.worst) + delivery / 2 + w.period * w.datapoints - w.period / 2;
  return {
    worst,
    typical,
    events: [
      ...check.events,
      { t: check.worst + delivery, event: `HealthCheckStatus 0 of ${hc.key} reaches CloudWatch in us-east-1 (allowance ${delivery} s: AWS says "several minutes might elapse", ${R53_METRICS_DOC})` },
      { t: worst, event: `alarm ${name} in ALARM: ${w.datapoints} of ${w.evaluationPeriods} datapoints of ${w.period} s breaching (${ALARM_DOC}); its actions run` },
    ],
    blockedBy: [],
  };
}

/** Any other metric: it breaches because of the outage only when its source stops and missing data is breaching. */
function missingDataAlarm(ctx: SimulationContext, alarm: ResourceNode, name: string, metrics: AlarmMetric[], w: AlarmWindow): UnhealthyAt {
  const sources = [...new Set(metrics.flatMap((m) => sourceRegions(ctx, alarm, m)))];
  const label = metrics.map((m) => `${m.namespace}/${m.metricName}`).join(', ') || 'its metric';
  const down = sources.filter((r) => isDown(ctx, r));
  if (down.length === 0) {
    return { events: [], blockedBy: [{ resource: alarm.key, reason: `${label} comes from ${sources.join(', ') || 'an unknown region'}, which the outage does not stop; whether it breaches depends on the application` }] };
  }
  const dynamo = metrics.some((m) => m.namespace === 'AWS/DynamoDB');
  const treat = dynamo ? 'ignore' : String(ctx.graph.text(alarm.properties.TreatMissingData ?? 'missing', alarm.stack).text);
  if (treat !== 'breaching') {
    const why = dynamo ? 'alarms on AWS/DynamoDB metrics always ignore missing data (keep their state)'
      : treat === 'notBreaching' ? 'TreatMissingData notBreaching: missing datapoints count as good'
        : treat === 'ignore' ? 'TreatMissingData ignore: the alarm keeps its state'
          : 'TreatMissingData missing: the alarm goes to INSUFFICIENT_DATA, not ALARM';
    return {
      events: [{ t: 0, event: `${label} of alarm ${name} stops with ${down.join(', ')}: missing data` }],
      blockedBy: [{ resource: alarm.key, reason: `${label} stops with ${down.join(', ')}, and ${why} (${MISSING_DOC})` }],
    };
  }
  const worst = w.period * w.datapoints;
  return {
    worst,
    typical: worst - w.period / 2,
    events: [
      { t: 0, event: `${label} of alarm ${name} stops with ${down.join(', ')}: missing data, treated as breaching`, phase: 'detection' },
      { t: worst, event: `alarm ${name} in ALARM: ${w.datapoints} of ${w.evaluationPeriods} datapoints of ${w.period} s missing (breaching) (${MISSING_DOC}); its actions run` },
    ],
    blockedBy: [],
  };
}

/** The regions a metric comes from: the regional stacks of the resources its dimensions name, else the alarm's. */
function sourceRegions(ctx: SimulationContext, alarm: ResourceNode, metric: AlarmMetric): string[] {
  const regions = metric.dimensions
    .flatMap((d) => ctx.graph.text(d.value, alarm.stack).refs)
    .filter((r) => !CARRIERS.has(r.type) && r.stack.region)
    .map((r) => r.stack.region!);
  if (regions.length) return [...new Set(regions)];
  return alarm.stack.region ? [alarm.stack.region] : [];
}

/** The metrics of an alarm: its single metric, or the `MetricStat`s of a metric-math alarm. */
function metricsOf(ctx: SimulationContext, alarm: ResourceNode): AlarmMetric[] {
  const p = alarm.properties;
  const text = (v: any) => ctx.graph.text(v, alarm.stack).text;
  const dims = (d: any) => (Array.isArray(d) ? d : []).map((x: any) => ({ name: text(x.Name), value: x.Value }));
  if (p.MetricName !== undefined) {
    return [{ namespace: text(p.Namespace), metricName: text(p.MetricName), dimensions: dims(p.Dimensions) }];
  }
  return (Array.isArray(p.Metrics) ? p.Metrics : []).filter((m: any) => m.MetricStat?.Metric).map((m: any) => ({
    namespace: text(m.MetricStat.Metric.Namespace),
    metricName: text(m.MetricStat.Metric.MetricName),
    dimensions: dims(m.MetricStat.Metric.Dimensions),
  }));
}

/**
 * The health check named by the `HealthCheckId` dimension: a reference, or an SSM parameter whose value refers to it
 * (the graph resolves parameters written by an `AwsCustomResource` PutParameter of another region too).
 */
function healthCheckOf(ctx: SimulationContext, alarm: ResourceNode, metric: AlarmMetric): ResourceNode | undefined {
  const dim = metric.dimensions.find((d) => d.name === 'HealthCheckId');
  if (!dim) return undefined;
  return ctx.graph.text(dim.value, alarm.stack).refs.find((r) => r.type === 'AWS::Route53::HealthCheck');
}

/**
 * The alarm an `AlarmIdentifier` names: by reference (`Ref` of an alarm is its name), else by `AlarmName` in a stack
 * of `region`. @internal
 */
export function alarmIdentifierTarget(ctx: SimulationContext, nameValue: any, region: string, stack: StackInput): ResourceNode | undefined {
  const ref = ctx.graph.target(nameValue, stack);
  if (ref?.type === 'AWS::CloudWatch::Alarm') return ref;
  const name = ctx.graph.text(nameValue, stack).text;
  return ctx.graph.ofType('AWS::CloudWatch::Alarm').find((a) =>
    (!region || a.stack.region === region) && ctx.graph.text(a.properties.AlarmName, a.stack).text === name);
}

function alarmName(ctx: SimulationContext, alarm: ResourceNode): string {
  const n = alarm.properties.AlarmName;
  return n === undefined ? alarm.key : ctx.graph.text(n, alarm.stack).text;
}

function num(v: any): number | undefined {
  const n = typeof v === 'string' && v !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
