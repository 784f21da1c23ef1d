import { Duration } from 'aws-cdk-lib';
import { CheckedAutoFailover } from './validation';
import { RecoveryAssumptions, RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryPointInput, RecoveryTerm } from '../core/recovery';

/*
 * A term carries `setting` only where a setting of this construct changes it (RecoveryModel.enforce suggests exactly
 * those, and reports the rest as the floor): `autoFailover.evaluationPeriods` and `pollInterval`. The promotion term has
 * none: `recoveryAssumptions.auroraPromotion` overrides what we assume Aurora takes, it does not make Aurora faster.
 */

/** Seconds a pre-check and the switchover/failover call take before Aurora starts promoting (assumption). @internal */
export const ORCHESTRATION_OVERHEAD = Duration.seconds(10);
/** What clients cache of the global writer endpoint's DNS answer (assumption, AWS's advice). @internal */
export const GLOBAL_ENDPOINT_DNS_CACHE = Duration.seconds(5);
const AURORA_DR_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html';
const AURORA_LAG_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html';
const CW_ALARM_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html';

/** What the estimate depends on. @internal */
export interface AuroraEstimateInput {
  readonly primaryRegion: string;
  readonly secondaryRegions: string[];
  readonly isPostgres: boolean;
  readonly lagMs: number;
  readonly managedRpoSeconds?: number;
  readonly pollInterval: Duration;
  readonly auto?: CheckedAutoFailover;
  readonly assumptions?: RecoveryAssumptions;
}

function detectionTerms(auto: CheckedAutoFailover | undefined): RecoveryTerm[] {
  if (!auto) {
    // No `setting`: a manual start counts 0 s, so no setting lowers it (autoFailover adds detection time).
    return [{ label: 'manual start (operator time not counted)', duration: Duration.seconds(0), basis: RecoveryBasis.DOCUMENTED }];
  }
  return [
    {
      label: `replication-stalled alarm (60 s × ${auto.evaluationPeriods})`,
      duration: Duration.seconds(60 * auto.evaluationPeriods),
      basis: RecoveryBasis.DOCUMENTED,
      source: CW_ALARM_DOC,
      setting: '`autoFailover.evaluationPeriods`',
      minimum: Duration.seconds(60), // one 60 s period at least
    },
    {
      label: 'your primary-health alarm (in parallel, assumed no slower)',
      duration: Duration.seconds(0),
      basis: RecoveryBasis.ASSUMPTION,
      source: 'the composite alarm fires when both alarms are in ALARM; if yours takes longer, its time counts instead',
    },
  ];
}

function promotionTerm(assumptions: RecoveryAssumptions | undefined): RecoveryTerm {
  const promotion = assumptions?.auroraPromotion ?? RecoveryModel.AURORA_PROMOTION;
  return {
    label: 'Aurora promotion',
    duration: promotion,
    typical: Duration.seconds(Math.min(promotion.toSeconds(), RecoveryModel.AURORA_PROMOTION_TYPICAL.toSeconds())),
    basis: RecoveryBasis.ASSUMPTION,
    source: `AWS: "Typically, the chosen secondary cluster assumes the primary role within a few minutes", RTO "in the order of minutes"; no bound is published (${AURORA_DR_DOC})`,
  };
}

function dnsCacheTerm(): RecoveryTerm {
  return {
    label: 'global writer endpoint DNS cache',
    duration: GLOBAL_ENDPOINT_DNS_CACHE,
    basis: RecoveryBasis.ASSUMPTION,
    source: `AWS advises clients of the global writer endpoint to cache DNS for a low value "such as 5 seconds" (${AURORA_DR_DOC}); your clients' setting, not this construct's`,
  };
}

