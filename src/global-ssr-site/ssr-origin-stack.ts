import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addReplication, buildOriginStack, deployAssets } from './origin-stack';
import { DEFAULT_IMMUTABLE_PATHS, ssrFunctionName, staticBucketName, validateRefresh } from './settings';
import { siteBlockEnv } from './stack-env';
import { buildReconciler } from './write-failover';
import { MultiRegionFailoverError } from '../core/errors';

/** Properties of an `SsrOriginStack`. */
export interface SsrOriginStackProps extends StackProps {
  /**
   * Prefix of the deterministic names: the bucket `<siteName>-<account>-<region>`, the SSR function `<siteName>-ssr`
   * (granted to the distribution) and the SSM parameters `/<siteName>/…` written by the `SsrEdgeStack`.
   */
  readonly siteName: string;
  /**
   * The site's primary region. The stack whose region (`env.region`) is this one is the primary: with `drRegion` its
   * bucket replicates into the DR region's bucket.
   */
  readonly primaryRegion: string;
  /**
   * The DR region: the replication destination of the primary bucket (the DR region's `SsrOriginStack` must deploy
   * first).
   * @default - no replication
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
   */
  readonly drRegion?: string;
  /**
   * S3 Replication Time Control on the primary → DR rule.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
   */
  readonly replicationTimeControl?: boolean;
  /**
   * A local folder uploaded to this stack's bucket at deploy time (`BucketDeployment`).
   * @default - nothing is uploaded
   */
  readonly staticAssetsPath?: string;
  /**
   * Globs (relative to `staticAssetsPath`) uploaded with `Cache-Control: public, max-age=31536000, immutable`; the
   * rest get `public, max-age=0, must-revalidate`.
   * @default ['_next/static/*', 'assets/*']
   */
  readonly immutablePaths?: string[];
  /**
   * The write-failover reconciler (DR region only): every minute it sets the active-origin flag from the primary
   * health alarm in us-east-1, or from its own probes of the primary through CloudFront when the alarm cannot be read.
   * Needs `domainName` and an `SsrEdgeStack` with write failover.
   * @default false
   * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
   */
  readonly writeFailoverReconciler?: boolean;
  /**
   * The site's domain name: the reconciler probes the origins through it.
   * @default - none; required with `writeFailoverReconciler`
   */
  readonly domainName?: string;
  /**
   * What happens to the buckets when the stack is deleted. `DESTROY` also empties them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Change it to read the distribution and KeyValueStore ARNs (SSM, us-east-1) again at the next deployment.
   * @default - each value is read when its reader is created
   */
  readonly crossRegionRefresh?: string;
  /**
   * Let the distribution invoke this region's SSR function URL (`<siteName>-ssr`, two Lambda permissions). Set it to
   * false when the `SsrEdgeStack` serves `httpOrigins` (load balancers): there is no SSR function to grant, and Lambda
   * refuses a permission on a function that does not exist.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
   */
  readonly ssrFunctionGrants?: boolean;
}

/**
 * The parts of one region of a `GlobalSsrSite` that name the distribution, deployed after the `SsrEdgeStack`: the
 * static bucket (versioned, encrypted, access-logged) whose policy lets only that distribution read it through origin
 * access control, the two permissions that let only that distribution invoke the region's SSR function URL, and as
 * configured S3 replication to the DR bucket, the static-asset upload and the write-failover reconciler. The
 * distribution's ARN is read from SSM in us-east-1 at deploy time, so no CloudFormation export ties the stacks.
 *
 * Needs a concrete `env` (account and region): the bucket's name includes both.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 */
export class SsrOriginStack extends Stack {
  /** `primary` (the stack's region is `primaryRegion`) or `dr`. */
  public readonly role: string;
  /** The static bucket. */
  public readonly bucket: s3.Bucket;
  /** The static bucket's name (`<siteName>-<account>-<region>`). */
  public readonly bucketName: string;
  /** The reconciler function (`writeFailoverReconciler` only). */
  public readonly reconcilerFunction?: lambda.Function;
  /** Alarm on the reconciler's errors, 3 minutes in a row (`writeFailoverReconciler` only). */
  public readonly reconcilerErrorAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SsrOriginStackProps) {
    super(scope, id, props);
    const { account, region, primaryRegion, drRegion, role } = siteBlockEnv(this, 'SsrOriginStack', props);
    validateRefresh(props.crossRegionRefresh);
    this.role = role;
    if (props.writeFailoverReconciler && this.role === 'primary') {
      throw new MultiRegionFailoverError(`\`writeFailoverReconciler\` must be false in the primary region (the reconciler runs in the DR region), got: true in ${region}`);
    }
    if (props.writeFailoverReconciler && props.domainName === undefined) {
      throw new MultiRegionFailoverError('`domainName` is required with `writeFailoverReconciler` (the reconciler probes the origins through it), got: undefined');
    }
    this.bucketName = staticBucketName(props.siteName, account, region);
    const s = {
      siteName: props.siteName,
      account,
      domainName: props.domainName ?? '',
      functionName: ssrFunctionName(props.siteName),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      refresh: props.crossRegionRefresh,
      primaryRegion,
      drRegion,
      drBucketName: drRegion ? staticBucketName(props.siteName, account, drRegion) : undefined,
    };
    if (props.writeFailoverReconciler) {
      const reconciler = buildReconciler(this, s);
      this.reconcilerFunction = reconciler.fn;
      this.reconcilerErrorAlarm = reconciler.errorAlarm;
    }
    this.bucket = buildOriginStack(this, s, this.bucketName, props.ssrFunctionGrants ?? true).bucket;
    if (this.role === 'primary' && drRegion) {
      addReplication(this.bucket, s, props.replicationTimeControl ?? false);
    }
    if (props.staticAssetsPath) {
      deployAssets(this.bucket, props.staticAssetsPath, props.immutablePaths ?? DEFAULT_IMMUTABLE_PATHS);
    }
    new CfnOutput(this, 'StaticBucketName', {
      value: this.bucket.bucketName,
      description: this.role === 'primary'
        ? `GlobalSsrSite ${props.siteName}: the primary static bucket (upload here; S3 replicates to DR)`
        : `GlobalSsrSite ${props.siteName}: the DR static bucket (replication destination)`,
    });
  }
}
