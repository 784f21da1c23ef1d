import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { BodyHashFunction } from './body-hash-function';
import { ACTIVE_ORIGIN_PRIMARY, renderEdgeFunctionCode } from './edge-function';
import { httpOrigin } from './http-origins';
import { distributionArnParameterName, readParameter } from './origin-stack';
import { SsrHttpOrigins, SsrWriteSigning } from './props';
import { SiteSettings } from './settings';
import { suppressSingletons } from './singletons';
import { urlHostParameterName } from './ssr-region';
import { NagSuppressions } from '../core/nag';
import { normalizeZoneName } from '../core/zones';

/** Origin ids, probe paths and flag keys shared by the distribution, the edge function and the handlers. @internal */
export const SITE_IDS = {
  primarySsrOrigin: 'ssr-primary',
  drSsrOrigin: 'ssr-dr',
  primaryProbePath: '/__global-ssr/health/primary',
  drProbePath: '/__global-ssr/health/dr',
  activeOriginKey: 'active-origin',
  activeOriginOverrideKey: 'active-origin-override',
};

/** Parameter name (us-east-1) of the active-origin KeyValueStore ARN, read by the DR origin stack. @internal */
export function kvsArnParameterName(siteName: string): string {
  return `/${siteName}/active-origin-kvs-arn`;
}

/**
 * The settings the us-east-1 parts read: the site's, plus the zone, certificate and distribution options.
 * @internal
 */
export type EdgeSettings = Pick<SiteSettings, 'siteName' | 'account' | 'domainName' | 'primaryRegion' | 'drRegion' | 'writeFailover'
| 'writeSigning' | 'removalPolicy' | 'connectionAttempts' | 'connectionTimeout' | 'readTimeout' | 'primaryBucketName' | 'drBucketName'
| 'staticCodes' | 'staticPatterns' | 'ssrCodes' | 'healthCheckPath' | 'refresh' | 'interval' | 'threshold'> & {
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly certificateArn?: string;
  readonly logging: boolean;
  readonly priceClass: cloudfront.PriceClass;
  readonly webAclArn?: string;
  /** Regional HTTPS origins instead of the SSR function URLs: no OAC, no body hash. */
  readonly httpOrigins?: SsrHttpOrigins;
};

/** What the us-east-1 stack exposes. @internal */
export interface GlobalParts {
  readonly distribution: cloudfront.Distribution;
  readonly certificate: acm.ICertificate;
  readonly keyValueStore?: cloudfront.KeyValueStore;
  readonly edgeFunction?: cloudfront.Function;
  readonly bodyHashFunction?: lambda.Function;
  readonly aRecord: route53.ARecord;
  readonly aaaaRecord: route53.AaaaRecord;
}

/**
 * The us-east-1 stack's site: certificate, OACs, SSR and static origins (each origin group primary → DR),
 * the viewer-request edge router (+ KeyValueStore flag), the body-hash Lambda@Edge function, the distribution,
 * the alias records and the SSM parameters the origin stacks read.
 * @internal
 */
