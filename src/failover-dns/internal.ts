import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverHealthCheckOptions, HealthCheckProtocol } from './options';
import { MultiRegionFailoverError } from '../core/errors';

/** `HealthCheckStatus` of a Route 53 health check (1 healthy, 0 unhealthy), minimum over 1 minute. */
export function healthCheckStatusMetric(healthCheck: route53.IHealthCheck, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Route53',
    metricName: 'HealthCheckStatus',
    dimensionsMap: { HealthCheckId: healthCheck.healthCheckId },
    statistic: cloudwatch.Stats.MINIMUM,
    period: Duration.minutes(1),
    region: 'us-east-1',
    ...props,
  });
}

/** Resolves `recordName` against the zone; throws when it is outside the zone. @internal */
export function resolveRecordName(recordName: string, zone: route53.IHostedZone): string {
  const zoneName = zone.zoneName.replace(/\.$/, '').toLowerCase();
  const name = recordName.replace(/\.$/, '').toLowerCase();
  if (Token.isUnresolved(recordName) || Token.isUnresolved(zone.zoneName)) {
    throw new MultiRegionFailoverError(`\`recordName\` and the zone name must be concrete strings, got: ${recordName} in ${zone.zoneName}`);
  }
  const resolved = nameInZone(name, zoneName);
  if (resolved === undefined) {
    throw new MultiRegionFailoverError(`\`recordName\` must be inside the hosted zone ${zoneName}, got: ${recordName}`);
  }
  return resolved;
}

/**
 * The fully qualified form of `name` (lower case, no trailing dot) in the zone `zoneName` (same form): the zone
 * apex, a name ending with `.<zoneName>`, or a single relative label; undefined when it is outside the zone.
 * @internal
 */
export function nameInZone(name: string, zoneName: string): string | undefined {
  if (name === zoneName || name.endsWith(`.${zoneName}`)) {
    return name;
  }
  if (!name.includes('.') && name.length > 0) {
    return `${name}.${zoneName}`;
  }
  return undefined;
}

/** Validates health check settings; returns nothing, throws on bad input. @internal */
export function validateHealthCheckOptions(hc: FailoverHealthCheckOptions, where: string): void {
  if (hc.interval !== undefined && !hc.interval.isUnresolved()) {
    const s = hc.interval.toSeconds({ integral: false });
    if (s !== 10 && s !== 30) {
      throw new MultiRegionFailoverError(`\`healthCheck.interval\` must be 10 or 30 seconds, got: ${s} s (${where})`);
    }
  }
  if (hc.failureThreshold !== undefined && !Token.isUnresolved(hc.failureThreshold)) {
    if (!Number.isInteger(hc.failureThreshold) || hc.failureThreshold < 1 || hc.failureThreshold > 10) {
      throw new MultiRegionFailoverError(`\`failureThreshold\` must be between 1 and 10, got: ${hc.failureThreshold} (${where})`);
    }
  }
  if (hc.searchString !== undefined && !Token.isUnresolved(hc.searchString) && hc.searchString.length > 255) {
    throw new MultiRegionFailoverError(`\`healthCheck.searchString\` must be at most 255 characters, got: ${hc.searchString.length} (${where})`);
  }
  if (hc.protocol === HealthCheckProtocol.TCP && (hc.searchString !== undefined || hc.path !== undefined)) {
    throw new MultiRegionFailoverError(`\`healthCheck.path\` and \`healthCheck.searchString\` do not apply to TCP health checks (${where})`);
  }
  if (hc.port !== undefined && !Token.isUnresolved(hc.port) && (!Number.isInteger(hc.port) || hc.port < 1 || hc.port > 65535)) {
    throw new MultiRegionFailoverError(`\`healthCheck.port\` must be between 1 and 65535, got: ${hc.port} (${where})`);
  }
  if (hc.regions !== undefined && hc.regions.length < 3) {
    throw new MultiRegionFailoverError(`\`healthCheck.regions\` needs at least 3 checker regions, got: ${hc.regions.length} (${where})`);
  }
  if (hc.path !== undefined && !Token.isUnresolved(hc.path) && !hc.path.startsWith('/')) {
    throw new MultiRegionFailoverError(`\`healthCheck.path\` must start with "/", got: ${hc.path} (${where})`);
  }
}

