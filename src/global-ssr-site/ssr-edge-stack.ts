import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { buildGlobal, EdgeSettings } from './distribution';
import { SsrEdgeOptions, SsrHttpOrigins } from './props';
import { siteEstimates } from './recovery-estimates';
import { resolveEdgeSettings } from './ssr-edge-settings';
import { siteBlockEnv } from './stack-env';
import { buildAlarmPath } from './write-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryEstimate } from '../core/recovery';

/** Properties of an `SsrEdgeStack`. */
export interface SsrEdgeStackProps extends StackProps, SsrEdgeOptions {
  /**
   * Prefix of the deterministic names the edge uses and reads: the SSM parameters `/<siteName>/…` that the regional
   * and origin stacks share, the static buckets `<siteName>-<account>-<region>`, the edge router, the alarms.
   */
  readonly siteName: string;
  /** The region of the primary SSR origin (an `SsrRegionStack`) and static bucket (an `SsrOriginStack`). */
  readonly primaryRegion: string;
  /**
   * The region of the DR SSR origin and static bucket: origin groups primary → DR, the edge router and the probe paths.
   * @default - single region: plain origins, no failover
   */
  readonly drRegion?: string;
  /**
   * The active-origin flag (KeyValueStore), the health checks and alarms of both origins and the flag-flip function.
   * Needs `drRegion`; the reconciler is part of the DR region's `SsrOriginStack` (`writeFailoverReconciler`).
   * @default true with `drRegion`
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorOriginGroups.html
   */
  readonly writeFailover?: boolean;
  /**
   * Response timeout of the SSR origins, 1 to 180 whole seconds; the buckets get it too, capped at 120 s.
   * @default Duration.seconds(10)
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginResponseTimeout
   */
  readonly readTimeout?: Duration;
  /**
   * Path patterns served from the static buckets.
   * @default ['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico']
   */
  readonly staticPathPatterns?: string[];
  /**
   * What happens to the access-log bucket (`logging`) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Change it to read the SSR function URL hosts (SSM, in their regions) again at the next deployment.
   * @default - each host is read when its reader is created
   */
  readonly crossRegionRefresh?: string;
  /**
   * Serve regional HTTPS origins (Application Load Balancers, any HTTPS server) instead of the `SsrRegionStack`s'
   * function URLs: the same per-request origin group, write-failover flag, probe paths and static assets, but no
   * origin access control and no body-hash Lambda@Edge function (`writeSigning` must stay unset), and no 403 in
   * `ssrFailoverStatusCodes`. Keep CloudFront the only way in with a secret header in `customHeaders` that the origin
   * checks (`RegionalService` with `originProtection`, `RegionalService.cloudFrontOrigins()`); the Route 53 health
   * checks, the flip function and the reconciler probe through CloudFront's probe paths, so they carry it too. Pair it
   * with `SsrOriginStack`s with `ssrFunctionGrants: false`.
   * @default - the SSR function URLs of the `SsrRegionStack`s (hosts read from SSM)
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
   */
  readonly httpOrigins?: SsrHttpOrigins;
}

/**
 * The us-east-1 edge of a `GlobalSsrSite`: certificate, CloudFront distribution with SSR origins (function URLs behind
 * origin access control, hosts read from SSM in their regions at deploy time) and static origins (the buckets by their
 * deterministic names), the viewer-request CloudFront Function that routes by a KeyValueStore flag, the body-hash
 * Lambda@Edge function, the A + AAAA alias records, and with `writeFailover` the path that flips the flag: a Route 53
 * health check and `HealthCheckStatus` alarm per origin and the flag-flip function with its on-failure queue.
 *
 * Must be in us-east-1: CloudFront takes ACM certificates from there only, Lambda@Edge functions are created there and
 * Route 53 publishes health check metrics there.
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
 */
