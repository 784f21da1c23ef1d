import { Duration } from 'aws-cdk-lib';
import { ServiceSettings } from './settings';
import { RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryModel } from '../core/recovery';

const TARGET_HEALTH_DOC = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html';
const EVALUATE_TARGET_HEALTH_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html#rrsets-values-alias-evaluate-target-health';
const R53_FAQ = 'https://aws.amazon.com/route53/faqs/';

/** The TTL Route 53 answers an alias to an ELB load balancer with: a fixed 60 s (Route 53 FAQ). @internal */
export const ELB_ALIAS_TTL = Duration.seconds(60);

/**
 * Recovery of a region lost behind an alias with `EvaluateTargetHealth`: the load balancer's health checks mark every
 * task unhealthy (`unhealthyThresholdCount` consecutive failures, one per `interval`, the last one known after
 * `timeout`); "If any target group contains only unhealthy targets, the load balancer is considered unhealthy, and
 * Route 53 routes queries to other resources" (and "A target group that has no registered targets is considered
 * unhealthy"), once that reaches Route 53's DNS servers (AWS publishes no figure: an assumption); resolvers keep the
 * old answer for the alias TTL, 60 s for ELB.
 * @internal
 */
export function serviceEstimate(s: ServiceSettings, assumptions?: RecoveryAssumptions): RecoveryEstimate {
  const interval = s.interval.toSeconds();
  return RecoveryModel.estimate({
    summary: 'Route 53 alias with EvaluateTargetHealth (ALB target health)',
    detection: [
      {
        label: `ALB health checks (${interval} s × ${s.unhealthyThreshold})`,
        duration: Duration.seconds(interval * s.unhealthyThreshold),
        basis: RecoveryBasis.DOCUMENTED,
        source: TARGET_HEALTH_DOC,
        setting: '`healthCheck.interval`, `healthCheck.unhealthyThresholdCount`',
        // HealthCheckIntervalSeconds 5–300, UnhealthyThresholdCount 2–10.
        minimum: Duration.seconds(10),
      },
      {
        label: `ALB health check timeout (${s.timeout.toSeconds()} s)`,
        duration: s.timeout,
        typical: Duration.seconds(0),
        basis: RecoveryBasis.DOCUMENTED,
        source: TARGET_HEALTH_DOC,
        setting: '`healthCheck.timeout`',
        minimum: Duration.seconds(2),
      },
    ],
    propagation: [
      {
        ...RecoveryModel.healthCheckPropagation(assumptions),
        label: 'target health to Route 53 DNS (EvaluateTargetHealth)',
        source: `AWS publishes no figure (${EVALUATE_TARGET_HEALTH_DOC}); default: one more 10-second interval`,
      },
      {
        label: 'alias TTL of an ELB load balancer (60 s)',
        duration: ELB_ALIAS_TTL,
        basis: RecoveryBasis.DOCUMENTED,
        source: R53_FAQ,
      },
    ],
  });
}

/**
 * The service alone: each regional name is a simple alias to its own region's load balancer, so nothing moves its
 * clients when the region is lost ("If no record is healthy ... Route 53 ... responds with" the record anyway:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
 * @internal
 */
export function standaloneEstimate(s: ServiceSettings): RecoveryEstimate {
  return RecoveryModel.estimate({
    summary: `RegionalService ${s.domainName} alone: one name per region, no failover of its own`,
    detection: [],
    propagation: [],
    noAutomaticRecovery: 'each region\'s name `<region>.<domainName>` serves that region only; put `FailoverDns` '
      + '(`failoverEndpoints()`) or an `SsrEdgeStack` (`cloudFrontOrigins()`) in front: their estimates apply',
  });
}
