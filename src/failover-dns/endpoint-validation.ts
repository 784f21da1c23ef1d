import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { validateApiGatewayHealthCheck } from './internal';
import { FailoverEndpoint, FailoverHealthCheckOptions } from './options';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryModel } from '../core/recovery';
import { isValidRegionName } from '../core/regions';

// Checks of one `FailoverEndpointRecord`'s endpoint and record types. Internal: not exported from the package index.

/** Refuses an endpoint that names no region, both or neither of a CNAME and an alias, or settings that do not apply. @internal */
export function validateEndpoint(
  scope: Construct,
  endpoint: FailoverEndpoint,
  recordName: string,
  zone: route53.IHostedZone,
  hc: FailoverHealthCheckOptions,
): void {
  const label = endpoint.region;
  if (!isValidRegionName(label)) {
    throw new MultiRegionFailoverError(`\`endpoints[].region\` must be a concrete AWS region name, got: ${label}`);
  }
  const hasName = endpoint.domainName !== undefined;
  const hasTarget = endpoint.target !== undefined;
  if (hasName === hasTarget) {
    throw new MultiRegionFailoverError(`endpoint ${label} needs exactly one of \`domainName\` (CNAME) and \`target\` (alias), got: ${hasName ? 'both' : 'neither'}`);
  }
  if (hasTarget && !endpoint.target!.aliasTarget) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`target\` must be an alias target (RecordTarget.fromAlias); for a host name use \`domainName\``);
  }
  if (hasName && recordName === zone.zoneName.replace(/\.$/, '').toLowerCase()) {
    throw new MultiRegionFailoverError(`endpoint ${label}: a CNAME (\`domainName\`) cannot be at the zone apex ${recordName}; `
      + 'use an alias `target` or a record name below the apex');
  }
  if (endpoint.existingHealthCheck && endpoint.evaluateTargetHealthOnly) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`existingHealthCheck\` and \`evaluateTargetHealthOnly\` are mutually exclusive`);
  }
  if (hasName && endpoint.aliasTargetTtl !== undefined) {
    const given = endpoint.aliasTargetTtl.isUnresolved() ? 'a token' : RecoveryModel.format(endpoint.aliasTargetTtl);
    throw new MultiRegionFailoverError(`endpoint ${label}: \`aliasTargetTtl\` must not be set on a \`domainName\` (CNAME) endpoint, got: ${given}. `
      + 'A CNAME record has its own TTL: set `ttl`');
  }
  if (endpoint.evaluateTargetHealthOnly && !hasTarget) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`evaluateTargetHealthOnly\` needs an alias \`target\`; a CNAME has no target health`);
  }
  if (hasTarget && !endpoint.existingHealthCheck && !endpoint.evaluateTargetHealthOnly && hc.fqdn === undefined) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`healthCheck.fqdn\` is required for an alias target `
      + '(the host name the health checkers call), or set `evaluateTargetHealthOnly`');
  }
  if (!endpoint.existingHealthCheck && !endpoint.evaluateTargetHealthOnly) {
    validateApiGatewayHealthCheck(scope, label, endpoint.domainName, hc);
  }
}

/** Refuses record types an alias target cannot have (only A and AAAA, at least one, none repeated). @internal */
export function validateRecordTypes(types: route53.RecordType[], isAlias: boolean): void {
  if (!isAlias) {
    return;
  }
  if (types.length === 0) {
    throw new MultiRegionFailoverError('`recordTypes` needs at least one of A and AAAA, got: none');
  }
  for (const t of types) {
    if (t !== route53.RecordType.A && t !== route53.RecordType.AAAA) {
      throw new MultiRegionFailoverError(`\`recordTypes\` may hold only A and AAAA for alias targets, got: ${t}`);
    }
  }
  if (new Set(types).size !== types.length) {
    throw new MultiRegionFailoverError(`\`recordTypes\` must not repeat a type, got: ${types.join(', ')}`);
  }
}
