import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { GlobalSsrSiteProps } from './props';
import { SiteSettings } from './settings';
import { routeAlarms, validateAlarmTopicArns } from '../core/alarm-topics';
import { regionalStackName } from '../core/naming';
import { addError, claimRecordName, claimStackNames, validateDnsName, validateKnownRegions } from '../core/validation';

/** The stacks of a site, in deployment order. @internal */
export interface SiteStacks {
  readonly dr?: Stack;
  readonly primary: Stack;
  readonly global: Stack;
  readonly drOrigin?: Stack;
  readonly primaryOrigin: Stack;
}

/**
 * The site's stacks, named `<prefix>-<role>-<region>` (roles `site`, `site-global`, `site-origin`): the names come
 * from `stackNamePrefix` (default: from the domain name), never from the construct path, so moving the site into a
 * Stage or renaming its id keeps every stack, and with it every physical name CDK derives from the stack name.
 * @internal
 */
export function createStacks(site: Construct, s: SiteSettings): SiteStacks {
  const stack = (id: string, role: string, region: string, description: string) => new Stack(site, id, {
    env: { account: s.account, region },
    stackName: regionalStackName(s.stackNamePrefix, role, region),
    description: `GlobalSsrSite ${s.siteName}: ${description}`,
  });
  const stacks: SiteStacks = {
    dr: s.drRegion ? stack('Dr', 'site', s.drRegion, 'DR region SSR function') : undefined,
    primary: stack('Primary', 'site', s.primaryRegion, 'primary region SSR function and global table'),
    global: stack('Global', 'site-global', 'us-east-1', 'CloudFront, certificate, DNS, edge functions, write-failover alarm'),
    drOrigin: s.drRegion ? stack('DrOrigin', 'site-origin', s.drRegion, 'DR static bucket, grants to the distribution, write-failover reconciler') : undefined,
    primaryOrigin: stack('PrimaryOrigin', 'site-origin', s.primaryRegion, 'primary static bucket, grants to the distribution'),
  };
  claimStackNames(site, allStacks(stacks));
  return stacks;
}

/** Every stack that exists, in deployment order. @internal */
export function allStacks(stacks: SiteStacks): Stack[] {
  return [stacks.dr, stacks.primary, stacks.global, stacks.drOrigin, stacks.primaryOrigin].filter((x): x is Stack => x !== undefined);
}

/**
 * Checks that fail the deployment if they pass synthesis, collected so that one synth shows all: regions AWS has
 * (of one partition), a domain name that is a host name (ACM issues certificates and CloudFront serves alternate
 * domain names for host names only), and no other construct of the app claiming the same record.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html
 * @internal
 */
export function validateSite(site: Construct, s: SiteSettings, props: GlobalSsrSiteProps): void {
  validateKnownRegions(site, [s.primaryRegion], 'primaryRegion');
  if (s.drRegion) {
    validateKnownRegions(site, [s.drRegion], 'drRegion');
    const partitions = [s.primaryRegion, s.drRegion].map((r) => RegionInfo.regions.find((i) => i.name === r)?.partition);
    if (partitions[0] && partitions[1] && partitions[0] !== partitions[1]) {
      addError(site, `\`drRegion\` must be in the partition of \`primaryRegion\` (${partitions[0]}): an account exists in one partition, got: ${s.drRegion} (${partitions[1]})`);
    }
  }
  validateDnsName(site, s.domainName, { property: 'domainName', reason: 'it gets an ACM certificate and is a CloudFront alternate domain name' });
  claimRecordName(site, props.hostedZoneId, s.domainName, 'domainName');
}

/**
 * Sends every alarm of each stack to the `alarmTopicArns` topic of the stack's region, on ALARM and on OK (a
 * CloudWatch alarm notifies topics of its own region only).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 * @internal
 */
export function routeSiteAlarms(site: Construct, s: SiteSettings, stacks: SiteStacks, arns: { [region: string]: string } | undefined): void {
  const regions = [...new Set([s.primaryRegion, ...(s.drRegion ? [s.drRegion] : []), 'us-east-1'])];
  validateAlarmTopicArns(site, arns, regions, s.account);
  for (const stack of allStacks(stacks)) {
    routeAlarms(stack, arns?.[stack.region], { okActions: true });
  }
}

/**
 * `CfnOutput`s a user needs after deploy (no `exportName`: no stack may depend on another through an export).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
 * @internal
 */
export function addSiteOutputs(
  s: SiteSettings, stacks: SiteStacks, distribution: cloudfront.IDistribution, buckets: { primary: s3.IBucket; dr?: s3.IBucket },
): void {
  new CfnOutput(stacks.global, 'SiteUrl', { value: `https://${s.domainName}`, description: `GlobalSsrSite ${s.siteName}: the site URL` });
  new CfnOutput(stacks.global, 'DistributionDomainName', { value: distribution.distributionDomainName, description: `GlobalSsrSite ${s.siteName}: the CloudFront domain name (the alias records' target)` });
  new CfnOutput(stacks.global, 'DistributionId', { value: distribution.distributionId, description: `GlobalSsrSite ${s.siteName}: the distribution id (invalidations, metrics)` });
  new CfnOutput(stacks.primaryOrigin, 'StaticBucketName', { value: buckets.primary.bucketName, description: `GlobalSsrSite ${s.siteName}: the primary static bucket (upload here; S3 replicates to DR)` });
  if (stacks.drOrigin && buckets.dr) {
    new CfnOutput(stacks.drOrigin, 'StaticBucketName', { value: buckets.dr.bucketName, description: `GlobalSsrSite ${s.siteName}: the DR static bucket (replication destination)` });
  }
}
