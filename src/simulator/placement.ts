import { ResolvedText, ResourceNode } from './graph';

/** Where an endpoint runs. @internal */
export interface Placement {
  /** The region, `global` for global services (CloudFront, Route 53), or undefined when unknown. */
  readonly region?: string;
  /** How it was placed: `host` (an AWS host name that carries its region), `reference`, `option`, or `unknown`. */
  readonly how: string;
}

const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d';

/**
 * AWS host names that carry their region (regional endpoints of API Gateway, ELB, Lambda function URLs, S3, RDS,
 * ElastiCache…): `<x>.<region>.amazonaws.com`, `<x>.execute-api.<region>.amazonaws.com`,
 * `<x>.lambda-url.<region>.on.aws`, `s3.<region>`, `s3-website-<region>`, `s3-website.<region>`.
 * @see https://docs.aws.amazon.com/general/latest/gr/rande.html
 */
const REGIONAL_HOSTS = [
  new RegExp(`\\.(?:execute-api|lambda-url|s3|s3-website|elb|rds|cache|dualstack)[.-](${REGION})\\.`),
  new RegExp(`\\.(${REGION})\\.(?:elb|rds|cache|es|amazonaws)\\.`),
  new RegExp(`(?:^|[./])(${REGION})\\.(?:amazonaws\\.com|on\\.aws)`),
];

/** Global AWS services: CloudFront distributions and Route 53 names. */
const GLOBAL_HOSTS = [/\.cloudfront\.net\.?$/, /\.awsglobalaccelerator\.com\.?$/];

/** Resources that only carry a value across regions (weak references); they do not place an endpoint. */
const CARRIERS = new Set(['AWS::SSM::Parameter', 'Custom::AWS', 'AWS::CloudFormation::CustomResource']);

/**
 * The region of the endpoint `host` (a host name or URL, resolved): from the host name itself, else from the
 * regional stacks of the resources it was built from, else from `endpointRegions`.
 * @internal
 */
export function placeEndpoint(host: ResolvedText, endpointRegions: { [host: string]: string } = {}): Placement {
  const name = hostOf(host.text);
  for (const re of REGIONAL_HOSTS) {
    const m = re.exec(name);
    if (m) return { region: m[1], how: 'host' };
  }
  if (GLOBAL_HOSTS.some((re) => re.test(name))) return { region: 'global', how: 'host' };
  const regions = new Set(host.refs.filter((r: ResourceNode) => !CARRIERS.has(r.type) && r.stack.region).map((r) => r.stack.region!));
  if (regions.size === 1) return { region: [...regions][0], how: 'reference' };
  const given = endpointRegions[name] ?? endpointRegions[name.replace(/\.$/, '')];
  if (given) return { region: given, how: 'option' };
  return { how: 'unknown' };
}

/** The host of a URL or host name, lower case, without a trailing dot. @internal */
export function hostOf(text: string): string {
  const m = /^[a-z]+:\/\/([^/:]+)/i.exec(text);
  return (m ? m[1] : text.split('/')[0]).toLowerCase().replace(/\.$/, '');
}
