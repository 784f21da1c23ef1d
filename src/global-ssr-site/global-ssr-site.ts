import * as crypto from 'crypto';
import { Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { BootstrapPageFunction } from './bootstrap-page-function';
import { ACTIVE_ORIGIN_PRIMARY, renderEdgeFunctionCode } from './edge-function';
import { WriteFailoverFunction } from './write-failover-function';
import { MultiRegionFailoverError } from '../core/errors';
import { NagSuppressions } from '../core/nag';
import { RecoveryEstimate, RecoveryModel, RecoveryObjectives, RecoveryTerm } from '../core/recovery';
import { isValidRegionName, validateAccount, validateMultiRegionScope } from '../core/regions';
import { healthCheckStatusMetric } from '../failover-dns/internal';

/** The server-side rendering function deployed in every region. */
export interface SsrFunctionOptions {
  /**
   * The server code (e.g. `lambda.Code.fromAsset('.open-next/server-functions/default')`). It answers Lambda
   * function URL events (payload format 2.0).
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
   * Function timeout, 1 to 900 s. Also the CloudFront origin read timeout unless `originReadTimeout` is set.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Extra environment variables. The construct adds `GLOBAL_SSR_TABLE_NAME`, `GLOBAL_SSR_PRIMARY_REGION`
   * and `GLOBAL_SSR_REGION_ROLE` (`primary` or `dr`).
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

/** Properties of a `GlobalSsrSite`. */
export interface GlobalSsrSiteProps {
  /** The 12-digit AWS account of every stack. */
  readonly account: string;
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
  /** The site's domain name: the zone name or a name inside the zone. */
  readonly domainName: string;
  /** Id of the public hosted zone of `domainName` (imported in each stack, no lookup). */
  readonly hostedZoneId: string;
  /** Name of the hosted zone, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * An ACM certificate in us-east-1 that covers `domainName`.
   * @default - a DNS-validated certificate is created in us-east-1
   */
  readonly certificateArn?: string;
  /**
   * Prefix of the deterministic names (buckets, table, functions, SSM parameters): 3 to 20 lowercase letters,
   * digits or hyphens, starting with a letter. Changing it replaces every named resource.
   * @default - `ssr-` and a hash of the construct path
   */
  readonly siteName?: string;
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
   * Connection attempts CloudFront makes to an origin before it fails over (1 to 3).
   * @default 1
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#origin-connection-attempts
   */
  readonly connectionAttempts?: number;
  /**
   * Connection timeout of each attempt, 1 to 10 whole seconds. A dead primary costs a GET request
   * `connectionAttempts × connectionTimeout` before the DR origin answers.
   * @default Duration.seconds(2)
   */
  readonly connectionTimeout?: Duration;
  /**
   * CloudFront's response (read) timeout for the SSR origins, 1 to 180 s (above 60 s needs a quota increase).
   * @default - `ssr.timeout`
   */
  readonly originReadTimeout?: Duration;
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
   * Fail over non-GET requests (POST, PUT, DELETE...) too: a Route 53 health check probes the primary through
   * CloudFront, its alarm flips an active-origin flag in a CloudFront KeyValueStore, and the viewer-request
   * function routes every request to the DR origin while the flag is set.
   * @default true
   */
  readonly writeFailover?: boolean;
  /**
   * Path of the SSR app that the health probe requests (must answer 2xx/3xx within 2 s).
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Interval of the primary health check: 10 or 30 s.
   * @default Duration.seconds(10)
   */
  readonly healthCheckInterval?: Duration;
  /**
   * Consecutive failed health checks before the primary is unhealthy (1 to 10).
   * @default 2
   */
  readonly healthCheckFailureThreshold?: number;
  /**
   * S3 Replication Time Control (99.99 % of objects within 15 minutes, extra cost) on the primary → DR rule.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
   */
  readonly replicationTimeControl?: boolean;
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
  /**
   * What happens to the buckets and the table when the stacks are deleted. `DESTROY` also empties the buckets.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Objectives the configuration must meet; synthesis fails when `recoveryEstimate` misses one.
   * @default - none enforced
   */
  readonly recoveryObjectives?: RecoveryObjectives;
}

const ALLOWED_FAILOVER_CODES = [400, 403, 404, 416, 500, 502, 503, 504];
const DEFAULT_STATIC_PATTERNS = ['/_next/static/*', '/static/*', '/assets/*', '/favicon.ico'];
const DEFAULT_IMMUTABLE_PATHS = ['_next/static/*', 'assets/*'];
const CATCH_ALL_PATTERNS = ['*', '/*', '/**', '**', '/', ''];
const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const MUTABLE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
/** Allowance for the CloudWatch alarm on the 1-minute `HealthCheckStatus` metric (period + evaluation delay). */
const ALARM_ALLOWANCE = Duration.seconds(90);
/** Allowance for the flag flip: Lambda cold start + DescribeKeyValueStore + PutKey. */
const FLIP_ALLOWANCE = Duration.seconds(5);
/** Allowance for a KeyValueStore change to reach every edge location ("within seconds" per AWS). */
const KVS_PROPAGATION = Duration.seconds(10);
/** Typical DynamoDB global table replication lag. */
const TABLE_REPLICATION = Duration.seconds(1);

/**
 * A server-side rendered site on CloudFront with origin failover between two regions.
 *
 * - SSR: a Lambda function and an IAM-auth function URL per region, reached through CloudFront Origin Access
 *   Control. GET/HEAD/OPTIONS fail over per request (a per-request origin group built by a viewer-request
 *   CloudFront Function); other methods follow an active-origin flag in a CloudFront KeyValueStore that a
 *   health-check alarm flips.
 * - Static assets: S3 primary bucket replicated to a DR bucket, an origin group per static path pattern.
 * - State: a DynamoDB global table (primary + DR replica); each region's function may use its own replica only.
 * - Global: distribution, us-east-1 certificate, A + AAAA alias records.
 *
 * It creates its own stacks (primary, DR, and a us-east-1 "global" stack). Cross-region values are passed by
 * deterministic names and by SSM parameters read with a custom resource, never by CloudFormation exports,
 * so every dependency points one way: global → primary → DR.
 */
export class GlobalSsrSite extends Construct {
  /** Viewer path whose requests are sent to the primary SSR origin only (rewritten to `healthCheckPath`). */
  public static readonly PRIMARY_PROBE_PATH = '/__global-ssr/health/primary';
  /** Viewer path whose requests are sent to the DR SSR origin only (rewritten to `healthCheckPath`). */
  public static readonly DR_PROBE_PATH = '/__global-ssr/health/dr';
  /** Key of the active-origin flag in the KeyValueStore (`primary` or `dr`). */
  public static readonly ACTIVE_ORIGIN_KEY = 'active-origin';
  /** CloudFront origin id of the primary SSR origin. */
  public static readonly PRIMARY_SSR_ORIGIN_ID = 'ssr-primary';
  /** CloudFront origin id of the DR SSR origin. */
  public static readonly DR_SSR_ORIGIN_ID = 'ssr-dr';

  /** The stack in the primary region. */
  public readonly primaryStack: Stack;
  /** The stack in the DR region (undefined with `dr: false`). */
  public readonly drStack?: Stack;
  /** The us-east-1 stack of the distribution, certificate, records and write-failover pieces. */
  public readonly globalStack: Stack;
  /** The prefix of the deterministic names. */
  public readonly siteName: string;
  /** The site's domain name. */
  public readonly domainName: string;
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.IDistribution;
  /** The certificate (us-east-1). */
  public readonly certificate: acm.ICertificate;
  /** The global table (in the primary stack; replica in the DR region). */
  public readonly table: dynamodb.ITableV2;
  /** The global table's name (the same in every region). */
  public readonly tableName: string;
  /** The SSR function of the primary region. */
  public readonly primaryFunction: lambda.IFunction;
  /** The SSR function's name (the same in every region). */
  public readonly functionName: string;
  /** The primary function URL (IAM auth). */
  public readonly primaryFunctionUrl: lambda.IFunctionUrl;
  /** The SSR function of the DR region. */
  public readonly drFunction?: lambda.IFunction;
  /** The DR function URL (IAM auth). */
  public readonly drFunctionUrl?: lambda.IFunctionUrl;
  /** The primary static bucket. */
  public readonly primaryBucket: s3.IBucket;
  /** The primary static bucket's name. */
  public readonly primaryBucketName: string;
  /** The DR static bucket (replication destination). */
  public readonly drBucket?: s3.IBucket;
  /** The DR static bucket's name. */
  public readonly drBucketName?: string;
  /** The viewer-request CloudFront Function (DR mode only). */
  public readonly edgeFunction?: cloudfront.IFunction;
  /** The KeyValueStore holding the active-origin flag (write failover only). */
  public readonly keyValueStore?: cloudfront.IKeyValueStore;
  /** The Lambda function that flips the flag (write failover only). */
  public readonly writeFailoverFunction?: lambda.IFunction;
  /** The Route 53 health check of the primary, probed through CloudFront (write failover only). */
  public readonly primaryHealthCheck?: route53.IHealthCheck;
  /** The alarm on the primary health check that drives the flag (write failover only). */
  public readonly primaryHealthAlarm?: cloudwatch.IAlarm;
  /** The A alias record. */
  public readonly aRecord: route53.IRecordSet;
  /** The AAAA alias record. */
  public readonly aaaaRecord: route53.IRecordSet;
  /**
   * Worst-case recovery of the whole site (the write path when `writeFailover` is on: health check → alarm →
   * flag → edge); GET requests recover faster, see `readRecoveryEstimate`.
   */
  public readonly recoveryEstimate: RecoveryEstimate;
  /** Per-request recovery of GET/HEAD/OPTIONS requests: `connectionAttempts × connectionTimeout`. */
  public readonly readRecoveryEstimate: RecoveryEstimate;

  private readonly account: string;
  private readonly primaryRegion: string;
  private readonly drRegion?: string;
  private readonly ssrEnv: { [key: string]: string };

  constructor(scope: Construct, id: string, props: GlobalSsrSiteProps) {
    validateMultiRegionScope(scope, 'GlobalSsrSite');
    super(scope, id);

    const dr = props.dr ?? true;
    this.account = validateAccount(props.account);
    this.primaryRegion = validateRegion(props.primaryRegion, 'primaryRegion');
    validateDrOptions(props, dr);
    if (dr) {
      if (props.drRegion === undefined) {
        throw new MultiRegionFailoverError('`drRegion` is required when `dr` is true (the default), got: undefined');
      }
      this.drRegion = validateRegion(props.drRegion, 'drRegion');
      if (this.drRegion === this.primaryRegion) {
        throw new MultiRegionFailoverError(`\`drRegion\` must differ from \`primaryRegion\`, got: ${this.drRegion} for both`);
      }
    }
    this.domainName = validateDomain(props.domainName, props.zoneName);
    validateCertificateArn(props.certificateArn);
    this.siteName = props.siteName ?? `ssr-${crypto.createHash('sha256').update(this.node.path).digest('hex').slice(0, 8)}`;
    validateSiteName(this.siteName);
    const ssr = props.ssr ?? {};
    const memorySize = ssr.memorySize ?? 512;
    const timeout = ssr.timeout ?? Duration.seconds(10);
    validateSsr(memorySize, timeout);
    const readTimeout = props.originReadTimeout ?? timeout;
    validateReadTimeout(readTimeout, props.originReadTimeout === undefined);
    const connectionAttempts = props.connectionAttempts ?? 1;
    const connectionTimeout = props.connectionTimeout ?? Duration.seconds(2);
    validateConnection(connectionAttempts, connectionTimeout);
    const staticPatterns = props.staticAssets?.pathPatterns ?? DEFAULT_STATIC_PATTERNS;
    validateStaticPatterns(staticPatterns);
    const ssrCodes = props.ssrFailoverStatusCodes ?? [500, 502, 503, 504];
    const staticCodes = props.staticFailoverStatusCodes ?? [403, 404, 500, 502, 503, 504];
    validateStatusCodes(ssrCodes, 'ssrFailoverStatusCodes');
    validateStatusCodes(staticCodes, 'staticFailoverStatusCodes');
    const healthCheckPath = props.healthCheckPath ?? '/';
    if (!Token.isUnresolved(healthCheckPath) && !healthCheckPath.startsWith('/')) {
      throw new MultiRegionFailoverError(`\`healthCheckPath\` must start with "/", got: ${healthCheckPath}`);
    }
    const interval = props.healthCheckInterval ?? Duration.seconds(10);
    const threshold = props.healthCheckFailureThreshold ?? 2;
    validateHealthCheck(interval, threshold);
    const writeFailover = dr && (props.writeFailover ?? true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.tableName = `${this.siteName}-state`;
    this.functionName = `${this.siteName}-ssr`;
    this.primaryBucketName = this.bucketName(this.primaryRegion);
    this.drBucketName = this.drRegion ? this.bucketName(this.drRegion) : undefined;
    this.ssrEnv = {
      ...(ssr.environment ?? {}),
      GLOBAL_SSR_TABLE_NAME: this.tableName,
      GLOBAL_SSR_PRIMARY_REGION: this.primaryRegion,
    };

    // Stacks: dependencies point one way only (global → primary → DR).
    const env = (region: string) => ({ account: this.account, region });
    this.primaryStack = new Stack(this, 'Primary', { env: env(this.primaryRegion), description: `GlobalSsrSite ${this.siteName}: primary region` });
    this.drStack = this.drRegion
      ? new Stack(this, 'Dr', { env: env(this.drRegion), description: `GlobalSsrSite ${this.siteName}: DR region` })
      : undefined;
    this.globalStack = new Stack(this, 'Global', { env: env('us-east-1'), description: `GlobalSsrSite ${this.siteName}: CloudFront, certificate, DNS` });
    this.globalStack.addDependency(this.primaryStack, 'reads the primary function URL host from SSM');
    if (this.drStack) {
      this.globalStack.addDependency(this.drStack, 'reads the DR function URL host from SSM');
      this.primaryStack.addDependency(this.drStack, 'the replication destination bucket must exist first');
    }

    // Regional pieces.
    const primary = this.buildRegion(this.primaryStack, 'primary', ssr, memorySize, timeout, removalPolicy);
    const secondary = this.drStack ? this.buildRegion(this.drStack, 'dr', ssr, memorySize, timeout, removalPolicy) : undefined;
    this.primaryFunction = primary.fn;
    this.primaryFunctionUrl = primary.url;
    this.primaryBucket = primary.bucket;
    this.drFunction = secondary?.fn;
    this.drFunctionUrl = secondary?.url;
    this.drBucket = secondary?.bucket;

    // State: global table in the primary stack, replica in DR.
    const table = new dynamodb.TableV2(this.primaryStack, 'State', {
      tableName: this.tableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      replicas: this.drRegion ? [{ region: this.drRegion }] : [],
      removalPolicy,
    });
    this.table = table;
    this.grantTable(primary.fn, this.primaryRegion);
    if (secondary) {
      this.grantTable(secondary.fn, this.drRegion!);
    }

    // Static assets: replication primary → DR, upload in the primary region.
    if (this.drRegion) {
      this.addReplication(primary.bucket, props.replicationTimeControl ?? false);
    }
    if (props.staticAssets?.sourcePath) {
      this.deployAssets(primary.bucket, props.staticAssets.sourcePath, props.staticAssets.immutablePaths ?? DEFAULT_IMMUTABLE_PATHS);
    }

    // Global pieces.
    const g = this.globalStack;
    const zone = route53.HostedZone.fromHostedZoneAttributes(g, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });
    this.certificate = props.certificateArn
      ? acm.Certificate.fromCertificateArn(g, 'Certificate', props.certificateArn)
      : new acm.Certificate(g, 'Certificate', { domainName: this.domainName, validation: acm.CertificateValidation.fromDns(zone) });

    const ssrOac = new cloudfront.FunctionUrlOriginAccessControl(g, 'SsrOac', { signing: cloudfront.Signing.SIGV4_ALWAYS });
    const staticOac = new cloudfront.S3OriginAccessControl(g, 'StaticOac', { signing: cloudfront.Signing.SIGV4_ALWAYS });
    const ssrOrigin = (role: string, region: string, originId: string) => new origins.HttpOrigin(this.readUrlHost(role, region), {
      originId,
      originAccessControlId: ssrOac.originAccessControlId,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      connectionAttempts,
      connectionTimeout,
      readTimeout,
    });
    const staticOrigin = (role: string, region: string, bucketName: string) => origins.S3BucketOrigin.withBucketDefaults(
      s3.Bucket.fromBucketAttributes(g, `${pascal(role)}StaticBucket`, { bucketName, region, account: this.account }), {
        originId: `static-${role}`,
        originAccessControlId: staticOac.originAccessControlId,
        connectionAttempts,
        connectionTimeout,
      });
    const primarySsr = ssrOrigin('primary', this.primaryRegion, GlobalSsrSite.PRIMARY_SSR_ORIGIN_ID);
    const drSsr = this.drRegion ? ssrOrigin('dr', this.drRegion, GlobalSsrSite.DR_SSR_ORIGIN_ID) : undefined;
    const primaryStatic = staticOrigin('primary', this.primaryRegion, this.primaryBucketName);
    const staticTarget: cloudfront.IOrigin = this.drRegion
      ? new origins.OriginGroup({
        primaryOrigin: primaryStatic,
        fallbackOrigin: staticOrigin('dr', this.drRegion, this.drBucketName!),
        fallbackStatusCodes: staticCodes,
      })
      : primaryStatic;

    let functionAssociations: cloudfront.FunctionAssociation[] = [];
    let kvs: cloudfront.KeyValueStore | undefined;
    if (drSsr) {
      if (writeFailover) {
        kvs = new cloudfront.KeyValueStore(g, 'ActiveOrigin', {
          comment: `GlobalSsrSite ${this.siteName}: active SSR origin`,
          source: cloudfront.ImportSource.fromInline(JSON.stringify({
            data: [{ key: GlobalSsrSite.ACTIVE_ORIGIN_KEY, value: ACTIVE_ORIGIN_PRIMARY }],
          })),
        });
        this.keyValueStore = kvs;
      }
      const edgeFunction = new cloudfront.Function(g, 'EdgeRouter', {
        comment: `GlobalSsrSite ${this.siteName}: SSR origin failover`,
        runtime: cloudfront.FunctionRuntime.JS_2_0,
        keyValueStore: kvs,
        code: cloudfront.FunctionCode.fromInline(renderEdgeFunctionCode({
          primaryOriginId: GlobalSsrSite.PRIMARY_SSR_ORIGIN_ID,
          drOriginId: GlobalSsrSite.DR_SSR_ORIGIN_ID,
          failoverStatusCodes: ssrCodes,
          keyValueStoreId: kvs?.keyValueStoreId,
          activeOriginKey: GlobalSsrSite.ACTIVE_ORIGIN_KEY,
          primaryProbePath: GlobalSsrSite.PRIMARY_PROBE_PATH,
          drProbePath: GlobalSsrSite.DR_PROBE_PATH,
          healthCheckPath,
        })),
      });
      this.edgeFunction = edgeFunction;
      functionAssociations = [{ function: edgeFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];
    }

    const ssrBehavior = (origin: cloudfront.IOrigin, methods: cloudfront.AllowedMethods): cloudfront.BehaviorOptions => ({
      origin,
      allowedMethods: methods,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
      functionAssociations,
    });
    const additionalBehaviors: { [pattern: string]: cloudfront.BehaviorOptions } = {};
    for (const pattern of staticPatterns) {
      additionalBehaviors[pattern] = {
        origin: staticTarget,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      };
    }
    if (drSsr) {
      // Health probes: one origin each (no failover), so a Route 53 health check sees the region itself.
      additionalBehaviors[GlobalSsrSite.PRIMARY_PROBE_PATH] = ssrBehavior(primarySsr, cloudfront.AllowedMethods.ALLOW_GET_HEAD);
      additionalBehaviors[GlobalSsrSite.DR_PROBE_PATH] = ssrBehavior(drSsr, cloudfront.AllowedMethods.ALLOW_GET_HEAD);
    }

    let logBucket: s3.Bucket | undefined;
    if (props.logging) {
      logBucket = new s3.Bucket(g, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycleRules: [{ expiration: Duration.days(90) }],
        removalPolicy,
        autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      });
      NagSuppressions.addResourceSuppressions(logBucket, [
        { id: 'AwsSolutions-S1', reason: 'This bucket receives the CloudFront access logs; logging it to itself would loop.' },
      ]);
    }

    const distribution = new cloudfront.Distribution(g, 'Distribution', {
      comment: `GlobalSsrSite ${this.siteName}`,
      defaultBehavior: ssrBehavior(primarySsr, cloudfront.AllowedMethods.ALLOW_ALL),
      additionalBehaviors,
      domainNames: [this.domainName],
      certificate: this.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
      webAclId: props.webAclArn,
      enableLogging: props.logging ?? false,
      logBucket,
      logFilePrefix: props.logging ? 'cloudfront/' : undefined,
    });
    this.distribution = distribution;
    const suppressions = [
      { id: 'AwsSolutions-CFR1', reason: 'A global site: geo restrictions are the owner\'s business decision, not a default.' },
      { id: 'AwsSolutions-CFR2', reason: 'A WAF web ACL is optional (`webAclArn`); the construct cannot choose rules for the app.' },
    ];
    if (!props.logging) {
      suppressions.push({ id: 'AwsSolutions-CFR3', reason: 'Access logging is opt-in (`logging: true`): it costs storage and holds viewer IPs.' });
    }
    NagSuppressions.addResourceSuppressions(distribution, suppressions);

    const aliasTarget = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
    this.aRecord = new route53.ARecord(g, 'AliasA', { zone, recordName: this.domainName, target: aliasTarget });
    this.aaaaRecord = new route53.AaaaRecord(g, 'AliasAAAA', { zone, recordName: this.domainName, target: aliasTarget });

    if (kvs) {
      const wf = this.addWriteFailover(distribution, kvs, interval, threshold);
      this.writeFailoverFunction = wf.flipper;
      this.primaryHealthCheck = wf.healthCheck;
      this.primaryHealthAlarm = wf.alarm;
    }

    // Recovery.
    const attemptsTerm: RecoveryTerm = {
      label: `connection attempts × timeout (${connectionAttempts} × ${connectionTimeout.toSeconds()} s)`,
      duration: Duration.seconds(connectionAttempts * connectionTimeout.toSeconds()),
      setting: '`connectionAttempts`, `connectionTimeout`',
    };
    if (!dr) {
      this.readRecoveryEstimate = RecoveryModel.estimate({ summary: 'Single region (`dr: false`): no regional failover', detection: [], propagation: [] });
      this.recoveryEstimate = this.readRecoveryEstimate;
    } else {
      this.readRecoveryEstimate = RecoveryModel.estimate({
        summary: 'CloudFront per-request origin failover (GET/HEAD/OPTIONS, dead primary)',
        detection: [attemptsTerm],
        propagation: [],
        rpo: TABLE_REPLICATION,
      });
      this.recoveryEstimate = writeFailover
        ? RecoveryModel.estimate({
          summary: 'Write failover (health check → alarm → KeyValueStore flag → edge)',
          detection: [
            { label: `health checks (${interval.toSeconds()} s × ${threshold})`, duration: Duration.seconds(interval.toSeconds() * threshold), setting: '`healthCheckInterval`, `healthCheckFailureThreshold`' },
            { label: 'checker aggregation', duration: RecoveryModel.HEALTH_CHECK_PROPAGATION },
            { label: 'CloudWatch alarm (1-minute metric + evaluation)', duration: ALARM_ALLOWANCE },
          ],
          propagation: [
            { label: 'flag flip', duration: FLIP_ALLOWANCE },
            { label: 'KeyValueStore propagation', duration: KVS_PROPAGATION },
          ],
          rpo: TABLE_REPLICATION,
        })
        : this.readRecoveryEstimate;
    }
    RecoveryModel.enforce('GlobalSsrSite', this.recoveryEstimate, props.recoveryObjectives,
      ['`healthCheckInterval`', '`healthCheckFailureThreshold`', '`connectionAttempts`', '`connectionTimeout`'],
      ['nothing: DynamoDB global table replication is asynchronous (typically under 1 s)']);
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

  private bucketName(region: string): string {
    return `${this.siteName}-${this.account}-${region}`;
  }

  private urlHostParameterName(): string {
    return `/${this.siteName}/ssr-origin-host`;
  }

  private buildRegion(stack: Stack, role: string, ssr: SsrFunctionOptions, memorySize: number, timeout: Duration, removalPolicy: RemovalPolicy) {
    const scope = new Construct(stack, 'Site');
    const environment = this.ssrEnvironment(role);
    const common = { functionName: this.functionName, memorySize, timeout, environment, architecture: ssr.architecture, description: `GlobalSsrSite ${this.siteName} SSR (${role})` };
    const fn: lambda.Function = ssr.code
      ? new lambda.Function(scope, 'Ssr', { ...common, code: ssr.code, handler: ssr.handler ?? 'index.handler', runtime: ssr.runtime ?? lambda.Runtime.NODEJS_22_X })
      : new BootstrapPageFunction(scope, 'Ssr', common);
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    // OAC without a reference to the distribution (aws-cdk #34536): any distribution of this account.
    const sourceArn = this.distributionArnPattern(stack);
    const cloudfrontPrincipal = new iam.ServicePrincipal('cloudfront.amazonaws.com');
    fn.addPermission('CloudFrontInvokeFunctionUrl', {
      principal: cloudfrontPrincipal,
      action: 'lambda:InvokeFunctionUrl',
      sourceArn,
      sourceAccount: this.account,
      functionUrlAuthType: lambda.FunctionUrlAuthType.AWS_IAM,
    });
    fn.addPermission('CloudFrontInvokeFunction', {
      principal: cloudfrontPrincipal,
      action: 'lambda:InvokeFunction',
      sourceArn,
      sourceAccount: this.account,
      invokedViaFunctionUrl: true,
    });

    new ssm.StringParameter(scope, 'OriginHost', {
      parameterName: this.urlHostParameterName(),
      stringValue: Fn.select(2, Fn.split('/', url.url)),
      description: `GlobalSsrSite ${this.siteName}: host of the ${role} SSR function URL, read by the us-east-1 stack`,
    });

    const accessLogs = new s3.Bucket(scope, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'This bucket receives the static bucket\'s server access logs; logging it to itself would loop.' },
    ]);
    const bucket = new s3.Bucket(scope, 'Static', {
      bucketName: this.bucketName(stack.region),
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'static/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudFrontOACRead',
      principals: [cloudfrontPrincipal],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    }));

    NagSuppressions.addResourceSuppressions(fn, [
      { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
    ], true);
    if (!ssr.code || !ssr.runtime) {
      NagSuppressions.addResourceSuppressions(fn, [
        { id: 'AwsSolutions-L1', reason: 'The construct\'s default runtime is Node.js 22 (the runtime this library bundles its handlers for); set `ssr.runtime` to choose another.' },
      ]);
    }
    this.suppressSingletons(stack);
    return { fn, url, bucket };
  }

  private distributionArnPattern(stack: Stack): string {
    return `arn:${stack.partition}:cloudfront::${this.account}:distribution/*`;
  }

  private grantTable(fn: lambda.IFunction, region: string): void {
    const stack = Stack.of(fn);
    const tableArn = `arn:${stack.partition}:dynamodb:${region}:${this.account}:table/${this.tableName}`;
    fn.addToRolePolicy(new iam.PolicyStatement({
      sid: 'GlobalTableReplicaOfThisRegion',
      actions: [
        'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem',
        'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable',
      ],
      resources: [tableArn, `${tableArn}/index/*`],
    }));
    NagSuppressions.addResourceSuppressions(fn, [
      { id: 'AwsSolutions-IAM5', reason: 'Item-level access to the global table replica of this region and its indexes (index/*).', appliesTo: [`Resource::arn:<AWS::Partition>:dynamodb:${region}:${this.account}:table/${this.tableName}/index/*`] },
    ], true);
  }

  private addReplication(primaryBucket: s3.Bucket, rtc: boolean): void {
    const stack = this.primaryStack;
    const destinationArn = `arn:${stack.partition}:s3:::${this.drBucketName}`;
    const role = new iam.Role(primaryBucket, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `GlobalSsrSite ${this.siteName}: S3 replication from ${this.primaryRegion} to ${this.drRegion}`,
    });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      resources: [primaryBucket.bucketArn],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: [primaryBucket.arnForObjects('*')],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: [`${destinationArn}/*`],
    }));
    const cfn = primaryBucket.node.defaultChild as s3.CfnBucket;
    cfn.replicationConfiguration = {
      role: role.roleArn,
      rules: [{
        id: 'primary-to-dr',
        status: 'Enabled',
        priority: 1,
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Disabled' },
        destination: {
          bucket: destinationArn,
          ...(rtc ? {
            replicationTime: { status: 'Enabled', time: { minutes: 15 } },
            metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
          } : {}),
        },
      }],
    };
    NagSuppressions.addResourceSuppressions(role, [
      { id: 'AwsSolutions-IAM5', reason: 'S3 replication reads every object version of the source bucket and writes every key of the DR bucket.', appliesTo: [{ regex: '/^Resource::<SiteStatic[0-9A-F]{8}\\.Arn>\\/\\*$/' }, `Resource::arn:<AWS::Partition>:s3:::${this.drBucketName}/*`] },
    ], true);
  }

  private deployAssets(bucket: s3.IBucket, sourcePath: string, immutablePaths: string[]): void {
    const scope = new Construct(this.primaryStack, 'StaticAssets');
    new s3deploy.BucketDeployment(scope, 'Immutable', {
      sources: [s3deploy.Source.asset(sourcePath)],
      destinationBucket: bucket,
      exclude: ['*'],
      include: immutablePaths,
      cacheControl: [s3deploy.CacheControl.fromString(IMMUTABLE_CACHE_CONTROL)],
      memoryLimit: 512,
    });
    new s3deploy.BucketDeployment(scope, 'Mutable', {
      sources: [s3deploy.Source.asset(sourcePath)],
      destinationBucket: bucket,
      exclude: immutablePaths,
      cacheControl: [s3deploy.CacheControl.fromString(MUTABLE_CACHE_CONTROL)],
      memoryLimit: 512,
    });
    this.suppressSingletons(this.primaryStack);
  }

  /** Reads the SSR function URL host that a regional stack wrote to SSM, in that region. */
  private readUrlHost(role: string, region: string): string {
    const name = this.urlHostParameterName();
    const reader = new cr.AwsCustomResource(this.globalStack, `Read${pascal(role)}OriginHost`, {
      onUpdate: {
        service: 'SSM',
        action: 'GetParameter',
        parameters: { Name: name },
        region,
        physicalResourceId: cr.PhysicalResourceId.of(`${region}:${name}`),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: [`arn:${this.globalStack.partition}:ssm:${region}:${this.account}:parameter${name}`],
      }),
      installLatestAwsSdk: false,
    });
    this.suppressSingletons(this.globalStack);
    return reader.getResponseField('Parameter.Value');
  }

  private addWriteFailover(distribution: cloudfront.Distribution, kvs: cloudfront.KeyValueStore, interval: Duration, threshold: number) {
    const g = this.globalStack;
    const healthCheck = new route53.HealthCheck(g, 'PrimaryHealthCheck', {
      type: route53.HealthCheckType.HTTPS,
      fqdn: distribution.distributionDomainName,
      port: 443,
      resourcePath: GlobalSsrSite.PRIMARY_PROBE_PATH,
      requestInterval: interval,
      failureThreshold: threshold,
      enableSNI: true,
    });
    const flipper = new WriteFailoverFunction(g, 'WriteFailover', {
      description: `GlobalSsrSite ${this.siteName}: flips the active SSR origin flag`,
      timeout: Duration.seconds(30),
      environment: { KVS_ARN: kvs.keyValueStoreArn, ACTIVE_ORIGIN_KEY: GlobalSsrSite.ACTIVE_ORIGIN_KEY },
    });
    flipper.addToRolePolicy(new iam.PolicyStatement({
      actions: ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:GetKey', 'cloudfront-keyvaluestore:PutKey'],
      resources: [kvs.keyValueStoreArn],
    }));
    NagSuppressions.addResourceSuppressions(flipper, [
      { id: 'AwsSolutions-L1', reason: 'This library bundles its handlers for Node.js 22.' },
      { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
    ], true);
    const alarm = new cloudwatch.Alarm(g, 'PrimaryHealthAlarm', {
      alarmDescription: `GlobalSsrSite ${this.siteName}: the primary SSR origin (${this.primaryRegion}) fails its health check; every request goes to ${this.drRegion}`,
      metric: healthCheckStatusMetric(healthCheck),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    alarm.addAlarmAction(new cwActions.LambdaAction(flipper));
    alarm.addOkAction(new cwActions.LambdaAction(flipper));
    return { flipper, healthCheck, alarm };
  }

  /** Suppressions on the stack-level singletons aws-cdk-lib creates (custom resource providers). */
  private suppressSingletons(stack: Stack): void {
    for (const child of stack.node.children) {
      const id = child.node.id;
      if (id.startsWith('Custom::CDKBucketDeployment')) {
        suppressProvider(child, 'BucketDeployment (aws-cdk-lib) copies the assets into the bucket');
      } else if (id === 'AWS679f53fac002430cb0da5b7982bd2287') {
        suppressProvider(child, 'AwsCustomResource (aws-cdk-lib) reads the SSR origin host from SSM');
      } else if (id === 'Custom::S3AutoDeleteObjectsCustomResourceProvider') {
        suppressProvider(child, 'autoDeleteObjects (aws-cdk-lib, `removalPolicy: DESTROY` only) empties the buckets');
      }
    }
  }
}

function suppressProvider(construct: IConstruct, what: string): void {
  NagSuppressions.addResourceSuppressions(construct, [
    { id: 'AwsSolutions-IAM4', reason: `${what}; its role uses AWSLambdaBasicExecutionRole for its logs only.` },
    { id: 'AwsSolutions-IAM5', reason: `${what}; aws-cdk-lib scopes its policy to the resources it manages.` },
    { id: 'AwsSolutions-L1', reason: `${what}; aws-cdk-lib pins this provider's runtime.` },
  ], true);
}

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function validateRegion(region: string, property: string): string {
  if (!isValidRegionName(region)) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a concrete AWS region name, got: ${region}`);
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

function validateDomain(domainName: string, zoneName: string): string {
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

function validateCertificateArn(arn: string | undefined): void {
  if (arn === undefined || Token.isUnresolved(arn)) {
    return;
  }
  const region = arn.split(':')[3];
  if (!arn.startsWith('arn:') || arn.split(':')[2] !== 'acm' || region !== 'us-east-1') {
    throw new MultiRegionFailoverError(`\`certificateArn\` must be an ACM certificate in us-east-1 (CloudFront requires it), got: ${arn}`);
  }
}

