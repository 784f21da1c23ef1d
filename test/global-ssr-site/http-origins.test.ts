import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { GlobalSsrSite, SsrEdgeStack, SsrEdgeStackProps, SsrHttpOrigins, SsrOriginStack, SsrWriteSigning } from '../../src/global-ssr-site';
import { RegionalService, RegionalServiceProps } from '../../src/regional-service';
import { nagErrors } from '../util/nag';

const ACCOUNT = '111111111111';
const REF = '{{resolve:secretsmanager:web/origin-verify:SecretString:::}}';
const ORIGINS: SsrHttpOrigins = {
  primaryDomainName: 'us-east-1.app.example.com',
  drDomainName: 'us-west-2.app.example.com',
  customHeaders: { 'X-Origin-Verify': REF },
};

function edge(overrides: Partial<SsrEdgeStackProps> = {}): SsrEdgeStack {
  return new SsrEdgeStack(new App(), 'Edge', {
    env: { account: ACCOUNT, region: 'us-east-1' },
    siteName: 'web',
    domainName: 'www.example.com',
    hostedZoneId: 'Z0123456789ABC',
    zoneName: 'example.com',
    primaryRegion: 'us-east-1',
    drRegion: 'us-west-2',
    healthCheckPath: '/healthz',
    httpOrigins: ORIGINS,
    ...overrides,
  });
}

function config(stack: Stack): any {
  return (Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'))[0] as any).Properties.DistributionConfig;
}

describe('SsrEdgeStack with httpOrigins (regional ALBs or any HTTPS origin)', () => {
  let stack: SsrEdgeStack;
  let nag: string[];
  let c: any;
  beforeAll(() => {
    stack = edge({ connectionAttempts: 2, readTimeout: Duration.seconds(20) });
    nag = nagErrors(stack);
    c = config(stack);
  });

  test('cdk-nag clean', () => {
    expect(nag).toEqual([]);
  });

  test('each region\'s origin: its domain name, HTTPS only, TLS 1.2, the secret header as a dynamic reference, the timeouts', () => {
    const byId = (id: string) => c.Origins.find((o: any) => o.Id === id);
    for (const [id, domain] of [['ssr-primary', 'us-east-1.app.example.com'], ['ssr-dr', 'us-west-2.app.example.com']]) {
      const o = byId(id);
      expect(o.DomainName).toBe(domain);
      expect(o.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 20 });
      expect(o.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: REF }]);
      expect([o.ConnectionAttempts, o.ConnectionTimeout]).toEqual([2, 2]);
      expect(o.OriginAccessControlId).toBeUndefined();
    }
  });

  test('no function-URL OAC, no body-hash Lambda@Edge, no SSM read of function URL hosts', () => {
    const t = Template.fromStack(stack);
    expect(Object.values(t.findResources('AWS::CloudFront::OriginAccessControl')).map((r: any) => r.Properties.OriginAccessControlConfig.OriginAccessControlOriginType)).toEqual(['s3']);
    expect(c.DefaultCacheBehavior.LambdaFunctionAssociations).toBeUndefined();
    expect(stack.bodyHashFunction).toBeUndefined();
    expect(JSON.stringify(t.toJSON())).not.toContain('ssr-origin-host');
  });

  test('the edge router fails over per request on 500, 502, 503, 504 (not 403: a 403 means a wrong header)', () => {
    const code = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::Function'))[0] as any;
    const text = JSON.stringify(code.Properties.FunctionCode);
    expect(text).toContain('[500,502,503,504]');
    expect(text).toContain('ssr-primary');
    expect(text).toContain('/healthz');
  });

  test('write failover: flag, health checks through the probe paths (CloudFront adds the header), flip function', () => {
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { ResourcePath: GlobalSsrSite.PRIMARY_PROBE_PATH, Type: 'HTTPS' } });
    t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { ResourcePath: GlobalSsrSite.DR_PROBE_PATH, Type: 'HTTPS' } });
    expect(stack.writeFailoverFunction).toBeDefined();
    const probes = c.CacheBehaviors.filter((b: any) => b.PathPattern.startsWith('/__global-ssr/'));
    expect(probes.map((b: any) => b.TargetOriginId).sort()).toEqual(['ssr-dr', 'ssr-primary']);
  });
});

