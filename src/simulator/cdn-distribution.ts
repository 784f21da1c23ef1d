import { place, SimulationContext } from './context';
import { ResolvedText, ResourceNode } from './graph';

/**
 * CloudFront origin defaults when the template omits a value: 3 connection attempts of 10 s each, a 30 s response
 * (read) timeout, for custom and Amazon S3 origins alike.
 * @see https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Origin.html
 * @see https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_S3OriginConfig.html
 * @internal
 */
export const ORIGIN_DEFAULTS = { attempts: 3, connectTimeout: 10, readTimeout: 30 };

/** Default failover criteria of an origin group built without status codes (aws-cdk-lib's default). @internal */
export const DEFAULT_FAILOVER_CODES = [500, 502, 503, 504];

/** Methods that CloudFront never retries on an origin group's secondary. @internal */
export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** One origin of a distribution, resolved and placed. @internal */
export interface CdnOrigin {
  readonly id: string;
  readonly domain: ResolvedText;
  /** Region serving it (`global` for a CloudFront host), undefined when unknown. */
  readonly region?: string;
  /** An Amazon S3 bucket (REST or website endpoint). */
  readonly s3: boolean;
  /** The bucket name, for S3 origins. */
  readonly bucketName?: string;
  readonly attempts: number;
  readonly connectTimeout: number;
  readonly readTimeout: number;
  /** The resource that serves it, when the assembly has it (function URL, bucket…). */
  readonly resource?: ResourceNode;
}

/** An origin group of the distribution config. @internal */
export interface CdnGroup {
  readonly id: string;
  readonly members: string[];
  readonly statusCodes: number[];
}

/** A cache behavior (the default one has pattern `*`). @internal */
export interface CdnBehavior {
  readonly pattern: string;
  readonly methods: string[];
  readonly targetOriginId: string;
  /** Viewer-request CloudFront Functions of the assembly. */
  readonly viewerFunctions: ResourceNode[];
  /** Lambda@Edge associations (their ARNs, resolved). */
  readonly edgeLambdas: ResolvedText[];
}

/** A distribution of the assembly. @internal */
export interface CdnDistribution {
  readonly node: ResourceNode;
  /** First alias, else `<stack>/<logical id>`. */
  readonly name: string;
  readonly origins: Map<string, CdnOrigin>;
  readonly groups: Map<string, CdnGroup>;
  readonly behaviors: CdnBehavior[];
}

/** Every `AWS::CloudFront::Distribution` of the assembly, parsed. @internal */
export function readDistributions(ctx: SimulationContext): CdnDistribution[] {
  return ctx.graph.ofType('AWS::CloudFront::Distribution').map((node) => readDistribution(ctx, node));
}

function readDistribution(ctx: SimulationContext, node: ResourceNode): CdnDistribution {
  const config = node.properties.DistributionConfig ?? {};
  const aliases = ctx.graph.list(config.Aliases ?? [], node.stack).map((a) => a.text).filter((a) => a);
  const origins = new Map<string, CdnOrigin>();
  for (const raw of asArray(config.Origins)) {
    const origin = readOrigin(ctx, node, raw);
    origins.set(origin.id, origin);
  }
  const groups = new Map<string, CdnGroup>();
  for (const raw of asArray(config.OriginGroups?.Items)) {
    const id = text(ctx, node, raw.Id);
    const members = asArray(raw.Members?.Items).map((m: any) => text(ctx, node, m.OriginId));
    const codes = asArray(raw.FailoverCriteria?.StatusCodes?.Items).map((c: any) => Number(text(ctx, node, c)));
    groups.set(id, { id, members, statusCodes: codes.length ? codes : DEFAULT_FAILOVER_CODES });
  }
  const behaviors: CdnBehavior[] = [];
  if (config.DefaultCacheBehavior) behaviors.push(readBehavior(ctx, node, config.DefaultCacheBehavior, '*'));
  for (const raw of asArray(config.CacheBehaviors)) behaviors.push(readBehavior(ctx, node, raw, text(ctx, node, raw.PathPattern)));
  return { node, name: aliases[0] ?? node.key, origins, groups, behaviors };
}

