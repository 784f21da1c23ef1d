import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { validateHandler, validateReplicationLag } from './handler-options';
import { ApiAuthorization, ApiCorsOptions, ApiRecordMode, ApiRoute, ApiThrottlingOptions } from './options';
import type { MultiRegionApiProps, RegionalApiOptions } from './props';
import { validateAlarmTopicArns } from '../core/alarm-topics';
import { resolveAccount } from '../core/environment';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, validateStackNamePrefix } from '../core/naming';
import { validateRegions } from '../core/regions';
import { addError, validateDnsName, validateKnownRegions, validateTtl } from '../core/validation';
import { validateHostedZoneId } from '../core/zones';
import { nameInZone } from '../failover-dns/internal';
import { FailoverHealthCheckOptions, FailoverRouting, HealthCheckProtocol } from '../failover-dns/options';

/** The health check route. */
export const HEALTH_PATH = '/health';
const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ANY'];
const DEFAULT_STAGE = 'prod';
const DEFAULT_THROTTLING = { rateLimit: 100, burstLimit: 200 };
/**
 * Route 53's checkers don't coordinate and send "several requests per second" at times
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
 * 50 rps and a burst of 100 leave a wide margin over that, and bound what a flood of `/health` costs.
 */
const DEFAULT_HEALTH_THROTTLING = { rateLimit: 50, burstLimit: 100 };

/** Why the record name must be a host name (the reason in `validateDnsName`'s message). */
const HOST_NAME_REASON = 'it gets an ACM certificate and an API Gateway custom domain';

/**
 * `MultiRegionApiProps`, validated, with the defaults applied. Input that leaves the construct buildable (an unknown
 * region, a name ACM or Route 53 would reject, a TTL out of range, a health check path the API does not serve, bad
 * topic or web ACL ARNs) is collected with `addError`, so one synth reports all of it; the rest throws.
 */
export function resolveProps(scope: Construct, props: MultiRegionApiProps) {
  const account = resolveAccount(scope, props.account);
  const regions = validateRegions(props.regions, { min: 2 });
  validateKnownRegions(scope, regions);
  const options = resolveApiOptions(scope, props, { regions, tableRegions: regions, account, prefix: props.stackNamePrefix, report: true });
  const lag = validateReplicationLag(props.replicationLagAllowance);
  validateAlarmTopicArns(scope, props.alarmTopicArns, [...new Set([...regions, 'us-east-1'])], account);
  return { ...options, account, regions, lag };
}

/** Where `resolveApiOptions` applies the options. */
export interface ApiOptionsScope {
  /** The regions of the APIs (the keys `certificateArns` and `webAclArns` must hold). */
  readonly regions: string[];
  /** The regions of the table's replicas (the keys `tableKeyArns` must hold). */
  readonly tableRegions: string[];
  readonly account: string;
  /** The name prefix the user set (`stackNamePrefix` or `namePrefix`), if any. */
  readonly prefix?: string;
  /** The property the prefix came from, for its message. */
  readonly prefixProperty?: string;
  /**
   * Whether to report the input errors `addError` collects (and the warnings): false when a `MultiRegionApi` above
   * reported them already, so each shows once. The checks that throw run either way (they pass on its resolved input).
   */
  readonly report: boolean;
}

