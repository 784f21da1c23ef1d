import { Stack, StackProps } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { GlobalSsrSiteProps } from './props';
import { SiteSettings } from './settings';
import type { SsrEdgeStackProps } from './ssr-edge-stack';
import type { SsrOriginStackProps } from './ssr-origin-stack';
import type { SsrRegionStackProps } from './ssr-region-stack';
import { routeAlarms, validateAlarmTopicArns } from '../core/alarm-topics';
import { regionalStackName } from '../core/naming';
import { addError, claimRecordName, validateDnsName, validateKnownRegions } from '../core/validation';

/** The stacks of a site, in deployment order. @internal */
export interface SiteStacks {
  readonly dr?: Stack;
  readonly primary: Stack;
  readonly global: Stack;
  readonly drOrigin?: Stack;
  readonly primaryOrigin: Stack;
}

/** Every stack that exists, in deployment order. @internal */
export function allStacks(stacks: SiteStacks): Stack[] {
  return [stacks.dr, stacks.primary, stacks.global, stacks.drOrigin, stacks.primaryOrigin].filter((x): x is Stack => x !== undefined);
}

/**
 * A site stack's environment and name, `<prefix>-<role>-<region>` (roles `site`, `site-global`, `site-origin`): the
 * names come from `stackNamePrefix` (default: from the domain name), never from the construct path, so moving the site
 * into a Stage or renaming its id keeps every stack, and with it every physical name CDK derives from the stack name.
 */
function siteStack(s: SiteSettings, role: string, region: string, description: string): StackProps {
  return {
    env: { account: s.account, region },
    stackName: regionalStackName(s.stackNamePrefix, role, region),
    description: `GlobalSsrSite ${s.siteName}: ${description}`,
  };
}

/** The props of the site's `SsrRegionStack` in `region` (`Primary` or `Dr`). @internal */
export function regionStackProps(s: SiteSettings, props: GlobalSsrSiteProps, region: string): SsrRegionStackProps {
  const primary = region === s.primaryRegion;
  return {
    ...siteStack(s, 'site', region, primary ? 'primary region SSR function and global table' : 'DR region SSR function'),
    siteName: s.siteName,
    primaryRegion: s.primaryRegion,
    drRegion: s.drRegion,
    ssr: { ...props.ssr, memorySize: s.memorySize, timeout: s.timeout },
    healthCheckPath: s.healthCheckPath,
    removalPolicy: s.removalPolicy,
  };
}

/** The props of the site's `SsrEdgeStack` (`Global`, us-east-1). @internal */
export function edgeStackProps(s: SiteSettings, props: GlobalSsrSiteProps): SsrEdgeStackProps {
  return {
    ...siteStack(s, 'site-global', 'us-east-1', 'CloudFront, certificate, DNS, edge functions, write-failover alarm'),
    siteName: s.siteName,
    domainName: s.domainName,
    hostedZoneId: props.hostedZoneId,
    zoneName: props.zoneName,
    certificateArn: props.certificateArn,
    primaryRegion: s.primaryRegion,
    drRegion: s.drRegion,
    writeFailover: s.writeFailover,
    writeSigning: s.writeSigning,
    connectionAttempts: s.connectionAttempts,
    connectionTimeout: s.connectionTimeout,
    readTimeout: s.readTimeout,
    ssrFailoverStatusCodes: s.ssrCodes,
    staticFailoverStatusCodes: s.staticCodes,
    staticPathPatterns: s.staticPatterns,
    healthCheckPath: s.healthCheckPath,
    healthCheckInterval: s.interval,
    healthCheckFailureThreshold: s.threshold,
    webAclArn: props.webAclArn,
    logging: props.logging,
    priceClass: props.priceClass,
    removalPolicy: s.removalPolicy,
    crossRegionRefresh: s.refresh,
  };
}

/** The props of the site's `SsrOriginStack` in `region` (`PrimaryOrigin` or `DrOrigin`). @internal */
export function originStackProps(s: SiteSettings, props: GlobalSsrSiteProps, region: string): SsrOriginStackProps {
  const primary = region === s.primaryRegion;
  return {
    ...siteStack(s, 'site-origin', region, primary
      ? 'primary static bucket, grants to the distribution'
      : 'DR static bucket, grants to the distribution, write-failover reconciler'),
    siteName: s.siteName,
    primaryRegion: s.primaryRegion,
    drRegion: s.drRegion,
    replicationTimeControl: primary ? props.replicationTimeControl : undefined,
    staticAssetsPath: primary ? props.staticAssets?.sourcePath : undefined,
    immutablePaths: s.immutablePaths,
    writeFailoverReconciler: !primary && s.writeFailover,
    domainName: s.domainName,
    removalPolicy: s.removalPolicy,
    crossRegionRefresh: s.refresh,
  };
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