function readOrigin(ctx: SimulationContext, dist: ResourceNode, raw: any): CdnOrigin {
  const id = text(ctx, dist, raw.Id);
  const domain = ctx.graph.text(raw.DomainName, dist.stack);
  const bucket = /^([a-z0-9][a-z0-9.-]*?)\.s3(?:[.-]|-website)/.exec(domain.text.toLowerCase());
  const s3 = raw.S3OriginConfig !== undefined || bucket !== null;
  const read = raw.CustomOriginConfig?.OriginReadTimeout ?? raw.S3OriginConfig?.OriginReadTimeout;
  const placement = place(ctx, domain, dist.key);
  const resource = [...domain.refs].reverse().find((r) => !CARRIER_TYPES.has(r.type));
  return {
    id,
    domain,
    region: placement.region,
    s3,
    bucketName: s3 ? bucketNameOf(domain, bucket?.[1]) : undefined,
    attempts: num(ctx, dist, raw.ConnectionAttempts, ORIGIN_DEFAULTS.attempts),
    connectTimeout: num(ctx, dist, raw.ConnectionTimeout, ORIGIN_DEFAULTS.connectTimeout),
    readTimeout: num(ctx, dist, read, ORIGIN_DEFAULTS.readTimeout),
    resource,
  };
}

/** Value carriers (SSM parameters, custom resources): they never serve traffic themselves. */
const CARRIER_TYPES = new Set(['AWS::SSM::Parameter', 'Custom::AWS', 'AWS::CloudFormation::CustomResource']);

/** The bucket's name: its `BucketName` when the domain refers to a bucket of the assembly, else the host's prefix. */
function bucketNameOf(domain: ResolvedText, fromHost: string | undefined): string | undefined {
  const node = domain.refs.find((r) => r.type === 'AWS::S3::Bucket');
  const declared = node?.properties.BucketName;
  return typeof declared === 'string' ? declared : fromHost;
}

function readBehavior(ctx: SimulationContext, dist: ResourceNode, raw: any, pattern: string): CdnBehavior {
  const methods = ctx.graph.list(raw.AllowedMethods ?? ['GET', 'HEAD'], dist.stack).map((m) => m.text.toUpperCase());
  const viewerFunctions = asArray(raw.FunctionAssociations)
    .filter((a: any) => text(ctx, dist, a.EventType) === 'viewer-request')
    .map((a: any) => ctx.graph.target(a.FunctionARN, dist.stack))
    .filter((n: ResourceNode | undefined): n is ResourceNode => n?.type === 'AWS::CloudFront::Function');
  const edgeLambdas = asArray(raw.LambdaFunctionAssociations).map((a: any) => ctx.graph.text(a.LambdaFunctionARN, dist.stack));
  return { pattern, methods, targetOriginId: text(ctx, dist, raw.TargetOriginId), viewerFunctions, edgeLambdas };
}

/**
 * The per-request penalty of a primary origin that the outage took down, before CloudFront tries the secondary:
 * `attempts × connection timeout` when it refuses or drops connections, plus `attempts × response timeout` when it
 * accepts connections and hangs (CloudFront retries a timed-out response `attempts` times). Typical: the connection
 * attempts only. The same terms as `RecoveryModel.originFailover`.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html#controlling-attempts-and-timeouts
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginResponseTimeout
 * @internal
 */
export function originPenalty(origin: CdnOrigin): { worst: number; typical: number; text: string } {
  const connect = origin.attempts * origin.connectTimeout;
  const read = origin.attempts * origin.readTimeout;
  return {
    worst: connect + read,
    typical: connect,
    text: `${origin.attempts} × ${origin.connectTimeout} s connection timeout + ${origin.attempts} × ${origin.readTimeout} s response timeout of a hung primary`,
  };
}

/** The resource a blocker names for an origin: what serves it, else the distribution. @internal */
export function originResourceKey(dist: CdnDistribution, origin: CdnOrigin | undefined): string {
  return origin?.resource?.key ?? dist.node.key;
}

function asArray(value: any): any[] {
  return Array.isArray(value) ? value : [];
}

function text(ctx: SimulationContext, dist: ResourceNode, value: any): string {
  return ctx.graph.text(value, dist.stack).text;
}

function num(ctx: SimulationContext, dist: ResourceNode, value: any, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(text(ctx, dist, value));
  return Number.isFinite(n) ? n : fallback;
}