describe('httpOrigins validation', () => {
  test.each<[string, Partial<SsrEdgeStackProps>, string]>([
    ['DR origin missing', { httpOrigins: { primaryDomainName: 'a.example.com' } },
      '`httpOrigins.drDomainName` is required with a `drRegion`, got: undefined'],
    ['DR origin without DR region', { drRegion: undefined, writeFailover: undefined, httpOrigins: ORIGINS },
      '`httpOrigins.drDomainName` applies only with a `drRegion`, got: us-west-2.app.example.com'],
    ['URL instead of host', { httpOrigins: { ...ORIGINS, primaryDomainName: 'https://a.example.com/' } },
      '`httpOrigins.primaryDomainName` must be a host name (no scheme, port or path), got: https://a.example.com/'],
    ['writeSigning', { writeSigning: SsrWriteSigning.EDGE_BODY_HASH },
      '`writeSigning` applies to function URL origins only (it signs request bodies for origin access control), got: EDGE_BODY_HASH with `httpOrigins`'],
    ['403 failover', { ssrFailoverStatusCodes: [403, 500] },
      '`ssrFailoverStatusCodes` must not hold 403 with `httpOrigins`: an origin answers 403 to a missing or wrong origin-verify header, which failover would hide, got: 403, 500'],
    ['empty header value', { httpOrigins: { ...ORIGINS, customHeaders: { 'X-Origin-Verify': '' } } },
      '`httpOrigins.customHeaders` values must not be empty, got: an empty value for X-Origin-Verify'],
  ])('%s', (_name, overrides, message) => {
    expect(() => edge(overrides)).toThrow(message);
  });
});

describe('SsrOriginStack without the function URL grants (httpOrigins sites)', () => {
  test('ssrFunctionGrants: false: static bucket, no lambda permission; the default keeps them', () => {
    const app = new App();
    const props = { env: { account: ACCOUNT, region: 'us-west-2' }, siteName: 'web', primaryRegion: 'us-east-1', drRegion: 'us-west-2' };
    const without = new SsrOriginStack(app, 'Without', { ...props, ssrFunctionGrants: false, writeFailoverReconciler: true, domainName: 'www.example.com' });
    const withGrants = new SsrOriginStack(app, 'With', props);
    expect(nagErrors(without)).toEqual([]);
    Template.fromStack(without).resourceCountIs('AWS::Lambda::Permission', 0);
    Template.fromStack(without).resourceCountIs('AWS::S3::Bucket', 2);
    expect(without.reconcilerFunction).toBeDefined();
    Template.fromStack(withGrants).resourceCountIs('AWS::Lambda::Permission', 2);
  });
});

/** A RegionalService for app.example.com (nginx) in `regions`. */
function regionalService(app: App, regions: string[], props: Partial<RegionalServiceProps> = {}): RegionalService {
  return new RegionalService(app, 'Svc', {
    account: ACCOUNT,
    regions,
    hostedZoneId: 'Z0123456789ABC',
    zoneName: 'example.com',
    domainName: 'app.example.com',
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    ...props,
  });
}

describe('RegionalService.cloudFrontOrigins', () => {
  test('the regional names and the origin-verify header as a dynamic reference (no secret value in the template)', () => {
    const app = new App();
    const service = regionalService(app, ['us-east-1', 'us-west-2'], { originProtection: {} });
    const origins = service.cloudFrontOrigins();
    expect(origins.primaryDomainName).toBe('us-east-1.app.example.com');
    expect(origins.drDomainName).toBe('us-west-2.app.example.com');
    const e = edge({ httpOrigins: origins, healthCheckPath: service.healthCheckPath });
    const o = config(e).Origins.find((x: any) => x.Id === 'ssr-dr');
    expect(o.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: '{{resolve:secretsmanager:app-example-com/origin-verify:SecretString:::}}' }]);
    // The edge stack resolves the reference in us-east-1: the secret needs a replica there.
    expect(() => regionalService(new App(), ['eu-west-1', 'eu-central-1'], { originProtection: { distributionRegions: ['us-west-2'] } }).cloudFrontOrigins())
      .toThrow('`originProtection.distributionRegions` must include us-east-1 (the CloudFront distribution\'s stack resolves the '
        + 'origin-verify secret there), got: eu-central-1, us-west-2');
  });

  test('without originProtection: no header (the load balancers are open)', () => {
    const service = regionalService(new App(), ['eu-west-1', 'eu-central-1']);
    expect(service.cloudFrontOrigins()).toEqual({ primaryDomainName: 'eu-west-1.app.example.com', drDomainName: 'eu-central-1.app.example.com', customHeaders: undefined });
  });
});
