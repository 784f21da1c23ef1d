import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FailoverEndpoint } from './options';
import { MultiRegionFailoverError } from '../core/errors';

// Alias targets of the failover records. Internal: not exported from the package index.

/**
 * Wraps an alias target so that `EvaluateTargetHealth` is set, as failover aliases require. Keeps what the target
 * bound to (with the record's zone), so the target's hosted zone id can be compared with the record's.
 */
export class EvaluateTargetHealthAlias implements route53.IAliasRecordTarget {
  public bound?: route53.AliasRecordTargetConfig;
  constructor(private readonly inner: route53.IAliasRecordTarget) {}
  public bind(record: route53.IRecordSet, zone?: route53.IHostedZone): route53.AliasRecordTargetConfig {
    this.bound = this.inner.bind(record, zone);
    return { ...this.bound, evaluateTargetHealth: true };
  }
}

/**
 * Refuses an alias to another record of the same hosted zone without `aliasTargetTtl`: "If an alias record points to
 * another record in the same hosted zone, Route 53 uses the TTL of the record that the alias record points to"
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html), a TTL
 * this construct cannot see. Same zone: the target, bound with the record's zone (as `RecordSet` binds it), returns
 * a hosted zone id that resolves to the same value as the zone's (`Route53RecordTarget` returns the zone's id).
 */
export function validateSameZoneAlias(
  scope: Construct,
  endpoint: FailoverEndpoint,
  alias: EvaluateTargetHealthAlias,
  zone: route53.IHostedZone,
): void {
  if (endpoint.aliasTargetTtl !== undefined || alias.bound === undefined) {
    return;
  }
  const stack = Stack.of(scope);
  const targetZone = JSON.stringify(stack.resolve(alias.bound.hostedZoneId));
  if (targetZone !== JSON.stringify(stack.resolve(zone.hostedZoneId))) {
    return;
  }
  throw new MultiRegionFailoverError(`endpoint ${endpoint.region}: \`aliasTargetTtl\` must be set when \`target\` is an alias to another record of the same hosted zone, got: none. `
    + 'Route 53 answers such an alias with the TTL of the record it points to, which this construct cannot see: '
    + 'set `aliasTargetTtl` to that record\'s TTL (or, when that record is itself an alias, to its target\'s TTL)');
}

/** An alias to another record (a chain level) of the same zone, by name: no token crosses stacks. */
export class SameZoneAlias implements route53.IAliasRecordTarget {
  constructor(private readonly name: string, private readonly zone: route53.IHostedZone) {}
  public bind(): route53.AliasRecordTargetConfig {
    return { dnsName: `${this.name}.`, hostedZoneId: this.zone.hostedZoneId, evaluateTargetHealth: true };
  }
}
