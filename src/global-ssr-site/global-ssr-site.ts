import { Annotations, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SITE_IDS } from './distribution';
import { GlobalSsrSiteProps, SsrWriteSigning } from './props';
import { siteEstimates } from './recovery-estimates';
import { resolveSettings, SiteSettings } from './settings';
import { allStacks, edgeStackProps, originStackProps, regionStackProps, routeSiteAlarms, SiteStacks, validateSite } from './site-stacks';
import { SsrEdgeStack } from './ssr-edge-stack';
import { SsrOriginStack } from './ssr-origin-stack';
import { siteSsrEnvironment } from './ssr-region';
import { SsrRegionStack } from './ssr-region-stack';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryEstimate } from '../core/recovery';
import { validateMultiRegionScope } from '../core/regions';
import { claimStackNames } from '../core/validation';

/**
 * A server-side rendered site on CloudFront with origin failover between two regions.
 *
 * - SSR: a Lambda function and an IAM-auth function URL per region, reached through CloudFront origin access
 *   control (only this site's distribution may invoke them). GET/HEAD/OPTIONS fail over per request (an origin
 *   group built by a viewer-request CloudFront Function); every method follows an active-origin flag in a
 *   CloudFront KeyValueStore, which the primary's health-check alarm flips and a reconciler in the DR region keeps
 *   in line with that alarm every minute (with its own probes when the alarm cannot be read); neither chooses DR
 *   unless the DR origin answers its health path. Requests with a body get their SHA-256 from a Lambda@Edge function
 *   (`writeSigning`), so plain HTML forms work behind OAC.
 * - Static assets: S3 primary bucket replicated to a DR bucket, an origin group per static path pattern.
 * - State: a DynamoDB global table (primary + DR replica); each region's function may use its own replica only.
 * - Global: distribution, us-east-1 certificate, A + AAAA alias records.
 *
 * It creates its own stacks, deployed in this order: `Dr` and `Primary` (`<prefix>-site-<region>`: SSR functions,
 * table), `Global` (`<prefix>-site-global-us-east-1`: distribution, edge, alarm path), then `DrOrigin` and
 * `PrimaryOrigin` (`<prefix>-site-origin-<region>`: static buckets and the grants scoped to the distribution,
 * reconciler). The prefix (`stackNamePrefix`) and `siteName` default to names derived from `domainName`, never from
 * the construct path. Cross-region values travel by deterministic names and SSM parameters read at deploy time, never
 * by CloudFormation exports, so every dependency points one way.
 *
 * Each stack is a public building block you can also use alone: `SsrRegionStack` (`Dr`, `Primary`), `SsrEdgeStack`
 * (`Global`) and `SsrOriginStack` (`DrOrigin`, `PrimaryOrigin`); the site exposes them as `primarySsrRegion`,
 * `drSsrRegion`, `edge`, `primaryOrigin` and `drOrigin`.
 */
export class GlobalSsrSite extends Construct {
  /** Viewer path whose requests are sent to the primary SSR origin only (rewritten to `healthCheckPath`). */
  public static readonly PRIMARY_PROBE_PATH = SITE_IDS.primaryProbePath;
  /** Viewer path whose requests are sent to the DR SSR origin only (rewritten to `healthCheckPath`). */
  public static readonly DR_PROBE_PATH = SITE_IDS.drProbePath;
  /** Key of the active-origin flag in the KeyValueStore (`primary` or `dr`). */
  public static readonly ACTIVE_ORIGIN_KEY = SITE_IDS.activeOriginKey;
  /** Key of the operator override in the KeyValueStore (`primary` or `dr`): while set, automation applies it. */
  public static readonly ACTIVE_ORIGIN_OVERRIDE_KEY = SITE_IDS.activeOriginOverrideKey;
  /** CloudFront origin id of the primary SSR origin. */
  public static readonly PRIMARY_SSR_ORIGIN_ID = SITE_IDS.primarySsrOrigin;
  /** CloudFront origin id of the DR SSR origin. */
  public static readonly DR_SSR_ORIGIN_ID = SITE_IDS.drSsrOrigin;

