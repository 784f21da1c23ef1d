import { Duration } from 'aws-cdk-lib';
import { ssrOriginTimeouts, staticOriginTimeouts } from './distribution';
import { SiteSettings } from './settings';
import { ALARM_READ_TIMEOUT, DR_PROBE_TIMEOUT, RECONCILER_PROBES, RECONCILER_RATE } from './write-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryObjectives, RecoveryPointInput, RecoveryTerm } from '../core/recovery';

/** Typical DynamoDB global table replication lag (AWS: "typically within a second"). */
const TABLE_REPLICATION = Duration.seconds(1);
/** Allowance for the reconciler's KeyValueStore update (Describe + Get + Put): AWS publishes no latency figure. */
export const KVS_UPDATE = Duration.seconds(5);
/** Allowance for a KeyValueStore change to reach every edge location: AWS publishes no figure. */
export const KVS_PROPAGATION = Duration.seconds(10);
/** Allowance for Route 53's `HealthCheckStatus` to reach the alarm: AWS says "several minutes might elapse". @internal */
export const ALARM_DELIVERY = Duration.seconds(120);
/** Period of the primary health alarm (1 evaluation period). */
const ALARM_PERIOD = Duration.minutes(1);

const SCHEDULER_DOC = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html';
/** Why the next reconciler run is budgeted at one interval. */
const RECONCILER_RUN_SOURCE = `EventBridge Scheduler rate(1 minute), flexible time window off (${SCHEDULER_DOC}); AWS publishes no bound on the invocation delay, this library assumes one interval`;
const KVS_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions-kvp.html';
const CW_ALARM_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html';
const R53_MONITORING_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html';
/** "CloudFront fails over to the secondary origin only when the HTTP method of the viewer request is GET, HEAD, or OPTIONS." */

/** What the estimates read of a site's (or an edge's) settings. @internal */
export type EstimateSettings = Pick<SiteSettings, 'dr' | 'drRegion' | 'writeFailover' | 'connectionAttempts' | 'connectionTimeout'
| 'readTimeout' | 'interval' | 'threshold'>;

/**
 * The site's estimates: GET/HEAD/OPTIONS per request, the whole site (writes, the worst path), and the path taken
 * when the alarm cannot be read (the reconciler's probes; write failover only). @internal
 */
export interface SiteEstimates {
  readonly read: RecoveryEstimate;
  readonly site: RecoveryEstimate;
  readonly probes?: RecoveryEstimate;
}

/** The data tier's RPO: the global table replicates asynchronously, nothing bounds it. @internal */
export const TABLE_RPO: RecoveryPointInput = {
  typical: TABLE_REPLICATION,
  mechanism: 'DynamoDB global table replication is asynchronous (multi-Region eventual consistency)',
  basis: RecoveryBasis.DOCUMENTED,
  source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html',
};

/**
 * Computes the estimates and enforces `objectives` (synthesis fails when they cannot be met); `dataLoss` is the RPO of the
 * site's state (its global table), `null` for an edge that holds none. @internal
 */
export function siteEstimates(s: EstimateSettings, objectives?: RecoveryObjectives, assumptions?: RecoveryAssumptions,
  dataLoss: RecoveryPointInput | null = TABLE_RPO): SiteEstimates {
  // null: the caller holds no data (an edge over origins with their own stores): RecoveryModel's stateless RPO.
  const rpo = dataLoss ?? undefined;
  if (!s.dr) {
    const single = RecoveryModel.estimate({ summary: 'Single region (`dr: false`): no regional failover', detection: [], propagation: [], rpo });
    return { read: single, site: single };
  }
  const perRequest = perRequestTerms(s);
  const read = RecoveryModel.estimate({
    summary: 'CloudFront per-request origin failover (GET/HEAD/OPTIONS)',
    detection: [],
    propagation: [],
    perRequest,
    rpo,
  });
  if (!s.writeFailover) {
    if (objectives?.rto !== undefined) {
      throw new MultiRegionFailoverError(noWriteFailoverRtoError(s, objectives.rto, assumptions));
    }
    const site = writesNeverFailOver(perRequest, rpo);
    RecoveryModel.enforce('GlobalSsrSite', site, objectives, [], []);
    return { read, site };
  }
  const propagation = flagPropagation(assumptions?.keyValueStorePropagation ?? KVS_PROPAGATION);
  const probes = RecoveryModel.estimate({
    summary: 'Write failover when the alarm cannot be read (DR-region reconciler probes the primary)',
    detection: probeDetection(),
    propagation,
    perRequest,
    rpo,
  });
  const fmt = (d: Duration) => RecoveryModel.format(d);
  const site = RecoveryModel.estimate({
    summary: 'Write failover (Route 53 health check -> alarm in us-east-1 -> KeyValueStore flag -> edge, DR-region reconciler as backstop; '
      + `when the alarm cannot be read, the reconciler's probes: budget ${fmt(probes.rto)}, typical ${fmt(probes.typicalRto)})`,
    detection: alarmDetection(s),
    propagation,
    perRequest,
    rpo,
  });
  RecoveryModel.enforce('GlobalSsrSite', site, objectives, [], []);
  return { read, site, probes };
}