/** `RegionalApiOptions`, validated (see `resolveProps`), with the defaults applied. */
export function resolveApiOptions(scope: Construct, props: RegionalApiOptions, o: ApiOptionsScope) {
  const zoneName = validateZone(scope, props.hostedZoneId, props.zoneName);
  const recordName = resolveName(props.recordName, zoneName);
  if (o.report) {
    validateDnsName(scope, zoneName, { property: 'zoneName', reason: HOST_NAME_REASON });
    validateDnsName(scope, recordName, { property: 'recordName', reason: HOST_NAME_REASON });
    validateTtl(scope, props.ttl, 'ttl', { failover: true });
  }
  // The default prefix comes from the record name, never from the construct path: moving the construct into a Stage
  // or renaming its id must not rename its stacks or its table.
  const prefix = o.prefix !== undefined ? validateStackNamePrefix(o.prefix, o.prefixProperty) : prefixFromName(recordName);
  const tableName = props.tableName ?? `${prefix}-table`;
  validateTableName(tableName);
  const key = props.partitionKeyName ?? 'id';
  if (!/^[A-Za-z0-9_.-]{1,255}$/.test(key)) {
    throw new MultiRegionFailoverError(`\`partitionKeyName\` must be 1 to 255 letters, digits, "_", "-" or ".", got: ${key}`);
  }
  validatePerRegion('tableKeyArns', props.tableKeyArns, o.tableRegions);
  validatePerRegion('certificateArns', props.certificateArns, o.regions);
  const stageName = props.stageName ?? DEFAULT_STAGE;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) {
    throw new MultiRegionFailoverError(`\`stageName\` must be 1 to 128 letters, digits, "_" or "-", got: ${stageName}`);
  }
  const routes = collectRoutes(props.routes ?? [], props.defaultRoutes ?? true);
  const exposed = exposedRoutes(routes, props.proxy ?? false);
  if (o.report) {
    validateHealthCheckPath(scope, props.healthCheck, stageName);
    validateWebAclArns(scope, props.webAclArns, o.regions, o.account);
  }
  return {
    recordName,
    prefix,
    tableName,
    key,
    stageName,
    throttling: validateThrottling('throttling', props.throttling, DEFAULT_THROTTLING),
    healthThrottling: validateThrottling('healthThrottling', props.healthThrottling, DEFAULT_HEALTH_THROTTLING),
    builtIn: validateHandler(props.handler),
    healthReservedConcurrency: validateReservedConcurrency(props.healthReservedConcurrency),
    routes,
    exposed,
    authorization: validateAuthorization(props.authorization, exposed),
    cors: validateCors(props.cors, routes, props.proxy ?? false),
    routing: props.routing ?? FailoverRouting.FAILOVER,
    recordMode: props.recordMode ?? ApiRecordMode.CNAME,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    recoveryAssumptions: props.recoveryAssumptions,
    strong: props.multiRegionConsistency === dynamodb.MultiRegionConsistency.STRONG,
  };
}

/** The resolved settings of one regional API. */
export type ApiSettings = ReturnType<typeof resolveApiOptions>;

/** Constructs that validate the regional API stacks under them (`MultiRegionApi`). */
const API_VALIDATORS = new WeakSet<IConstruct>();

/** Makes `construct` the one that reports the input errors of every `RegionalApiStack` and `ApiHealthAlarmsStack` under it. */
export function validatesRegionalApis(construct: IConstruct): void {
  API_VALIDATORS.add(construct);
}

/** Whether a construct above `stack` reported its input errors (`validatesRegionalApis`). */
export function apiValidatedAbove(stack: IConstruct): boolean {
  return stack.node.scopes.some((s) => s !== stack && API_VALIDATORS.has(s));
}

/**
 * The zone name, checked, in lower case without the trailing dot. The id must be concrete (each regional stack imports
 * the zone by id), or the placeholder of a pending `HostedZone.fromLookup` of `zoneName`: the CLI's first synthesis
 * must pass for it to look the zone up (`validateHostedZoneId`).
 */
export function validateZone(scope: Construct, hostedZoneId: string, zoneName: string): string {
  validateHostedZoneId(scope, hostedZoneId, { property: 'hostedZoneId', zoneName });
  const name = typeof zoneName === 'string' ? zoneName.replace(/\.$/, '').toLowerCase() : '';
  if (Token.isUnresolved(zoneName) || !/^([a-z0-9_]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/.test(name)) {
    throw new MultiRegionFailoverError(`\`zoneName\` must be a concrete domain name such as example.com, got: ${zoneName}`);
  }
  return name;
}

export function resolveName(recordName: string, zoneName: string): string {
  if (typeof recordName !== 'string' || Token.isUnresolved(recordName) || recordName.length === 0) {
    throw new MultiRegionFailoverError(`\`recordName\` must be a concrete name inside the hosted zone ${zoneName}, got: ${recordName}`);
  }
  const resolved = nameInZone(recordName.replace(/\.$/, '').toLowerCase(), zoneName);
  if (resolved === undefined) {
    throw new MultiRegionFailoverError(`\`recordName\` must be inside the hosted zone ${zoneName}, got: ${recordName}`);
  }
  return resolved;
}

export function validateTableName(name: string): void {
  if (Token.isUnresolved(name) || !/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new MultiRegionFailoverError(`\`tableName\` must be 3 to 255 letters, digits, "_", "-" or ".", got: ${name}`);
  }
}

export function validatePerRegion(property: string, map: { [region: string]: string } | undefined, regions: string[]): void {
  if (map === undefined) {
    return;
  }
  const missing = regions.filter((r) => !map[r]);
  if (missing.length > 0) {
    throw new MultiRegionFailoverError(`\`${property}\` needs an ARN for every region, got none for: ${missing.join(', ')}`);
  }
  const extra = Object.keys(map).filter((r) => !regions.includes(r));
  if (extra.length > 0) {
    throw new MultiRegionFailoverError(`\`${property}\` must only hold regions of \`regions\`, got: ${extra.join(', ')}`);
  }
  for (const region of regions) {
    const arn = map[region];
    if (!Token.isUnresolved(arn) && arn.split(':')[3] !== region) {
      throw new MultiRegionFailoverError(`\`${property}\` must hold, for each region, an ARN in that region, got for ${region}: ${arn}`);
    }
  }
}

/** Validates throttling settings; `property` names them in messages (`throttling` or `healthThrottling`). */
export function validateThrottling(
  property: string,
  t: ApiThrottlingOptions | undefined,
  defaults: Required<ApiThrottlingOptions>,
): Required<ApiThrottlingOptions> {
  const rateLimit = t?.rateLimit ?? defaults.rateLimit;
  const burstLimit = t?.burstLimit ?? defaults.burstLimit;
  if (!Token.isUnresolved(rateLimit) && !(rateLimit > 0)) {
    throw new MultiRegionFailoverError(`\`${property}.rateLimit\` must be greater than 0, got: ${rateLimit}`);
  }
  if (!Token.isUnresolved(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit > 0)) {
    throw new MultiRegionFailoverError(`\`${property}.burstLimit\` must be a positive integer, got: ${burstLimit}`);
  }
  return { rateLimit, burstLimit };
}

/** `healthReservedConcurrency`: a positive integer, or undefined (nothing reserved). */
export function validateReservedConcurrency(value: number | undefined): number | undefined {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value > 0)) {
    throw new MultiRegionFailoverError(`\`healthReservedConcurrency\` must be a positive integer (reserved concurrency of the health function), got: ${value}`);
  }
  return value;
}