export function buildGlobal(g: Stack, s: EdgeSettings): GlobalParts {
  // The zone name as the records compare it (lower case, no trailing dot): aws-cdk-lib appends the zone name to a record
  // name that does not end with it as written, so `Example.com.` would name the record www.example.com.Example.com.
  const zone = route53.HostedZone.fromHostedZoneAttributes(g, 'Zone', { hostedZoneId: s.hostedZoneId, zoneName: normalizeZoneName(s.zoneName) });
  const certificate = s.certificateArn
    ? acm.Certificate.fromCertificateArn(g, 'Certificate', s.certificateArn)
    // certificateName is only the Name tag, which aws-cdk-lib otherwise fills with the construct path.
    : new acm.Certificate(g, 'Certificate', { domainName: s.domainName, certificateName: s.domainName, validation: acm.CertificateValidation.fromDns(zone) });

  const ssr = ssrOrigins(g, s);
  const keyValueStore = s.writeFailover ? activeOriginStore(g, s) : undefined;
  const edgeFunction = ssr.dr ? edgeRouter(g, s, keyValueStore) : undefined;
  const bodyHashFunction = !s.httpOrigins && s.writeSigning === SsrWriteSigning.EDGE_BODY_HASH ? bodyHash(g, s) : undefined;

  const ssrBehavior = (origin: cloudfront.IOrigin, methods: cloudfront.AllowedMethods, withBodyHash: boolean): cloudfront.BehaviorOptions => ({
    origin,
    allowedMethods: methods,
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
    originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    compress: true,
    functionAssociations: edgeFunction ? [{ function: edgeFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }] : [],
    edgeLambdas: withBodyHash && bodyHashFunction ? [{
      functionVersion: bodyHashFunction.currentVersion,
      eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST,
      includeBody: true,
    }] : undefined,
  });
  const additionalBehaviors: { [pattern: string]: cloudfront.BehaviorOptions } = staticBehaviors(g, s);
  if (ssr.dr) {
    // Health probes: one origin each (no failover), so a probe sees the region itself.
    additionalBehaviors[SITE_IDS.primaryProbePath] = ssrBehavior(ssr.primary, cloudfront.AllowedMethods.ALLOW_GET_HEAD, false);
    additionalBehaviors[SITE_IDS.drProbePath] = ssrBehavior(ssr.dr, cloudfront.AllowedMethods.ALLOW_GET_HEAD, false);
  }

  const logBucket = s.logging ? accessLogBucket(g, s.removalPolicy) : undefined;
  const distribution = new cloudfront.Distribution(g, 'Distribution', {
    comment: `GlobalSsrSite ${s.siteName}`,
    defaultBehavior: ssrBehavior(ssr.primary, cloudfront.AllowedMethods.ALLOW_ALL, true),
    additionalBehaviors,
    domainNames: [s.domainName],
    certificate,
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    enableIpv6: true,
    priceClass: s.priceClass,
    webAclId: s.webAclArn,
    enableLogging: s.logging,
    logBucket,
    logFilePrefix: s.logging ? 'cloudfront/' : undefined,
  });
  suppressDistribution(distribution, s.logging);

  const aliasTarget = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
  const aRecord = new route53.ARecord(g, 'AliasA', { zone, recordName: s.domainName, target: aliasTarget });
  const aaaaRecord = new route53.AaaaRecord(g, 'AliasAAAA', { zone, recordName: s.domainName, target: aliasTarget });

  new ssm.StringParameter(g, 'DistributionArnParameter', {
    parameterName: distributionArnParameterName(s.siteName),
    stringValue: distribution.distributionArn,
    description: `GlobalSsrSite ${s.siteName}: the distribution ARN; the origin stacks scope their OAC grants to it`,
  });
  if (keyValueStore) {
    new ssm.StringParameter(g, 'KeyValueStoreArnParameter', {
      parameterName: kvsArnParameterName(s.siteName),
      stringValue: keyValueStore.keyValueStoreArn,
      description: `GlobalSsrSite ${s.siteName}: the active-origin KeyValueStore ARN, read by the DR-region reconciler`,
    });
  }
  suppressSingletons(g);
  return { distribution, certificate, keyValueStore, edgeFunction, bodyHashFunction, aRecord, aaaaRecord };
}

/** The SSR origins: hosts read from SSM in each region at deploy time; OAC signs every request (SigV4). */
function ssrOrigins(g: Stack, s: EdgeSettings): { primary: cloudfront.IOrigin; dr?: cloudfront.IOrigin } {
  const http = s.httpOrigins;
  if (http) {
    return {
      primary: httpOrigin(http.primaryDomainName, SITE_IDS.primarySsrOrigin, http, ssrOriginTimeouts(s)),
      dr: s.drRegion ? httpOrigin(http.drDomainName!, SITE_IDS.drSsrOrigin, http, ssrOriginTimeouts(s)) : undefined,
    };
  }
  const oac = new cloudfront.FunctionUrlOriginAccessControl(g, 'SsrOac', { signing: cloudfront.Signing.SIGV4_ALWAYS });
  const origin = (role: string, region: string, originId: string) => new origins.HttpOrigin(readUrlHost(g, s, role, region), {
    originId,
    originAccessControlId: oac.originAccessControlId,
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    // CloudFront waits `readTimeout` for the first byte (and between packets); GET/HEAD retry it
    // `connectionAttempts` times before failing over: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginResponseTimeout
    ...ssrOriginTimeouts(s),
  });
  return {
    primary: origin('primary', s.primaryRegion, SITE_IDS.primarySsrOrigin),
    dr: s.drRegion ? origin('dr', s.drRegion, SITE_IDS.drSsrOrigin) : undefined,
  };
}

