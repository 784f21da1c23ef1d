import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { IConstruct } from 'constructs';
import { EdgeSettings } from './distribution';
import { validateHttpOrigins } from './http-origins';
import { SsrWriteSigning } from './props';
import { resolveEdgeOptions, SSR_DEFAULT_TIMEOUT, staticBucketName, validateCertificateArn, validateDomain } from './settings';
import type { SsrEdgeStackProps } from './ssr-edge-stack';
import { SiteBlockEnv } from './stack-env';
import { MultiRegionFailoverError } from '../core/errors';
import { validateHostedZoneId } from '../core/zones';

/**
 * Validates an `SsrEdgeStack`'s props (the same rules and messages as `GlobalSsrSite`) and applies the defaults.
 * `env` is the stack's, checked: the static buckets' names include its account.
 * @internal
 */
export function resolveEdgeSettings(scope: IConstruct, props: SsrEdgeStackProps, env: SiteBlockEnv): EdgeSettings {
  const { account, primaryRegion, drRegion } = env;
  if (props.writeFailover && !drRegion) {
    throw new MultiRegionFailoverError('`writeFailover` needs a `drRegion` to fail over to, got: no drRegion');
  }
  const domainName = validateDomain(props.domainName, props.zoneName);
  validateHostedZoneId(scope, props.hostedZoneId, { property: 'hostedZoneId', zoneName: props.zoneName });
  validateCertificateArn(props.certificateArn);
  const edge = resolveEdgeOptions(props, {
    readTimeout: props.readTimeout ?? SSR_DEFAULT_TIMEOUT,
    readTimeoutFromSsrTimeout: false,
    staticPatterns: props.staticPathPatterns,
    staticPatternsProperty: 'staticPathPatterns',
    refresh: props.crossRegionRefresh,
  });
  if (props.httpOrigins) {
    validateHttpOrigins(props.httpOrigins, drRegion, props.writeSigning, edge.ssrCodes);
  }
  return {
    siteName: props.siteName,
    account,
    domainName,
    primaryRegion,
    drRegion,
    writeFailover: drRegion !== undefined && (props.writeFailover ?? true),
    writeSigning: props.writeSigning ?? SsrWriteSigning.EDGE_BODY_HASH,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    ...edge,
    primaryBucketName: staticBucketName(props.siteName, account, primaryRegion),
    drBucketName: drRegion ? staticBucketName(props.siteName, account, drRegion) : undefined,
    hostedZoneId: props.hostedZoneId,
    zoneName: props.zoneName,
    certificateArn: props.certificateArn,
    logging: props.logging ?? false,
    priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
    webAclArn: props.webAclArn,
    httpOrigins: props.httpOrigins,
  };
}