  /** Building block: the primary region's SSR function, function URL and global table (the stack `Primary`). */
  public readonly primarySsrRegion: SsrRegionStack;
  /** Building block: the DR region's SSR function and function URL (the stack `Dr`; undefined with `dr: false`). */
  public readonly drSsrRegion?: SsrRegionStack;
  /** Building block: the us-east-1 edge, distribution, records and write-failover alarm path (the stack `Global`). */
  public readonly edge: SsrEdgeStack;
  /** Building block: the primary static bucket and the grants to the distribution (the stack `PrimaryOrigin`). */
  public readonly primaryOrigin: SsrOriginStack;
  /** Building block: the DR static bucket, the grants and the reconciler (the stack `DrOrigin`; undefined with `dr: false`). */
  public readonly drOrigin?: SsrOriginStack;
  /** The prefix of the deterministic names. */
  public readonly siteName: string;
  /** The site's domain name. */
  public readonly domainName: string;
  /** The global table's name (the same in every region). */
  public readonly tableName: string;
  /** The SSR function's name (the same in every region). */
  public readonly functionName: string;
  /** The primary static bucket's name. */
  public readonly primaryBucketName: string;
  /** The DR static bucket's name. */
  public readonly drBucketName?: string;
  /** How requests with a body are signed for the function URLs. */
  public readonly writeSigning: SsrWriteSigning;
  /**
   * Recovery of the whole site: with `writeFailover` the time until every method is served by the DR region (the
   * health check → alarm → flag path, a missed flip corrected by the reconciler; the summary gives the reconciler's
   * probe path, taken when the alarm cannot be read), plus the per-request penalty of GET/HEAD/OPTIONS, reported apart. RPO: unbounded (asynchronous global table), typically about 1 s.
   * With `writeFailover: false` writes never fail over: the summary, the explanation and the one detection term say so,
   * and `rto` is 0 s because it counts no automatic step (not because writes recover).
   */
  public readonly recoveryEstimate: RecoveryEstimate;
  /** Per-request recovery of GET/HEAD/OPTIONS: `connectionAttempts × (connectionTimeout + readTimeout)`. */
  public readonly readRecoveryEstimate: RecoveryEstimate;

  private readonly ssrEnvironmentOf: (role: string) => { [key: string]: string };

  constructor(scope: Construct, id: string, props: GlobalSsrSiteProps) {
    validateMultiRegionScope(scope, 'GlobalSsrSite');
    super(scope, id);
    const s = resolveSettings(props, this);
    validateSite(this, s, props);
    this.siteName = s.siteName;
    this.domainName = s.domainName;
    this.tableName = s.tableName;
    this.functionName = s.functionName;
    this.primaryBucketName = s.primaryBucketName;
    this.drBucketName = s.drBucketName;
    this.writeSigning = s.writeSigning;
    this.ssrEnvironmentOf = (role) => siteSsrEnvironment(props.ssr?.environment, s.tableName, s.primaryRegion, s.healthCheckPath, role);
    const estimates = siteEstimates(s, props.recoveryObjectives, props.recoveryAssumptions);
    this.readRecoveryEstimate = estimates.read;
    this.recoveryEstimate = estimates.site;

    // The building blocks, one stack each, in deployment order: the regional SSR functions (and the global table),
    // the us-east-1 edge, then the origin stacks that grant the distribution (static buckets, replication, reconciler).
    this.drSsrRegion = s.drRegion ? new SsrRegionStack(this, 'Dr', regionStackProps(s, props, s.drRegion)) : undefined;
    this.primarySsrRegion = new SsrRegionStack(this, 'Primary', regionStackProps(s, props, s.primaryRegion));
    this.edge = new SsrEdgeStack(this, 'Global', edgeStackProps(s, props));
    this.drOrigin = s.drRegion ? new SsrOriginStack(this, 'DrOrigin', originStackProps(s, props, s.drRegion)) : undefined;
    this.primaryOrigin = new SsrOriginStack(this, 'PrimaryOrigin', originStackProps(s, props, s.primaryRegion));
    claimStackNames(this, allStacks(this.stacks));
    this.wireStacks();
    routeSiteAlarms(this, s, this.stacks, props.alarmTopicArns);
    this.warn(s);
  }