/** Reads the SSR function URL host that a regional stack wrote to SSM, in that region. */
function readUrlHost(g: Stack, s: EdgeSettings, role: string, region: string): string {
  return readParameter(g, `Read${role.charAt(0).toUpperCase()}${role.slice(1)}OriginHost`, urlHostParameterName(s.siteName), region, s.refresh);
}

/** The settings of the origins' timeouts. @internal */
export type TimeoutSettings = Pick<SiteSettings, 'connectionAttempts' | 'connectionTimeout' | 'readTimeout'>;

/** The timeouts of an origin, as the estimate counts them. @internal */
export interface OriginTimeouts {
  readonly connectionAttempts: number;
  readonly connectionTimeout: Duration;
  readonly readTimeout: Duration;
}

/**
 * `S3OriginConfig.OriginReadTimeout` takes 1 to 120 seconds (CloudFront's default is 30 s):
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_S3OriginConfig.html @internal
 */
export const S3_MAX_READ_TIMEOUT = Duration.seconds(120);

/** The SSR origins' timeouts (the default behaviour and the probe paths). @internal */
export function ssrOriginTimeouts(s: TimeoutSettings): OriginTimeouts {
  return { connectionAttempts: s.connectionAttempts, connectionTimeout: s.connectionTimeout, readTimeout: s.readTimeout };
}

/**
 * The static buckets' timeouts: the same settings as the SSR origins, so one `readTimeout` bounds what a hung primary
 * costs every GET. Only an SSR `readTimeout` above 120 s (quota-raised custom origins) differs: the buckets take
 * S3's maximum, which is shorter. @internal
 */
export function staticOriginTimeouts(s: TimeoutSettings): OriginTimeouts {
  const read = Math.min(s.readTimeout.toSeconds(), S3_MAX_READ_TIMEOUT.toSeconds());
  return { ...ssrOriginTimeouts(s), readTimeout: Duration.seconds(read) };
}

/**
 * An S3 bucket origin (REST endpoint, OAC) with a response timeout. aws-cdk-lib 2.245.0 offers `readTimeout` on
 * HttpOrigin, FunctionUrlOrigin, RestApiOrigin and VpcOrigin only, not on S3 origins; without it CloudFront waits its
 * default 30 s for a hung bucket (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_S3OriginConfig.html).
 * So this renders `S3OriginConfig.OriginReadTimeout` through `renderS3OriginConfig`, the hook aws-cdk-lib's S3 origins
 * use for that block (CloudFormation: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-s3originconfig.html).
 */
class TimedS3BucketOrigin extends origins.S3BucketOrigin {
  private readonly readTimeout: Duration;

  constructor(bucket: s3.IBucket, props: cloudfront.OriginProps, readTimeout: Duration) {
    super(bucket, props);
    this.readTimeout = readTimeout;
  }

  protected renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { ...super.renderS3OriginConfig(), originReadTimeout: this.readTimeout.toSeconds() };
  }
}

/** Static behaviours: one origin group primary bucket → DR bucket (by deterministic names), long caching. */
function staticBehaviors(g: Stack, s: EdgeSettings): { [pattern: string]: cloudfront.BehaviorOptions } {
  const oac = new cloudfront.S3OriginAccessControl(g, 'StaticOac', { signing: cloudfront.Signing.SIGV4_ALWAYS });
  const { readTimeout, ...connection } = staticOriginTimeouts(s);
  const origin = (role: string, region: string, bucketName: string) => new TimedS3BucketOrigin(
    s3.Bucket.fromBucketAttributes(g, `${role.charAt(0).toUpperCase()}${role.slice(1)}StaticBucket`, { bucketName, region, account: s.account }), {
      originId: `static-${role}`,
      originAccessControlId: oac.originAccessControlId,
      ...connection,
    }, readTimeout);
  const primary = origin('primary', s.primaryRegion, s.primaryBucketName);
  const target: cloudfront.IOrigin = s.drRegion
    ? new origins.OriginGroup({ primaryOrigin: primary, fallbackOrigin: origin('dr', s.drRegion, s.drBucketName!), fallbackStatusCodes: s.staticCodes })
    : primary;
  const behaviors: { [pattern: string]: cloudfront.BehaviorOptions } = {};
  for (const pattern of s.staticPatterns) {
    behaviors[pattern] = {
      origin: target,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
    };
  }
  return behaviors;
}

