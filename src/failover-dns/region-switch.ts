import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { MultiRegionFailoverError } from '../core/errors';

/*
 * The health check of an ARC Region switch plan, combined with an endpoint's own checks.
 *
 * The plan's Route 53 health check block "creates Amazon Route 53 health checks, which you then attach to Route 53 DNS
 * records in your account. When you execute your Region switch plan, the Route 53 health check state is updated"; "For
 * active/passive: the primary Region's health check starts healthy; the passive Region starts unhealthy"
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html).
 *
 * A record has one `HealthCheckId`, so the plan's check and the endpoint's own checks become the children of one
 * CALCULATED check that is healthy only while all of them are: "Route 53 adds up the number of health checks that Route 53
 * health checkers consider to be healthy and compares that number with the value of HealthThreshold"
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html). HealthThreshold = the number of
 * children, not inverted: the endpoint failing turns the record unhealthy (automatic failover, nobody runs the plan), and
 * so does the plan turning its check unhealthy (an execution). While the plan's check is in its start state (healthy in
 * the Region that serves), the record is exactly as healthy as the endpoint.
 */

/**
 * Creates the CALCULATED check of `children` AND the plan's check, and attaches it to every record of `records` that has a
 * health check (not to the chain aliases, which have none). @internal
 */
export function attachPlanHealthCheck(scope: Construct, records: route53.RecordSet[], children: route53.IHealthCheck[],
  planHealthCheckId: string): route53.HealthCheck {
  const plan = route53.HealthCheck.fromHealthCheckId(scope, 'RegionSwitchPlanHealthCheck', planHealthCheckId);
  const all = [...children, plan];
  const combined = new route53.HealthCheck(scope, 'RegionSwitchHealthCheck', {
    type: route53.HealthCheckType.CALCULATED,
    childHealthChecks: all,
    healthThreshold: all.length,
    inverted: false,
  });
  for (const record of records) {
    const cfn = record.node.defaultChild as route53.CfnRecordSet;
    if (cfn.healthCheckId !== undefined) {
      cfn.healthCheckId = combined.healthCheckId;
    }
  }
  return combined;
}

/**
 * Refuses a second plan check, the last endpoint of a failover chain and an endpoint without a check of its own. The last
 * endpoint's SECONDARY record keeps its own check: "When the secondary resource record set is unhealthy, Route 53 responds
 * to DNS queries with the applicable value from the primary resource record set regardless of the health of the primary
 * resource record set" (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html), and the
 * plan's check of the passive Region starts unhealthy: on the SECONDARY it would stop automatic failover. @internal
 */
export function validateRegionSwitchHealthCheck(where: string, already: boolean, lastSecondary: boolean, ownChecks: number): void {
  if (already) {
    throw new MultiRegionFailoverError(`${where} already has a Region switch plan's health check: \`addRegionSwitchHealthCheck\` must be called once, got a second call`);
  }
  if (lastSecondary) {
    throw new MultiRegionFailoverError(`${where} must not get a Region switch plan's health check, got the last endpoint of the failover chain: its SECONDARY `
      + 'record keeps its own check (when the SECONDARY is unhealthy Route 53 answers with the PRIMARY, and the plan\'s check of the passive Region starts unhealthy)');
  }
  if (ownChecks === 0) {
    throw new MultiRegionFailoverError(`${where} must have a health check of its own to combine with the plan's, got \`evaluateTargetHealthOnly\``);
  }
}
