import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RecoveryAssumptions, RecoveryObjectives } from '../core/recovery';

/** The server-side rendering function deployed in every region. */
export interface SsrFunctionOptions {
  /**
   * The server code (e.g. `lambda.Code.fromAsset('.open-next/server-functions/default')`). It answers Lambda
   * function URL events (payload format 2.0) and must answer the health path (`healthCheckPath`). An asset
   * (`Code.fromAsset`: a directory or a .zip, with or without bundling) is re-created in each regional stack with the
   * same path and options, so each region publishes its own copy to its own bootstrap bucket (an asset belongs to one
   * stack, and Lambda reads code only from a bucket in the function's region); the `Code` you pass is not bound.
   * Bundling runs once per synthesis.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-code.html
   * @default - a built-in bootstrap page that shows the serving region and a visit counter kept in the global table
   */
  readonly code?: lambda.Code;
  /**
   * The handler of `code`.
   * @default 'index.handler'
   */
  readonly handler?: string;
  /**
   * The runtime of `code`.
   * @default lambda.Runtime.NODEJS_22_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Memory in MB, 128 to 10240.
   * @default 512
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;
  /**
   * Function timeout, 1 to 900 s. Also the default of `readTimeout`.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Extra environment variables. The construct adds `GLOBAL_SSR_TABLE_NAME`, `GLOBAL_SSR_PRIMARY_REGION`,
   * `GLOBAL_SSR_HEALTH_PATH` and `GLOBAL_SSR_REGION_ROLE` (`primary` or `dr`).
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * The instruction set architecture.
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;
}

/** Static assets served from S3 (primary bucket, replicated to the DR bucket). */
export interface StaticAssetsOptions {
  /**
   * A local folder uploaded to the primary bucket at deploy time (`BucketDeployment`, no Docker needed).
   * @default - nothing is uploaded
   */
  readonly sourcePath?: string;
  /**
   * CloudFront path patterns served from the buckets. Must not shadow the default (SSR) behaviour.
   * @default ['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico']
   */
  readonly pathPatterns?: string[];
  /**
   * Globs (relative to `sourcePath`) of content-hashed files uploaded with
   * `Cache-Control: public, max-age=31536000, immutable`. Other files get `public, max-age=0, must-revalidate`.
   * @default ['_next/static/*', 'assets/*']
   */
  readonly immutablePaths?: string[];
}

/**
 * How a request with a body (POST, PUT, PATCH, DELETE) gets the `x-amz-content-sha256` header that CloudFront
 * origin access control needs to sign it for a Lambda function URL (Lambda does not accept unsigned payloads).
 *
 * Both choices keep the function URLs on `AWS_IAM` auth: only this site's distribution can invoke them.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 */
export enum SsrWriteSigning {
  /**
   * An origin-request Lambda@Edge function with include body computes the body's SHA-256 and sets the header:
   * plain HTML forms and server actions work. Lambda@Edge exposes at most 1 MB of a body to the function, so a
   * longer body gets 413. Costs one Lambda@Edge invocation per SSR request that reaches the origin; the function
   * reads every body (it neither logs nor stores it).
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html#lambda-at-edge-restrictions-request-body
   */
  EDGE_BODY_HASH = 'EDGE_BODY_HASH',
  /**
   * The client sends `x-amz-content-sha256` itself (e.g. `fetch` with a computed hash). No Lambda@Edge; plain
   * HTML form posts and frameworks' server actions get 403 from Lambda in every region.
   */
  CLIENT_BODY_HASH = 'CLIENT_BODY_HASH',
}

/**
 * The options of a site's edge (distribution, origins, health checks) that `GlobalSsrSite` and `SsrEdgeStack` share.
 */
export interface SsrEdgeOptions {
  /** The site's domain name: the zone name or a name inside the zone. */
  readonly domainName: string;
  /**
   * Id of the public hosted zone of `domainName`, imported in each stack: a concrete id, or `zone.hostedZoneId` of a
   * `HostedZone.fromLookup` (its placeholder is accepted until the CDK CLI has looked the zone up).
   * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
   */
  readonly hostedZoneId: string;
  /** Name of the hosted zone, e.g. `example.com` (`zone.zoneName`). */
  readonly zoneName: string;
  /**
   * An ACM certificate in us-east-1 that covers `domainName`.
   * @default - a DNS-validated certificate is created in us-east-1
   */
  readonly certificateArn?: string;
  /**
   * How requests with a body are signed for the function URLs (see `SsrWriteSigning`).
   * @default SsrWriteSigning.EDGE_BODY_HASH
   */
  readonly writeSigning?: SsrWriteSigning;
  /**
   * Connection attempts CloudFront makes to an SSR or static origin (1 to 3). For GET and HEAD it also retries
   * this many times after a response timeout.
   * @default 1
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#origin-connection-attempts
   */
  readonly connectionAttempts?: number;
  /**
   * Connection timeout of each attempt, 1 to 10 whole seconds.
   * @default Duration.seconds(2)
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#origin-connection-timeout
   */
  readonly connectionTimeout?: Duration;
  /**
   * Status codes from the primary SSR origin that make CloudFront retry a GET/HEAD/OPTIONS on the DR origin.
   * Allowed: 400, 403, 404, 416, 500, 502, 503, 504.
   * @default [500, 502, 503, 504]
   */
  readonly ssrFailoverStatusCodes?: number[];
  /**
   * Status codes from the primary bucket that make CloudFront retry on the DR bucket (a missing object is a 403).
   * @default [403, 404, 500, 502, 503, 504]
   */
  readonly staticFailoverStatusCodes?: number[];
  /**
   * Path of the SSR app that the health probes request: it must answer GET with a 2xx/3xx within 2 seconds,
   * cheaply (Route 53 probes it from many locations every `healthCheckInterval`). The bootstrap page serves it.
   * @default '/_health'
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
   */
  readonly healthCheckPath?: string;
  /**
   * Interval of the origins' Route 53 health checks: 10 or 30 s.
   * @default Duration.seconds(10)
   */
  readonly healthCheckInterval?: Duration;
  /**
   * Consecutive failed health checks before the primary is unhealthy (1 to 10).
   * @default 2
   */
  readonly healthCheckFailureThreshold?: number;
  /**
   * ARN of an AWS WAF web ACL (scope CLOUDFRONT, in us-east-1).
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * CloudFront standard access logs into a bucket in us-east-1.
   * @default false
   */
  readonly logging?: boolean;
  /**
   * CloudFront price class.
   * @default cloudfront.PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass;
}

/** Properties of a `GlobalSsrSite`. */
export interface GlobalSsrSiteProps extends SsrEdgeOptions {
  /**
   * The 12-digit AWS account of every stack. Must match the enclosing Stage's account when that Stage has one.
   * @default - the enclosing Stage's account, else CDK_DEFAULT_ACCOUNT
   * @see https://docs.aws.amazon.com/cdk/v2/guide/environments.html
   */
  readonly account?: string;
  /** The primary region (SSR function, static bucket, global table). */
  readonly primaryRegion: string;
  /**
   * The disaster recovery region. Required unless `dr` is false.
   * @default - none (single region)
   */
  readonly drRegion?: string;
  /**
   * Deploy the DR region and origin failover. `false` gives a single-region site with the same API.
   * @default true
   */
  readonly dr?: boolean;
  /**
   * Prefix of the deterministic names (buckets, table, functions, alarms, SSM parameters): 3 to 20 lowercase
   * letters, digits or hyphens, starting with a letter. Changing it replaces every named resource (the table and the
   * buckets hold data: set it explicitly to keep a deployed site's names).
   * @default - derived from `domainName` (`www.example.com` → `www-example-com`; a longer name keeps its start and gets
   * a hash of the whole name), so moving the construct into a Stage or renaming its id renames nothing
   */
  readonly siteName?: string;
  /**
   * Prefix of the stack names: `<prefix>-site-<region>` (SSR function and table, primary and DR region),
   * `<prefix>-site-origin-<region>` (static buckets) and `<prefix>-site-global-us-east-1` (CloudFront, certificate,
   * DNS, edge functions). Letters, digits and hyphens, starting with a letter, at most 88 characters. Changing it
   * makes CloudFormation see new stacks.
   * @default - derived from `domainName` (`www.example.com` → `www-example-com`)
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-using-console-create-stack-parameters.html
   */
  readonly stackNamePrefix?: string;
  /**
   * Existing SNS topics, one per region, by ARN: every CloudWatch alarm of the site notifies the topic of its own
   * region, on ALARM and on OK (a CloudWatch alarm can only notify a topic of its region). Keys: the primary region,
   * the DR region, and `us-east-1` for the global stack's alarms (the Route 53 `HealthCheckStatus` alarms of both
   * origins and the flag-flip failure alarm; Route 53 publishes health check metrics in us-east-1 only). The
   * reconciler's error alarm lives in the DR region. Each topic must be of the site's account; a topic encrypted with
   * a customer managed KMS key needs a key policy that lets `cloudwatch.amazonaws.com` use the key.
   * @default - the alarms have no actions
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  readonly alarmTopicArns?: { [region: string]: string };
  /**
   * The SSR function.
   * @default - the bootstrap page, 512 MB, 10 s
   */
  readonly ssr?: SsrFunctionOptions;
  /**
   * Static assets.
   * @default - default path patterns, nothing uploaded
   */
  readonly staticAssets?: StaticAssetsOptions;
  /**
   * CloudFront's response (read) timeout for the SSR origins, 1 to 180 whole seconds (above 60 s needs a quota
   * increase), and for the static-asset buckets (`S3OriginConfig.OriginReadTimeout`, capped at S3 origins' 120 s
   * maximum), so the published per-request penalty covers both: how long CloudFront waits for the first byte, and between two packets, of the origin's answer.
   * A primary that accepts connections and hangs costs a GET `connectionAttempts × (connectionTimeout +
   * readTimeout)` before the DR origin is tried (`recoveryEstimate.perRequestPenalty`). A POST is not retried: it
   * fails with 504 after `readTimeout`. A value below `ssr.timeout` cuts off renders the function would finish.
   * @default - `ssr.timeout` (10 s by default)
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginResponseTimeout
   * @see https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_S3OriginConfig.html
   */
  readonly readTimeout?: Duration;
  /**
   * Fail over requests with a body (POST, PUT, DELETE...) too: an active-origin flag in a CloudFront
   * KeyValueStore sends every request to the DR origin while it says `dr`. The Route 53 health check's alarm in
   * us-east-1 flips it, and a reconciler in the DR region sets it every minute from that alarm (or, when the alarm
   * cannot be read, from its own probes through CloudFront). Neither chooses `dr` unless the DR origin answers its
   * health path. With `false`, requests with a body never fail over (CloudFront origin groups fail over GET, HEAD and
   * OPTIONS only): `recoveryEstimate` says so, and any `recoveryObjectives.rto` fails synthesis.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html
   */
  readonly writeFailover?: boolean;
  /**
   * S3 Replication Time Control (99.99 % of objects within 15 minutes, extra cost) on the primary → DR rule.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
   */
  readonly replicationTimeControl?: boolean;
  /**
   * What happens to the buckets and the table when the stacks are deleted. `DESTROY` also empties the buckets.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Change this value (e.g. to the date) to make every deploy-time SSM read of the site run again at the next
   * deployment: the `Global` stack's reads of the SSR function URL hosts and the origin stacks' reads of the
   * distribution and KeyValueStore ARNs. Those reads (`AwsCustomResource`) run only when their properties change,
   * so after a stack is replaced (e.g. a regional stack recreated with a new function URL host) set or change this
   * value and deploy every stack (`cdk deploy --all`). 1 to 64 letters, digits or `.`, `_`, `:`, `-`; templates
   * do not change while the value stays the same.
   * @default - no refresh: each value is read when its reader is created or its parameter name changes
   * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources.AwsCustomResource.html
   */
  readonly crossRegionRefresh?: string;
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one. An `rto` needs
   * `writeFailover` (the default): without it writes never fail over, so no RTO can be met.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
  /**
   * Overrides of the figures AWS does not publish that `recoveryEstimate` counts: how long health checker results
   * take to reach Route 53 and how long a KeyValueStore change takes to reach the edge.
   * @default - the defaults of `RecoveryAssumptions`
   */
  readonly recoveryAssumptions?: RecoveryAssumptions;
}

/**
 * HTTPS origins that are not Lambda function URLs (regional Application Load Balancers, or any HTTPS server), for an
 * `SsrEdgeStack`: the same per-request origin group, write-failover flag and static assets, without origin access
 * control (it signs for S3, function URL, MediaStore and MediaPackage v2 origins only, not load balancers) and without
 * the body-hash Lambda@Edge function.
 * CloudFront reaches them by host name over HTTPS (TLS 1.2) and adds `customHeaders` to every request it sends them;
 * `RegionalService.cloudFrontOrigins()` fills this from a service with `originProtection`.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-origin.html
 */
export interface SsrHttpOrigins {
  /** Host name of the primary region's origin, e.g. `us-east-1.app.example.com` (its certificate must cover it). */
  readonly primaryDomainName: string;
  /**
   * Host name of the DR region's origin. Required with a `drRegion`.
   * @default - none (single region)
   */
  readonly drDomainName?: string;
  /**
   * Headers CloudFront adds to every request to these origins, e.g. the origin-verify header that keeps CloudFront the
   * only way in. Give a secret value as a CloudFormation dynamic reference (`{{resolve:secretsmanager:…}}`,
   * `RegionalService.originVerifyHeaderValue()`): it resolves at deploy time in the edge stack's region (us-east-1) and
   * is in no template; CloudFront still shows it to whoever may read the distribution's configuration.
   * @default - no custom header
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
   */
  readonly customHeaders?: { [name: string]: string };
}
