import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GlobalSsrSiteProps, SsrEdgeOptions, SsrWriteSigning } from './props';
import { resolveAccount } from '../core/environment';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, validateStackNamePrefix } from '../core/naming';
import { isValidRegionName } from '../core/regions';
import { validateHostedZoneId } from '../core/zones';

/** Every setting of a `GlobalSsrSite`, validated, with its defaults applied. @internal */
export interface SiteSettings {
  readonly dr: boolean;
  readonly account: string;
  readonly primaryRegion: string;
  readonly drRegion?: string;
  readonly domainName: string;
  readonly siteName: string;
  /** Prefix of the stack names (`<prefix>-<role>-<region>`). */
  readonly stackNamePrefix: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly readTimeout: Duration;
  readonly connectionAttempts: number;
  readonly connectionTimeout: Duration;
  readonly staticPatterns: string[];
  readonly immutablePaths: string[];
  readonly ssrCodes: number[];
  readonly staticCodes: number[];
  readonly healthCheckPath: string;
  readonly interval: Duration;
  readonly threshold: number;
  readonly writeFailover: boolean;
  readonly writeSigning: SsrWriteSigning;
  readonly removalPolicy: RemovalPolicy;
  readonly tableName: string;
  readonly functionName: string;
  readonly primaryBucketName: string;
  readonly drBucketName?: string;
  /** Suffix of the deploy-time SSM readers' physical ids (`crossRegionRefresh`). */
  readonly refresh?: string;
}

const ALLOWED_FAILOVER_CODES = [400, 403, 404, 416, 500, 502, 503, 504];
/** @internal */
export const DEFAULT_STATIC_PATTERNS = ['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico'];
/** @internal */
export const DEFAULT_IMMUTABLE_PATHS = ['_next/static/*', 'assets/*'];
const CATCH_ALL_PATTERNS = ['*', '/*', '/**', '**', '/', ''];
/** The SSR function's memory (MB) by default. @internal */
export const SSR_DEFAULT_MEMORY = 512;
/** The SSR function's timeout by default (and so `readTimeout`'s). @internal */
export const SSR_DEFAULT_TIMEOUT = Duration.seconds(10);
/** The SSR app's health path by default: the bootstrap page answers it without rendering. */
export const DEFAULT_HEALTH_PATH = '/_health';

/** The longest `siteName`: the bucket names `<siteName>-<account>-<region>` stay well within S3's 63 characters. */
const SITE_NAME_MAX_LENGTH = 20;

/** The global table's name (the same in every region). @internal */
export function siteTableName(siteName: string): string {
  return `${siteName}-state`;
}

/** The SSR function's name (the same in every region). @internal */
export function ssrFunctionName(siteName: string): string {
  return `${siteName}-ssr`;
}

/** The static bucket's name in `region`. @internal */
export function staticBucketName(siteName: string, account: string, region: string): string {
  return `${siteName}-${account}-${region}`;
}

/**
 * Validates `props` and applies the defaults. `scope` is the site (its Stage gives the default account). Names never
 * come from the construct path: `siteName` and the stack-name prefix default to names derived from `domainName`, so
 * moving the site into a Stage or renaming its id renames nothing. @internal
 */