  /** The stack of the primary region's SSR function and the global table (`primarySsrRegion`). */
  public get primaryStack(): Stack { return this.primarySsrRegion; }
  /** The stack of the DR region's SSR function (`drSsrRegion`; undefined with `dr: false`). */
  public get drStack(): Stack | undefined { return this.drSsrRegion; }
  /** The us-east-1 stack of the distribution, certificate, records, edge functions and the alarm path (`edge`). */
  public get globalStack(): Stack { return this.edge; }
  /** The primary region's stack deployed after `globalStack`: static bucket and grants scoped to the distribution (`primaryOrigin`). */
  public get primaryOriginStack(): Stack { return this.primaryOrigin; }
  /** The DR region's stack deployed after `globalStack`: static bucket, scoped grants and the reconciler (`drOrigin`). */
  public get drOriginStack(): Stack | undefined { return this.drOrigin; }
  /** The CloudFront distribution. */
  public get distribution(): cloudfront.Distribution { return this.edge.distribution; }
  /** The certificate (us-east-1). */
  public get certificate(): acm.ICertificate { return this.edge.certificate; }
  /** The global table (in the primary stack; replica in the DR region). */
  public get table(): dynamodb.TableV2 { return this.primarySsrRegion.table!; }
  /** The SSR function of the primary region. */
  public get primaryFunction(): lambda.Function { return this.primarySsrRegion.ssrFunction; }
  /** The primary function URL (IAM auth). */
  public get primaryFunctionUrl(): lambda.FunctionUrl { return this.primarySsrRegion.functionUrl; }
  /** The SSR function of the DR region. */
  public get drFunction(): lambda.Function | undefined { return this.drSsrRegion?.ssrFunction; }
  /** The DR function URL (IAM auth). */
  public get drFunctionUrl(): lambda.FunctionUrl | undefined { return this.drSsrRegion?.functionUrl; }
  /** The primary static bucket (in `primaryOriginStack`). */
  public get primaryBucket(): s3.Bucket { return this.primaryOrigin.bucket; }
  /** The DR static bucket, replication destination (in `drOriginStack`). */
  public get drBucket(): s3.Bucket | undefined { return this.drOrigin?.bucket; }
  /** The origin-request Lambda@Edge function that adds `x-amz-content-sha256` (`SsrWriteSigning.EDGE_BODY_HASH`). */
  public get bodyHashFunction(): lambda.Function | undefined { return this.edge.bodyHashFunction; }
  /** The viewer-request CloudFront Function (DR mode only). */
  public get edgeFunction(): cloudfront.Function | undefined { return this.edge.edgeFunction; }
  /** The KeyValueStore holding the active-origin flag (write failover only). */
  public get keyValueStore(): cloudfront.KeyValueStore | undefined { return this.edge.keyValueStore; }
  /** The Lambda function that flips the flag on the primary health alarm (write failover only, us-east-1). */
  public get writeFailoverFunction(): lambda.Function | undefined { return this.edge.writeFailoverFunction; }
  /** Where the flip function's failed asynchronous invocations go after Lambda's retries (write failover only). */
  public get writeFailoverDeadLetterQueue(): sqs.Queue | undefined { return this.edge.writeFailoverDeadLetterQueue; }
  /** Alarm on `writeFailoverDeadLetterQueue`: a flip failed every retry (write failover only). */
  public get writeFailoverDeadLetterAlarm(): cloudwatch.Alarm | undefined { return this.edge.writeFailoverDeadLetterAlarm; }
  /** The reconciler that sets the flag every minute from the alarm (or its probes), in the DR region (write failover only). */
  public get reconcilerFunction(): lambda.Function | undefined { return this.drOrigin?.reconcilerFunction; }
  /** Alarm on the reconciler's errors, 3 minutes in a row (write failover only, DR region). */
  public get reconcilerErrorAlarm(): cloudwatch.Alarm | undefined { return this.drOrigin?.reconcilerErrorAlarm; }
  /** The Route 53 health check of the primary, probed through CloudFront (write failover only). */
  public get primaryHealthCheck(): route53.HealthCheck | undefined { return this.edge.primaryHealthCheck; }
  /** The alarm on the primary health check that flips the flag (write failover only, us-east-1). */
  public get primaryHealthAlarm(): cloudwatch.Alarm | undefined { return this.edge.primaryHealthAlarm; }
  /** The Route 53 health check of the DR origin, probed through CloudFront (write failover only). */
  public get drHealthCheck(): route53.HealthCheck | undefined { return this.edge.drHealthCheck; }
  /** The `HealthCheckStatus` alarm of the DR origin's health check; it only notifies (write failover only, us-east-1). */
  public get drHealthAlarm(): cloudwatch.Alarm | undefined { return this.edge.drHealthAlarm; }
  /** The A alias record. */
  public get aRecord(): route53.ARecord { return this.edge.aRecord; }
  /** The AAAA alias record. */
  public get aaaaRecord(): route53.AaaaRecord { return this.edge.aaaaRecord; }

