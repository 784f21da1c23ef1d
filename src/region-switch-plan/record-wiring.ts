import { RecoveryApproach } from './props';
import type { RegionSwitchPlan } from './region-switch-plan';
import { MultiRegionFailoverError } from '../core/errors';
import type { FailoverEndpointRecord } from '../failover-dns/failover-endpoint-record';
import { FailoverRouting } from '../failover-dns/options';

/*
 * `FailoverDns.useRegionSwitchPlan` and `MultiRegionApi.useRegionSwitchPlan`: attach the plan's Route 53 health checks to
 * the records, combined with each endpoint's own check (`FailoverEndpointRecord.addRegionSwitchHealthCheck`).
 *
 * Which records (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html: "For active/passive:
 * the primary Region's health check starts healthy; the passive Region starts unhealthy"):
 * - failover routing: the PRIMARY record only. The SECONDARY keeps its endpoint check: "When the secondary resource record
 *   set is unhealthy, Route 53 responds to DNS queries with the applicable value from the primary resource record set
 *   regardless of the health of the primary resource record set"
 *   (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html), so the passive Region's
 *   unhealthy plan check on it would keep traffic on a failed primary.
 * - latency routing (active/active plans only): every record. With an active/passive plan the passive Region's record
 *   would start unhealthy, and when the primary's endpoint fails every record is unhealthy: "If no record is healthy, all
 *   records are healthy" (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html),
 *   so Route 53 would keep answering with the failed Region.
 */

/** The records of a construct, for `wireRegionSwitchPlan`. @internal */
export interface PlanRecords {
  /** How to name the construct in messages, e.g. "FailoverDns App/Dns". */
  readonly what: string;
  readonly recordName: string;
  readonly routing: FailoverRouting;
  /** The endpoint records in priority order, with their Regions. */
  readonly records: { region: string; record: FailoverEndpointRecord }[];
}

/** Attaches `plan`'s health checks to `target`'s records; see above. @internal */
export function wireRegionSwitchPlan(plan: RegionSwitchPlan, target: PlanRecords): void {
  const regions = target.records.map((r) => r.region);
  const samePair = regions.length === plan.regions.length && plan.regions.every((r) => regions.includes(r));
  if (!samePair) {
    throw new MultiRegionFailoverError(`\`plan\` (RegionSwitchPlan ${plan.node.path}) must be over the Regions of ${target.what} (${regions.join(', ')}), `
      + `got one over ${plan.regions.join(', ')}: a Region switch plan acts on the records of its own Region pair`);
  }
  if (target.routing === FailoverRouting.LATENCY && plan.recoveryApproach === RecoveryApproach.ACTIVE_PASSIVE) {
    throw new MultiRegionFailoverError(`\`plan\` (RegionSwitchPlan ${plan.node.path}) must be active/active for the latency records of ${target.what}, `
      + 'got an active/passive plan: its check of the passive Region starts unhealthy, so when the primary fails no record is healthy and Route 53 '
      + 'answers as if all were; use `routing: FailoverRouting.FAILOVER`, or `recoveryApproach: RecoveryApproach.ACTIVE_ACTIVE`');
  }
  const gated = target.routing === FailoverRouting.FAILOVER ? target.records.slice(0, -1) : target.records;
  for (const { region, record } of gated) {
    record.addRegionSwitchHealthCheck(plan._healthCheckIdIn(record, target.recordName, region, target.what));
  }
}