function recoveryPoint(input: AuroraEstimateInput): RecoveryPointInput {
  if (input.managedRpoSeconds === undefined) {
    return {
      typical: Duration.seconds(1),
      mechanism: `asynchronous storage replication; the lag alarm at ${input.lagMs} ms warns but does not stop writes`,
      basis: RecoveryBasis.DOCUMENTED,
      source: AURORA_LAG_DOC,
      setting: input.isPostgres ? '`managedRpo` (Aurora PostgreSQL, at least 20 s)' : undefined,
    };
  }
  const rpo = input.managedRpoSeconds;
  const mechanism = input.secondaryRegions.length === 1
    ? `Aurora managed RPO (\`rds.global_db_rpo\`) on the primary ${input.primaryRegion}: commits block when no secondary is within ${rpo} s; `
      + `the only secondary keeps the default as AWS advises for two Regions, so the bound does not hold while ${input.secondaryRegions[0]} is the primary`
    : `Aurora managed RPO (\`rds.global_db_rpo\`) in every region: commits block when no secondary is within ${rpo} s`;
  return {
    bound: Duration.seconds(rpo),
    typical: Duration.seconds(1),
    mechanism,
    basis: RecoveryBasis.DOCUMENTED,
    source: `${AURORA_DR_DOC}#aurora-global-database-manage-recovery`,
    setting: '`managedRpo` (Aurora PostgreSQL, at least 20 s)',
  };
}

/**
 * The recovery estimate of an unplanned failover: detection (manual, or the replication-stalled alarm) + the
 * orchestrator's pre-checks and API call + Aurora promotion (an assumption: AWS publishes no bound) + one status
 * poll + what clients cache of the global writer endpoint's DNS answer. RPO: bounded only by managed RPO.
 * @internal
 */
export function auroraEstimate(input: AuroraEstimateInput): RecoveryEstimate {
  const propagation: RecoveryTerm[] = [
    { label: 'pre-checks and API call', duration: ORCHESTRATION_OVERHEAD, basis: RecoveryBasis.ASSUMPTION, source: 'a handful of RDS API calls' },
    promotionTerm(input.assumptions),
    { label: 'status poll interval', duration: input.pollInterval, basis: RecoveryBasis.DOCUMENTED, setting: '`pollInterval`', minimum: Duration.seconds(1) },
    dnsCacheTerm(),
  ];
  return RecoveryModel.estimate({
    summary: `Aurora global failover (${input.auto ? 'automatic' : 'manual'})`,
    detection: detectionTerms(input.auto),
    propagation,
    rpo: recoveryPoint(input),
  });
}

/**
 * The recovery estimate with `orchestration: REGION_SWITCH`: the plan's own estimate (its trigger, or none: then a person
 * must execute the plan and the RTO is unbounded; its Aurora step's promotion), with Aurora's terms where this construct
 * knows them better: the trigger is the composite `PrimaryLostAlarm`, whose time is the replication-stalled alarm's
 * (documented, `autoFailover.evaluationPeriods`) rather than the plan's assumption for an alarm it cannot read; and the
 * clients' DNS cache of the global writer endpoint after the promotion. RPO: Aurora's (the Aurora step's is the same).
 * @internal
 */
export function regionSwitchEstimate(plan: RecoveryEstimate, planName: string, input: AuroraEstimateInput): RecoveryEstimate {
  const detection = plan.detectionTerms.flatMap((t) => (t.label.startsWith('trigger alarm ') ? detectionTerms(input.auto) : [t]));
  return RecoveryModel.estimate({
    summary: `Aurora global failover (Region switch plan ${planName}, ${input.auto ? 'automatic' : 'manual'})`,
    detection,
    propagation: [...plan.propagationTerms, dnsCacheTerm()],
    // The plan's reason names its own `addTrigger`; this construct's lever is `autoFailover`.
    noAutomaticRecovery: input.auto || !plan.noAutomaticRecovery ? plan.noAutomaticRecovery
      : `a person must execute the Region switch plan ${planName} (activate ${input.secondaryRegions[0]}, ungraceful): no trigger starts it (\`autoFailover\` adds one)`,
    rpo: recoveryPoint(input),
  });
}