/**
 * The per-request failover penalty of a GET/HEAD/OPTIONS: the SSR origins serve the default behaviour, the static
 * buckets the static behaviours, and each primary costs its connection attempts and response timeouts before CloudFront
 * tries the DR origin (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html).
 * The published penalty is the worse of the two origin kinds, counted from the timeouts the origins are built with
 * (the buckets' response timeout is `readTimeout` capped at S3's 120 s, so today the SSR origins' terms are never
 * smaller). Ties keep the SSR terms.
 */
function perRequestTerms(s: EstimateSettings): RecoveryTerm[] {
  const budget = (terms: RecoveryTerm[]) => terms.reduce((acc, t) => acc + t.duration.toSeconds(), 0);
  return [ssrOriginTimeouts(s), staticOriginTimeouts(s)]
    .map((timeouts) => RecoveryModel.originFailover(timeouts))
    .reduce((worst, terms) => (budget(terms) > budget(worst) ? terms : worst));
}

/**
 * `writeFailover: false`: CloudFront fails over to the secondary origin only for GET, HEAD and OPTIONS
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html),
 * and nothing else moves a request with a body to the DR region, so writes never fail over without a person. The RecoveryEstimate type has no way to say "never" (its `rto` is a Duration), so the
 * estimate says it in its summary, its explanation and one explicit term (0 s, labelled unbounded, with the setting
 * that changes it), and `recoveryObjectives.rto` is refused whatever its value (`noWriteFailoverRtoError`).
 */
function writesNeverFailOver(perRequest: RecoveryTerm[], rpo: RecoveryPointInput | undefined): RecoveryEstimate {
  return RecoveryModel.estimate({
    summary: 'Writes never fail over (`writeFailover: false`): requests with a body (POST, PUT, PATCH, DELETE) keep going to the primary '
      + 'until it is back or a person acts; only GET/HEAD/OPTIONS fail over, per request (CloudFront origin failover)',
    // CloudFront fails over to the secondary origin only for GET, HEAD and OPTIONS
    // (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html);
    // with `writeFailover: false` nothing else moves requests with a body to the DR region.
    noAutomaticRecovery: 'requests with a body never fail over: CloudFront origin failover covers GET, HEAD and OPTIONS only; set `writeFailover: true`',
    detection: [],
    propagation: [],
    perRequest,
    rpo,
  });
}

/**
 * The error for `recoveryObjectives.rto` with `writeFailover: false`: no objective can be met (writes never fail
 * over). It suggests `writeFailover: true` with the budget it would have with the same settings, and says when that
 * budget misses the objective too.
 */
function noWriteFailoverRtoError(s: EstimateSettings, rto: Duration, assumptions?: RecoveryAssumptions): string {
  const fmt = (d: Duration) => RecoveryModel.format(d);
  const target = fmt(rto); // also refuses a token or a negative objective, as `RecoveryModel.enforce` does
  const withWrites = siteEstimates({ ...s, writeFailover: true }, undefined, assumptions).site.rto;
  const advice = withWrites.toSeconds({ integral: false }) <= rto.toSeconds({ integral: false })
    ? `set \`writeFailover: true\` (RTO budget ${fmt(withWrites)} with these settings)`
    : `\`writeFailover: true\` fails them over with an RTO budget of ${fmt(withWrites)} with these settings: `
      + `set it with an objective of at least ${fmt(withWrites)}, or remove \`recoveryObjectives.rto\``;
  return `GlobalSsrSite: \`recoveryObjectives.rto\` of ${target} cannot be met: with \`writeFailover: false\` requests with a body `
    + `(POST, PUT, PATCH, DELETE) never fail over to ${s.drRegion} (CloudFront origin failover covers GET, HEAD and OPTIONS only); ${advice}`;
}

/**
 * While the alarm in us-east-1 can be read, the reconciler follows it (OK → primary), so writes move only once it
 * is in ALARM: Route 53's checkers detect the failure, `HealthCheckStatus` reaches the alarm, the alarm's Lambda
 * action flips the flag (or, if that flip fails, the next reconciler run does it after probing DR). This path
 * bounds the worst case.
 */