export function collectRoutes(routes: ApiRoute[], defaultRoutes: boolean): ApiRoute[] {
  const all: ApiRoute[] = defaultRoutes ? [{ path: '/read', methods: ['GET'] }, { path: '/write', methods: ['POST'] }] : [];
  const seen = new Set<string>(all.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)));
  routes.forEach((route, i) => {
    const path = route.path.length > 1 ? route.path.replace(/\/$/, '') : route.path;
    if (!/^(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\}))+(\/\{[A-Za-z0-9_]+\+\})?$|^\/\{[A-Za-z0-9_]+\+\}$/.test(path)) {
      throw new MultiRegionFailoverError(`\`routes[${i}].path\` must start with "/" and hold segments of letters, digits, ".", "_", "~", "-" or {param} ({param+} last), got: ${route.path}`);
    }
    if (!route.methods || route.methods.length === 0) {
      throw new MultiRegionFailoverError(`\`routes[${i}].methods\` needs at least one method, got: none`);
    }
    const methods = route.methods.map((m) => m.toUpperCase());
    for (const method of methods) {
      if (!ROUTE_METHODS.includes(method)) {
        throw new MultiRegionFailoverError(`\`routes[${i}].methods\` may hold only ${ROUTE_METHODS.join(', ')}, got: ${method}`);
      }
      if (path === HEALTH_PATH) {
        throw new MultiRegionFailoverError(`\`routes[${i}]\` must not use ${HEALTH_PATH}: it is reserved for the Route 53 health check, got: ${method} ${route.path}`);
      }
      const id = `${method} ${path}`;
      if (seen.has(id)) {
        throw new MultiRegionFailoverError(`\`routes\` must not repeat a route, got ${id} twice${defaultRoutes ? ' (`defaultRoutes` already serves GET /read and POST /write)' : ''}`);
      }
      seen.add(id);
    }
    all.push({ path, methods });
  });
  return all;
}

/** Every method and path the API serves besides `GET /health`, as "METHOD /path". */
export function exposedRoutes(routes: ApiRoute[], proxy: boolean): string[] {
  return [...routes.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)), ...(proxy ? ['ANY /', 'ANY /{proxy+}'] : [])];
}

/**
 * The API's authorization. There is no implicit public API: an API with routes besides `/health` needs an explicit
 * `ApiAuthorization.cognito(...)` or `ApiAuthorization.none()`.
 */
export function validateAuthorization(authorization: ApiAuthorization | undefined, exposed: string[]): ApiAuthorization {
  if (authorization === undefined) {
    if (exposed.length === 0) {
      return ApiAuthorization.none();
    }
    throw new MultiRegionFailoverError('`authorization` must be chosen explicitly: `ApiAuthorization.cognito(userPoolArns)` to require signed-in users, '
      + `or \`ApiAuthorization.none()\` to let anyone on the internet call ${exposed.join(', ')}, got: undefined`);
  }
  if (authorization.authorizationType === apigateway.AuthorizationType.COGNITO && authorization.userPoolArns.length === 0) {
    throw new MultiRegionFailoverError('`authorization` of type Cognito needs at least one user pool ARN, got: none');
  }
  return authorization;
}

