import { Duration } from 'aws-cdk-lib';
import { GlobalCacheRecoveryAssumptions } from './props';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryTerm } from '../core/recovery';

/** Default worst-case promotion of a global datastore (assumption: AWS publishes no bound). */
export const CACHE_PROMOTION = Duration.minutes(5);
/** Typical promotion: AWS's disaster recovery workshop, "RTO: 1 minute". */
export const CACHE_PROMOTION_TYPICAL = Duration.minutes(1);
/** Pre-checks and the FailoverGlobalReplicationGroup call before ElastiCache starts promoting (assumption). */
export const PROMOTION_OVERHEAD = Duration.seconds(10);

const GDS_DOC = 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html';
const LIMITS_DOC = 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html';
const DR_WORKSHOP = 'https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html';

/** What the estimate depends on. @internal */
export interface CacheEstimateInput {
  readonly lagSeconds: number;
  readonly pollInterval: Duration;
  readonly assumptions?: GlobalCacheRecoveryAssumptions;
}

function promotionTerm(assumptions: GlobalCacheRecoveryAssumptions | undefined): RecoveryTerm {
  const promotion = assumptions?.cachePromotion ?? CACHE_PROMOTION;
  if (promotion.isUnresolved() || !(promotion.toSeconds({ integral: false }) > 0)) {
    throw new MultiRegionFailoverError(`\`recoveryAssumptions.cachePromotion\` must be a concrete duration above 0 s, got: ${promotion.isUnresolved() ? 'a token' : `${promotion.toSeconds({ integral: false })} s`}`);
  }
  return {
    label: 'global datastore promotion',
    duration: promotion,
    typical: Duration.seconds(Math.min(promotion.toSeconds(), CACHE_PROMOTION_TYPICAL.toSeconds())),
    basis: RecoveryBasis.ASSUMPTION,
    source: `AWS's user guide publishes no promotion time (${GDS_DOC}); AWS's disaster recovery workshop gives "RTO: 1 minute" as the typical figure `
      + `(${DR_WORKSHOP}); the budget is this library's assumption, override it with \`recoveryAssumptions.cachePromotion\``,
  };
}

/**
 * The recovery estimate of a promotion: a person starts it (ElastiCache "doesn't support autofailover from one AWS Region
 * to another. When needed, you can promote a secondary cluster manually",
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html), so detection counts 0 s of
 * operator time, as `AuroraGlobalFailover`'s manual mode does; then pre-checks and the API call, the promotion (an
 * assumption), and one status poll. Clients in the promoted region keep their endpoint: no DNS change.
 * RPO: asynchronous replication, unbounded; typically under a second (AWS's DR workshop: "RPO: Generally less than 1 second").
 * @internal
 */
export function cacheEstimate(input: CacheEstimateInput): RecoveryEstimate {
  return RecoveryModel.estimate({
    summary: 'ElastiCache global datastore promotion (manual)',
    detection: [{
      label: 'manual start (operator time not counted)',
      duration: Duration.seconds(0),
      basis: RecoveryBasis.DOCUMENTED,
      source: `ElastiCache has no cross-region automatic failover (${LIMITS_DOC})`,
    }],
    propagation: [
      { label: 'pre-checks and API call', duration: PROMOTION_OVERHEAD, basis: RecoveryBasis.ASSUMPTION, source: 'a handful of ElastiCache API calls from the Lambda' },
      promotionTerm(input.assumptions),
      { label: 'status poll interval', duration: input.pollInterval, basis: RecoveryBasis.DOCUMENTED, setting: '`pollInterval`', minimum: Duration.seconds(1) },
    ],
    rpo: {
      typical: Duration.seconds(1),
      mechanism: `asynchronous cross-Region replication; the GlobalDatastoreReplicationLag alarm at ${input.lagSeconds} s warns but does not stop writes`,
      basis: RecoveryBasis.DOCUMENTED,
      source: `"ElastiCache then sets up and manages automatic, asynchronous replication" (${GDS_DOC}); typical figure: AWS's disaster recovery `
        + `workshop, "RPO: Generally less than 1 second" (${DR_WORKSHOP})`,
    },
  });
}