function validateSiteName(name: string): void {
  if (Token.isUnresolved(name) || !/^[a-z][a-z0-9-]{2,19}$/.test(name) || name.endsWith('-')) {
    throw new MultiRegionFailoverError(`\`siteName\` must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, got: ${name}`);
  }
}

function validateSsr(memorySize: number, timeout: Duration): void {
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

function validateReadTimeout(readTimeout: Duration, fromSsrTimeout: boolean): void {
  if (readTimeout.isUnresolved()) {
    return;
  }
  const s = readTimeout.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < 1 || s > 180) {
    throw new MultiRegionFailoverError(`\`originReadTimeout\` must be between 1 and 180 whole seconds (CloudFront origin response timeout), got: ${s} s`
      + (fromSsrTimeout ? ' (it defaults to `ssr.timeout`; set `originReadTimeout`)' : ''));
  }
}

function validateConnection(attempts: number, timeout: Duration): void {
  if (!Token.isUnresolved(attempts) && (!Number.isInteger(attempts) || attempts < 1 || attempts > 3)) {
    throw new MultiRegionFailoverError(`\`connectionAttempts\` must be between 1 and 3, got: ${attempts}`);
  }
  if (!timeout.isUnresolved()) {
    const s = timeout.toSeconds({ integral: false });
    if (!Number.isInteger(s) || s < 1 || s > 10) {
      throw new MultiRegionFailoverError(`\`connectionTimeout\` must be between 1 and 10 whole seconds, got: ${s} s`);
    }
  }
}