export function resolveSettings(props: GlobalSsrSiteProps, scope: IConstruct): SiteSettings {
  const dr = props.dr ?? true;
  const account = resolveAccount(scope, props.account);
  const primaryRegion = validateRegion(props.primaryRegion, 'primaryRegion');
  validateDrOptions(props, dr);
  const drRegion = dr ? validateDrRegion(props.drRegion, primaryRegion) : undefined;
  const domainName = validateDomain(props.domainName, props.zoneName);
  // Each stack imports the zone by id: a concrete id, or the placeholder of a pending HostedZone.fromLookup.
  validateHostedZoneId(scope, props.hostedZoneId, { property: 'hostedZoneId', zoneName: props.zoneName });
  validateCertificateArn(props.certificateArn);
  const siteName = props.siteName ?? prefixFromName(domainName, SITE_NAME_MAX_LENGTH);
  validateSiteName(siteName);
  const stackNamePrefix = props.stackNamePrefix !== undefined ? validateStackNamePrefix(props.stackNamePrefix) : prefixFromName(domainName);
  const memorySize = props.ssr?.memorySize ?? SSR_DEFAULT_MEMORY;
  const timeout = props.ssr?.timeout ?? SSR_DEFAULT_TIMEOUT;
  validateSsr(memorySize, timeout);
  const edge = resolveEdgeOptions(props, {
    readTimeout: props.readTimeout ?? timeout,
    readTimeoutFromSsrTimeout: props.readTimeout === undefined,
    staticPatterns: props.staticAssets?.pathPatterns,
    refresh: props.crossRegionRefresh,
  });
  return {
    dr,
    account,
    primaryRegion,
    drRegion,
    domainName,
    siteName,
    stackNamePrefix,
    memorySize,
    timeout,
    ...edge,
    immutablePaths: props.staticAssets?.immutablePaths ?? DEFAULT_IMMUTABLE_PATHS,
    writeFailover: dr && (props.writeFailover ?? true),
    writeSigning: props.writeSigning ?? SsrWriteSigning.EDGE_BODY_HASH,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    tableName: siteTableName(siteName),
    functionName: ssrFunctionName(siteName),
    primaryBucketName: staticBucketName(siteName, account, primaryRegion),
    drBucketName: drRegion ? staticBucketName(siteName, account, drRegion) : undefined,
  };
}

/** What `resolveEdgeOptions` reads beside the `SsrEdgeOptions`. @internal */
export interface EdgeOptionsInput {
  readonly readTimeout: Duration;
  /** `readTimeout` is `ssr.timeout` because the user left it out (the message says so). */
  readonly readTimeoutFromSsrTimeout: boolean;
  readonly staticPatterns?: string[];
  /** The prop that holds `staticPatterns`, for the messages. @default 'staticAssets.pathPatterns' */
  readonly staticPatternsProperty?: string;
  readonly refresh?: string;
}

/** The options of the distribution and the health checks. @internal */
export type EdgeOptions = Pick<SiteSettings, 'readTimeout' | 'connectionAttempts' | 'connectionTimeout' | 'staticPatterns' | 'ssrCodes'
| 'staticCodes' | 'healthCheckPath' | 'interval' | 'threshold' | 'refresh'>;

/** Validates the options of the distribution and the health checks, in this order, and applies their defaults. @internal */
export function resolveEdgeOptions(o: SsrEdgeOptions, i: EdgeOptionsInput): EdgeOptions {
  validateReadTimeout(i.readTimeout, i.readTimeoutFromSsrTimeout);
  const connectionAttempts = o.connectionAttempts ?? 1;
  const connectionTimeout = o.connectionTimeout ?? Duration.seconds(2);
  validateConnection(connectionAttempts, connectionTimeout);
  const staticPatterns = i.staticPatterns ?? DEFAULT_STATIC_PATTERNS;
  validateStaticPatterns(staticPatterns, i.staticPatternsProperty);
  const ssrCodes = o.ssrFailoverStatusCodes ?? [500, 502, 503, 504];
  const staticCodes = o.staticFailoverStatusCodes ?? [403, 404, 500, 502, 503, 504];
  validateStatusCodes(ssrCodes, 'ssrFailoverStatusCodes');
  validateStatusCodes(staticCodes, 'staticFailoverStatusCodes');
  const healthCheckPath = o.healthCheckPath ?? DEFAULT_HEALTH_PATH;
  validateHealthPath(healthCheckPath);
  const interval = o.healthCheckInterval ?? Duration.seconds(10);
  const threshold = o.healthCheckFailureThreshold ?? 2;
  validateHealthCheck(interval, threshold);
  validateRefresh(i.refresh);
  return {
    readTimeout: i.readTimeout,
    connectionAttempts,
    connectionTimeout,
    staticPatterns,
    ssrCodes,
    staticCodes,
    healthCheckPath,
    interval,
    threshold,
    refresh: i.refresh,
  };
}