function alarmDetection(s: EstimateSettings): RecoveryTerm[] {
  const period = ALARM_PERIOD.toSeconds();
  return [
    ...RecoveryModel.healthCheckDetection(s.interval, s.threshold, { settings: '`healthCheckInterval`, `healthCheckFailureThreshold`' }),
    {
      label: `HealthCheckStatus alarm (${period} s period × 1)`,
      duration: ALARM_PERIOD,
      typical: Duration.seconds(period / 2),
      basis: RecoveryBasis.DOCUMENTED,
      source: CW_ALARM_DOC,
    },
    {
      label: 'HealthCheckStatus delivery to the alarm',
      duration: ALARM_DELIVERY,
      typical: Duration.seconds(ALARM_DELIVERY.toSeconds() / 2),
      basis: RecoveryBasis.ASSUMPTION,
      source: `AWS: "several minutes might elapse between the time that a health check fails and the time that you receive the associated SNS notification" (${R53_MONITORING_DOC}); no figure is published, this library allows 2 minutes on top of the checks and the alarm period`,
    },
    {
      label: `flag write: the alarm's flip at once, or the next reconciler run (every ${RecoveryModel.format(RECONCILER_RATE)}) if the flip failed`,
      duration: RECONCILER_RATE,
      typical: Duration.seconds(0),
      basis: RecoveryBasis.ASSUMPTION,
      source: `the alarm invokes the flip function asynchronously; ${RECONCILER_RUN_SOURCE}`,
    },
    {
      label: `reconciler on ALARM: alarm read (${RecoveryModel.format(ALARM_READ_TIMEOUT)}) + DR probe (${RecoveryModel.format(DR_PROBE_TIMEOUT)})`,
      duration: Duration.seconds(ALARM_READ_TIMEOUT.toSeconds() + DR_PROBE_TIMEOUT.toSeconds()),
      typical: Duration.seconds(0),
      basis: RecoveryBasis.ASSUMPTION,
      source: `this library's settings, not an AWS figure: the alarm read is aborted after ${RecoveryModel.format(ALARM_READ_TIMEOUT)} in total, the DR probe after ${RecoveryModel.format(DR_PROBE_TIMEOUT)}`,
    },
  ];
}

/**
 * When the alarm cannot be read (us-east-1 unreachable) or is INSUFFICIENT_DATA, the reconciler in the DR region
 * probes the primary through CloudFront: all probes fail → DR, after one probe of DR.
 */
function probeDetection(): RecoveryTerm[] {
  const { count, timeout, interval } = RECONCILER_PROBES;
  const probes = count * timeout.toSeconds() + (count - 1) * interval.toSeconds();
  return [
    {
      label: `next reconciler run (every ${RecoveryModel.format(RECONCILER_RATE)})`,
      duration: RECONCILER_RATE,
      typical: Duration.seconds(RECONCILER_RATE.toSeconds() / 2),
      basis: RecoveryBasis.ASSUMPTION,
      source: RECONCILER_RUN_SOURCE,
    },
    {
      label: `alarm read (${RecoveryModel.format(ALARM_READ_TIMEOUT)}) + ${count} probes of the primary (${RecoveryModel.format(timeout)} timeout, ${RecoveryModel.format(interval)} apart) + DR probe (${RecoveryModel.format(DR_PROBE_TIMEOUT)})`,
      duration: Duration.seconds(ALARM_READ_TIMEOUT.toSeconds() + probes + DR_PROBE_TIMEOUT.toSeconds()),
      typical: Duration.seconds((count - 1) * interval.toSeconds()),
      basis: RecoveryBasis.ASSUMPTION,
      source: `this library's settings, not an AWS figure: the alarm read is aborted after ${RecoveryModel.format(ALARM_READ_TIMEOUT)} in total, each probe after ${RecoveryModel.format(timeout)}; `
        + 'a primary that refuses connections or answers 5xx fails each probe at once',
    },
  ];
}

function flagPropagation(kvsPropagation: Duration): RecoveryTerm[] {
  return [
    {
      label: 'KeyValueStore update (Describe + Get + Put)',
      duration: KVS_UPDATE,
      typical: Duration.seconds(1),
      basis: RecoveryBasis.ASSUMPTION,
      source: `AWS publishes no latency figure for the global KeyValueStore API (${KVS_DOC}); allowance 5 s`,
    },
    {
      label: 'KeyValueStore change reaches the edge locations',
      duration: kvsPropagation,
      basis: RecoveryBasis.ASSUMPTION,
      source: 'AWS publishes no figure for how fast a KeyValueStore change reaches every edge location; default allowance 10 s',
      setting: '`recoveryAssumptions.keyValueStorePropagation`',
    },
  ];
}
