import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { buildGlobal, SITE_IDS } from './distribution';
import { addReplication, buildOriginStack, deployAssets } from './origin-stack';
import { GlobalSsrSiteProps, SsrWriteSigning } from './props';
import { siteEstimates } from './recovery-estimates';
import { resolveSettings, SiteSettings } from './settings';
import { addSiteOutputs, createStacks, routeSiteAlarms, validateSite } from './site-stacks';
import { buildGlobalTable, buildSsrRegion } from './ssr-region';
import { buildAlarmPath, buildReconciler } from './write-failover';
import { MultiRegionFailoverError } from '../core/errors';
import { RecoveryEstimate } from '../core/recovery';
import { validateMultiRegionScope } from '../core/regions';

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

  /** The stack of the primary region's SSR function and the global table. */
  public readonly primaryStack: Stack;
  /** The stack of the DR region's SSR function (undefined with `dr: false`). */
  public readonly drStack?: Stack;
  /** The us-east-1 stack of the distribution, certificate, records, edge functions and the alarm path. */
  public readonly globalStack: Stack;
  /** The primary region's stack deployed after `globalStack`: static bucket and grants scoped to the distribution. */
  public readonly primaryOriginStack: Stack;
  /** The DR region's stack deployed after `globalStack`: static bucket, scoped grants and the reconciler. */
  public readonly drOriginStack?: Stack;
  /** The prefix of the deterministic names. */
  public readonly siteName: string;
  /** The site's domain name. */
  public readonly domainName: string;
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The certificate (us-east-1). */
  public readonly certificate: acm.ICertificate;
  /** The global table (in the primary stack; replica in the DR region). */
  public readonly table: dynamodb.TableV2;
  /** The global table's name (the same in every region). */
  public readonly tableName: string;
  /** The SSR function of the primary region. */
  public readonly primaryFunction: lambda.Function;
  /** The SSR function's name (the same in every region). */
  public readonly functionName: string;
  /** The primary function URL (IAM auth). */
  public readonly primaryFunctionUrl: lambda.FunctionUrl;
  /** The SSR function of the DR region. */
  public readonly drFunction?: lambda.Function;
  /** The DR function URL (IAM auth). */
  public readonly drFunctionUrl?: lambda.FunctionUrl;
  /** The primary static bucket (in `primaryOriginStack`). */
  public readonly primaryBucket: s3.Bucket;
  /** The primary static bucket's name. */
  public readonly primaryBucketName: string;
  /** The DR static bucket, replication destination (in `drOriginStack`). */
  public readonly drBucket?: s3.Bucket;
  /** The DR static bucket's name. */
  public readonly drBucketName?: string;
  /** How requests with a body are signed for the function URLs. */
  public readonly writeSigning: SsrWriteSigning;
  /** The origin-request Lambda@Edge function that adds `x-amz-content-sha256` (`SsrWriteSigning.EDGE_BODY_HASH`). */
  public readonly bodyHashFunction?: lambda.Function;
  /** The viewer-request CloudFront Function (DR mode only). */
  public readonly edgeFunction?: cloudfront.Function;
  /** The KeyValueStore holding the active-origin flag (write failover only). */
  public readonly keyValueStore?: cloudfront.KeyValueStore;
  /** The Lambda function that flips the flag on the primary health alarm (write failover only, us-east-1). */
  public readonly writeFailoverFunction?: lambda.Function;
  /** Where the flip function's failed asynchronous invocations go after Lambda's retries (write failover only). */
  public readonly writeFailoverDeadLetterQueue?: sqs.Queue;
  /** Alarm on `writeFailoverDeadLetterQueue`: a flip failed every retry (write failover only). */
  public readonly writeFailoverDeadLetterAlarm?: cloudwatch.Alarm;
  /** The reconciler that sets the flag every minute from the alarm (or its probes), in the DR region (write failover only). */
  public readonly reconcilerFunction?: lambda.Function;
  /** Alarm on the reconciler's errors, 3 minutes in a row (write failover only, DR region). */
  public readonly reconcilerErrorAlarm?: cloudwatch.Alarm;
  /** The Route 53 health check of the primary, probed through CloudFront (write failover only). */
  public readonly primaryHealthCheck?: route53.HealthCheck;
  /** The alarm on the primary health check that flips the flag (write failover only, us-east-1). */
  public readonly primaryHealthAlarm?: cloudwatch.Alarm;
  /** The Route 53 health check of the DR origin, probed through CloudFront (write failover only). */
  public readonly drHealthCheck?: route53.HealthCheck;
  /** The `HealthCheckStatus` alarm of the DR origin's health check; it only notifies (write failover only, us-east-1). */
  public readonly drHealthAlarm?: cloudwatch.Alarm;
  /** The A alias record. */
  public readonly aRecord: route53.ARecord;
  /** The AAAA alias record. */
  public readonly aaaaRecord: route53.AaaaRecord;
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

  private readonly ssrEnv: { [key: string]: string };

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
    this.ssrEnv = {
      ...(props.ssr?.environment ?? {}),
      GLOBAL_SSR_TABLE_NAME: s.tableName,
      GLOBAL_SSR_PRIMARY_REGION: s.primaryRegion,
      GLOBAL_SSR_HEALTH_PATH: s.healthCheckPath,
    };
    const estimates = siteEstimates(s, props.recoveryObjectives, props.recoveryAssumptions);
    this.readRecoveryEstimate = estimates.read;
    this.recoveryEstimate = estimates.site;

    // Stacks, in deployment order, named <prefix>-<role>-<region>.
    const stacks = createStacks(this, s);
    this.drStack = stacks.dr;
    this.primaryStack = stacks.primary;
    this.globalStack = stacks.global;
    this.drOriginStack = stacks.drOrigin;
    this.primaryOriginStack = stacks.primaryOrigin;
    this.wireStacks();

    // Regional SSR functions and the global table.
    const primary = buildSsrRegion(this.primaryStack, s, props.ssr ?? {}, this.ssrEnvironment('primary'), 'primary');
    const secondary = this.drStack ? buildSsrRegion(this.drStack, s, props.ssr ?? {}, this.ssrEnvironment('dr'), 'dr') : undefined;
    this.primaryFunction = primary.fn;
    this.primaryFunctionUrl = primary.url;
    this.drFunction = secondary?.fn;
    this.drFunctionUrl = secondary?.url;
    this.table = buildGlobalTable(this.primaryStack, s);

    // us-east-1: distribution, edge, alarm path.
    const global = buildGlobal(this.globalStack, s, props);
    this.distribution = global.distribution;
    this.certificate = global.certificate;
    this.keyValueStore = global.keyValueStore;
    this.edgeFunction = global.edgeFunction;
    this.bodyHashFunction = global.bodyHashFunction;
    this.aRecord = global.aRecord;
    this.aaaaRecord = global.aaaaRecord;
    if (global.keyValueStore && this.drOriginStack) {
      const alarmPath = buildAlarmPath(this.globalStack, s, global.distribution, global.keyValueStore);
      this.primaryHealthCheck = alarmPath.healthCheck;
      this.primaryHealthAlarm = alarmPath.alarm;
      this.drHealthCheck = alarmPath.drHealthCheck;
      this.drHealthAlarm = alarmPath.drAlarm;
      this.writeFailoverFunction = alarmPath.flipper;
      this.writeFailoverDeadLetterQueue = alarmPath.deadLetterQueue;
      this.writeFailoverDeadLetterAlarm = alarmPath.deadLetterAlarm;
      const reconciler = buildReconciler(this.drOriginStack, s);
      this.reconcilerFunction = reconciler.fn;
      this.reconcilerErrorAlarm = reconciler.errorAlarm;
    }

    // Origin stacks: static buckets and the grants scoped to this distribution.
    const drOrigin = this.drOriginStack ? buildOriginStack(this.drOriginStack, s, s.drBucketName!) : undefined;
    const primaryOrigin = buildOriginStack(this.primaryOriginStack, s, s.primaryBucketName);
    this.primaryBucket = primaryOrigin.bucket;
    this.drBucket = drOrigin?.bucket;
    if (s.drRegion) {
      addReplication(primaryOrigin.bucket, s, props.replicationTimeControl ?? false);
    }
    if (props.staticAssets?.sourcePath) {
      deployAssets(primaryOrigin.bucket, props.staticAssets.sourcePath, s.immutablePaths);
    }
    addSiteOutputs(s, stacks, global.distribution, { primary: primaryOrigin.bucket, dr: drOrigin?.bucket });
    routeSiteAlarms(this, s, stacks, props.alarmTopicArns);
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
    return { ...this.ssrEnv, GLOBAL_SSR_REGION_ROLE: role };
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