/** @internal */
export function validateRegion(region: string, property: string): string {
  if (!isValidRegionName(region)) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a concrete AWS region name, got: ${region}`);
  }
  return region;
}

/** @internal */
export function validateDrRegion(drRegion: string | undefined, primaryRegion: string): string {
  if (drRegion === undefined) {
    throw new MultiRegionFailoverError('`drRegion` is required when `dr` is true (the default), got: undefined');
  }
  const region = validateRegion(drRegion, 'drRegion');
  if (region === primaryRegion) {
    throw new MultiRegionFailoverError(`\`drRegion\` must differ from \`primaryRegion\`, got: ${region} for both`);
  }
  return region;
}

function validateDrOptions(props: GlobalSsrSiteProps, dr: boolean): void {
  if (dr) {
    return;
  }
  const drOnly: [string, unknown][] = [
    ['drRegion', props.drRegion],
    ['replicationTimeControl', props.replicationTimeControl],
    ['ssrFailoverStatusCodes', props.ssrFailoverStatusCodes],
    ['staticFailoverStatusCodes', props.staticFailoverStatusCodes],
    ['writeFailover', props.writeFailover],
    ['healthCheckPath', props.healthCheckPath],
    ['healthCheckInterval', props.healthCheckInterval],
    ['healthCheckFailureThreshold', props.healthCheckFailureThreshold],
    ['recoveryObjectives', props.recoveryObjectives],
  ];
  for (const [name, value] of drOnly) {
    if (value !== undefined) {
      throw new MultiRegionFailoverError(`\`${name}\` applies only with a DR region, got it with \`dr: false\``);
    }
  }
}

/** @internal */
export function validateDomain(domainName: string, zoneName: string): string {
  if (Token.isUnresolved(domainName) || Token.isUnresolved(zoneName)) {
    throw new MultiRegionFailoverError(`\`domainName\` and \`zoneName\` must be concrete strings, got: ${domainName} in ${zoneName}`);
  }
  const zone = zoneName.replace(/\.$/, '').toLowerCase();
  const name = domainName.replace(/\.$/, '').toLowerCase();
  if (name !== zone && !name.endsWith(`.${zone}`)) {
    throw new MultiRegionFailoverError(`\`domainName\` must be the zone name or a name inside the hosted zone ${zone}, got: ${domainName}`);
  }
  return name;
}

/** @internal */
export function validateCertificateArn(arn: string | undefined): void {
  if (arn === undefined || Token.isUnresolved(arn)) {
    return;
  }
  const region = arn.split(':')[3];
  if (!arn.startsWith('arn:') || arn.split(':')[2] !== 'acm' || region !== 'us-east-1') {
    throw new MultiRegionFailoverError(`\`certificateArn\` must be an ACM certificate in us-east-1 (CloudFront requires it), got: ${arn}`);
  }
}

/** @internal */
export function validateSiteName(name: string): void {
  if (Token.isUnresolved(name) || !/^[a-z][a-z0-9-]{2,19}$/.test(name) || name.endsWith('-')) {
    throw new MultiRegionFailoverError(`\`siteName\` must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got: ${name}`);
  }
}

/** @internal */
export function validateSsr(memorySize: number, timeout: Duration): void {
  if (!Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240)) {
    throw new MultiRegionFailoverError(`\`ssr.memorySize\` must be between 128 and 10240 MB, got: ${memorySize}`);
  }
  if (!timeout.isUnresolved()) {
    const s = timeout.toSeconds({ integral: false });
    if (s < 1 || s > 900) {
      throw new MultiRegionFailoverError(`\`ssr.timeout\` must be between 1 and 900 seconds, got: ${s} s`);
    }
  }
}

