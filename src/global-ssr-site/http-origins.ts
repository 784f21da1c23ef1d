import { Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { OriginTimeouts } from './distribution';
import { SsrHttpOrigins, SsrWriteSigning } from './props';
import { MultiRegionFailoverError } from '../core/errors';

/** A host name: labels of letters, digits and hyphens (no scheme, port or path). */
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Checks `httpOrigins` against the edge's regions and options. Origin access control and the body hash are for function
 * URLs (`writeSigning` must stay unset), and a 403 must not fail over: with an origin-verify header, an origin answers
 * 403 when the header is missing or wrong, and failing over would hide that misconfiguration.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 * @internal
 */
export function validateHttpOrigins(
  o: SsrHttpOrigins, drRegion: string | undefined, writeSigning: SsrWriteSigning | undefined, ssrCodes: number[],
): void {
  if (drRegion !== undefined && o.drDomainName === undefined) {
    throw new MultiRegionFailoverError('`httpOrigins.drDomainName` is required with a `drRegion`, got: undefined');
  }
  if (drRegion === undefined && o.drDomainName !== undefined) {
    throw new MultiRegionFailoverError(`\`httpOrigins.drDomainName\` applies only with a \`drRegion\`, got: ${o.drDomainName}`);
  }
  for (const [property, host] of [['primaryDomainName', o.primaryDomainName], ['drDomainName', o.drDomainName]]) {
    if (host !== undefined && !Token.isUnresolved(host) && !HOST.test(host)) {
      throw new MultiRegionFailoverError(`\`httpOrigins.${property}\` must be a host name (no scheme, port or path), got: ${host}`);
    }
  }
  for (const [name, value] of Object.entries(o.customHeaders ?? {})) {
    if (value === '') {
      throw new MultiRegionFailoverError(`\`httpOrigins.customHeaders\` values must not be empty, got: an empty value for ${name}`);
    }
  }
  if (writeSigning !== undefined) {
    throw new MultiRegionFailoverError(`\`writeSigning\` applies to function URL origins only (it signs request bodies for origin access control), got: ${writeSigning} with \`httpOrigins\``);
  }
  if (ssrCodes.includes(403)) {
    throw new MultiRegionFailoverError('`ssrFailoverStatusCodes` must not hold 403 with `httpOrigins`: an origin answers 403 to a missing or wrong origin-verify header, '
      + `which failover would hide, got: ${ssrCodes.join(', ')}`);
  }
}

/**
 * One HTTPS origin of `httpOrigins`: HTTPS only with TLS 1.2 (CloudFront checks that the origin's certificate covers
 * the host name), the custom headers on every request, the site's timeouts, no origin access control.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html
 * @internal
 */
export function httpOrigin(host: string, originId: string, o: SsrHttpOrigins, timeouts: OriginTimeouts): cloudfront.IOrigin {
  return new origins.HttpOrigin(host, {
    originId,
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    customHeaders: o.customHeaders,
    ...timeouts,
  });
}