function activeOriginStore(g: Stack, s: EdgeSettings): cloudfront.KeyValueStore {
  return new cloudfront.KeyValueStore(g, 'ActiveOrigin', {
    comment: `GlobalSsrSite ${s.siteName}: active SSR origin`,
    source: cloudfront.ImportSource.fromInline(JSON.stringify({
      data: [{ key: SITE_IDS.activeOriginKey, value: ACTIVE_ORIGIN_PRIMARY }],
    })),
  });
}

function edgeRouter(g: Stack, s: EdgeSettings, kvs?: cloudfront.KeyValueStore): cloudfront.Function {
  return new cloudfront.Function(g, 'EdgeRouter', {
    // Named from siteName: aws-cdk-lib's default name comes from the construct path, and a new name replaces the function.
    functionName: `${s.siteName}-edge-router`,
    comment: `GlobalSsrSite ${s.siteName}: SSR origin failover`,
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    keyValueStore: kvs,
    code: cloudfront.FunctionCode.fromInline(renderEdgeFunctionCode({
      primaryOriginId: SITE_IDS.primarySsrOrigin,
      drOriginId: SITE_IDS.drSsrOrigin,
      failoverStatusCodes: s.ssrCodes,
      keyValueStoreId: kvs?.keyValueStoreId,
      activeOriginKey: SITE_IDS.activeOriginKey,
      primaryProbePath: SITE_IDS.primaryProbePath,
      drProbePath: SITE_IDS.drProbePath,
      healthCheckPath: s.healthCheckPath,
    })),
  });
}

/**
 * The origin-request Lambda@Edge function that adds `x-amz-content-sha256` (see `SsrWriteSigning`). Lambda@Edge
 * functions must live in us-east-1 (this stack's region) and be referenced by a numbered version.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html
 */
function bodyHash(g: Stack, s: EdgeSettings): lambda.Function {
  const fn = new BodyHashFunction(g, 'BodyHash', {
    description: `GlobalSsrSite ${s.siteName}: adds x-amz-content-sha256 to requests with a body (origin request)`,
    memorySize: 128,
    timeout: Duration.seconds(5),
  });
  NagSuppressions.addResourceSuppressions(fn.role!, [
    { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only lets the body-hash edge function write its own logs (in the regions where it runs).', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
  ]);
  NagSuppressions.addResourceSuppressions(fn, [
    { id: 'AwsSolutions-L1', reason: 'This library bundles its handlers for Node.js 22, a runtime Lambda@Edge supports.' },
  ]);
  return fn;
}

function accessLogBucket(g: Stack, removalPolicy: RemovalPolicy): s3.Bucket {
  const bucket = new s3.Bucket(g, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy,
    autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
  });
  NagSuppressions.addResourceSuppressions(bucket, [
    { id: 'AwsSolutions-S1', reason: 'This bucket receives the CloudFront access logs; logging it into itself would loop.' },
  ]);
  return bucket;
}

function suppressDistribution(distribution: cloudfront.Distribution, logging: boolean): void {
  const suppressions = [
    { id: 'AwsSolutions-CFR1', reason: 'A global site: geo restrictions are the owner\'s business decision, not a default this construct can make.' },
    { id: 'AwsSolutions-CFR2', reason: 'A WAF web ACL is optional (`webAclArn`): the construct cannot choose rules for the application.' },
  ];
  if (!logging) {
    suppressions.push({ id: 'AwsSolutions-CFR3', reason: 'Access logging is opt-in (`logging: true`): it costs storage and keeps viewer IP addresses.' });
  }
  NagSuppressions.addResourceSuppressions(distribution, suppressions);
}