export class SsrEdgeStack extends Stack {
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The certificate. */
  public readonly certificate: acm.ICertificate;
  /** The KeyValueStore with the active-origin flag (write failover only). */
  public readonly keyValueStore?: cloudfront.KeyValueStore;
  /** The viewer-request CloudFront Function (with `drRegion` only). */
  public readonly edgeFunction?: cloudfront.Function;
  /** The origin-request Lambda@Edge function that adds `x-amz-content-sha256` (`SsrWriteSigning.EDGE_BODY_HASH`). */
  public readonly bodyHashFunction?: lambda.Function;
  /** The A alias record. */
  public readonly aRecord: route53.ARecord;
  /**
   * Recovery of the edge when the primary origin's region is lost (as `GlobalSsrSite.recoveryEstimate`, with the same
   * settings): with `writeFailover` the time until every method is served by the DR origin, else "RTO unbounded" for
   * requests with a body. RPO 0: the edge holds no application data (the origins' data stores have their own RPO;
   * `GlobalSsrSite.recoveryEstimate` adds its global table's).
   */
  public readonly recoveryEstimate: RecoveryEstimate;
  /** Per-request recovery of GET/HEAD/OPTIONS: `connectionAttempts × (connectionTimeout + readTimeout)`. */
  public readonly readRecoveryEstimate: RecoveryEstimate;
  /** The AAAA alias record. */
  public readonly aaaaRecord: route53.AaaaRecord;
  /** The Route 53 health check of the primary origin, through CloudFront (write failover only). */
  public readonly primaryHealthCheck?: route53.HealthCheck;
  /** The alarm on it that flips the flag (write failover only). */
  public readonly primaryHealthAlarm?: cloudwatch.Alarm;
  /** The Route 53 health check of the DR origin, through CloudFront (write failover only). */
  public readonly drHealthCheck?: route53.HealthCheck;
  /** The alarm on it; it only notifies (write failover only). */
  public readonly drHealthAlarm?: cloudwatch.Alarm;
  /** The function that flips the flag on the primary health alarm (write failover only). */
  public readonly writeFailoverFunction?: lambda.Function;
  /** Where its failed asynchronous invocations go after Lambda's retries (write failover only). */
  public readonly writeFailoverDeadLetterQueue?: sqs.Queue;
  /** Alarm on that queue: a flip failed every retry (write failover only). */
  public readonly writeFailoverDeadLetterAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SsrEdgeStackProps) {
    super(scope, id, props);
    const env = siteBlockEnv(this, 'SsrEdgeStack', props);
    if (env.region !== 'us-east-1') {
      throw new MultiRegionFailoverError(`\`env.region\` of SsrEdgeStack ${this.node.path} must be us-east-1 (CloudFront certificates, Lambda@Edge functions and Route 53 health check metrics live there), got: ${env.region}`);
    }
    const s = resolveEdgeSettings(this, props, env);
    // The edge holds no data: no RPO of its own (`undefined`: stateless).
    const estimates = siteEstimates({ ...s, dr: s.drRegion !== undefined }, undefined, undefined, null);
    this.recoveryEstimate = estimates.site;
    this.readRecoveryEstimate = estimates.read;
    const edge = buildGlobal(this, s);
    this.distribution = edge.distribution;
    this.certificate = edge.certificate;
    this.keyValueStore = edge.keyValueStore;
    this.edgeFunction = edge.edgeFunction;
    this.bodyHashFunction = edge.bodyHashFunction;
    this.aRecord = edge.aRecord;
    this.aaaaRecord = edge.aaaaRecord;
    if (edge.keyValueStore && s.drRegion) {
      const alarmPath = buildAlarmPath(this, s, edge.distribution, edge.keyValueStore);
      this.primaryHealthCheck = alarmPath.healthCheck;
      this.primaryHealthAlarm = alarmPath.alarm;
      this.drHealthCheck = alarmPath.drHealthCheck;
      this.drHealthAlarm = alarmPath.drAlarm;
      this.writeFailoverFunction = alarmPath.flipper;
      this.writeFailoverDeadLetterQueue = alarmPath.deadLetterQueue;
      this.writeFailoverDeadLetterAlarm = alarmPath.deadLetterAlarm;
    }
    this.addOutputs(s);
    this.warn(s);
  }

  /**
   * A CloudFront metric of the distribution (`AWS/CloudFront`). CloudFront publishes its metrics in us-east-1 with the
   * dimensions `DistributionId` and `Region: Global`; aws-cdk-lib's `Distribution.metric…` methods omit `Region`, so
   * they match no data.
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
   */
  public metricDistribution(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName,
      dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
      region: 'us-east-1',
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    });
  }

  /**
   * `CfnOutput`s a user needs after deploy (no `exportName`: no stack may depend on another through an export).
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
   */
  private addOutputs(s: EdgeSettings): void {
    new CfnOutput(this, 'SiteUrl', { value: `https://${s.domainName}`, description: `GlobalSsrSite ${s.siteName}: the site URL` });
    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName, description: `GlobalSsrSite ${s.siteName}: the CloudFront domain name (the alias records' target)` });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId, description: `GlobalSsrSite ${s.siteName}: the distribution id (invalidations, metrics)` });
  }

  private warn(s: EdgeSettings): void {
    if (s.writeFailover && s.primaryRegion === 'us-east-1') {
      Annotations.of(this).addWarningV2('cdk-multi-region-failover:ssr-primary-in-us-east-1',
        'GlobalSsrSite: `primaryRegion` is us-east-1, where the Route 53 HealthCheckStatus metric, its alarm and the flag-flip function run. '
        + `When us-east-1 fails, writes move to ${s.drRegion} only through the reconciler there (probes of the primary, within \`recoveryEstimate.rto\`), `
        + 'and only if the global CloudFront KeyValueStore API stays available, which AWS does not document. See the README runbook to flip the flag by hand.');
    }
  }
}