function validateStaticPatterns(patterns: string[]): void {
  if (patterns.length === 0) {
    throw new MultiRegionFailoverError('`staticAssets.pathPatterns` needs at least one path pattern, got: none');
  }
  for (const p of patterns) {
    if (CATCH_ALL_PATTERNS.includes(p.trim())) {
      throw new MultiRegionFailoverError(`\`staticAssets.pathPatterns\` must not shadow the default (SSR) behaviour \`/*\`, got: ${p}`);
    }
    if (p.startsWith('/__global-ssr/')) {
      throw new MultiRegionFailoverError(`\`staticAssets.pathPatterns\` must not use the reserved prefix /__global-ssr/, got: ${p}`);
    }
  }
  if (new Set(patterns).size !== patterns.length) {
    throw new MultiRegionFailoverError(`\`staticAssets.pathPatterns\` must not repeat a pattern, got: ${patterns.join(', ')}`);
  }
}

function validateStatusCodes(codes: number[], property: string): void {
  if (codes.length === 0) {
    throw new MultiRegionFailoverError(`\`${property}\` needs at least one status code, got: none`);
  }
  for (const c of codes) {
    if (!ALLOWED_FAILOVER_CODES.includes(c)) {
      throw new MultiRegionFailoverError(`\`${property}\` may only hold ${ALLOWED_FAILOVER_CODES.join(', ')}, got: ${c}`);
    }
  }
}

function validateHealthCheck(interval: Duration, threshold: number): void {
  if (!interval.isUnresolved()) {
    const s = interval.toSeconds({ integral: false });
    if (s !== 10 && s !== 30) {
      throw new MultiRegionFailoverError(`\`healthCheckInterval\` must be 10 or 30 seconds, got: ${s} s`);
    }
  }
  if (!Token.isUnresolved(threshold) && (!Number.isInteger(threshold) || threshold < 1 || threshold > 10)) {
    throw new MultiRegionFailoverError(`\`healthCheckFailureThreshold\` must be between 1 and 10, got: ${threshold}`);
  }
}
