import { Duration } from 'aws-cdk-lib';
import { RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryTerm } from '../core/recovery';

/*
 * A term carries `setting` only where a prop of this construct changes it: `pollInterval` and `writerDnsRecord.ttl`.
 * `promotionTime` is what you assume RDS takes (AWS publishes no bound), not a lever: it has no `setting`.
 */

/** Pre-check and `PromoteReadReplica` call before RDS starts promoting (assumption: a few API calls). @internal */
export const ORCHESTRATION_OVERHEAD = Duration.seconds(10);
/** Typical promotion time (assumption: AWS says "several minutes or longer"). @internal */
export const PROMOTION_TYPICAL = Duration.minutes(5);
/** Period of the promotion metric's alarm, which the Route 53 health checks follow. @internal */
export const PROMOTION_METRIC_PERIOD = Duration.minutes(1);
/** Typical data loss (assumption: AWS publishes no typical cross-Region `ReplicaLag`). @internal */
export const TYPICAL_REPLICA_LAG = Duration.seconds(5);

const PROMOTE_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html';
const XRGN_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html';
const R53_TTL_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html#rrsets-values-failover-ttl';

/** What the estimate depends on. @internal */
export interface RdsEstimateInput {
  readonly pollInterval: Duration;
  readonly promotionTime: Duration;
  readonly lagSeconds: number;
  /** The writer name's TTL, when there is a writer name. */
  readonly dnsTtl?: Duration;
  readonly assumptions?: RecoveryAssumptions;
}

function writerNameTerms(ttl: Duration, assumptions: RecoveryAssumptions | undefined): RecoveryTerm[] {
  const ttlSeconds = ttl.toSeconds({ integral: false });
  return [
    {
      label: 'promotion metric to health check (one 1-minute alarm period)',
      duration: PROMOTION_METRIC_PERIOD,
      basis: RecoveryBasis.DOCUMENTED,
      source: 'the handler publishes the metric as soon as the instance is promoted; "Route 53 monitors the data stream for the corresponding alarm" '
        + '(https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html), whose period is 60 s',
    },
    RecoveryModel.healthCheckPropagation(assumptions),
    {
      label: `DNS TTL at two levels (writer name and promoted.<name>, ${ttlSeconds} s each)`,
      duration: Duration.seconds(2 * ttlSeconds),
      typical: ttl,
      basis: RecoveryBasis.DOCUMENTED,
      source: R53_TTL_DOC,
      setting: '`writerDnsRecord.ttl`',
    },
  ];
}

/**
 * The recovery estimate of a promotion started by a person (operator time not counted): orchestration + RDS promotion
 * (an assumption: AWS publishes no bound) + one status poll, then, with a writer DNS name, the health check following
 * the promotion metric and the DNS TTLs. Without a writer DNS name clients must be repointed by hand: RTO unbounded.
 * RPO: unbounded (asynchronous replication), typical an assumption.
 * @internal
 */
export function rdsEstimate(input: RdsEstimateInput): RecoveryEstimate {
  const promotion = input.promotionTime;
  const propagation: RecoveryTerm[] = [
    {
      label: 'pre-check and PromoteReadReplica call',
      duration: ORCHESTRATION_OVERHEAD,
      basis: RecoveryBasis.ASSUMPTION,
      source: 'ListExecutions, DescribeDBInstances (and GetMetricData when planned), then PromoteReadReplica: a few API calls',
    },
    {
      label: 'RDS read replica promotion',
      duration: promotion,
      typical: Duration.seconds(Math.min(promotion.toSeconds(), PROMOTION_TYPICAL.toSeconds())),
      basis: RecoveryBasis.ASSUMPTION,
      source: `AWS: "The promotion process can take several minutes or longer to complete, depending on the size of the read replica" (${PROMOTE_DOC}): `
        + 'no bound is published; the budget is `promotionTime` (default 15 min), the typical figure 5 min',
    },
    { label: 'status poll interval', duration: input.pollInterval, basis: RecoveryBasis.DOCUMENTED, setting: '`pollInterval`', minimum: Duration.seconds(1) },
    ...(input.dnsTtl ? writerNameTerms(input.dnsTtl, input.assumptions) : []),
  ];
  return RecoveryModel.estimate({
    summary: `RDS cross-Region read replica promotion (manual${input.dnsTtl ? ', writer DNS name follows' : ''})`,
    detection: [{ label: 'manual start (operator time not counted)', duration: Duration.seconds(0), basis: RecoveryBasis.DOCUMENTED }],
    propagation,
    noAutomaticRecovery: input.dnsTtl ? undefined
      : 'clients keep the old primary\'s endpoint until someone points them at the promoted instance; set `writerDnsRecord` for a name that follows it',
    rpo: {
      typical: TYPICAL_REPLICA_LAG,
      mechanism: `asynchronous replication: the promoted replica has what it had replayed (ReplicaLag); the alarm at ${input.lagSeconds} s warns but does not stop writes`,
      basis: RecoveryBasis.ASSUMPTION,
      source: `AWS publishes no typical cross-Region ReplicaLag ("You can expect to see a higher level of lag time for any read replica that is in a different AWS Region", ${XRGN_DOC}); `
        + '5 s is this library\'s assumption: measure yours with `metricReplicaLag`',
    },
  });
}
