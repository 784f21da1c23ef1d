import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SiteSettings } from './settings';
import { suppressSingletons } from './singletons';
import { NagSuppressions } from '../core/nag';

const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const MUTABLE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const CLOUDFRONT = 'cloudfront.amazonaws.com';

/** Parameter name (us-east-1) of this site's distribution ARN, written by the global stack. @internal */
export function distributionArnParameterName(siteName: string): string {
  return `/${siteName}/distribution-arn`;
}

/**
 * Reads an SSM parameter in `region` at deploy time, from a stack in any region: a weak reference (no
 * CloudFormation export), so the writing stack can change or replace it freely. CloudFormation sends the reader an
 * Update, and so a new read, only when its properties change
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html): `refresh`
 * (`crossRegionRefresh`) is appended to the physical id to force one; without it the template is the same as ever.
 * The new physical id makes CloudFormation send a Delete for the old one, which the reader ignores (no `onDelete`).
 * @internal
 */
export function readParameter(scope: Construct, id: string, name: string, region: string, refresh?: string): string {
  const stack = Stack.of(scope);
  const reader = new cr.AwsCustomResource(scope, id, {
    onUpdate: {
      service: 'SSM',
      action: 'GetParameter',
      parameters: { Name: name },
      region,
      physicalResourceId: cr.PhysicalResourceId.of(`${region}:${name}${refresh ? `@${refresh}` : ''}`),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
      resources: [`arn:${stack.partition}:ssm:${region}:${stack.account}:parameter${name}`],
    }),
    installLatestAwsSdk: false,
  });
  return reader.getResponseField('Parameter.Value');
}

/** `readParameter` of a parameter the us-east-1 (global) stack wrote. @internal */
export function readGlobalParameter(scope: Construct, id: string, name: string, s: Pick<SiteSettings, 'refresh'>): string {
  return readParameter(scope, id, name, 'us-east-1', s.refresh);
}

/** The settings an origin stack's bucket and grants read. @internal */
export type OriginSettings = Pick<SiteSettings, 'siteName' | 'account' | 'functionName' | 'removalPolicy' | 'refresh'>;
/** The settings the replication reads. @internal */
export type ReplicationSettings = Pick<SiteSettings, 'siteName' | 'primaryRegion' | 'drRegion' | 'drBucketName'>;

/** What an origin stack holds. @internal */
export interface OriginParts {
  readonly bucket: s3.Bucket;
  readonly distributionArn: string;
}

/**
 * The parts of a region that need this site's distribution ARN, in a stack that deploys after the us-east-1 stack:
 * the static bucket (its policy lets only this distribution read it through OAC) and the SSR function's invoke
 * permissions (only this distribution, through its function URL). Dependencies still point one way:
 * origin stack → global stack → regional stack.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 * @internal
 */
export function buildOriginStack(stack: Stack, s: OriginSettings, bucketName: string, functionGrants = true): OriginParts {
  const scope = new Construct(stack, 'Site');
  const distributionArn = readGlobalParameter(scope, 'ReadDistributionArn', distributionArnParameterName(s.siteName), s);
  if (functionGrants) {
    grantInvokeToDistribution(scope, s, distributionArn);
  }
  const bucket = staticBucket(scope, s, bucketName, distributionArn);
  suppressSingletons(stack);
  return { bucket, distributionArn };
}

/**
 * Since October 2025 a function URL behind OAC needs both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`
 * (the latter limited to calls through the function URL); both are scoped to this site's distribution.
 * The function is named deterministically, so no reference to the regional stack is needed.
 */
function grantInvokeToDistribution(scope: Construct, s: OriginSettings, distributionArn: string): void {
  new lambda.CfnPermission(scope, 'CloudFrontInvokeFunctionUrl', {
    action: 'lambda:InvokeFunctionUrl',
    functionName: s.functionName,
    principal: CLOUDFRONT,
    sourceArn: distributionArn,
    sourceAccount: s.account,
    functionUrlAuthType: 'AWS_IAM',
  });
  new lambda.CfnPermission(scope, 'CloudFrontInvokeFunction', {
    action: 'lambda:InvokeFunction',
    functionName: s.functionName,
    principal: CLOUDFRONT,
    sourceArn: distributionArn,
    sourceAccount: s.account,
    invokedViaFunctionUrl: true,
  });
}

function staticBucket(scope: Construct, s: OriginSettings, bucketName: string, distributionArn: string): s3.Bucket {
  const destroy = s.removalPolicy === RemovalPolicy.DESTROY;
  const accessLogs = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy: s.removalPolicy,
    autoDeleteObjects: destroy,
  });
  // No AwsSolutions-S1 suppression needed: cdk-nag does not flag a bucket that receives server access logs.
  const bucket = new s3.Bucket(scope, 'Static', {
    bucketName,
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'static/',
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy: s.removalPolicy,
    autoDeleteObjects: destroy,
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudFrontOACReadForThisDistribution',
    principals: [new iam.ServicePrincipal(CLOUDFRONT)],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { StringEquals: { 'AWS:SourceArn': distributionArn } },
  }));
  return bucket;
}

/** S3 replication of the primary bucket into the DR bucket (by its deterministic name). @internal */
export function addReplication(primaryBucket: s3.Bucket, s: ReplicationSettings, rtc: boolean): void {
  const stack = Stack.of(primaryBucket);
  const destinationArn = `arn:${stack.partition}:s3:::${s.drBucketName}`;
  const role = new iam.Role(primaryBucket, 'ReplicationRole', {
    assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
    description: `GlobalSsrSite ${s.siteName}: S3 replication from ${s.primaryRegion} to ${s.drRegion}`,
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
  NagSuppressions.addResourceSuppressions(role.node.findChild('DefaultPolicy'), [
    {
      id: 'AwsSolutions-IAM5',
      reason: 'S3 replication must read every object version of the primary static bucket and write any key of the DR static bucket; the role is limited to those two buckets.',
      appliesTo: [{ regex: '/^Resource::<SiteStatic[0-9A-F]{8}\\.Arn>\\/\\*$/' }, `Resource::arn:<AWS::Partition>:s3:::${s.drBucketName}/*`],
    },
  ]);
}

/** Uploads `sourcePath` into the primary bucket: content-hashed paths immutable, the rest revalidated. @internal */
export function deployAssets(bucket: s3.IBucket, sourcePath: string, immutablePaths: string[]): void {
  const stack = Stack.of(bucket);
  const scope = new Construct(stack, 'StaticAssets');
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
  suppressSingletons(stack);
}
