import { CfnResource, Duration, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { FailoverHealthCheckOptions, HealthCheckProtocol } from './options';
import { MultiRegionFailoverError } from '../core/errors';

/** Constructs that validate the record name, TTL and regions of the `FailoverEndpointRecord`s under them. */
const RECORD_VALIDATORS = new WeakSet<IConstruct>();

/**
 * Makes `construct` the one that validates the record name, TTL and endpoint regions of every `FailoverEndpointRecord`
 * created under it (one error for the whole record set, under its path), instead of each record. @internal
 */
export function validatesEndpointRecords(construct: IConstruct): void {
  RECORD_VALIDATORS.add(construct);
}

/** Whether a construct above `record` validates its record name, TTL and region (`validatesEndpointRecords`). @internal */
export function validatedAbove(record: IConstruct): boolean {
  return record.node.scopes.some((s) => s !== record && RECORD_VALIDATORS.has(s));
}

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


/**
 * An API Gateway regional domain name, the target of a regional custom domain:
 * `d-xxxx.execute-api.<region>.amazonaws.com`, or `.amazonaws.com.cn` in the China partition.
 */
const API_GATEWAY_REGIONAL_DOMAIN = /^d-[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\.?$/i;

/** CloudFormation types whose `RegionalDomainName` attribute is an API Gateway regional domain name. */
const API_GATEWAY_DOMAIN_TYPES = ['AWS::ApiGateway::DomainName', 'AWS::ApiGatewayV2::DomainName'];

/**
 * How to name `name` in a message when it is an API Gateway regional domain name; undefined when it is not one
 * or cannot be known at synth.
 *
 * A concrete string is matched against `d-xxxx.execute-api.<region>.amazonaws.com[.cn]`. A token is what CDK
 * users usually pass (`apigateway.DomainName.domainNameAliasDomainName` of a regional domain,
 * `apigatewayv2.DomainName.regionalDomainName`): it resolves to `Fn::GetAtt [<logical id>, RegionalDomainName]`
 * of an `AWS::ApiGateway::DomainName` or `AWS::ApiGatewayV2::DomainName`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-domainname.html#aws-resource-apigateway-domainname-return-values,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-domainname.html#aws-resource-apigatewayv2-domainname-return-values).
 * Other resource types have a `RegionalDomainName` too (S3 buckets), so the resource's type is checked.
 * @internal
 */
export function describeApiGatewayRegionalDomainName(scope: IConstruct, name: string | undefined): string | undefined {
  if (name === undefined) {
    return undefined;
  }
  if (!Token.isUnresolved(name)) {
    return API_GATEWAY_REGIONAL_DOMAIN.test(name) ? name : undefined;
  }
  const resource = regionalDomainNameOwner(scope, name);
  return resource && API_GATEWAY_DOMAIN_TYPES.includes(resource.cfnResourceType)
    ? `the RegionalDomainName of ${resource.node.path} (${resource.cfnResourceType})`
    : undefined;
}

/** The resource whose `RegionalDomainName` attribute the token `name` is, if it is one this app defines. */
function regionalDomainNameOwner(scope: IConstruct, name: string): CfnResource | undefined {
  // A reference to another stack's resource resolves to that stack's logical id: follow the reference itself.
  const token = Tokenization.reverseString(name);
  const single = token.length === 1 ? token.firstToken : undefined;
  if (single instanceof Reference && single.displayName === 'RegionalDomainName' && single.target instanceof CfnResource) {
    return single.target;
  }
  const stack = Stack.of(scope);
  const resolved = stack.resolve(name);
  const getAtt = typeof resolved === 'object' && resolved !== null ? resolved['Fn::GetAtt'] : undefined;
  if (!Array.isArray(getAtt) || getAtt.length !== 2 || getAtt[1] !== 'RegionalDomainName') {
    return undefined;
  }
  return stack.node.findAll().find((c): c is CfnResource =>
    c instanceof CfnResource && Stack.of(c) === stack && stack.resolve(c.logicalId) === getAtt[0]);
}

/**
 * Refuses an HTTP(S) health check that can never pass on an API Gateway regional domain name, given as a string or
 * as a token (see `describeApiGatewayRegionalDomainName`), as `domainName` or as `healthCheck.fqdn`.
 *
 * A regional custom domain's DNS record points at its regional domain name
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html),
 * which serves only the custom domain names mapped to it: a health check calling it by its own name gets 403,
 * the endpoint is never healthy, and Route 53 fails open to the primary. The API itself answers at
 * `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html).
 * @internal
 */
export function validateApiGatewayHealthCheck(
  scope: IConstruct,
  label: string,
  domainName: string | undefined,
  hc: FailoverHealthCheckOptions,
): void {
  if ((hc.protocol ?? HealthCheckProtocol.HTTPS) === HealthCheckProtocol.TCP) {
    return;
  }
  const why = 'gets 403 (it serves only the custom domain names mapped to it), so the endpoint is never healthy and Route 53 never fails over';
  const fqdn = describeApiGatewayRegionalDomainName(scope, hc.fqdn);
  if (fqdn !== undefined) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`healthCheck.fqdn\` must not be an API Gateway regional domain name, got: ${fqdn}. `
      + `It ${why}. Use the API's {api-id}.execute-api.{region}.amazonaws.com host with \`healthCheck.path\` under its stage (e.g. /prod/health)`);
  }
  const shown = describeApiGatewayRegionalDomainName(scope, domainName);
  if (shown === undefined) {
    return;
  }
  if (hc.fqdn === undefined) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`healthCheck.fqdn\` must be set when \`domainName\` is an API Gateway regional domain name, got: none. `
      + `A health check of ${shown} ${why}. Set \`healthCheck.fqdn\` to the API's {api-id}.execute-api.{region}.amazonaws.com host and `
      + '`healthCheck.path` to a health route under its stage (e.g. /prod/health), or give `existingHealthCheck`');
  }
  if (hc.path === undefined) {
    throw new MultiRegionFailoverError(`endpoint ${label}: \`healthCheck.path\` must be set when \`domainName\` is an API Gateway regional domain name, got: none. `
      + 'The {api-id}.execute-api.{region}.amazonaws.com host serves the API under its stage: set e.g. `healthCheck.path: \'/prod/health\'`');
  }
}