  /**
   * A CloudFront metric of the distribution (`AWS/CloudFront`). CloudFront publishes its metrics in us-east-1 with the
   * dimensions `DistributionId` and `Region: Global`; aws-cdk-lib's `Distribution.metric…` methods omit `Region`, so
   * they match no data.
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
   */
  public metricDistribution(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.edge.metricDistribution(metricName, props);
  }

  /**
   * The percentage of viewer requests answered with a 5xx status (`5xxErrorRate`, average over 5 minutes, us-east-1):
   * what viewers saw, after origin failover.
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
   */
  public metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricDistribution('5xxErrorRate', props);
  }

  /**
   * The environment variables the construct gives the SSR function in a region (`primary` or `dr`), including
   * the user's `ssr.environment`. Failover drills that change the function configuration start from it.
   */
  public ssrEnvironment(role: string): { [key: string]: string } {
    if (role !== 'primary' && role !== 'dr') {
      throw new MultiRegionFailoverError(`\`role\` must be "primary" or "dr", got: ${role}`);
    }
    return this.ssrEnvironmentOf(role);
  }

  private get stacks(): SiteStacks {
    return { dr: this.drSsrRegion, primary: this.primarySsrRegion, global: this.edge, drOrigin: this.drOrigin, primaryOrigin: this.primaryOrigin };
  }

  /** Dependencies point one way: origin stacks → global → regional stacks; primary origin → DR origin (replication). */
  private wireStacks(): void {
    this.globalStack.addDependency(this.primaryStack, 'reads the primary function URL host from SSM');
    this.primaryOriginStack.addDependency(this.globalStack, 'reads the distribution ARN from SSM in us-east-1');
    if (this.drStack && this.drOriginStack) {
      this.globalStack.addDependency(this.drStack, 'reads the DR function URL host from SSM');
      this.drOriginStack.addDependency(this.globalStack, 'reads the distribution and KeyValueStore ARNs from SSM in us-east-1');
      this.primaryOriginStack.addDependency(this.drOriginStack, 'the replication destination bucket must exist first');
    }
  }

  /**
   * Warnings go on the global stack (the alarm path and the origins live there): metadata on this construct, which
   * sits above its stacks, belongs to no stack and never reaches the cloud assembly that `cdk synth` prints.
   */
  private warn(s: SiteSettings): void {
    if (s.writeFailover && s.primaryRegion === 'us-east-1') {
      Annotations.of(this.globalStack).addWarningV2('cdk-multi-region-failover:ssr-primary-in-us-east-1',
        'GlobalSsrSite: `primaryRegion` is us-east-1, where the Route 53 HealthCheckStatus metric, its alarm and the flag-flip function run. '
        + `When us-east-1 fails, writes move to ${s.drRegion} only through the reconciler there (probes of the primary, within \`recoveryEstimate.rto\`), `
        + 'and only if the global CloudFront KeyValueStore API stays available, which AWS does not document. See the README runbook to flip the flag by hand.');
    }
    if (s.readTimeout.toSeconds() < s.timeout.toSeconds()) {
      Annotations.of(this.globalStack).addWarningV2('cdk-multi-region-failover:ssr-read-timeout-below-function-timeout',
        `GlobalSsrSite: \`readTimeout\` (${s.readTimeout.toSeconds()} s) is shorter than \`ssr.timeout\` (${s.timeout.toSeconds()} s): `
        + 'CloudFront answers 504 to renders that take longer, and a POST is not retried although the function may finish it.');
    }
  }
}