/** @internal */
export function validateReadTimeout(readTimeout: Duration, fromSsrTimeout: boolean): void {
  if (readTimeout.isUnresolved()) {
    throw new MultiRegionFailoverError('`readTimeout` must be a concrete duration (the recovery estimate counts it), got a token');
  }
  const s = readTimeout.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < 1 || s > 180) {
    throw new MultiRegionFailoverError(`\`readTimeout\` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: ${s} s`
      + (fromSsrTimeout ? ' (it defaults to `ssr.timeout`; set `readTimeout`)' : ''));
  }
}

/** @internal */
export function validateConnection(attempts: number, timeout: Duration): void {
  if (Token.isUnresolved(attempts) || !Number.isInteger(attempts) || attempts < 1 || attempts > 3) {
    throw new MultiRegionFailoverError(`\`connectionAttempts\` must be between 1 and 3, got: ${attempts}`);
  }
  const s = timeout.isUnresolved() ? NaN : timeout.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < 1 || s > 10) {
    throw new MultiRegionFailoverError(`\`connectionTimeout\` must be between 1 and 10 whole seconds, got: ${timeout.isUnresolved() ? 'a token' : `${s} s`}`);
  }
}

/** @internal */
export function validateStaticPatterns(patterns: string[], property = 'staticAssets.pathPatterns'): void {
  if (patterns.length === 0) {
    throw new MultiRegionFailoverError(`\`${property}\` needs at least one path pattern, got: none`);
  }
  for (const p of patterns) {
    if (CATCH_ALL_PATTERNS.includes(p.trim())) {
      throw new MultiRegionFailoverError(`\`${property}\` must not shadow the default (SSR) behaviour \`/*\`, got: ${p}`);
    }
    if (p.startsWith('/__global-ssr/')) {
      throw new MultiRegionFailoverError(`\`${property}\` must not use the reserved prefix /__global-ssr/, got: ${p}`);
    }
  }
  if (new Set(patterns).size !== patterns.length) {
    throw new MultiRegionFailoverError(`\`${property}\` must not repeat a pattern, got: ${patterns.join(', ')}`);
  }
}

/** @internal */
export function validateStatusCodes(codes: number[], property: string): void {
  if (codes.length === 0) {
    throw new MultiRegionFailoverError(`\`${property}\` needs at least one status code, got: none`);
  }
  for (const c of codes) {
    if (!ALLOWED_FAILOVER_CODES.includes(c)) {
      throw new MultiRegionFailoverError(`\`${property}\` may only hold ${ALLOWED_FAILOVER_CODES.join(', ')}, got: ${c}`);
    }
  }
}

/** @internal */
export function validateHealthPath(path: string): void {
  if (Token.isUnresolved(path) || !path.startsWith('/') || path.startsWith('/__global-ssr/') || /[?#\s]/.test(path)) {
    throw new MultiRegionFailoverError(`\`healthCheckPath\` must be a path that starts with "/", has no query, fragment or space and is outside /__global-ssr/, got: ${path}`);
  }
}

/** @internal */
export function validateHealthCheck(interval: Duration, threshold: number): void {
  const s = interval.isUnresolved() ? NaN : interval.toSeconds({ integral: false });
  if (s !== 10 && s !== 30) {
    throw new MultiRegionFailoverError(`\`healthCheckInterval\` must be 10 or 30 seconds, got: ${interval.isUnresolved() ? 'a token' : `${s} s`}`);
  }
  if (Token.isUnresolved(threshold) || !Number.isInteger(threshold) || threshold < 1 || threshold > 10) {
    throw new MultiRegionFailoverError(`\`healthCheckFailureThreshold\` must be between 1 and 10, got: ${threshold}`);
  }
}

/** @internal */
export function validateRefresh(value: string | undefined): void {
  if (value !== undefined && (Token.isUnresolved(value) || !/^[A-Za-z0-9._:-]{1,64}$/.test(value))) {
    throw new MultiRegionFailoverError(`\`crossRegionRefresh\` must be 1 to 64 letters, digits or . _ : - characters, got: ${value}`);
  }
}