/** The CORS settings, or `undefined` (no CORS: browsers on other origins cannot call the API). */
export function validateCors(cors: ApiCorsOptions | undefined, routes: ApiRoute[], proxy: boolean): ApiCorsOptions | undefined {
  if (!cors) {
    return undefined;
  }
  if (!cors.allowOrigins || cors.allowOrigins.length === 0) {
    throw new MultiRegionFailoverError('`cors.allowOrigins` needs at least one origin (or "*"), got: none');
  }
  for (const origin of cors.allowOrigins) {
    if (origin !== '*' && !Token.isUnresolved(origin) && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new MultiRegionFailoverError(`\`cors.allowOrigins\` must hold "*" or origins such as https://app.example.com (scheme and host, no path), got: ${origin}`);
    }
  }
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    throw new MultiRegionFailoverError('`cors.allowOrigins` must list explicit origins when `cors.allowCredentials` is true (browsers reject credentials with a wildcard origin), got: *');
  }
  if (cors.allowOrigins.includes('*') && cors.allowOrigins.length > 1) {
    throw new MultiRegionFailoverError(`\`cors.allowOrigins\` must be either ["*"] or a list of origins, got: ${cors.allowOrigins.join(', ')}`);
  }
  const anyMethod = proxy || routes.some((r) => r.methods.includes('ANY'));
  const defaultMethods = [...new Set([...routes.flatMap((r) => r.methods), 'OPTIONS'])];
  return { ...cors, allowMethods: cors.allowMethods ?? (anyMethod ? apigateway.Cors.ALL_METHODS : defaultMethods) };
}

/**
 * Without its own `healthCheck.fqdn`, each region's health check calls that region's execute-api host, which serves the
 * API only under the stage name (`https://{api-id}.execute-api.{region}.amazonaws.com/{stageName}/...`); the health
 * route is `GET /health`. So the path must be `/<stageName>/health` (a query string may follow): a check of any other
 * path gets 403/404 for ever, the region never counts as healthy and never fails over. Checked, not mapped: a mapped
 * path would hide a setting that was wrong. With the user's own `fqdn`, the path is theirs.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html
 */
export function validateHealthCheckPath(scope: Construct, hc: FailoverHealthCheckOptions | undefined, stageName: string): void {
  if (!hc || hc.fqdn !== undefined || hc.path === undefined || Token.isUnresolved(hc.path) || hc.protocol === HealthCheckProtocol.TCP) {
    return;
  }
  const served = `/${stageName}${HEALTH_PATH}`;
  if (hc.path.split('?')[0] !== served) {
    addError(scope, `\`healthCheck.path\` must be ${served}: the health check calls each region's execute-api host ({api-id}.execute-api.{region}.amazonaws.com), `
      + `which serves the API only under its stage ${stageName}, and the health route is GET ${HEALTH_PATH}; a check of any other path never passes and the region never fails over `
      + `(to check your own host and path, set \`healthCheck.fqdn\` too), got: ${hc.path}`);
  }
}

/**
 * `webAclArns`: a regional AWS WAF web ACL for every region, each of that region and account. AWS WAF associates a
 * regional resource only with a web ACL "in the same region as your resource"; a CloudFront (global) web ACL cannot be
 * associated with an API Gateway stage.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
 */
export function validateWebAclArns(scope: Construct, arns: { [region: string]: string } | undefined, regions: string[], account: string): void {
  if (arns === undefined) {
    return;
  }
  const missing = regions.filter((r) => !arns[r]);
  if (missing.length > 0) {
    addError(scope, `\`webAclArns\` needs a web ACL for every region (a failover must not move traffic to an unprotected region), got none for: ${missing.join(', ')}`);
  }
  const extra = Object.keys(arns).filter((r) => !regions.includes(r));
  if (extra.length > 0) {
    addError(scope, `\`webAclArns\` must only hold regions of \`regions\`, got: ${extra.join(', ')}`);
  }
  for (const region of regions.filter((r) => arns[r] && !Token.isUnresolved(arns[r]))) {
    const match = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):(\d{12}):regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[A-Za-z0-9-]{1,128}$/.exec(arns[region]);
    if (!match || match[1] !== region || match[2] !== account) {
      addError(scope, `\`webAclArns\`[${region}] must be a regional AWS WAF web ACL of ${region} and account ${account} `
        + `(arn:<partition>:wafv2:${region}:${account}:regional/webacl/<name>/<id>), got: ${arns[region]}`);
    }
  }
}
