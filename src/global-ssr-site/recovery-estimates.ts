import { Duration } from 'aws-cdk-lib';
import { SiteSettings } from './settings';
import { ALARM_READ_TIMEOUT, RECONCILER_PROBES, RECONCILER_RATE } from './write-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryObjectives, RecoveryPointInput, RecoveryTerm } from '../core/recovery';

/** Typical DynamoDB global table replication lag (AWS: "typically within a second"). */
const TABLE_REPLICATION = Duration.seconds(1);
/** Allowance for the reconciler's KeyValueStore update (Describe + Get + Put): AWS publishes no latency figure. */
const KVS_UPDATE = Duration.seconds(5);
/** Allowance for a KeyValueStore change to reach every edge location: AWS publishes no figure. */
const KVS_PROPAGATION = Duration.seconds(10);

const SCHEDULER_DOC = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html';
const KVS_DOC = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions-kvp.html';

/** The site's estimates: GET/HEAD/OPTIONS per request, and the whole site (writes). @internal */
export interface SiteEstimates {
  readonly read: RecoveryEstimate;
  readonly site: RecoveryEstimate;
}

/** The data tier's RPO: the global table replicates asynchronously, nothing bounds it. @internal */
export const TABLE_RPO: RecoveryPointInput = {
  typical: TABLE_REPLICATION,
  mechanism: 'DynamoDB global table replication is asynchronous (multi-Region eventual consistency)',
  basis: RecoveryBasis.DOCUMENTED,
  source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html',
};

/** Computes the estimates and enforces `objectives` (synthesis fails when they cannot be met). @internal */
export function siteEstimates(s: SiteSettings, objectives?: RecoveryObjectives, assumptions?: RecoveryAssumptions): SiteEstimates {
  if (!s.dr) {
    const single = RecoveryModel.estimate({ summary: 'Single region (`dr: false`): no regional failover', detection: [], propagation: [], rpo: TABLE_RPO });
    return { read: single, site: single };
  }
  const perRequest = RecoveryModel.originFailover({
    connectionAttempts: s.connectionAttempts,
    connectionTimeout: s.connectionTimeout,
    readTimeout: s.readTimeout,
  });
  const read = RecoveryModel.estimate({
    summary: 'CloudFront per-request origin failover (GET/HEAD/OPTIONS)',
    detection: [],
    propagation: [],
    perRequest,
    rpo: TABLE_RPO,
  });
  if (!s.writeFailover) {
    if (objectives?.rto !== undefined) {
      throw new MultiRegionFailoverError('GlobalSsrSite: `recoveryObjectives.rto` needs `writeFailover`: without it requests with a body (POST, PUT...) never fail over, got: `writeFailover: false`');
    }
    const site = RecoveryModel.estimate({
      summary: 'CloudFront per-request origin failover (GET/HEAD/OPTIONS only; `writeFailover: false`: requests with a body never fail over)',
      detection: [],
      propagation: [],
      perRequest,
      rpo: TABLE_RPO,
    });
    RecoveryModel.enforce('GlobalSsrSite', site, objectives, [], []);
    return { read, site };
  }
  const site = RecoveryModel.estimate({
    summary: 'Write failover (DR-region reconciler: primary health -> KeyValueStore flag -> edge)',
    detection: reconcilerDetection(),
    propagation: flagPropagation(assumptions?.keyValueStorePropagation ?? KVS_PROPAGATION),
    perRequest,
    rpo: TABLE_RPO,
  });
  RecoveryModel.enforce('GlobalSsrSite', site, objectives, [], []);
  return { read, site };
}

/**
 * Detection by the reconciler, the path that bounds the worst case: it does not depend on the alarm's flip (a
 * missed or failed flip), nor on us-east-1 (its probes run in the DR region). The Route 53 → alarm → flip path
 * runs too, but AWS says several minutes may pass between a failed health check and its alarm notification
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html), so it is not counted.
 */
function reconcilerDetection(): RecoveryTerm[] {
  const rate = RECONCILER_RATE.toSeconds();
  const { count, timeout, interval } = RECONCILER_PROBES;
  const probes = count * timeout.toSeconds() + (count - 1) * interval.toSeconds();
  const probesTypical = (count - 1) * interval.toSeconds();
  return [
    {
      label: `next reconciler run (every ${RecoveryModel.format(RECONCILER_RATE)})`,
      duration: Duration.seconds(rate),
      typical: Duration.seconds(rate / 2),
      basis: RecoveryBasis.ASSUMPTION,
      source: `EventBridge Scheduler rate(1 minute), flexible time window off (${SCHEDULER_DOC}); AWS publishes no bound on the invocation delay, this library assumes one interval`,
    },
    {
      label: `alarm read (${RecoveryModel.format(ALARM_READ_TIMEOUT)}) + ${RECONCILER_PROBES.count} probes of the primary (${RecoveryModel.format(RECONCILER_PROBES.timeout)} timeout, ${RecoveryModel.format(RECONCILER_PROBES.interval)} apart)`,
      duration: Duration.seconds(ALARM_READ_TIMEOUT.toSeconds() + probes),
      typical: Duration.seconds(probesTypical),
      basis: RecoveryBasis.DOCUMENTED,
      source: 'this library\'s reconciler: every timeout is its own setting; a primary that refuses connections or answers 5xx fails each probe at once',
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
